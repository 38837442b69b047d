-- Public commitments (公开承诺) and their fulfilment (兑现).
-- Dates are ISO text (YYYY-MM-DD) on both engines.

CREATE TABLE commitments (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    owner_kind TEXT NOT NULL,
    staff_id BIGINT REFERENCES staff (id),
    department_id BIGINT REFERENCES departments (id),
    branch_id BIGINT REFERENCES branches (id),
    category TEXT NOT NULL,
    body TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    due_on TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users (id),
    approved_by BIGINT REFERENCES users (id),
    approved_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX commitments_unit_state ON commitments (unit_id, state);
CREATE INDEX commitments_staff ON commitments (unit_id, staff_id);

CREATE TABLE fulfilments (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    commitment_id BIGINT NOT NULL REFERENCES commitments (id),
    on_date TEXT NOT NULL,
    body TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    file_type TEXT NOT NULL DEFAULT '',
    file_data {{blob}},
    review TEXT NOT NULL DEFAULT 'pending',
    review_note TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users (id),
    reviewed_by BIGINT REFERENCES users (id),
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX fulfilments_commitment ON fulfilments (unit_id, commitment_id);
