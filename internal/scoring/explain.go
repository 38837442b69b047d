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
// scores. The facts are read as they are now.
func (s Scorer) Explain(ctx context.Context, unitID int64, sc Scores, level Level, id int64, frozen bool) (Explanation, error) {
	res, ok := sc.Result(level, id)
	ls, _ := sc.LevelScheme(level)
	if !ok {
		return Explanation{}, ErrNotFound
	}
	roster, err := s.Roster(ctx, unitID)
	if err != nil {
		return Explanation{}, err
	}
	e := Explanation{Level: level, Result: res, Facts: map[string][]FactRef{}}
	for _, ind := range ls.indicators() {
		src := s.sourceOf(ind)
		if src == nil {
			continue
		}
		facts, err := src.Facts(ctx, unitID, sc.Period, roster, level, id, ind)
		if err != nil {
			return e, fmt.Errorf("scoring: explain %s: %w", ind, err)
		}
		e.Facts[ind] = facts
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
