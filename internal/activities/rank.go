package activities

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/period"
)

// Tiers of every ranking (先进 / 一般 / 后进).
const (
	TierLeading = "leading"
	TierAverage = "average"
	TierLagging = "lagging"
)

// Score is a person's points in a period on each dimension and in total,
// after caps.
type Score struct {
	Dims  [5]int `json:"-"`
	Total int    `json:"-"`
}

// Of is the score on a dimension or the total.
func (s Score) Of(dim string) int {
	if i := slices.Index(Dimensions, dim); i >= 0 {
		return s.Dims[i]
	}
	return s.Total
}

// sum is one row of the ledger summed by person, kind and month, in that
// order.
type sum struct {
	staff, kind int64
	month       string
	points      int
}

// tally applies the caps to the sums and adds up what falls in the period.
// The sums start in January of the period's year, so the year caps are
// used up in the order the months came. capped, when set, hears of every
// month in the period that a cap cut.
func tally(sums []sum, kinds map[int64]Kind, p period.Period, capped func(r sum, counted int)) map[int64]*Score {
	out := map[int64]*Score{}
	var c capper
	var lastStaff, lastKind int64 = -1, -1
	var dim int
	for _, r := range sums {
		if r.staff != lastStaff || r.kind != lastKind {
			k := kinds[r.kind]
			c = capper{k: k}
			dim = slices.Index(Dimensions, k.Dimension)
			lastStaff, lastKind = r.staff, r.kind
		}
		counted := c.count(r.points)
		if r.month < p.FirstMonth() || r.month > p.LastMonth() || dim < 0 {
			continue
		}
		if capped != nil && counted != r.points {
			capped(r, counted)
		}
		sc := out[r.staff]
		if sc == nil {
			sc = &Score{}
			out[r.staff] = sc
		}
		sc.Dims[dim] += counted
		sc.Total += counted
	}
	return out
}

// Capped is what the caps took off a person's points of one kind in one month.
type Capped struct {
	KindName string `json:"kind"`
	Month    string `json:"month"`
	Raw      int    `json:"raw_centi"`
	Counted  int    `json:"counted_centi"`
}

// scores reads the sums of the period and returns every person's score;
// with staffID set, only theirs, and what the caps took off.
func (s *Store) scores(ctx context.Context, unitID, staffID int64, p period.Period) (map[int64]*Score, []Capped, error) {
	if !p.WholeMonths() {
		return nil, nil, locale.FieldProblem("period", "activities.period_months")
	}
	ks, err := s.Kinds(ctx, unitID)
	if err != nil {
		return nil, nil, err
	}
	kinds := map[int64]Kind{}
	for _, k := range ks {
		kinds[k.ID] = k
	}
	q := `SELECT staff_id, kind_id, month, SUM(points_centi) FROM point_entries WHERE unit_id = $1 AND month >= $2 AND month <= $3`
	args := []any{unitID, p.From.Format("2006") + "-01", p.LastMonth()}
	if staffID != 0 {
		q += ` AND staff_id = $4`
		args = append(args, staffID)
	}
	rows, err := s.db.QueryContext(ctx, q+` GROUP BY staff_id, kind_id, month ORDER BY staff_id, kind_id, month`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("activities: sums: %w", err)
	}
	sums, err := database.Collect(rows, func(r database.Scanner) (sum, error) {
		var x sum
		return x, r.Scan(&x.staff, &x.kind, &x.month, &x.points)
	})
	if err != nil {
		return nil, nil, err
	}
	var capped []Capped
	var note func(sum, int)
	if staffID != 0 {
		note = func(r sum, counted int) {
			capped = append(capped, Capped{KindName: kinds[r.kind].Name, Month: r.month, Raw: r.points, Counted: counted})
		}
	}
	scores := tally(sums, kinds, p, note)
	return scores, capped, nil
}

