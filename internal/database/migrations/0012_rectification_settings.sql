-- The periods of rectification (整改) move to the rectification package's
-- own table: they serve complaints and supervisors' observations as well
-- as ratings. rating_settings keeps what is about ratings.
CREATE TABLE rectification_settings (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    verify_days INTEGER NOT NULL,
    rectify_days INTEGER NOT NULL,
    ledger_days INTEGER NOT NULL,
    followup_days INTEGER NOT NULL
);
INSERT INTO rectification_settings (unit_id, verify_days, rectify_days, ledger_days, followup_days)
    SELECT unit_id, verify_days, rectify_days, ledger_days, followup_days FROM rating_settings;
ALTER TABLE rating_settings DROP COLUMN verify_days;
ALTER TABLE rating_settings DROP COLUMN rectify_days;
ALTER TABLE rating_settings DROP COLUMN ledger_days;
ALTER TABLE rating_settings DROP COLUMN followup_days;
