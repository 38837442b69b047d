-- 五比 (five comparisons): activity kinds and their point rules, study
-- sessions with attendance, skill contests, claims for visits, volunteer
-- service, innovation proposals and commendations, and the points ledger
-- every ranking is summed from.

-- Shares of each ranking that are leading (先进) and lagging (后进), in
-- percent; the rest is average (一般).
CREATE TABLE activity_settings (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    leading_pct INTEGER NOT NULL DEFAULT 20,
    lagging_pct INTEGER NOT NULL DEFAULT 20
);

-- A kind of activity, tied to one of the five dimensions. form says which
-- fields and flow it uses; rule how its points are counted. Points are in
-- hundredths. extra_centi is the late points of a session, the points for
-- taking part in a contest below the ranked places, or the bonus when an
-- adopted proposal shows results. rank_points lists the points of first,
-- second, … place in hundredths, comma-separated. A cap of 0 is no cap.
CREATE TABLE activity_kinds (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    dimension TEXT NOT NULL,
    form TEXT NOT NULL,
    rule TEXT NOT NULL,
    points_centi INTEGER NOT NULL DEFAULT 0,
    extra_centi INTEGER NOT NULL DEFAULT 0,
    rank_points TEXT NOT NULL DEFAULT '',
    month_cap_centi INTEGER NOT NULL DEFAULT 0,
    year_cap_centi INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, code)
);

-- A scheduled study session (学习型党组织). Attendees check in by scanning
-- the session's QR code (its token) while logged in, or the organiser
-- marks them. scope is the unit or a branch.
CREATE TABLE study_sessions (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind_id BIGINT NOT NULL REFERENCES activity_kinds (id),
    topic TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    starts_at {{timestamp}} NOT NULL,
    scope TEXT NOT NULL,
    scope_id BIGINT NOT NULL DEFAULT 0,
    token TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    closed_at {{timestamp}}
);
CREATE INDEX study_sessions_when ON study_sessions (unit_id, starts_at);

-- status: present, late or absent; absent rows are written when the
-- session is closed for everyone expected who did not come.
CREATE TABLE study_attendance (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    session_id BIGINT NOT NULL REFERENCES study_sessions (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    status TEXT NOT NULL,
    by_qr BOOLEAN NOT NULL DEFAULT FALSE,
    checked_at {{timestamp}} NOT NULL,
    UNIQUE (session_id, staff_id)
);

-- A skill contest (岗位技能竞赛) and its entered participants. Scores are
-- in hundredths; ranks follow from the scores when results are published.
CREATE TABLE contests (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind_id BIGINT NOT NULL REFERENCES activity_kinds (id),
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    published_at {{timestamp}}
);

CREATE TABLE contest_entries (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    contest_id BIGINT NOT NULL REFERENCES contests (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    score_centi INTEGER,
    place INTEGER,
    UNIQUE (contest_id, staff_id)
);

-- A person's own record of an activity, with evidence, for the branch
-- secretary or window lead to approve or return. Quantities (days, hours)
-- are in hundredths.
CREATE TABLE activity_claims (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    kind_id BIGINT NOT NULL REFERENCES activity_kinds (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    state TEXT NOT NULL,
    date_from TEXT NOT NULL,
    date_to TEXT NOT NULL,
    quantity_centi INTEGER NOT NULL DEFAULT 0,
    place TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL DEFAULT '',
    file_type TEXT NOT NULL DEFAULT '',
    file_data {{blob}},
    review_note TEXT NOT NULL DEFAULT '',
    reviewed_by BIGINT REFERENCES users (id),
    reviewed_at {{timestamp}},
    result_note TEXT NOT NULL DEFAULT '',
    result_at {{timestamp}},
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX activity_claims_state ON activity_claims (unit_id, state);
CREATE INDEX activity_claims_staff ON activity_claims (unit_id, staff_id);

-- The points ledger. Entries are never changed: a reversal is a new entry
-- with the opposite points whose source is 'reversal' and source_id the
-- reversed entry. The unique key makes every source count once, so a
-- claim approved twice or a contest published twice adds nothing.
CREATE TABLE point_entries (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    kind_id BIGINT NOT NULL REFERENCES activity_kinds (id),
    dimension TEXT NOT NULL,
    on_date TEXT NOT NULL,
    month TEXT NOT NULL,
    points_centi INTEGER NOT NULL,
    source TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, source, source_id, staff_id)
);
CREATE INDEX point_entries_sum ON point_entries (unit_id, staff_id, kind_id, month, points_centi);
CREATE INDEX point_entries_month ON point_entries (unit_id, month);
