-- 五创's selection of one honour kind for one period: the rule's shortlist,
-- nominations, a vote, the office's proposal, 公示期 and confirmation.
CREATE TABLE honour_selections (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind_id BIGINT NOT NULL REFERENCES honour_kinds (id),
    period TEXT NOT NULL,
    period_from {{timestamp}} NOT NULL,
    period_to {{timestamp}} NOT NULL,
    score_version INTEGER NOT NULL,
    stage TEXT NOT NULL,
    vote TEXT NOT NULL DEFAULT 'none',
    min_voters INTEGER NOT NULL DEFAULT 0,
    vote_until {{timestamp}},
    publicity_days INTEGER NOT NULL,
    publicity_from TEXT NOT NULL DEFAULT '',
    publicity_until TEXT NOT NULL DEFAULT '',
    proposal TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    proposed_at {{timestamp}},
    confirmed_at {{timestamp}},
    UNIQUE (unit_id, kind_id, period)
);

-- Everyone put forward: by the rule (with score and place), by a branch or
-- window, by the office, by colleagues or the public — each with a reason.
CREATE TABLE honour_candidates (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    selection_id BIGINT NOT NULL REFERENCES honour_selections (id),
    subject_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    score DOUBLE PRECISION,
    place INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    nominated_by TEXT NOT NULL DEFAULT '',
    proposed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (selection_id, subject_id)
);

-- One ballot per voter and selection; a public voter is a phone and a day.
CREATE TABLE honour_ballots (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    selection_id BIGINT NOT NULL REFERENCES honour_selections (id),
    voter TEXT NOT NULL,
    choices TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (selection_id, voter)
);

-- A confirmed honour. It is never edited; a revoked one keeps its row
-- with who revoked it and why.
CREATE TABLE honours (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind_id BIGINT NOT NULL REFERENCES honour_kinds (id),
    selection_id BIGINT NOT NULL REFERENCES honour_selections (id),
    subject TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    period TEXT NOT NULL,
    period_from {{timestamp}} NOT NULL,
    period_to {{timestamp}} NOT NULL,
    certificate_no TEXT NOT NULL,
    confirmed_by TEXT NOT NULL,
    confirmed_at {{timestamp}} NOT NULL,
    revoked_by TEXT NOT NULL DEFAULT '',
    revoke_reason TEXT NOT NULL DEFAULT '',
    revoked_at {{timestamp}},
    UNIQUE (selection_id, subject_id)
);
CREATE INDEX honours_subject ON honours (unit_id, subject, subject_id);

-- 典型示范: a story of an honour or a person, reviewed before the portal
-- shows it.
CREATE TABLE exemplars (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    honour_id BIGINT REFERENCES honours (id),
    staff_id BIGINT REFERENCES staff (id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    story TEXT NOT NULL,
    state TEXT NOT NULL,
    review_note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at {{timestamp}}
);

CREATE TABLE exemplar_photos (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    exemplar_id BIGINT NOT NULL REFERENCES exemplars (id),
    data {{blob}} NOT NULL,
    created_at {{timestamp}} NOT NULL
);

-- An objection in a 公示期 is a message of the suggestion box, tracked and
-- answered like a complaint, naming the selection it objects to.
ALTER TABLE feedback ADD COLUMN selection_id BIGINT REFERENCES honour_selections (id);
