package scoring

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"wuliang/internal/org"
	"wuliang/internal/period"
)

// Directory is what scoring needs of the organisation: who serves, the
// windows, the branches.
type Directory interface {
	StaffList(ctx context.Context, unitID int64, f org.StaffFilter) ([]org.Staff, int, error)
	Departments(ctx context.Context, unitID int64) ([]org.Department, error)
	Branches(ctx context.Context, unitID int64) ([]org.Branch, error)
}

// Scorer scores a unit's period with the scheme in force.
type Scorer struct {
	Schemes *Store
	Org     Directory
	Sources []Source
}

// Scores are one period's results at every level of the scheme.
type Scores struct {
	Period        period.Period      `json:"period"`
	SchemeVersion int                `json:"scheme_version"`
	Scheme        Scheme             `json:"scheme"`
	Levels        map[Level][]Result `json:"levels"`
	// Unsourced are indicators the scheme weighs that no source offers
	// yet: every subject shows them as 无数据, never as a silent zero.
	Unsourced []string `json:"unsourced,omitempty"`
	// Inputs and Hits are what the results were computed from, kept with
	// a frozen period so it can be recomputed (what-if) and checked.
	Inputs map[Level]Values    `json:"inputs"`
	Hits   map[Level][]VetoHit `json:"hits,omitempty"`
	// Facts are the dated facts behind each subject's values, by level,
	// subject and indicator: kept with a frozen version (WithFacts).
	Facts map[Level]map[int64]map[string][]FactRef `json:"facts,omitempty"`
}

// Result finds a subject's result.
func (s Scores) Result(level Level, id int64) (Result, bool) {
	for _, r := range s.Levels[level] {
		if r.Subject.ID == id {
			return r, true
		}
	}
	return Result{}, false
}

// LevelScheme is the formula the scores used for a level.
func (s Scores) LevelScheme(level Level) (LevelScheme, bool) {
	for _, ls := range s.Scheme.Levels {
		if ls.Level == level {
			return ls, true
		}
	}
	return LevelScheme{}, false
}

// Recompute scores the same inputs with another scheme: the office's
// what-if on a frozen period. Subjects keep their order and names.
func Recompute(in Scores, sc Scheme) Scores {
	out := in
	out.Scheme, out.Levels = sc, map[Level][]Result{}
	for _, ls := range sc.Levels {
		var subjects []Subject
		for _, r := range in.Levels[ls.Level] {
			subjects = append(subjects, r.Subject)
		}
		out.Levels[ls.Level] = Compute(ls, Indicators, sc.Vetoes, sc.Tiers,
			Input{Subjects: subjects, Values: in.Inputs[ls.Level], Hits: in.Hits[ls.Level]})
	}
	return out
}

// Score computes the period.
func (s Scorer) Score(ctx context.Context, unitID int64, p period.Period) (Scores, error) {
	v, err := s.Schemes.Current(ctx, unitID)
	if err != nil {
		return Scores{}, err
	}
	return s.score(ctx, unitID, p, v)
}

// Rescore computes the period with the facts as they are now and one
// version of the scheme: a correction of a frozen period keeps the
// frozen one's scheme, so the difference is the facts'.
func (s Scorer) Rescore(ctx context.Context, unitID int64, p period.Period, schemeVersion int) (Scores, error) {
	v, err := s.Schemes.At(ctx, unitID, schemeVersion)
	if err != nil {
		return Scores{}, err
	}
	return s.score(ctx, unitID, p, v)
}

func (s Scorer) score(ctx context.Context, unitID int64, p period.Period, v Version) (Scores, error) {
	roster, err := s.Roster(ctx, unitID)
	if err != nil {
		return Scores{}, err
	}
	// The sources read different tables: they gather side by side, and
	// their values are merged in the sources' order.
	gathered := make([]Gathered, len(s.Sources))
	errs := make([]error, len(s.Sources))
	var wg sync.WaitGroup
	for i, src := range s.Sources {
		wg.Go(func() { gathered[i], errs[i] = src.Gather(ctx, unitID, p, roster) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Scores{}, err
	}
	values := map[Level]Values{Person: {}, Window: {}, Branch: {}}
	hits := map[Level][]VetoHit{}
	offered := map[string]bool{}
	for i, got := range gathered {
		for level, vs := range got.Values {
			for ind, m := range vs {
				values[level][ind] = m
			}
		}
		for level, list := range got.Hits {
			hits[level] = append(hits[level], list...)
		}
		for _, ind := range s.Sources[i].Offers() {
			offered[ind] = true
		}
	}
	out := Scores{Period: p, SchemeVersion: v.Version, Scheme: v.Scheme, Levels: map[Level][]Result{}, Inputs: values, Hits: hits}
	seen := map[string]bool{}
	for _, ls := range v.Scheme.Levels {
		for _, part := range ls.Parts {
			if !offered[part.Indicator] && !seen[part.Indicator] {
				seen[part.Indicator] = true
				out.Unsourced = append(out.Unsourced, part.Indicator)
			}
		}
		out.Levels[ls.Level] = Compute(ls, Indicators, v.Scheme.Vetoes, v.Scheme.Tiers,
			Input{Subjects: roster.Subjects[ls.Level], Values: values[ls.Level], Hits: hits[ls.Level]})
	}
	return out, nil
}

// Roster lists the active people, windows and branches, and where each
// person belongs.
func (s Scorer) Roster(ctx context.Context, unitID int64) (Roster, error) {
	r := Roster{Subjects: map[Level][]Subject{}, BranchOf: map[int64]int64{}, WindowOf: map[int64]int64{}}
	active := true
	people, _, err := s.Org.StaffList(ctx, unitID, org.StaffFilter{Active: &active})
	if err != nil {
		return r, fmt.Errorf("scoring: roster: %w", err)
	}
	for _, p := range people {
		r.Subjects[Person] = append(r.Subjects[Person], Subject{ID: p.ID, Name: p.Name})
		r.BranchOf[p.ID], r.WindowOf[p.ID] = p.BranchID, p.DepartmentID
	}
	depts, err := s.Org.Departments(ctx, unitID)
	if err != nil {
		return r, fmt.Errorf("scoring: roster: %w", err)
	}
	for _, d := range depts {
		if d.Active && servesPublic(d.Kind) {
			r.Subjects[Window] = append(r.Subjects[Window], Subject{ID: d.ID, Name: d.Name})
		}
	}
	branches, err := s.Org.Branches(ctx, unitID)
	if err != nil {
		return r, fmt.Errorf("scoring: roster: %w", err)
	}
	for _, b := range branches {
		if b.Active {
			r.Subjects[Branch] = append(r.Subjects[Branch], Subject{ID: b.ID, Name: b.Name})
		}
	}
	return r, nil
}

// servesPublic says whether a department is scored at the window level:
// a window, or a hospital's 临床科室 and 病区.
func servesPublic(kind string) bool {
	return kind == org.KindWindow || kind == "clinical" || kind == "ward"
}
