-- A rectification now starts from a bad rating, an upheld complaint or a
-- public supervisor's bad observation: rating_id may be empty, and source
-- with source_id name where it came from.
ALTER TABLE rectifications ALTER COLUMN rating_id DROP NOT NULL;
ALTER TABLE rectifications ADD COLUMN source TEXT NOT NULL DEFAULT 'rating';
ALTER TABLE rectifications ADD COLUMN source_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rectifications ADD COLUMN summary TEXT NOT NULL DEFAULT '';
UPDATE rectifications SET source_id = rating_id;
CREATE UNIQUE INDEX rectifications_source ON rectifications (unit_id, source, source_id);
