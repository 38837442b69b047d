-- Service items (服务事项 / 明白卡) with the eight disclosures (八公开), their
-- materials checklist and the windows and people who handle them.

CREATE TABLE items (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    policy_basis TEXT NOT NULL DEFAULT '',
    preconditions TEXT NOT NULL DEFAULT '',
    procedure_steps TEXT NOT NULL DEFAULT '',
    fee_basis TEXT NOT NULL DEFAULT '',
    fee_standard TEXT NOT NULL DEFAULT '',
    time_limit_days INTEGER NOT NULL DEFAULT 0,
    handling_unit TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    department_id BIGINT REFERENCES departments (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    UNIQUE (unit_id, name)
);
CREATE INDEX items_unit_department ON items (unit_id, department_id);

CREATE TABLE item_materials (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units (id),
    item_id BIGINT NOT NULL REFERENCES items (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    form TEXT NOT NULL,
    copies INTEGER NOT NULL DEFAULT 1,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX item_materials_item ON item_materials (unit_id, item_id, position);

CREATE TABLE item_handlers (
    unit_id BIGINT NOT NULL REFERENCES units (id),
    item_id BIGINT NOT NULL REFERENCES items (id),
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    PRIMARY KEY (item_id, staff_id)
);
CREATE INDEX item_handlers_staff ON item_handlers (unit_id, staff_id);
