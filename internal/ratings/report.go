package ratings

import (
	"context"
	"fmt"
	"sort"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/rectification"
)

// Figures are the published measures of one window, person or the unit
// over a period, as the national evaluation standards (GB/T 39734/39735)
// use them; each formula is in docs/features.md.
type Figures struct {
	Count       int `json:"count"`       // valid ratings given in the period
	Good        int `json:"good"`        // 非常满意 and 满意
	Bad         int `json:"bad"`         // 不满意 and 非常不满意
	Completed   int `json:"completed"`   // cases completed in the period
	Rated       int `json:"rated"`       // of those, rated
	Contacted   int `json:"contacted"`   // bad ratings verified (the rater contacted)
	Rectified   int `json:"rectified"`   // bad ratings rectified
	OnTime      int `json:"on_time"`     // rectified within the periods
	FollowedUp  int `json:"followed_up"` // follow-ups with an answer of the rater
	SatisfiedFU int `json:"satisfied"`   // of those, satisfied or fairly satisfied
	Defaults    int `json:"defaults"`    // default ratings (counted, but not as rated)
	Origins         // where the counted ratings came from
	Weighed     `json:"-"`
}

// Weighed sums ratings by their weight, in percent: a case's rating counts
// 100, an unverified one the unit's weight.
type Weighed struct {
	All, Good int
}

func (w Weighed) rate() string { return pct(w.Good, w.All) }

func (w *Weighed) count(level, weight int) {
	w.All += weight
	if level >= Satisfied {
		w.Good += weight
	}
}

var pct = locale.Percent

// GoodRate is 好评率 = weighted good ÷ weighted count.
func (f Figures) GoodRate() string { return f.rate() }

// RatedRate is 评价率 = rated ÷ completed; 未评率 is its complement.
func (f Figures) RatedRate() string { return pct(f.Rated, f.Completed) }

// UnratedRate is 未评率 = (completed − rated) ÷ completed.
func (f Figures) UnratedRate() string { return pct(f.Completed-f.Rated, f.Completed) }

// ReplyRate is 差评回复率 = contacted ÷ bad.
func (f Figures) ReplyRate() string { return pct(f.Contacted, f.Bad) }

// RectifiedRate is 整改率 = rectified ÷ bad.
func (f Figures) RectifiedRate() string { return pct(f.Rectified, f.Bad) }

// OnTimeRate is 按期整改率 = rectified within the periods ÷ rectified.
func (f Figures) OnTimeRate() string { return pct(f.OnTime, f.Rectified) }

// FollowupRate is 回访整改满意率 = satisfied or fairly satisfied ÷ follow-ups answered.
func (f Figures) FollowupRate() string { return pct(f.SatisfiedFU, f.FollowedUp) }

func (f *Figures) add(g Figures) {
	f.Count += g.Count
	f.Good += g.Good
	f.Bad += g.Bad
	f.Completed += g.Completed
	f.Rated += g.Rated
	f.Contacted += g.Contacted
	f.Rectified += g.Rectified
	f.OnTime += g.OnTime
	f.FollowedUp += g.FollowedUp
	f.SatisfiedFU += g.SatisfiedFU
	f.Defaults += g.Defaults
	f.Origins.add(g.Origins)
	f.Weighed.All += g.Weighed.All
	f.Weighed.Good += g.Weighed.Good
}

// ReportRow is one window or person.
type ReportRow struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Window string `json:"window,omitempty"`
	Figures
}

// Report is a period's figures per window, per person and for the unit.
type Report struct {
	Windows []ReportRow `json:"windows"`
	People  []ReportRow `json:"people"`
	Total   Figures     `json:"total"`
}

type fact struct {
	staff, dept int64
	f           Figures
}

