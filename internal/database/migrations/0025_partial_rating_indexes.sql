-- The ratings held for review, and those sent from a public page's
-- address, are few; a rating of a case has neither. Indexed only where
-- they are set, the rating path's inserts skip both indexes (the queries
-- that use them say held <> '' and address <> '').
DROP INDEX ratings_held;
CREATE INDEX ratings_held ON ratings (unit_id, held) WHERE held <> '';
DROP INDEX ratings_address;
CREATE INDEX ratings_address ON ratings (unit_id, address, created_at) WHERE address <> '';
