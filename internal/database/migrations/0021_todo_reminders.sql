-- The day each unit's daily to-do summary (办公室待办) went out: one row
-- per unit and day, so that however many servers run the job, it runs once.
CREATE TABLE todo_reminders (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    day TEXT NOT NULL,
    sent_at {{timestamp}} NOT NULL,
    PRIMARY KEY (unit_id, day)
);
