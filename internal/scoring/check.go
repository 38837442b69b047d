package scoring

import (
	"fmt"
	"math"
	"slices"

	"wuliang/internal/locale"
)

// VetoRule is a kind of fact that takes a subject out of honours for the
// period (一票否决), when the unit applies it.
type VetoRule struct {
	Key    string  `json:"key"`
	Source string  `json:"source"`
	Levels []Level `json:"levels"`
}

// VetoRules are the rules a unit may choose from.
var VetoRules = []VetoRule{
	// an upheld complaint from the suggestion box
	{Key: "complaint_upheld", Source: "feedback", Levels: []Level{Person, Window}},
	// an accountability decision of 通报批评 or 扣分
	{Key: "accountability_circular", Source: "accountability", Levels: []Level{Person, Window}},
	// a 非常不满意 whose rectification is still open when the period ends
	{Key: "unrectified_very_dissatisfied", Source: "rectification", Levels: []Level{Person, Window}},
	// absent without a note at two spot checks in the period
	{Key: "absent_twice", Source: "attendance", Levels: []Level{Person}},
}

// Catalogue is every indicator the unit's sources offer, by key.
type Catalogue map[string]Indicator

// sampled measures rest on a count of facts, so a minimum makes sense.
func sampled(measure string) bool { return measure != MeasureCount }

// Check reports everything wrong with a scheme at once, each by the field
// it is about: "window.parts.2.weight", "vetoes", "tiers.leading".
func (s Scheme) Check(c Catalogue) locale.Problems {
	var ps locale.Problems
	if len(s.Levels) == 0 {
		ps.Add("levels", "scoring.no_levels")
	}
	seen := map[Level]bool{}
	for _, ls := range s.Levels {
		if !slices.Contains(Levels, ls.Level) || seen[ls.Level] {
			ps.Add("levels", "scoring.level_invalid")
			continue
		}
		seen[ls.Level] = true
		ps = append(ps, ls.check(c)...)
	}
	rules := map[string]bool{}
	for _, v := range s.Vetoes {
		known := slices.ContainsFunc(VetoRules, func(r VetoRule) bool { return r.Key == v })
		switch {
		case !known:
			ps.Add("vetoes", "scoring.veto_unknown")
		case rules[v]:
			ps.Add("vetoes", "scoring.veto_twice")
		}
		rules[v] = true
	}
	if s.Tiers.Leading < 0 || s.Tiers.Lagging < 0 || s.Tiers.Leading > 50 || s.Tiers.Lagging > 50 {
		ps.Add("tiers", "scoring.tiers_invalid")
	}
	return ps
}

func (ls LevelScheme) check(c Catalogue) locale.Problems {
	var ps locale.Problems
	field := func(i int, name string) string { return fmt.Sprintf("%s.parts.%d.%s", ls.Level, i, name) }
	if ls.Missing != MissingZero && ls.Missing != MissingUnranked {
		ps.Add(string(ls.Level)+".missing", "scoring.missing_invalid")
	}
	if len(ls.Parts) == 0 {
		ps.Add(string(ls.Level)+".parts", "scoring.no_parts")
	}
	sum := 0.0
	used := map[string]bool{}
	for i, p := range ls.Parts {
		def, ok := c[p.Indicator]
		switch {
		case !ok || !slices.Contains(def.Levels, ls.Level):
			ps.Add(field(i, "indicator"), "scoring.indicator_unknown")
		case used[p.Indicator]:
			ps.Add(field(i, "indicator"), "scoring.indicator_twice")
		}
		used[p.Indicator] = true
		if !(p.Weight > 0 && p.Weight <= 100) {
			ps.Add(field(i, "weight"), "scoring.weight_invalid")
		}
		sum += p.Weight
		switch {
		case p.Normalise != NormaliseScale && p.Normalise != NormaliseWilson && p.Normalise != NormaliseRank:
			ps.Add(field(i, "normalise"), "scoring.normalise_invalid")
		case p.Normalise == NormaliseScale && !(p.Full > 0 && p.Full < 1e9):
			ps.Add(field(i, "full"), "scoring.full_invalid")
		case ok && p.Normalise == NormaliseWilson && (def.Measure != MeasureShare || !def.HigherIsBetter):
			ps.Add(field(i, "normalise"), "scoring.wilson_share_only")
		}
		switch {
		case p.MinSample < 0 || p.MinSample > 100000:
			ps.Add(field(i, "min_sample"), "scoring.min_sample_invalid")
		case ok && sampled(def.Measure) && p.MinSample < 1:
			ps.Add(field(i, "min_sample"), "scoring.min_sample_zero")
		}
		if ok && p.Calibrated && !def.Calibratable {
			ps.Add(field(i, "calibrated"), "scoring.not_calibratable")
		}
	}
	if len(ls.Parts) > 0 && math.Abs(sum-100) > 0.001 {
		ps.Add(string(ls.Level)+".weights", "scoring.weights_sum", fmt.Sprintf("%g", sum))
	}
	for kind, list := range map[string][]Adjustment{"bonuses": ls.Bonuses, "deductions": ls.Deductions} {
		for i, a := range list {
			f := fmt.Sprintf("%s.%s.%d.", ls.Level, kind, i)
			if def, ok := c[a.Indicator]; !ok || !slices.Contains(def.Levels, ls.Level) || def.Measure != MeasureCount {
				ps.Add(f+"indicator", "scoring.indicator_unknown")
			}
			if !(a.PerUnit > 0 && a.PerUnit <= 100) {
				ps.Add(f+"per_unit", "scoring.per_unit_invalid")
			}
			if !(a.Cap > 0 && a.Cap <= 100) {
				ps.Add(f+"cap", "scoring.cap_invalid")
			}
		}
	}
	return ps
}