// Report computes the period [from, to).
func (s *Store) Report(ctx context.Context, unitID int64, from, to time.Time) (Report, error) {
	days, err := s.Days(ctx, unitID)
	if err != nil {
		return Report{}, err
	}
	handled, err := rectification.RatingOutcomes(ctx, s.db, unitID, from, to)
	if err != nil {
		return Report{}, err
	}
	// The ratings by person, window, level, weight and channel: one row
	// for many ratings, whatever the unit's size.
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(r.staff_id, 0), COALESCE(r.department_id, 0), r.level, r.verified,
		r.channel, count(*)
		FROM ratings r WHERE r.unit_id = $1 AND r.valid = TRUE AND r.created_at >= $2 AND r.created_at < $3
		GROUP BY r.level, r.verified, r.channel, r.staff_id, r.department_id`, unitID, from.UTC(), to.UTC())
	if err != nil {
		return Report{}, fmt.Errorf("ratings: report: %w", err)
	}
	facts, err := database.Collect(rows, func(r database.Scanner) (fact, error) {
		var x fact
		var level, n int
		var byCase bool
		var channel string
		err := r.Scan(&x.staff, &x.dept, &level, &byCase, &channel, &n)
		w := weight(byCase, days)
		x.f.Count, x.f.Weighed.All = n, w*n
		x.f.Origins.tally(originOf(byCase, channel), n)
		if level >= Satisfied {
			x.f.Good, x.f.Weighed.Good = n, w*n
		}
		if Bad(level) {
			x.f.Bad = n
		}
		if channel == ChannelDefault {
			x.f.Defaults = n
		}
		return x, err
	})
	if err != nil {
		return Report{}, err
	}
	// The bad ones one by one, for what their 整改 came to.
	rows, err = s.db.QueryContext(ctx, `SELECT r.id, COALESCE(r.staff_id, 0), COALESCE(r.department_id, 0) FROM ratings r
		WHERE r.unit_id = $1 AND r.valid = TRUE AND r.created_at >= $2 AND r.created_at < $3 AND r.level <= $4`,
		unitID, from.UTC(), to.UTC(), Dissatisfied)
	if err != nil {
		return Report{}, fmt.Errorf("ratings: report bad: %w", err)
	}
	outcomes, err := database.Collect(rows, func(r database.Scanner) (fact, error) {
		var x fact
		var id int64
		err := r.Scan(&id, &x.staff, &x.dept)
		o := handled[id]
		if o.Contacted {
			x.f.Contacted = 1
		}
		if o.Rectified {
			x.f.Rectified = 1
		}
		if o.OnTime {
			x.f.OnTime = 1
		}
		switch o.Answer {
		case "satisfied", "basically":
			x.f.FollowedUp, x.f.SatisfiedFU = 1, 1
		case "unsatisfied":
			x.f.FollowedUp = 1
		}
		return x, err
	})
	if err != nil {
		return Report{}, err
	}
	facts = append(facts, outcomes...)
	// A join, not a subquery per case, so PostgreSQL hashes it; a case has
	// at most one rating that is not a follow-up (ratings_one_per_case), so
	// the join adds no rows.
	rows, err = s.db.QueryContext(ctx, `SELECT c.handler_id, COALESCE(c.department_id, 0), count(*), count(r.case_id)
		FROM cases c LEFT JOIN ratings r ON r.case_id = c.id AND r.followup = FALSE AND r.channel <> 'default'
		WHERE c.unit_id = $1 AND c.completed_at >= $2 AND c.completed_at < $3 GROUP BY c.handler_id, c.department_id`, unitID, from.UTC(), to.UTC())
	if err != nil {
		return Report{}, fmt.Errorf("ratings: report cases: %w", err)
	}
	done, err := database.Collect(rows, func(r database.Scanner) (fact, error) {
		var x fact
		err := r.Scan(&x.staff, &x.dept, &x.f.Completed, &x.f.Rated)
		return x, err
	})
	if err != nil {
		return Report{}, err
	}
	return s.assemble(ctx, unitID, append(facts, done...))
}

// weight is a rating's weight in percent: whole for a case's, the unit's
// weight for one nobody can tie to a case.
func weight(byCase bool, d Days) int {
	if byCase {
		return 100
	}
	return d.UnverifiedWeight
}

func (s *Store) assemble(ctx context.Context, unitID int64, facts []fact) (Report, error) {
	var rep Report
	names := map[int64]ReportRow{}
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, s.name, COALESCE(d.name, '') FROM staff s
		LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id WHERE s.unit_id = $1`, unitID)
	if err != nil {
		return rep, fmt.Errorf("ratings: report people: %w", err)
	}
	people, err := database.Collect(rows, func(r database.Scanner) (ReportRow, error) {
		var p ReportRow
		err := r.Scan(&p.ID, &p.Name, &p.Window)
		return p, err
	})
	if err != nil {
		return rep, err
	}
	for _, p := range people {
		names[p.ID] = p
	}
	windows, err := org.Windows(ctx, s.db, unitID)
	if err != nil {
		return rep, fmt.Errorf("ratings: report: %w", err)
	}
	for _, w := range windows {
		rep.Windows = append(rep.Windows, ReportRow{ID: w.ID, Name: w.Name})
	}
	byWindow := map[int64]*ReportRow{}
	for i := range rep.Windows {
		byWindow[rep.Windows[i].ID] = &rep.Windows[i]
	}
	byPerson := map[int64]*ReportRow{}
	for _, x := range facts {
		rep.Total.add(x.f)
		if w := byWindow[x.dept]; w != nil {
			w.add(x.f)
		}
		if x.staff == 0 {
			continue
		}
		if byPerson[x.staff] == nil {
			row := names[x.staff]
			byPerson[x.staff] = &row
		}
		byPerson[x.staff].add(x.f)
	}
	for _, p := range byPerson {
		rep.People = append(rep.People, *p)
	}
	sort.Slice(rep.People, func(i, j int) bool {
		if rep.People[i].Window != rep.People[j].Window {
			return rep.People[i].Window < rep.People[j].Window
		}
		return rep.People[i].Name < rep.People[j].Name
	})
	return rep, nil
}
