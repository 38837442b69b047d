-- 亮评议 / 民主评议: appraisal rounds answered by outside evaluators through
-- single-use invitations; 形象监督员: public supervisors' observations; and
-- two rating rules the unit sets: default ratings and the weight of
-- unverified ones.

CREATE TABLE appraisal_rounds (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    title TEXT NOT NULL,
    subject TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft',
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    opened_at {{timestamp}},
    closed_at {{timestamp}}
);
CREATE INDEX appraisal_rounds_unit ON appraisal_rounds (unit_id, created_at);

CREATE TABLE appraisal_questions (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES appraisal_rounds (id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    max_score INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX appraisal_questions_round ON appraisal_questions (unit_id, round_id, position);

-- What is appraised: a person, a window, or the unit itself (both empty).
CREATE TABLE appraisal_targets (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES appraisal_rounds (id),
    staff_id BIGINT REFERENCES staff (id),
    department_id BIGINT REFERENCES departments (id),
    position INTEGER NOT NULL
);
CREATE INDEX appraisal_targets_round ON appraisal_targets (unit_id, round_id, position);

-- One invitation is one evaluator of one group; it is answered once.
CREATE TABLE appraisal_invites (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES appraisal_rounds (id),
    group_key TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    token TEXT NOT NULL UNIQUE,
    answered_at {{timestamp}},
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX appraisal_invites_round ON appraisal_invites (unit_id, round_id, group_key);

CREATE TABLE appraisal_answers (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES appraisal_rounds (id),
    invite_id BIGINT NOT NULL REFERENCES appraisal_invites (id),
    target_id BIGINT NOT NULL REFERENCES appraisal_targets (id),
    question_id BIGINT NOT NULL REFERENCES appraisal_questions (id),
    value INTEGER,
    text TEXT NOT NULL DEFAULT '',
    UNIQUE (invite_id, target_id, question_id)
);
CREATE INDEX appraisal_answers_round ON appraisal_answers (unit_id, round_id);

-- 形象监督员: what an appointed public supervisor saw at a window.
CREATE TABLE observations (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    department_id BIGINT NOT NULL REFERENCES departments (id),
    staff_id BIGINT REFERENCES staff (id),
    observed_at {{timestamp}} NOT NULL,
    good BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    photo {{blob}},
    photo_type TEXT NOT NULL DEFAULT '',
    nonce TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (user_id, nonce)
);
CREATE INDEX observations_unit ON observations (unit_id, observed_at);

-- default_level 0: no default ratings (the national rules' default). The
-- weight of unverified ratings (person or window, no case) is a percentage.
ALTER TABLE rating_settings ADD COLUMN default_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rating_settings ADD COLUMN unverified_weight INTEGER NOT NULL DEFAULT 50;
