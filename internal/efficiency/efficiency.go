// Package efficiency computes the figures of 效能公示 for each window and
// person over a month or a quarter: cases registered, accepted and
// completed, the on-time rate, the average working days to complete,
// overdue cases, one-time-notice breaches and spot-check absences. It only
// reads the facts other packages wrote.
package efficiency

import (
	"context"
	"fmt"
	"sort"
	"time"

	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
)

// Figures are the disclosed numbers of one window or person.
type Figures struct {
	Registered  int `json:"registered"`
	Accepted    int `json:"accepted"`
	Completed   int `json:"completed"`
	OnTime      int `json:"completed_on_time"`
	WorkingDays int `json:"-"` // summed over completed cases
	Overdue     int `json:"overdue"`
	// OpenOverdue are cases past their deadline and still not completed
	// when the period ends, whenever they went overdue.
	OpenOverdue int `json:"open_overdue"`
	Breaches    int `json:"notice_breaches"`
	Absences    int `json:"spot_check_absences"`
}

// Due are the cases whose time is up: those completed, and those past
// their deadline and still open. An overdue case still open counts against
// the on-time rate at once, not only when it is at last completed, or a
// window with cases stuck past their deadline would show 100 %.
func (f Figures) Due() int { return f.Completed + f.OpenOverdue }

// OnTimeRate is the share of due cases completed on time, in percent; "—"
// when none was due. The 五创 score's 按时办结率 is the same share.
func (f Figures) OnTimeRate() string {
	return locale.Percent(f.OnTime, f.Due())
}

// AverageDays is the mean working days from acceptance to completion, the
// clock's pauses (补正) left out; "—" when none was completed.
func (f Figures) AverageDays() string {
	return locale.Mean(float64(f.WorkingDays), f.Completed)
}

func (f *Figures) add(g Figures) {
	f.Registered += g.Registered
	f.Accepted += g.Accepted
	f.Completed += g.Completed
	f.OnTime += g.OnTime
	f.WorkingDays += g.WorkingDays
	f.Overdue += g.Overdue
	f.OpenOverdue += g.OpenOverdue
	f.Breaches += g.Breaches
	f.Absences += g.Absences
}

// Row is one window or person with its figures.
type Row struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Window   string `json:"window,omitempty"`
	WindowNo string `json:"window_no,omitempty"`
	Figures
}

// Report is the disclosure of one period.
type Report struct {
	Period  period.Period
	Windows []Row
	People  []Row
	Total   Figures
}

// Store computes reports.
type Store struct {
	db    *database.DB
	cases *cases.Store
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db, cases: cases.NewStore(db)} }

type fact struct {
	staff, dept int64
	f           Figures
}

// Report computes the figures of every window and of every person with any.
func (s *Store) Report(ctx context.Context, unitID int64, p period.Period) (Report, error) {
	return s.report(ctx, unitID, p, true)
}

// Counts is the part of Report 五创's scores read: cases registered,
// completed and on time, open past their deadline, and notice breaches;
// not acceptances, overdue events, absences (scores read the spot checks
// themselves) or working days, each of which takes a pass over the cases.
func (s *Store) Counts(ctx context.Context, unitID int64, p period.Period) (Report, error) {
	return s.report(ctx, unitID, p, false)
}

