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

// Due lists the cases a person handled (staffID) or a window held
// (deptID) that count in the period's on-time rate, the same cases the
// report's Completed and OpenOverdue count.
func (s *Store) Due(ctx context.Context, unitID int64, p period.Period, staffID, deptID int64) ([]DueCase, error) {
	w := database.NewWhere(` WHERE unit_id = ?`, unitID)
	if staffID != 0 {
		w.Add(` AND handler_id = ?`, staffID)
	}
	if deptID != 0 {
		w.Add(` AND department_id = ?`, deptID)
	}
	from, to := p.From.UTC(), p.To.UTC()
	q, args := w.SQL(), w.Args()
	n := len(args)
	q = fmt.Sprintf(`SELECT id, handler_id, COALESCE(department_id, 0), no, completed_at, overdue_at, deadline FROM cases%s AND (
		(completed_at >= $%d AND completed_at < $%d AND accepted_at IS NOT NULL)
		OR (overdue_at < $%d AND (completed_at IS NULL OR completed_at >= $%d) AND state NOT IN ('withdrawn', 'refused')))
		ORDER BY COALESCE(completed_at, overdue_at), id`, q, n+1, n+2, n+2, n+2)
	rows, err := s.db.QueryContext(ctx, q, append(args, from, to)...)
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

// Breaches lists the period's breaches of a person (staffID) or a window
// (deptID, the window the handler serves in), as the report counts them.
func (s *Store) Breaches(ctx context.Context, unitID int64, p period.Period, staffID, deptID int64) ([]Breach, error) {
	w := database.NewWhere(` WHERE n.unit_id = ? AND n.breach = TRUE AND n.created_at >= ?`, unitID, p.From.UTC())
	w.Add(` AND n.created_at < ?`, p.To.UTC())
	if staffID != 0 {
		w.Add(` AND n.handler_id = ?`, staffID)
	}
	if deptID != 0 {
		w.Add(` AND st.department_id = ?`, deptID)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT n.case_id, n.handler_id, COALESCE(st.department_id, 0), c.no, n.created_at FROM case_notices n
		JOIN staff st ON st.id = n.handler_id AND st.unit_id = n.unit_id
		JOIN cases c ON c.id = n.case_id AND c.unit_id = n.unit_id`+w.SQL()+` ORDER BY n.created_at, n.id`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("efficiency: breaches: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Breach, error) {
		var b Breach
		return b, r.Scan(&b.CaseID, &b.StaffID, &b.DepartmentID, &b.No, &b.At)
	})
}
