package attendance

import (
	"context"
	"fmt"
	"time"

	"wuliang/internal/database"
)

// PostStatus is one person of a department at a moment.
type PostStatus struct {
	StaffID  int64  `json:"staff_id"`
	Name     string `json:"name"`
	Post     string `json:"post"`
	Away     *Note  `json:"away,omitempty"`
	Covering []Note `json:"covering,omitempty"` // colleagues this person stands in for
}

// DepartmentStatus is who is at post in one department.
type DepartmentStatus struct {
	ID       int64        `json:"id"`
	Name     string       `json:"name"`
	WindowNo string       `json:"window_no"`
	Kind     string       `json:"kind"`
	People   []PostStatus `json:"people"`
}

// AtPost counts the people not away.
func (d DepartmentStatus) AtPost() int {
	n := 0
	for _, p := range d.People {
		if p.Away == nil {
			n++
		}
	}
	return n
}

// Status returns, for each active department of the unit, who is at post
// at moment t, who is away and where, and who covers.
func (s *Store) Status(ctx context.Context, unitID int64, t time.Time) ([]DepartmentStatus, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.name, d.window_no, d.kind, s.id, s.name, s.post
		FROM departments d JOIN staff s ON s.department_id = d.id AND s.unit_id = d.unit_id AND s.active = TRUE
		WHERE d.unit_id = $1 AND d.active = TRUE ORDER BY d.sort_order, d.id, s.id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("attendance: status: %w", err)
	}
	var out []DepartmentStatus
	index := map[int64]*PostStatus{}
	type row struct {
		d DepartmentStatus
		p PostStatus
	}
	list, err := database.Collect(rows, func(r database.Scanner) (row, error) {
		var x row
		err := r.Scan(&x.d.ID, &x.d.Name, &x.d.WindowNo, &x.d.Kind, &x.p.StaffID, &x.p.Name, &x.p.Post)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	for _, x := range list {
		if len(out) == 0 || out[len(out)-1].ID != x.d.ID {
			out = append(out, x.d)
		}
		d := &out[len(out)-1]
		d.People = append(d.People, x.p)
	}
	for i := range out {
		for j := range out[i].People {
			index[out[i].People[j].StaffID] = &out[i].People[j]
		}
	}
	nrows, err := s.db.QueryContext(ctx, noteQuery+` WHERE w.unit_id = $1 AND w.starts_at <= $2 AND w.ends_at > $2`, unitID, t.UTC())
	if err != nil {
		return nil, fmt.Errorf("attendance: notes now: %w", err)
	}
	notes, err := database.Collect(nrows, scanNote)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		if p := index[n.StaffID]; p != nil {
			p.Away = &n
		}
		if c := index[n.CoverID]; c != nil {
			c.Covering = append(c.Covering, n)
		}
	}
	return out, nil
}
