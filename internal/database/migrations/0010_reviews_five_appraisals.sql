-- 例会点评 (monthly review meetings) and 五评 (five appraisals: self,
-- peer, branch, leader, public).

-- The points a unit gives each review grade (好 / 较好 / 一般 / 差), and
-- whether its public summary names those reminded as well as those praised.
CREATE TABLE review_settings (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    points_good INTEGER NOT NULL DEFAULT 100,
    points_fair INTEGER NOT NULL DEFAULT 85,
    points_average INTEGER NOT NULL DEFAULT 70,
    points_poor INTEGER NOT NULL DEFAULT 40,
    publish_reminded BOOLEAN NOT NULL DEFAULT FALSE
);

-- One meeting per month and scope: the unit, a branch or a window.
CREATE TABLE review_meetings (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    month TEXT NOT NULL,
    scope TEXT NOT NULL,
    scope_id BIGINT NOT NULL DEFAULT 0,
    summary TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at {{timestamp}} NOT NULL,
    published_at {{timestamp}},
    UNIQUE (unit_id, month, scope, scope_id)
);

-- Grades 4 好, 3 较好, 2 一般, 1 差. score_centi is kept when the meeting
-- is published: the mean of the four dimensions' points × 100, so a later
-- change of the unit's points does not rewrite history.
CREATE TABLE review_entries (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    meeting_id BIGINT NOT NULL REFERENCES review_meetings (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    attitude INTEGER NOT NULL,
    quality INTEGER NOT NULL,
    efficiency INTEGER NOT NULL,
    discipline INTEGER NOT NULL,
    attitude_note TEXT NOT NULL DEFAULT '',
    quality_note TEXT NOT NULL DEFAULT '',
    efficiency_note TEXT NOT NULL DEFAULT '',
    discipline_note TEXT NOT NULL DEFAULT '',
    remark TEXT NOT NULL DEFAULT '',
    remark_note TEXT NOT NULL DEFAULT '',
    score_centi INTEGER,
    updated_at {{timestamp}} NOT NULL,
    UNIQUE (meeting_id, staff_id)
);
CREATE INDEX review_entries_staff ON review_entries (unit_id, staff_id);

-- 五评 rounds. Weights are percentages adding up to 100; grade points and
-- thresholds are the round's own; the share of 优秀 is a fraction.
CREATE TABLE five_rounds (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    title TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    members_only BOOLEAN NOT NULL,
    weight_self INTEGER NOT NULL,
    weight_peer INTEGER NOT NULL,
    weight_branch INTEGER NOT NULL,
    weight_leader INTEGER NOT NULL,
    weight_public INTEGER NOT NULL,
    points_excellent INTEGER NOT NULL,
    points_competent INTEGER NOT NULL,
    points_basic INTEGER NOT NULL,
    points_failing INTEGER NOT NULL,
    threshold_excellent INTEGER NOT NULL,
    threshold_competent INTEGER NOT NULL,
    threshold_basic INTEGER NOT NULL,
    excellent_num INTEGER NOT NULL,
    excellent_den INTEGER NOT NULL,
    standards TEXT NOT NULL DEFAULT '',
    opens_at {{timestamp}} NOT NULL,
    closes_at {{timestamp}} NOT NULL,
    closed_at {{timestamp}},
    published_at {{timestamp}},
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX five_rounds_unit ON five_rounds (unit_id, created_at);

-- Who is appraised. peer_group is the branch (or, for someone outside any
-- branch, the window) whose members grade each other.
CREATE TABLE five_targets (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES five_rounds (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    branch_id BIGINT REFERENCES branches (id),
    peer_group TEXT NOT NULL,
    added_at {{timestamp}} NOT NULL,
    UNIQUE (round_id, staff_id)
);

CREATE TABLE five_leaders (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES five_rounds (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    PRIMARY KEY (round_id, staff_id)
);

-- The signed parts: a self-appraisal, the branch's and the leaders'
-- comments, and a public score the office enters with its source. Each is
-- given once per author (author 0: the office).
CREATE TABLE five_entries (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES five_rounds (id),
    target_id BIGINT NOT NULL REFERENCES five_targets (id),
    part TEXT NOT NULL,
    author_id BIGINT NOT NULL,
    grade INTEGER NOT NULL DEFAULT 0,
    score INTEGER,
    body TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    UNIQUE (round_id, target_id, part, author_id)
);

-- 互评 is anonymous. The grades live only as counts per target and grade,
-- made when the target is added and never timed or ordered; who voted for
-- whom lives apart, without the grade, time or order. Neither table can be
-- joined to the other.
CREATE TABLE five_peer_tallies (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES five_rounds (id),
    target_id BIGINT NOT NULL REFERENCES five_targets (id),
    grade INTEGER NOT NULL,
    votes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, target_id, grade)
);

CREATE TABLE five_peer_voters (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES five_rounds (id),
    voter_id BIGINT NOT NULL REFERENCES staff (id),
    target_id BIGINT NOT NULL REFERENCES five_targets (id),
    PRIMARY KEY (round_id, voter_id, target_id)
);

-- Results, frozen when the round closes: each part's score and the total
-- in hundredths of a point (NULL: no score), the proposed grade, and the
-- branch committee's confirmation or the office's override.
CREATE TABLE five_results (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round_id BIGINT NOT NULL REFERENCES five_rounds (id),
    target_id BIGINT NOT NULL REFERENCES five_targets (id),
    self_centi INTEGER,
    peer_centi INTEGER,
    branch_centi INTEGER,
    leader_centi INTEGER,
    public_centi INTEGER,
    peer_votes INTEGER NOT NULL DEFAULT 0,
    public_source TEXT NOT NULL DEFAULT '',
    total_centi INTEGER,
    rank INTEGER NOT NULL DEFAULT 0,
    proposed TEXT NOT NULL DEFAULT '',
    tied BOOLEAN NOT NULL DEFAULT FALSE,
    grade TEXT NOT NULL DEFAULT '',
    confirmed_by BIGINT,
    confirmed_at {{timestamp}},
    override_reason TEXT NOT NULL DEFAULT '',
    followup_plan TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, target_id)
);