// Person is one line of a person ranking.
type Person struct {
	StaffID      int64  `json:"staff_id"`
	Name         string `json:"name"`
	WindowID     int64  `json:"window_id,omitempty"`
	Window       string `json:"window,omitempty"`
	BranchID     int64  `json:"branch_id,omitempty"`
	Branch       string `json:"branch,omitempty"`
	Score        Score  `json:"-"`
	Points       int    `json:"points_centi"`
	Rank         int    `json:"rank"`
	RankInBranch int    `json:"rank_in_branch,omitempty"`
	RankInWindow int    `json:"rank_in_window,omitempty"`
	Tier         string `json:"tier"`
}

// Group is one line of a window or branch ranking: the members' total and
// the per-head average it is ranked by.
type Group struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Heads   int    `json:"heads"`
	Total   int    `json:"total_centi"`
	Average int    `json:"average_centi"`
	Rank    int    `json:"rank"`
	Tier    string `json:"tier"`
}

// Ranking is a period's ranking on one dimension or the total.
type Ranking struct {
	Period    period.Period `json:"period"`
	Dimension string        `json:"dimension"`
	Settings  Settings      `json:"tiers"`
	People    []Person      `json:"people"`
	Windows   []Group       `json:"windows"`
	Branches  []Group       `json:"branches"`
}

