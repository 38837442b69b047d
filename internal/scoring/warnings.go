package scoring

import "slices"

// Warning is a sharp disagreement between two sources about one subject,
// for the office to look at before it publishes.
type Warning struct {
	Level   Level   `json:"level"`
	Subject Subject `json:"subject"`
	// High is the indicator where the subject is among the best tenth,
	// Low the one where it is among the worst tenth.
	High, Low       string  `json:"-"`
	HighRaw, LowRaw float64 `json:"-"`
}

// agreeing are the pairs of indicators that measure the same service from
// two sides and should not point opposite ways.
var agreeing = []struct {
	level Level
	a, b  string
}{
	{Person, "review_grade", "five_total"},
	{Person, "review_grade", "democratic"},
	{Person, "satisfaction", "review_grade"},
	{Window, "satisfaction", "on_time"},
	{Window, "satisfaction", "democratic"},
}

// Warnings lists, from the results' inputs, the subjects that are in the
// best tenth on one indicator of an agreeing pair and the worst tenth on
// the other, with at least five subjects measured on each.
func Warnings(sc Scores) []Warning {
	var out []Warning
	for _, pair := range agreeing {
		pa, pb := standing(sc, pair.level, pair.a), standing(sc, pair.level, pair.b)
		if len(pa) < 5 || len(pb) < 5 {
			continue
		}
		for _, r := range sc.Levels[pair.level] {
			a, okA := pa[r.Subject.ID]
			b, okB := pb[r.Subject.ID]
			if !okA || !okB {
				continue
			}
			w := Warning{Level: pair.level, Subject: r.Subject}
			switch {
			case a.pct >= 0.9 && b.pct <= 0.1:
				w.High, w.HighRaw, w.Low, w.LowRaw = pair.a, a.raw, pair.b, b.raw
			case b.pct >= 0.9 && a.pct <= 0.1:
				w.High, w.HighRaw, w.Low, w.LowRaw = pair.b, b.raw, pair.a, a.raw
			default:
				continue
			}
			out = append(out, w)
		}
	}
	return out
}

type place struct{ raw, pct float64 }

// standing is each subject's raw value of an indicator and its percentile
// (1 the best, 0 the worst), from the level's measured values.
func standing(sc Scores, level Level, indicator string) map[int64]place {
	def, ok := Indicators[indicator]
	if !ok {
		return nil
	}
	type x struct {
		id  int64
		raw float64
	}
	var list []x
	for id, v := range sc.Inputs[level][indicator] {
		if raw, ok := v.Raw(def.Measure); ok && v.Sample > 0 {
			list = append(list, x{id, raw})
		}
	}
	slices.SortFunc(list, func(a, b x) int {
		if def.HigherIsBetter {
			return compareFloat(a.raw, b.raw)
		}
		return compareFloat(b.raw, a.raw)
	})
	out := map[int64]place{}
	for i := 0; i < len(list); {
		k := i
		for k+1 < len(list) && list[k+1].raw == list[i].raw {
			k++
		}
		// ties share the mean of their places
		pct := 1.0
		if len(list) > 1 {
			pct = (float64(i+k) / 2) / float64(len(list)-1)
		}
		for ; i <= k; i++ {
			out[list[i].id] = place{raw: list[i].raw, pct: pct}
		}
	}
	return out
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