func (s *Store) report(ctx context.Context, unitID int64, p period.Period, full bool) (Report, error) {
	from, to := p.From.UTC(), p.To.UTC()
	var facts []fact
	collect := func(q string, scan func(r database.Scanner) (fact, error), args []any) error {
		if args == nil {
			args = []any{unitID, from, to}
		}
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("efficiency: %w", err)
		}
		list, err := database.Collect(rows, scan)
		facts = append(facts, list...)
		return err
	}
	// counted reads (person, window, count) rows into one figure.
	counted := func(set func(*Figures, int)) func(r database.Scanner) (fact, error) {
		return func(r database.Scanner) (fact, error) {
			var x fact
			var n int
			err := r.Scan(&x.staff, &x.dept, &n)
			set(&x.f, n)
			return x, err
		}
	}
	steps := []struct {
		q      string
		scan   func(r database.Scanner) (fact, error)
		args   []any // the unit, the period's start and end when nil
		scores bool  // what Counts reads
	}{
		{`SELECT first_contact_id, COALESCE(department_id, 0), count(*) FROM cases WHERE unit_id = $1 AND created_at >= $2 AND created_at < $3
			GROUP BY first_contact_id, department_id`, counted(func(f *Figures, n int) { f.Registered = n }), nil, true},
		{`SELECT handler_id, COALESCE(department_id, 0), count(*) FROM cases WHERE unit_id = $1 AND accepted_at >= $2 AND accepted_at < $3
			GROUP BY handler_id, department_id`, counted(func(f *Figures, n int) { f.Accepted = n }), nil, false},
		{`SELECT handler_id, COALESCE(department_id, 0), count(*) FROM cases WHERE unit_id = $1 AND overdue_at >= $2 AND overdue_at < $3
			GROUP BY handler_id, department_id`, counted(func(f *Figures, n int) { f.Overdue = n }), nil, false},
		{`SELECT handler_id, COALESCE(department_id, 0), count(*) FROM cases WHERE unit_id = $1 AND overdue_at < $2
			AND (completed_at IS NULL OR completed_at >= $2) AND state NOT IN ('withdrawn', 'refused') GROUP BY handler_id, department_id`,
			counted(func(f *Figures, n int) { f.OpenOverdue = n }), []any{unitID, to}, true},
		{`SELECT n.handler_id, COALESCE(st.department_id, 0), count(*) FROM case_notices n JOIN staff st ON st.id = n.handler_id AND st.unit_id = n.unit_id
			WHERE n.unit_id = $1 AND n.breach = TRUE AND n.created_at >= $2 AND n.created_at < $3 GROUP BY n.handler_id, st.department_id`,
			counted(func(f *Figures, n int) { f.Breaches = n }), nil, true},
		{`SELECT e.staff_id, c.department_id, count(*) FROM spot_check_entries e JOIN spot_checks c ON c.id = e.check_id AND c.unit_id = e.unit_id
			WHERE e.unit_id = $1 AND e.status = 'absent' AND c.checked_at >= $2 AND c.checked_at < $3 GROUP BY e.staff_id, c.department_id`,
			counted(func(f *Figures, n int) { f.Absences = n }), nil, false},
		{`SELECT handler_id, COALESCE(department_id, 0), count(*), COALESCE(SUM(CASE WHEN overdue_at IS NULL AND completed_at <= deadline THEN 1 ELSE 0 END), 0)
			FROM cases WHERE unit_id = $1 AND completed_at >= $2 AND completed_at < $3 AND accepted_at IS NOT NULL GROUP BY handler_id, department_id`,
			func(r database.Scanner) (fact, error) {
				var x fact
				err := r.Scan(&x.staff, &x.dept, &x.f.Completed, &x.f.OnTime)
				return x, err
			}, nil, true},
	}
	for _, st := range steps {
		if !full && !st.scores {
			continue
		}
		if err := collect(st.q, st.scan, st.args); err != nil {
			return Report{}, err
		}
	}
	if full {
		sc, err := s.cases.Schedule(ctx, unitID)
		if err != nil {
			return Report{}, err
		}
		err = collect(`SELECT handler_id, COALESCE(department_id, 0), accepted_at, completed_at, paused_days FROM cases
			WHERE unit_id = $1 AND completed_at >= $2 AND completed_at < $3 AND accepted_at IS NOT NULL`,
			func(r database.Scanner) (fact, error) {
				var x fact
				var accepted, completed time.Time
				var paused int
				err := r.Scan(&x.staff, &x.dept, &accepted, &completed, &paused)
				x.f.WorkingDays = max(sc.Calendar.Between(accepted.In(sc.Location), completed.In(sc.Location))-paused, 0)
				return x, err
			}, nil)
		if err != nil {
			return Report{}, err
		}
	}
	return s.assemble(ctx, unitID, p, facts)
}

// assemble sums the facts per window (every active window, even with no
// case) and per person (everyone with a figure).
func (s *Store) assemble(ctx context.Context, unitID int64, p period.Period, facts []fact) (Report, error) {
	r := Report{Period: p}
	list, err := org.Windows(ctx, s.db, unitID)
	if err != nil {
		return r, fmt.Errorf("efficiency: %w", err)
	}
	windows := make([]Row, len(list))
	for i, w := range list {
		windows[i] = Row{ID: w.ID, Name: w.Name, WindowNo: w.No}
	}
	byWindow := map[int64]*Row{}
	for i := range windows {
		byWindow[windows[i].ID] = &windows[i]
	}
	byPerson := map[int64]*Row{}
	for _, x := range facts {
		r.Total.add(x.f)
		if w := byWindow[x.dept]; w != nil {
			w.add(x.f)
		}
		if byPerson[x.staff] == nil {
			byPerson[x.staff] = &Row{ID: x.staff}
		}
		byPerson[x.staff].add(x.f)
	}
	r.Windows = windows
	if len(byPerson) > 0 {
		prow, err := s.db.QueryContext(ctx, `SELECT s.id, s.name, COALESCE(d.name, ''), COALESCE(d.window_no, '') FROM staff s
			LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id WHERE s.unit_id = $1`, unitID)
		if err != nil {
			return r, fmt.Errorf("efficiency: people: %w", err)
		}
		people, err := database.Collect(prow, func(sc database.Scanner) (Row, error) {
			var p Row
			err := sc.Scan(&p.ID, &p.Name, &p.Window, &p.WindowNo)
			return p, err
		})
		if err != nil {
			return r, err
		}
		for _, p := range people {
			if got := byPerson[p.ID]; got != nil {
				p.Figures = got.Figures
				r.People = append(r.People, p)
			}
		}
	}
	sort.SliceStable(r.People, func(i, j int) bool {
		if r.People[i].Window != r.People[j].Window {
			return r.People[i].WindowNo+r.People[i].Window < r.People[j].WindowNo+r.People[j].Window
		}
		return r.People[i].Completed > r.People[j].Completed
	})
	return r, nil
}
