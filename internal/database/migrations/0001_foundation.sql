-- Organisation, accounts, API keys and the audit trail.
-- {{id}}, {{blob}} and {{timestamp}} are replaced per engine (migrate.go).

CREATE TABLE units (
    id {{id}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'center',
    timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);

CREATE TABLE branches (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    -- The secretary is a staff member of the same unit; staff is created
    -- below, so the reference is checked in code (org.validateBranch).
    secretary_id BIGINT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, name)
);

CREATE TABLE departments (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    window_no TEXT NOT NULL DEFAULT '',
    duties TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, name)
);

CREATE TABLE staff (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    post TEXT NOT NULL DEFAULT '',
    employee_no TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    department_id BIGINT REFERENCES departments (id),
    branch_id BIGINT REFERENCES branches (id),
    political_status TEXT NOT NULL DEFAULT 'masses',
    backup_id BIGINT REFERENCES staff (id),
    duties TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, employee_no)
);
CREATE INDEX staff_unit_name ON staff (unit_id, name);
CREATE INDEX staff_unit_department ON staff (unit_id, department_id);
CREATE INDEX staff_unit_branch ON staff (unit_id, branch_id);

CREATE TABLE staff_photos (
    staff_id BIGINT PRIMARY KEY REFERENCES staff (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    content_type TEXT NOT NULL,
    data {{blob}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);

CREATE TABLE leading_group (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    role TEXT NOT NULL,
    duty TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, staff_id)
);

CREATE TABLE users (
    id {{id}},
    unit_id BIGINT REFERENCES units (id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    staff_id BIGINT REFERENCES staff (id),
    branch_id BIGINT REFERENCES branches (id),
    department_id BIGINT REFERENCES departments (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX users_unit ON users (unit_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    unit_id BIGINT REFERENCES units (id),
    created_at {{timestamp}} NOT NULL,
    expires_at {{timestamp}} NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_attempts (
    id {{id}},
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    success BOOLEAN NOT NULL,
    at {{timestamp}} NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts (username, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

CREATE TABLE api_keys (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    revoked_at {{timestamp}},
    last_used_at {{timestamp}}
);
CREATE INDEX api_keys_unit ON api_keys (unit_id);

-- The audit trail is one hash chain. audit_head holds the newest link; the
-- UPDATE of its single row serialises appends on both engines.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    unit_id BIGINT,
    at {{timestamp}} NOT NULL,
    actor TEXT NOT NULL,
    actor_user_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_unit ON audit_log (unit_id, seq);
CREATE INDEX audit_log_entity ON audit_log (unit_id, entity, entity_id);

-- An uploaded roster waits here between preview and confirmation.
CREATE TABLE roster_uploads (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    filename TEXT NOT NULL,
    data {{blob}} NOT NULL,
    created_at {{timestamp}} NOT NULL,
    applied_at {{timestamp}}
);
