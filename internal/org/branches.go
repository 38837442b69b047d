package org

import (
	"context"
	"fmt"

	"wuliang/internal/audit"
	"wuliang/internal/database"
)

const branchQuery = `SELECT b.id, b.unit_id, b.name, COALESCE(b.secretary_id, 0), COALESCE(sec.name, ''), b.active,
	(SELECT count(*) FROM staff m WHERE m.unit_id = b.unit_id AND m.branch_id = b.id AND m.active = TRUE
		AND m.political_status IN ('member', 'probationary'))
	FROM branches b LEFT JOIN staff sec ON sec.id = b.secretary_id AND sec.unit_id = b.unit_id`

func scanBranch(row database.Scanner) (Branch, error) {
	var b Branch
	err := row.Scan(&b.ID, &b.UnitID, &b.Name, &b.SecretaryID, &b.SecretaryName, &b.Active, &b.MemberCount)
	return b, err
}

// Branches lists the unit's party branches.
func (s *Store) Branches(ctx context.Context, unitID int64) ([]Branch, error) {
	rows, err := s.db.QueryContext(ctx, branchQuery+` WHERE b.unit_id = $1 ORDER BY b.id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("org: list branches: %w", err)
	}
	return database.Collect(rows, scanBranch)
}

// Branch returns one of the unit's branches.
func (s *Store) Branch(ctx context.Context, unitID, id int64) (Branch, error) {
	return branchByID(ctx, s.db, unitID, id)
}

func branchByID(ctx context.Context, q database.Querier, unitID, id int64) (Branch, error) {
	b, err := scanBranch(q.QueryRowContext(ctx, branchQuery+` WHERE b.unit_id = $1 AND b.id = $2`, unitID, id))
	return b, notFound(err, "branch")
}

func (s *Store) checkBranch(ctx context.Context, tx *database.Tx, unitID, id int64, in *BranchInput) error {
	in.Normalize()
	ps := in.Validate()
	if err := checkRef(ctx, tx, &ps, "staff", unitID, in.SecretaryID, "secretary", "error.staff_unknown"); err != nil {
		return err
	}
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM branches WHERE unit_id = $1 AND name = $2 AND id <> $3`, unitID, in.Name, id).Scan(&other)
	if err == nil {
		ps.Add("name", "error.branch_name_taken")
	}
	return ps.Err()
}

// CreateBranch adds a party branch to the unit.
func (s *Store) CreateBranch(ctx context.Context, actor audit.Actor, unitID int64, in BranchInput) (int64, error) {
	var id int64
	err := s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		if err := s.checkBranch(ctx, tx, unitID, 0, &in); err != nil {
			return audit.Entry{}, err
		}
		now := database.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO branches (unit_id, name, secretary_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, unitID, in.Name, database.NullID(in.SecretaryID), now).Scan(&id)
		if err != nil {
			return audit.Entry{}, fmt.Errorf("org: insert branch: %w", err)
		}
		after, err := branchByID(ctx, tx, unitID, id)
		return audit.Entry{UnitID: unitID, Action: "create", Entity: "branch", EntityID: id, After: after}, err
	})
	return id, err
}

// UpdateBranch changes a branch's name or secretary.
func (s *Store) UpdateBranch(ctx context.Context, actor audit.Actor, unitID, id int64, in BranchInput) error {
	return s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		before, err := branchByID(ctx, tx, unitID, id)
		if err != nil {
			return audit.Entry{}, err
		}
		if err := s.checkBranch(ctx, tx, unitID, id, &in); err != nil {
			return audit.Entry{}, err
		}
		_, err = tx.ExecContext(ctx, `UPDATE branches SET name = $1, secretary_id = $2, updated_at = $3
			WHERE unit_id = $4 AND id = $5`, in.Name, database.NullID(in.SecretaryID), database.Now(), unitID, id)
		if err != nil {
			return audit.Entry{}, fmt.Errorf("org: update branch: %w", err)
		}
		after, err := branchByID(ctx, tx, unitID, id)
		return audit.Entry{UnitID: unitID, Action: "update", Entity: "branch", EntityID: id, Before: before, After: after}, err
	})
}
