package followup

import (
	"context"
	"fmt"
	"slices"

	"wuliang/internal/database"
	"wuliang/internal/org"
	"wuliang/internal/scoring"
)

// Lagging is one person or window on the office's lagging list, with the
// talks and plans that follow them up.
type Lagging struct {
	Subject   string   `json:"subject"`
	SubjectID int64    `json:"subject_id"`
	Name      string   `json:"name"`
	Lagged    []string `json:"lagged,omitempty"` // the periods they were 后进 in, two running
	Vetoed    string   `json:"vetoed,omitempty"` // the newest period, when it vetoed them
	Vetoes    []string `json:"vetoes,omitempty"`
	Talks     []Talk   `json:"talks"`
	Plans     []Plan   `json:"plans"`
}

// LaggingOf reads the list from published periods, newest first, with
// their results: whoever is 后进 in the newest period and in the one
// before it of the same kind, and whoever the newest vetoed.
func LaggingOf(published []scoring.Frozen) []Lagging {
	if len(published) == 0 {
		return nil
	}
	newest := published[0]
	var before *scoring.Frozen
	for i := 1; i < len(published); i++ {
		if published[i].Scores.Period.Kind == newest.Scores.Period.Kind {
			before = &published[i]
			break
		}
	}
	var out []Lagging
	for _, lv := range []struct {
		level   scoring.Level
		subject string
	}{{scoring.Window, SubjectWindow}, {scoring.Person, SubjectPerson}} {
		for _, r := range newest.Scores.Levels[lv.level] {
			l := Lagging{Subject: lv.subject, SubjectID: r.Subject.ID, Name: r.Subject.Name}
			if r.Tier == scoring.TierLagging && before != nil {
				if prev, ok := before.Scores.Result(lv.level, r.Subject.ID); ok && prev.Tier == scoring.TierLagging {
					l.Lagged = []string{before.Period, newest.Period}
				}
			}
			if r.Vetoed() {
				l.Vetoed, l.Vetoes = newest.Period, r.VetoRules()
			}
			if l.Lagged != nil || l.Vetoed != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

// LaggingList is the office's list with each entry's talks and plans.
func (s *Store) LaggingList(ctx context.Context, unitID int64, published []scoring.Frozen) ([]Lagging, error) {
	list := LaggingOf(published)
	talks, err := s.Talks(ctx, unitID, "", 0)
	if err != nil {
		return nil, err
	}
	plans, err := s.Plans(ctx, unitID, "", 0)
	if err != nil {
		return nil, err
	}
	for i := range list {
		l := &list[i]
		for _, t := range talks {
			if t.Subject == l.Subject && t.SubjectID == l.SubjectID {
				l.Talks = append(l.Talks, t)
			}
		}
		for _, p := range plans {
			if p.Subject == l.Subject && p.SubjectID == l.SubjectID {
				l.Plans = append(l.Plans, p)
			}
		}
	}
	return list, nil
}

// Why a branch is on the weak list.
const (
	WeakLowest      = "lowest"       // the lowest branch total, or 后进
	WeakNoPlan      = "no_plan"      // no approved plan for the year
	WeakPlanOverdue = "plan_overdue" // measures past their date
)

// WeakBranch is a branch the office should guide, with its visits.
type WeakBranch struct {
	BranchID int64    `json:"branch_id"`
	Name     string   `json:"name"`
	Total    *float64 `json:"total,omitempty"`
	Reasons  []string `json:"reasons"`
	Visits   []Visit  `json:"visits"`
}

// WeakBranches lists the branches whose newest published total is the
// lowest (or 后进), or whose plan for the year is missing, unapproved or
// overdue; today is a date in the unit's zone.
func (s *Store) WeakBranches(ctx context.Context, unitID int64, branches []org.Branch, newest *scoring.Frozen, year int, today string) ([]WeakBranch, error) {
	plans, err := s.BranchPlans(ctx, unitID, year)
	if err != nil {
		return nil, err
	}
	visits, err := s.Visits(ctx, unitID, 0)
	if err != nil {
		return nil, err
	}
	lowest := map[int64]float64{}
	if newest != nil {
		results := newest.Scores.Levels[scoring.Branch]
		min := -1.0
		for _, r := range results {
			if r.Rank > 0 && (min < 0 || r.Total < min) {
				min = r.Total
			}
		}
		for _, r := range results {
			if r.Rank > 0 && (r.Total == min || r.Tier == scoring.TierLagging) {
				lowest[r.Subject.ID] = r.Total
			}
		}
	}
	var out []WeakBranch
	for _, b := range branches {
		if !b.Active {
			continue
		}
		w := WeakBranch{BranchID: b.ID, Name: b.Name}
		if t, ok := lowest[b.ID]; ok {
			w.Total = &t
			w.Reasons = append(w.Reasons, WeakLowest)
		}
		i := slices.IndexFunc(plans, func(p BranchPlan) bool { return p.BranchID == b.ID })
		switch {
		case i < 0 || plans[i].State != BranchApproved:
			w.Reasons = append(w.Reasons, WeakNoPlan)
		case plans[i].OverdueMeasures(today) > 0:
			w.Reasons = append(w.Reasons, WeakPlanOverdue)
		}
		if len(w.Reasons) == 0 {
			continue
		}
		for _, v := range visits {
			if v.BranchID == b.ID {
				w.Visits = append(w.Visits, v)
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// Overdue is a step past its date, with what it belongs to.
type Overdue struct {
	Step  Step   `json:"step"`
	Label string `json:"label"` // the plan's person, the branch, the visit's place and date
	Kind  string `json:"kind"`  // the visit's kind, for a visit's fix
}

// Overdue lists every step past its date and not done: the fixes of
// inspections, the measures of branch plans, the steps of improvement
// plans still open. today is a date in the unit's zone.
func (s *Store) Overdue(ctx context.Context, unitID int64, today string) ([]Overdue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT st.id, st.owner, st.owner_id, st.what, st.who, st.due_on, st.done_on, st.note,
		COALESCE(p.name, b.name, vb.name || ' ' || v.visited_on, vd.name || ' ' || v.visited_on, v.visited_on, ''), COALESCE(v.kind, '')
		FROM followup_steps st
		LEFT JOIN improvement_plans p ON st.owner = 'plan' AND p.id = st.owner_id AND p.unit_id = st.unit_id
		LEFT JOIN branch_plans bp ON st.owner = 'branch_plan' AND bp.id = st.owner_id AND bp.unit_id = st.unit_id
		LEFT JOIN branches b ON b.id = bp.branch_id AND b.unit_id = st.unit_id
		LEFT JOIN visits v ON st.owner = 'visit' AND v.id = st.owner_id AND v.unit_id = st.unit_id
		LEFT JOIN branches vb ON vb.id = v.branch_id AND vb.unit_id = st.unit_id
		LEFT JOIN departments vd ON vd.id = v.department_id AND vd.unit_id = st.unit_id
		WHERE st.unit_id = $1 AND st.done_on = '' AND st.due_on < $2 AND (p.id IS NULL OR p.state = 'open')
		ORDER BY st.due_on, st.id`, unitID, today)
	if err != nil {
		return nil, fmt.Errorf("followup: overdue: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Overdue, error) {
		var o Overdue
		st := &o.Step
		return o, r.Scan(&st.ID, &st.Owner, &st.OwnerID, &st.What, &st.Who, &st.DueOn, &st.DoneOn, &st.Note, &o.Label, &o.Kind)
	})
}
