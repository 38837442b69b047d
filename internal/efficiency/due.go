package efficiency

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/period"
)

// DueCase is one case behind an on-time rate: completed in the period, or
// past its deadline and still open when the period ended.
type DueCase struct {
	ID           int64     `json:"id"`
	StaffID      int64     `json:"staff_id"` // the handler
	DepartmentID int64     `json:"window_id,omitempty"`
	No           string    `json:"no"`
	At           time.Time `json:"at"` // completed, or went overdue
	OnTime       bool      `json:"on_time"`
	Open         bool      `json:"open"`
}

// Due lists the cases that count in the period's on-time rates, each
// with its handler and window: completed in the period, or past their
// deadline and still open at its end — the cases the report's Completed
// and OpenOverdue count.
func (s *Store) Due(ctx context.Context, unitID int64, p period.Period) ([]DueCase, error) {
	from, to := p.From.UTC(), p.To.UTC()
	rows, err := s.db.QueryContext(ctx, `SELECT id, handler_id, COALESCE(department_id, 0), no, completed_at, overdue_at, deadline FROM cases
		WHERE unit_id = $1 AND ((completed_at >= $2 AND completed_at < $3 AND accepted_at IS NOT NULL)
		OR (overdue_at < $3 AND (completed_at IS NULL OR completed_at >= $3) AND state NOT IN ('withdrawn', 'refused')))
		ORDER BY COALESCE(completed_at, overdue_at), id`, unitID, from, to)
	if err != nil {
		return nil, fmt.Errorf("efficiency: due cases: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (DueCase, error) {
		var c DueCase
		var completed, overdue, deadline sql.NullTime
		err := r.Scan(&c.ID, &c.StaffID, &c.DepartmentID, &c.No, &completed, &overdue, &deadline)
		switch {
		case completed.Valid && !completed.Time.Before(from) && completed.Time.Before(to):
			c.At = completed.Time
			c.OnTime = !overdue.Valid && deadline.Valid && !completed.Time.After(deadline.Time)
		case overdue.Valid:
			c.At, c.Open = overdue.Time, true
		}
		return c, err
	})
}

// Breach is one request for materials that broke 一次性告知 (the list
// had to grow after the first notice).
type Breach struct {
	CaseID       int64     `json:"case_id"`
	StaffID      int64     `json:"staff_id"`            // the handler
	DepartmentID int64     `json:"window_id,omitempty"` // the handler's window
	No           string    `json:"no"`
	At           time.Time `json:"at"`
}

// Breaches lists the period's breaches, each with its handler and the
// handler's window, as the report counts them.
func (s *Store) Breaches(ctx context.Context, unitID int64, p period.Period) ([]Breach, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT n.case_id, n.handler_id, COALESCE(st.department_id, 0), c.no, n.created_at FROM case_notices n
		JOIN staff st ON st.id = n.handler_id AND st.unit_id = n.unit_id
		JOIN cases c ON c.id = n.case_id AND c.unit_id = n.unit_id
		WHERE n.unit_id = $1 AND n.breach = TRUE AND n.created_at >= $2 AND n.created_at < $3 ORDER BY n.created_at, n.id`,
		unitID, p.From.UTC(), p.To.UTC())
	if err != nil {
		return nil, fmt.Errorf("efficiency: breaches: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Breach, error) {
		var b Breach
		return b, r.Scan(&b.CaseID, &b.StaffID, &b.DepartmentID, &b.No, &b.At)
	})
}
