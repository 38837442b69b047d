-- What a key may do (a comma list: read, cases, ratings-device, exchange)
-- and, for a rating device, the one window it stands at. Keys made before
-- scopes keep what they did except rating: a rating device must now be
-- registered to its window.
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read';
ALTER TABLE api_keys ADD COLUMN window_id BIGINT REFERENCES departments (id);
UPDATE api_keys SET scopes = 'read,cases';

-- A burst of like ratings is held: it counts nowhere (valid is FALSE)
-- until the office releases or rejects it. held is '' for ordinary
-- ratings, then 'held', 'released' or 'rejected'.
ALTER TABLE ratings ADD COLUMN held TEXT NOT NULL DEFAULT '';
CREATE INDEX ratings_held ON ratings (unit_id, held);
