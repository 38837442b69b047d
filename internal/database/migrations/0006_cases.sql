-- Counter work: first-contact cases (首问登记) with their timelines and
-- one-time notices (一次性告知), accountability records (责任追究), in-app
-- notifications, whereabouts notes (去向留言), attendance spot checks
-- (考勤抽查), and a unit's office hours. Times are UTC.

-- Numbered documents (case and notice numbers) per unit and year.
CREATE TABLE sequences (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (unit_id, name)
);

CREATE TABLE office_hours (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    hours TEXT NOT NULL
);

CREATE TABLE cases (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    no TEXT NOT NULL,
    item_id BIGINT REFERENCES items (id),
    matter TEXT NOT NULL DEFAULT '',
    recipient_name TEXT NOT NULL,
    recipient_phone TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    first_contact_id BIGINT NOT NULL REFERENCES staff (id),
    handler_id BIGINT NOT NULL REFERENCES staff (id),
    department_id BIGINT REFERENCES departments (id),
    referred_to BIGINT REFERENCES staff (id),
    referred_from TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    time_limit_days INTEGER,
    accepted_at {{timestamp}},
    deadline {{timestamp}},
    paused_at {{timestamp}},
    paused_days INTEGER NOT NULL DEFAULT 0,
    completed_at {{timestamp}},
    overdue_at {{timestamp}},
    closing_reason TEXT NOT NULL DEFAULT '',
    rating_token TEXT NOT NULL UNIQUE,
    -- The form or the API call that registered it: a second submit of the
    -- same form (a double click, a retried request) finds this case.
    request_key TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, no),
    UNIQUE (unit_id, request_key)
);
CREATE INDEX cases_unit_state ON cases (unit_id, state);
CREATE INDEX cases_unit_created ON cases (unit_id, created_at);
CREATE INDEX cases_due ON cases (state, deadline);

CREATE TABLE case_events (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    case_id BIGINT NOT NULL REFERENCES cases (id),
    at {{timestamp}} NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    staff_id BIGINT REFERENCES staff (id),
    body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (unit_id, case_id);

CREATE TABLE case_notices (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    case_id BIGINT NOT NULL REFERENCES cases (id),
    no TEXT NOT NULL,
    seq INTEGER NOT NULL,
    handler_id BIGINT NOT NULL REFERENCES staff (id),
    materials TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    unlisted TEXT NOT NULL DEFAULT '',
    reason_kind TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    breach BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, no),
    UNIQUE (unit_id, case_id, seq)
);

CREATE TABLE accountability (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    rule TEXT NOT NULL,
    source TEXT NOT NULL,
    facts TEXT NOT NULL,
    occurred_at {{timestamp}} NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    sanction TEXT NOT NULL DEFAULT '',
    points INTEGER NOT NULL DEFAULT 0,
    decision TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users (id),
    decided_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, rule, source, staff_id)
);
CREATE INDEX accountability_staff ON accountability (unit_id, staff_id);

CREATE TABLE notifications (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    read_at {{timestamp}}
);
CREATE INDEX notifications_user ON notifications (unit_id, user_id, read_at);

CREATE TABLE whereabouts (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    kind TEXT NOT NULL,
    place TEXT NOT NULL,
    starts_at {{timestamp}} NOT NULL,
    ends_at {{timestamp}} NOT NULL,
    cover_id BIGINT REFERENCES staff (id),
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX whereabouts_when ON whereabouts (unit_id, ends_at);

CREATE TABLE spot_checks (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    department_id BIGINT NOT NULL REFERENCES departments (id),
    checked_at {{timestamp}} NOT NULL,
    checker TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX spot_checks_when ON spot_checks (unit_id, checked_at);

CREATE TABLE spot_check_entries (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    check_id BIGINT NOT NULL REFERENCES spot_checks (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    status TEXT NOT NULL,
    whereabouts_id BIGINT REFERENCES whereabouts (id),
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (check_id, staff_id)
);
