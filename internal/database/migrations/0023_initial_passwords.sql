-- An account made by the office with a password printed on a slip must
-- choose its own password at its first login.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
