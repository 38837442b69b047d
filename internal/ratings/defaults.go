package ratings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
)

// MakeDefaults gives the unit's default rating to each completed case whose
// token has expired unrated, when the unit has turned default ratings on.
// Each is marked with ChannelDefault. The unique index on the case makes
// it safe for every server to run; it returns how many it made.
func (s *Store) MakeDefaults(ctx context.Context, unitID int64) (int, error) {
	d, err := s.Days(ctx, unitID)
	if err != nil || d.DefaultLevel == 0 {
		return 0, err
	}
	now := s.now()
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.handler_id, COALESCE(c.department_id, 0) FROM cases c
		WHERE c.unit_id = $1 AND c.state = 'completed' AND c.completed_at < $2
		AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = c.id AND r.followup = FALSE) ORDER BY c.id LIMIT 1000`,
		unitID, now.AddDate(0, 0, -d.Token))
	if err != nil {
		return 0, fmt.Errorf("ratings: unrated cases: %w", err)
	}
	type unrated struct{ id, staff, dept int64 }
	list, err := database.Collect(rows, func(r database.Scanner) (unrated, error) {
		var u unrated
		return u, r.Scan(&u.id, &u.staff, &u.dept)
	})
	if err != nil || len(list) == 0 {
		return 0, err
	}
	made := 0
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		for _, c := range list {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO ratings (unit_id, target, case_id, staff_id, department_id, level, channel, verified, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8) ON CONFLICT (case_id, followup) WHERE case_id IS NOT NULL DO NOTHING RETURNING id`,
				unitID, TargetCase, c.id, database.NullID(c.staff), database.NullID(c.dept), d.DefaultLevel, ChannelDefault, now).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue // another server made it
			}
			if err != nil {
				return fmt.Errorf("ratings: default rating: %w", err)
			}
			made++
			r := Rating{ID: id, Target: TargetCase, CaseID: c.id, StaffID: c.staff, DepartmentID: c.dept, Level: d.DefaultLevel, Reasons: []string{},
				Channel: ChannelDefault, Verified: true, Valid: true, Origin: OriginCase, CreatedAt: now}
			if err := audit.Append(ctx, tx, audit.System, audit.Entry{UnitID: unitID, Action: "create", Entity: "rating", EntityID: id,
				After: map[string]any{"rating": r}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return made, nil
}

// RunDefaults makes default ratings for every unit that turned them on,
// every interval until ctx ends.
func (s *Store) RunDefaults(ctx context.Context, every time.Duration, log interface{ Warn(string, ...any) }) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.defaultsOnce(ctx); err != nil && ctx.Err() == nil {
			log.Warn("default ratings", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Store) defaultsOnce(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT unit_id FROM rating_settings WHERE default_level > 0`)
	if err != nil {
		return fmt.Errorf("ratings: units with default ratings: %w", err)
	}
	units, err := database.Collect(rows, func(r database.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return err
	}
	for _, id := range units {
		if _, err := s.MakeDefaults(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
