-- The party emblem a unit uploads once; badges of members show it.
CREATE TABLE unit_emblems (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    data {{blob}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
