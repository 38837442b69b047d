-- A rectification now starts from a bad rating, an upheld complaint or a
-- public supervisor's bad observation: rating_id may be empty, and source
-- with source_id name where it came from. SQLite cannot drop NOT NULL, so
-- the table is rebuilt (nothing references it yet).
CREATE TABLE rectifications_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    rating_id BIGINT UNIQUE REFERENCES ratings (id),
    source TEXT NOT NULL DEFAULT 'rating',
    source_id BIGINT NOT NULL DEFAULT 0,
    summary TEXT NOT NULL DEFAULT '',
    staff_id BIGINT REFERENCES staff (id),
    department_id BIGINT REFERENCES departments (id),
    anonymous BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    due_at TIMESTAMP NOT NULL,
    verify_note TEXT NOT NULL DEFAULT '',
    verified_at TIMESTAMP,
    method TEXT NOT NULL DEFAULT '',
    rectify_note TEXT NOT NULL DEFAULT '',
    ledger_due TEXT NOT NULL DEFAULT '',
    rectified_at TIMESTAMP,
    followup_answer TEXT NOT NULL DEFAULT '',
    followup_note TEXT NOT NULL DEFAULT '',
    followed_at TIMESTAMP,
    appeal_reason TEXT NOT NULL DEFAULT '',
    appeal_decision TEXT NOT NULL DEFAULT '',
    closed_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO rectifications_new (id, unit_id, rating_id, source, source_id, staff_id, department_id, anonymous, state, due_at,
    verify_note, verified_at, method, rectify_note, ledger_due, rectified_at, followup_answer, followup_note, followed_at,
    appeal_reason, appeal_decision, closed_at, version, created_at)
SELECT id, unit_id, rating_id, 'rating', rating_id, staff_id, department_id, anonymous, state, due_at,
    verify_note, verified_at, method, rectify_note, ledger_due, rectified_at, followup_answer, followup_note, followed_at,
    appeal_reason, appeal_decision, closed_at, version, created_at
FROM rectifications;
DROP TABLE rectifications;
ALTER TABLE rectifications_new RENAME TO rectifications;
CREATE INDEX rectifications_unit_state ON rectifications (unit_id, state);
CREATE UNIQUE INDEX rectifications_source ON rectifications (unit_id, source, source_id);
