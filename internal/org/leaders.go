package org

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

const leaderQuery = `SELECT l.id, l.unit_id, l.staff_id, s.name, s.post, l.role, l.duty
	FROM leading_group l JOIN staff s ON s.id = l.staff_id AND s.unit_id = l.unit_id`

// roleOrder puts the 组长 first and the office director last.
const leaderOrder = ` ORDER BY CASE l.role WHEN 'leader' THEN 0 WHEN 'deputy' THEN 1 WHEN 'member' THEN 2 ELSE 3 END, l.id`

func scanLeader(row database.Scanner) (Leader, error) {
	var l Leader
	err := row.Scan(&l.ID, &l.UnitID, &l.StaffID, &l.StaffName, &l.Post, &l.Role, &l.Duty)
	return l, err
}

// LeadingGroup lists the unit's campaign leading group.
func (s *Store) LeadingGroup(ctx context.Context, unitID int64) ([]Leader, error) {
	rows, err := s.db.QueryContext(ctx, leaderQuery+` WHERE l.unit_id = $1`+leaderOrder, unitID)
	if err != nil {
		return nil, fmt.Errorf("org: list leading group: %w", err)
	}
	return database.Collect(rows, scanLeader)
}

// AddLeader puts a staff member into the leading group with a role.
func (s *Store) AddLeader(ctx context.Context, actor audit.Actor, unitID, staffID int64, role, duty string) (int64, error) {
	duty = textnorm.CleanText(duty)
	var ps locale.Problems
	if !slices.Contains(LeaderRoles, role) {
		ps.Add("role", "error.leader_role_invalid")
	}
	textnorm.CheckLength(&ps, "duty", "field.duty", duty, MaxShortLen, false)
	if len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		st, err := staffByID(ctx, tx, unitID, staffID)
		if err != nil || !st.Active {
			return audit.Entry{}, locale.FieldProblem("staff", "error.staff_unknown")
		}
		var other int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM leading_group WHERE unit_id = $1 AND staff_id = $2`, unitID, staffID).Scan(&other); err == nil {
			return audit.Entry{}, locale.FieldProblem("staff", "error.leader_exists", st.Name)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO leading_group (unit_id, staff_id, role, duty, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, unitID, staffID, role, duty, database.Now()).Scan(&id)
		if err != nil {
			return audit.Entry{}, fmt.Errorf("org: insert leader: %w", err)
		}
		after, err := scanLeader(tx.QueryRowContext(ctx, leaderQuery+` WHERE l.unit_id = $1 AND l.id = $2`, unitID, id))
		return audit.Entry{UnitID: unitID, Action: "create", Entity: "leader", EntityID: id, After: after}, err
	})
	return id, err
}

// RemoveLeader takes a member out of the leading group.
func (s *Store) RemoveLeader(ctx context.Context, actor audit.Actor, unitID, id int64) error {
	return s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		before, err := scanLeader(tx.QueryRowContext(ctx, leaderQuery+` WHERE l.unit_id = $1 AND l.id = $2`, unitID, id))
		if err != nil {
			return audit.Entry{}, notFound(err, "leader")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM leading_group WHERE unit_id = $1 AND id = $2`, unitID, id); err != nil {
			return audit.Entry{}, fmt.Errorf("org: delete leader: %w", err)
		}
		return audit.Entry{UnitID: unitID, Action: "delete", Entity: "leader", EntityID: id, Before: before}, nil
	})
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