// Rank ranks the unit's people serving today, and its windows and
// branches, on a dimension (or Total) for a period. See docs/features.md for
// ties, tiers and per-head averages.
func (s *Store) Rank(ctx context.Context, unitID int64, p period.Period, dim string) (Ranking, error) {
	if dim != Total && !slices.Contains(Dimensions, dim) {
		return Ranking{}, locale.FieldProblem("dimension", "activities.dimension_invalid")
	}
	r := Ranking{Period: p, Dimension: dim}
	var err error
	if r.Settings, err = s.Settings(ctx, unitID); err != nil {
		return r, err
	}
	scores, _, err := s.scores(ctx, unitID, 0, p)
	if err != nil {
		return r, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, s.name, COALESCE(s.department_id, 0), COALESCE(d.name, ''), COALESCE(s.branch_id, 0), COALESCE(b.name, '')
		FROM staff s LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id
		LEFT JOIN branches b ON b.id = s.branch_id AND b.unit_id = s.unit_id
		WHERE s.unit_id = $1 AND s.active = TRUE`, unitID)
	if err != nil {
		return r, fmt.Errorf("activities: people: %w", err)
	}
	r.People, err = database.Collect(rows, func(row database.Scanner) (Person, error) {
		var x Person
		return x, row.Scan(&x.StaffID, &x.Name, &x.WindowID, &x.Window, &x.BranchID, &x.Branch)
	})
	if err != nil {
		return r, err
	}
	for i := range r.People {
		if sc := scores[r.People[i].StaffID]; sc != nil {
			r.People[i].Score = *sc
		}
		r.People[i].Points = r.People[i].Score.Of(dim)
	}
	rankPeople(r.People, r.Settings)
	r.Windows = groups(r.People, func(x Person) (int64, string) { return x.WindowID, x.Window }, r.Settings)
	r.Branches = groups(r.People, func(x Person) (int64, string) { return x.BranchID, x.Branch }, r.Settings)
	return r, nil
}

// rankPeople orders people by points, best first (name breaks the order of
// equal points, not their rank), and gives the ranks in the unit, branch
// and window and the tier in the unit.
func rankPeople(people []Person, st Settings) {
	slices.SortFunc(people, func(a, b Person) int {
		return cmp.Or(cmp.Compare(b.Points, a.Points), cmp.Compare(a.Name, b.Name), cmp.Compare(a.StaffID, b.StaffID))
	})
	points := make([]int, len(people))
	for i, x := range people {
		points[i] = x.Points
	}
	ranks, tiers := Ranks(points), Tiers(points, st)
	inBranch, inWindow := map[int64][]int{}, map[int64][]int{}
	for i, x := range people {
		people[i].Rank, people[i].Tier = ranks[i], tiers[i]
		if x.BranchID != 0 {
			inBranch[x.BranchID] = append(inBranch[x.BranchID], i)
		}
		if x.WindowID != 0 {
			inWindow[x.WindowID] = append(inWindow[x.WindowID], i)
		}
	}
	within := func(groups map[int64][]int, set func(*Person, int)) {
		for _, idx := range groups {
			pts := make([]int, len(idx))
			for j, i := range idx {
				pts[j] = people[i].Points
			}
			for j, rk := range Ranks(pts) {
				set(&people[idx[j]], rk)
			}
		}
	}
	within(inBranch, func(x *Person, rk int) { x.RankInBranch = rk })
	within(inWindow, func(x *Person, rk int) { x.RankInWindow = rk })
}

// groups sums people into their windows or branches and ranks those by the
// per-head average, so a big window does not win by its size.
func groups(people []Person, of func(Person) (int64, string), st Settings) []Group {
	byID := map[int64]*Group{}
	var out []*Group
	for _, x := range people {
		id, name := of(x)
		if id == 0 {
			continue
		}
		g := byID[id]
		if g == nil {
			g = &Group{ID: id, Name: name}
			byID[id] = g
			out = append(out, g)
		}
		g.Heads++
		g.Total += x.Points
	}
	list := make([]Group, len(out))
	for i, g := range out {
		g.Average = roundDiv(g.Total, g.Heads)
		list[i] = *g
	}
	slices.SortFunc(list, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Average, a.Average), cmp.Compare(a.Name, b.Name))
	})
	avgs := make([]int, len(list))
	for i, g := range list {
		avgs[i] = g.Average
	}
	ranks, tiers := Ranks(avgs), Tiers(avgs, st)
	for i := range list {
		list[i].Rank, list[i].Tier = ranks[i], tiers[i]
	}
	return list
}

// Ranks gives standard competition ranks ("1224") to scores sorted best
// first: equal scores share a rank, and the next rank skips as many places
// as shared it.
func Ranks(sorted []int) []int {
	ranks := make([]int, len(sorted))
	for i := range sorted {
		if i > 0 && sorted[i] == sorted[i-1] {
			ranks[i] = ranks[i-1]
		} else {
			ranks[i] = i + 1
		}
	}
	return ranks
}

// Tiers marks scores sorted best first as leading, average or lagging. The
// leading tier is the first ⌊n × leading %⌋ places and the lagging tier the
// last ⌊n × lagging %⌋. A line never cuts a tie: when it would, it moves
// toward the edge, so all the tied people stay average and no tier is ever
// larger than its share. When everyone has the same points, everyone is
// average.
func Tiers(sorted []int, st Settings) []string {
	n := len(sorted)
	out := make([]string, n)
	for i := range out {
		out[i] = TierAverage
	}
	lead := n * st.LeadingPct / 100
	for lead > 0 && lead < n && sorted[lead-1] == sorted[lead] {
		lead--
	}
	for i := range lead {
		out[i] = TierLeading
	}
	lag := n - n*st.LaggingPct/100 // first lagging index
	for lag < n && lag > 0 && sorted[lag-1] == sorted[lag] {
		lag++
	}
	for i := max(lag, lead); i < n; i++ {
		out[i] = TierLagging
	}
	return out
}

// Explain is how a person earned their points in a period.
type Explain struct {
	Period  period.Period `json:"period"`
	Score   Score         `json:"-"`
	Entries []Entry       `json:"entries"`
	Capped  []Capped      `json:"capped,omitempty"`
}

// Explain returns a person's ledger of a period, their score on each
// dimension, and what the caps took off.
func (s *Store) Explain(ctx context.Context, unitID, staffID int64, p period.Period) (Explain, error) {
	x := Explain{Period: p}
	scores, capped, err := s.scores(ctx, unitID, staffID, p)
	if err != nil {
		return x, err
	}
	if sc := scores[staffID]; sc != nil {
		x.Score = *sc
	}
	x.Capped = capped
	x.Entries, err = s.Entries(ctx, unitID, staffID, p)
	return x, err
}
