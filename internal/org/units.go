package org

import (
	"context"
	"fmt"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
)

const unitColumns = `id, code, name, kind, timezone, active, created_at`

func scanUnit(row database.Scanner) (Unit, error) {
	var u Unit
	err := row.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.Timezone, &u.Active, &u.CreatedAt)
	return u, err
}

// CreateUnit adds a tenant.
func (s *Store) CreateUnit(ctx context.Context, actor audit.Actor, in UnitInput) (int64, error) {
	in.Normalize()
	if ps := in.Validate(); len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		if _, err := unitByCode(ctx, tx, in.Code); err == nil {
			return audit.Entry{}, locale.FieldProblem("code", "error.unit_code_taken")
		}
		now := database.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO units (code, name, kind, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, in.Code, in.Name, in.Kind, now).Scan(&id)
		if err != nil {
			return audit.Entry{}, fmt.Errorf("org: insert unit: %w", err)
		}
		u, err := unitByID(ctx, tx, id)
		return audit.Entry{UnitID: id, Action: "create", Entity: "unit", EntityID: id, After: u}, err
	})
	return id, err
}

// Unit returns the unit with id.
func (s *Store) Unit(ctx context.Context, id int64) (Unit, error) { return unitByID(ctx, s.db, id) }

// UnitByCode returns the unit with code.
func (s *Store) UnitByCode(ctx context.Context, code string) (Unit, error) {
	return unitByCode(ctx, s.db, code)
}

func unitByID(ctx context.Context, q database.Querier, id int64) (Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE id = $1`, id))
	return u, notFound(err, "unit")
}

func unitByCode(ctx context.Context, q database.Querier, code string) (Unit, error) {
	u, err := scanUnit(q.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units WHERE code = $1`, code))
	if err != nil {
		return u, notFound(err, "unit by code")
	}
	return u, nil
}

// Units lists every unit, for the system administrator.
func (s *Store) Units(ctx context.Context) ([]Unit, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+unitColumns+` FROM units ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("org: list units: %w", err)
	}
	return database.Collect(rows, scanUnit)
}

// CountUnits tells whether the database holds any tenant yet.
func (s *Store) CountUnits(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM units`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("org: count units: %w", err)
	}
	return n, nil
}
