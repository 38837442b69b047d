package org

import (
	"context"
	"fmt"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
)

const departmentQuery = `SELECT d.id, d.unit_id, d.name, d.kind, d.window_no, d.duties, d.sort_order, d.active,
	(SELECT count(*) FROM staff m WHERE m.unit_id = d.unit_id AND m.department_id = d.id AND m.active = TRUE)
	FROM departments d`

func scanDepartment(row database.Scanner) (Department, error) {
	var d Department
	err := row.Scan(&d.ID, &d.UnitID, &d.Name, &d.Kind, &d.WindowNo, &d.Duties, &d.SortOrder, &d.Active, &d.StaffCount)
	return d, err
}

// Departments lists the unit's departments and windows in display order.
func (s *Store) Departments(ctx context.Context, unitID int64) ([]Department, error) {
	rows, err := s.db.QueryContext(ctx, departmentQuery+` WHERE d.unit_id = $1 ORDER BY d.sort_order, d.id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("org: list departments: %w", err)
	}
	return database.Collect(rows, scanDepartment)
}

// Department returns one of the unit's departments.
func (s *Store) Department(ctx context.Context, unitID, id int64) (Department, error) {
	return departmentByID(ctx, s.db, unitID, id)
}

func departmentByID(ctx context.Context, q database.Querier, unitID, id int64) (Department, error) {
	d, err := scanDepartment(q.QueryRowContext(ctx, departmentQuery+` WHERE d.unit_id = $1 AND d.id = $2`, unitID, id))
	return d, notFound(err, "department")
}

func checkDepartment(ctx context.Context, tx *database.Tx, unitID, id int64, in *DepartmentInput) error {
	in.Normalize()
	ps := in.Validate()
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM departments WHERE unit_id = $1 AND name = $2 AND id <> $3`, unitID, in.Name, id).Scan(&other)
	if err == nil {
		ps.Add("name", "error.department_name_taken")
	}
	return ps.Err()
}

// CreateDepartment adds a department or window to the unit.
func (s *Store) CreateDepartment(ctx context.Context, actor audit.Actor, unitID int64, in DepartmentInput) (int64, error) {
	var id int64
	err := s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		if err := checkDepartment(ctx, tx, unitID, 0, &in); err != nil {
			return audit.Entry{}, err
		}
		now := database.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO departments (unit_id, name, kind, window_no, duties, sort_order, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			unitID, in.Name, in.Kind, in.WindowNo, in.Duties, in.SortOrder, now).Scan(&id)
		if err != nil {
			return audit.Entry{}, fmt.Errorf("org: insert department: %w", err)
		}
		after, err := departmentByID(ctx, tx, unitID, id)
		return audit.Entry{UnitID: unitID, Action: "create", Entity: "department", EntityID: id, After: after}, err
	})
	return id, err
}

// UpdateDepartment changes a department.
func (s *Store) UpdateDepartment(ctx context.Context, actor audit.Actor, unitID, id int64, in DepartmentInput) error {
	return s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		before, err := departmentByID(ctx, tx, unitID, id)
		if err != nil {
			return audit.Entry{}, err
		}
		if err := checkDepartment(ctx, tx, unitID, id, &in); err != nil {
			return audit.Entry{}, err
		}
		_, err = tx.ExecContext(ctx, `UPDATE departments SET name = $1, kind = $2, window_no = $3, duties = $4, sort_order = $5,
			updated_at = $6 WHERE unit_id = $7 AND id = $8`,
			in.Name, in.Kind, in.WindowNo, in.Duties, in.SortOrder, database.Now(), unitID, id)
		if err != nil {
			return audit.Entry{}, fmt.Errorf("org: update department: %w", err)
		}
		after, err := departmentByID(ctx, tx, unitID, id)
		return audit.Entry{UnitID: unitID, Action: "update", Entity: "department", EntityID: id, Before: before, After: after}, err
	})
}

// SetDepartmentActive deactivates or reactivates a department; one that
// still has active staff cannot be deactivated.
func (s *Store) SetDepartmentActive(ctx context.Context, actor audit.Actor, unitID, id int64, active bool) error {
	return s.setActive(ctx, actor, unitID, id, active, activeTarget{
		table: "departments", entity: "department", staffColumn: "department_id", busyKey: "error.department_has_staff",
		load: func(q database.Querier) (any, error) { return departmentByID(ctx, q, unitID, id) },
	})
}

// SetBranchActive deactivates or reactivates a branch; one that still has
// active staff cannot be deactivated.
func (s *Store) SetBranchActive(ctx context.Context, actor audit.Actor, unitID, id int64, active bool) error {
	return s.setActive(ctx, actor, unitID, id, active, activeTarget{
		table: "branches", entity: "branch", staffColumn: "branch_id", busyKey: "error.branch_has_staff",
		load: func(q database.Querier) (any, error) { return branchByID(ctx, q, unitID, id) },
	})
}

// activeTarget describes a place that staff belong to (a department or a
// branch) for setActive. Table and column names are constants of this
// package, never user input.
type activeTarget struct {
	table, entity, staffColumn, busyKey string
	load                                func(q database.Querier) (any, error)
}

func (s *Store) setActive(ctx context.Context, actor audit.Actor, unitID, id int64, active bool, t activeTarget) error {
	return s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		before, err := t.load(tx)
		if err != nil {
			return audit.Entry{}, err
		}
		if !active {
			var n int
			q := `SELECT count(*) FROM staff WHERE unit_id = $1 AND ` + t.staffColumn + ` = $2 AND active = TRUE`
			if err := tx.QueryRowContext(ctx, q, unitID, id).Scan(&n); err != nil {
				return audit.Entry{}, fmt.Errorf("org: count %s staff: %w", t.entity, err)
			}
			if n > 0 {
				return audit.Entry{}, locale.FieldProblem("", t.busyKey, n)
			}
		}
		q := `UPDATE ` + t.table + ` SET active = $1, updated_at = $2 WHERE unit_id = $3 AND id = $4`
		if _, err := tx.ExecContext(ctx, q, active, database.Now(), unitID, id); err != nil {
			return audit.Entry{}, fmt.Errorf("org: set %s active: %w", t.entity, err)
		}
		after, err := t.load(tx)
		return audit.Entry{UnitID: unitID, Action: activeAction(active), Entity: t.entity, EntityID: id, Before: before, After: after}, err
	})
}

func activeAction(active bool) string {
	if active {
		return "activate"
	}
	return "deactivate"
}
