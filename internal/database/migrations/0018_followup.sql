-- 五创's follow-up of the lagging and the weak: 约谈 records, improvement
-- plans, branch implementation plans, guidance visits and inspections, and
-- the dated steps each of them sets.
CREATE TABLE talks (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    subject TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    period TEXT NOT NULL DEFAULT '',
    held_on TEXT NOT NULL,
    held_by TEXT NOT NULL,
    agreed TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX talks_subject ON talks (unit_id, subject, subject_id);

CREATE TABLE improvement_plans (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    subject TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    talk_id BIGINT REFERENCES talks (id),
    goal TEXT NOT NULL,
    state TEXT NOT NULL,
    closed_note TEXT NOT NULL DEFAULT '',
    closed_at {{timestamp}},
    created_by TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX improvement_plans_subject ON improvement_plans (unit_id, subject, subject_id);

CREATE TABLE branch_plans (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    branch_id BIGINT NOT NULL REFERENCES branches (id),
    year INTEGER NOT NULL,
    standards TEXT NOT NULL,
    carriers TEXT NOT NULL,
    state TEXT NOT NULL,
    review_note TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at {{timestamp}},
    created_by TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, branch_id, year)
);

CREATE TABLE visits (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind TEXT NOT NULL,
    branch_id BIGINT REFERENCES branches (id),
    department_id BIGINT REFERENCES departments (id),
    visited_on TEXT NOT NULL,
    visitors TEXT NOT NULL,
    found TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL
);

-- A dated step of a plan, a branch plan's measure, a visit's fix.
CREATE TABLE followup_steps (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    owner TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    what TEXT NOT NULL,
    who TEXT NOT NULL DEFAULT '',
    due_on TEXT NOT NULL,
    done_on TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX followup_steps_owner ON followup_steps (unit_id, owner, owner_id);
