package efficiency

import (
	"context"
	"fmt"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/period"
)

// Load is the number of cases registered in each hour of each weekday,
// Monday first, in the unit's zone: when the hall is busy.
type Load [7][24]int

// Hours returns the range of hours that saw any case, for a chart that
// leaves out the night; 8 to 18 when none did.
func (l Load) Hours() (from, to int) {
	from, to = 24, -1
	for _, day := range l {
		for h, n := range day {
			if n > 0 {
				from, to = min(from, h), max(to, h)
			}
		}
	}
	if to < 0 {
		return 8, 18
	}
	return from, to + 1
}

// Load counts the period's cases by weekday and hour of registration.
func (s *Store) Load(ctx context.Context, unitID int64, p period.Period) (Load, error) {
	var l Load
	sc, err := s.cases.Schedule(ctx, unitID)
	if err != nil {
		return l, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT created_at FROM cases WHERE unit_id = $1 AND created_at >= $2 AND created_at < $3`,
		unitID, p.From.UTC(), p.To.UTC())
	if err != nil {
		return l, fmt.Errorf("efficiency: load: %w", err)
	}
	times, err := database.Collect(rows, func(r database.Scanner) (time.Time, error) {
		var t time.Time
		err := r.Scan(&t)
		return t, err
	})
	for _, t := range times {
		t = t.In(sc.Location)
		l[(int(t.Weekday())+6)%7][t.Hour()]++
	}
	return l, err
}
