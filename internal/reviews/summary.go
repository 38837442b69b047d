package reviews

import (
	"context"
	"fmt"
	"time"

	"wuliang/internal/database"
)

// Named is a person named in the public summary of a month.
type Named struct {
	StaffID int64  `json:"staff_id"`
	Month   string `json:"month"`
	Name    string `json:"name"`
	Window  string `json:"window,omitempty"`
	Remark  string `json:"remark"`
	Note    string `json:"note,omitempty"` // the words of praise; a reminder is named only
}

// Public returns the latest published months' praised people and, if the
// unit chooses, those reminded. Criticism and grades stay inside.
func (s *Store) Public(ctx context.Context, unitID int64, months int) ([]Named, error) {
	st, err := s.Settings(ctx, unitID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.staff_id, m.month, s.name, COALESCE(d.name, ''), e.remark, CASE WHEN e.remark = 'praise' THEN e.remark_note ELSE '' END
		FROM review_entries e
		JOIN review_meetings m ON m.id = e.meeting_id AND m.unit_id = e.unit_id
		JOIN staff s ON s.id = e.staff_id AND s.unit_id = e.unit_id
		LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id
		WHERE e.unit_id = $1 AND m.published_at IS NOT NULL AND (e.remark = 'praise' OR (e.remark = 'remind' AND $2))
		AND m.month IN (SELECT DISTINCT month FROM review_meetings WHERE unit_id = $1 AND published_at IS NOT NULL ORDER BY month DESC LIMIT $3)
		ORDER BY m.month DESC, e.remark, d.name, s.name`, unitID, st.PublishReminded, max(1, months))
	if err != nil {
		return nil, fmt.Errorf("reviews: public: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Named, error) {
		var n Named
		err := r.Scan(&n.StaffID, &n.Month, &n.Name, &n.Window, &n.Remark, &n.Note)
		return n, err
	})
}

// Guided is a person listed for targeted guidance.
type Guided struct {
	StaffID int64    `json:"staff_id"`
	Name    string   `json:"name"`
	Window  string   `json:"window,omitempty"`
	Months  []string `json:"months"` // the months with a 差
}

// Guidance lists the people with a 差 in at least GuidancePoor of the
// GuidanceMonths months up to and including month (published meetings
// only). A month counts once however many dimensions were 差 in it.
func (s *Store) Guidance(ctx context.Context, unitID int64, month time.Time) ([]Guided, error) {
	from := month.AddDate(0, 1-GuidanceMonths, 0).Format("2006-01")
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT e.staff_id, s.name, COALESCE(d.name, ''), m.month
		FROM review_entries e
		JOIN review_meetings m ON m.id = e.meeting_id AND m.unit_id = e.unit_id
		JOIN staff s ON s.id = e.staff_id AND s.unit_id = e.unit_id
		LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id
		WHERE e.unit_id = $1 AND m.published_at IS NOT NULL AND m.month >= $2 AND m.month <= $3
		AND (e.attitude = 1 OR e.quality = 1 OR e.efficiency = 1 OR e.discipline = 1)
		ORDER BY e.staff_id, m.month`, unitID, from, month.Format("2006-01"))
	if err != nil {
		return nil, fmt.Errorf("reviews: guidance: %w", err)
	}
	type row struct {
		Guided
		month string
	}
	list, err := database.Collect(rows, func(r database.Scanner) (row, error) {
		var x row
		err := r.Scan(&x.StaffID, &x.Name, &x.Window, &x.month)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	var out []Guided
	for i := 0; i < len(list); {
		g := list[i].Guided
		for ; i < len(list) && list[i].StaffID == g.StaffID; i++ {
			g.Months = append(g.Months, list[i].month)
		}
		if len(g.Months) >= GuidancePoor {
			out = append(out, g)
		}
	}
	return out, nil
}
