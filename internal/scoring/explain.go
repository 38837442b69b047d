package scoring

import (
	"context"
	"fmt"
)

// Explanation opens one subject's total: its result, and for every
// indicator the level weighs (parts, bonuses, deductions) the dated facts
// behind the value.
type Explanation struct {
	Level  Level                `json:"level"`
	Result Result               `json:"result"`
	Facts  map[string][]FactRef `json:"facts"`
	// Moved lists, for a frozen period, the indicators whose value today
	// differs from the frozen one: the facts changed after freezing, and a
	// correction (a new version) would show the difference.
	Moved []string `json:"moved,omitempty"`
}

// Explain opens a subject's result in sc, the period's live or frozen
// scores. A frozen version's facts are those kept with it; live scores'
// facts are read now.
func (s Scorer) Explain(ctx context.Context, unitID int64, sc Scores, level Level, id int64, frozen bool) (Explanation, error) {
	res, ok := sc.Result(level, id)
	ls, _ := sc.LevelScheme(level)
	if !ok {
		return Explanation{}, ErrNotFound
	}
	e := Explanation{Level: level, Result: res, Facts: map[string][]FactRef{}}
	if frozen && sc.Facts != nil {
		for _, ind := range ls.indicators() {
			e.Facts[ind] = sc.Facts[level][id][ind]
		}
	} else {
		roster, err := s.Roster(ctx, unitID)
		if err != nil {
			return Explanation{}, err
		}
		for _, ind := range ls.indicators() {
			list, err := s.facts(ctx, unitID, sc, ind)
			if err != nil {
				return e, err
			}
			e.Facts[ind] = roster.Group(list)[level][id]
		}
	}
	if frozen {
		live, err := s.Score(ctx, unitID, sc.Period)
		if err != nil {
			return e, err
		}
		for _, ind := range ls.indicators() {
			if live.Inputs[level][ind][id] != sc.Inputs[level][ind][id] {
				e.Moved = append(e.Moved, ind)
			}
		}
	}
	return e, nil
}

// facts reads one indicator's facts of the period from its source.
func (s Scorer) facts(ctx context.Context, unitID int64, sc Scores, indicator string) ([]OwnedFact, error) {
	src := s.sourceOf(indicator)
	if src == nil {
		return nil, nil
	}
	list, err := src.Facts(ctx, unitID, sc.Period, indicator)
	if err != nil {
		return nil, fmt.Errorf("scoring: facts of %s: %w", indicator, err)
	}
	return list, nil
}

// WithFacts attaches to scores the dated facts behind every value the
// scheme weighs, for every subject, as they are now: what freezing keeps,
// so a frozen version explains itself with the facts it was computed from.
func (s Scorer) WithFacts(ctx context.Context, unitID int64, sc Scores) (Scores, error) {
	roster, err := s.Roster(ctx, unitID)
	if err != nil {
		return sc, err
	}
	sc.Facts = map[Level]map[int64]map[string][]FactRef{}
	for _, ls := range sc.Scheme.Levels {
		for _, ind := range ls.indicators() {
			list, err := s.facts(ctx, unitID, sc, ind)
			if err != nil {
				return sc, err
			}
			for id, facts := range roster.Group(list)[ls.Level] {
				if sc.Facts[ls.Level] == nil {
					sc.Facts[ls.Level] = map[int64]map[string][]FactRef{}
				}
				if sc.Facts[ls.Level][id] == nil {
					sc.Facts[ls.Level][id] = map[string][]FactRef{}
				}
				sc.Facts[ls.Level][id][ind] = facts
			}
		}
	}
	return sc, nil
}

// indicators are every indicator a level names, parts first.
func (ls LevelScheme) indicators() []string {
	var out []string
	for _, p := range ls.Parts {
		out = append(out, p.Indicator)
	}
	for _, a := range append(append([]Adjustment{}, ls.Bonuses...), ls.Deductions...) {
		out = append(out, a.Indicator)
	}
	return out
}

func (s Scorer) sourceOf(indicator string) Source {
	for _, src := range s.Sources {
		for _, ind := range src.Offers() {
			if ind == indicator {
				return src
			}
		}
	}
	return nil
}
