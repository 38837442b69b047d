package scoring_test

import (
	"math"
	"testing"

	"wuliang/internal/scoring"
)

func near(a, b float64) bool { return math.Abs(a-b) < 0.00005 }

// The lower bound of the Wilson interval, computed by hand with z = 1.96:
// one perfect rating is worth far less than nine good ratings of ten.
func TestWilson(t *testing.T) {
	for _, c := range []struct {
		count, total, want float64
	}{
		{9, 10, 0.5958},  // (0.9 + 0.19208 − 1.96·√(0.009 + 0.009604)) ÷ 1.38416
		{10, 10, 0.7225}, // 1 ÷ 1.38416
		{1, 1, 0.2065},   // 1 ÷ 4.8415
		{0, 0, 0},
		{0, 5, 0},
		{45, 50, 0.7864}, // (0.9 + 0.038416 − 1.96·√(0.0018 + 0.00038416)) ÷ 1.076832
	} {
		if got := scoring.Wilson(c.count, c.total); !near(math.Round(got*10000)/10000, c.want) {
			t.Errorf("Wilson(%v, %v) = %.4f, want %.4f", c.count, c.total, got, c.want)
		}
	}
}

var defs = map[string]scoring.Indicator{
	"satisfaction": {Key: "satisfaction", Measure: scoring.MeasureShare, HigherIsBetter: true},
	"on_time":      {Key: "on_time", Measure: scoring.MeasureShare, HigherIsBetter: true},
	"pennants":     {Key: "pennants", Measure: scoring.MeasureCount, HigherIsBetter: true, AbsentIsZero: true},
	"deductions":   {Key: "deductions", Measure: scoring.MeasureCount, AbsentIsZero: true},
	"breaches":     {Key: "breaches", Measure: scoring.MeasurePer100, AbsentIsZero: true},
	"grade":        {Key: "grade", Measure: scoring.MeasureMean, HigherIsBetter: true, Calibratable: true},
	"points":       {Key: "points", Measure: scoring.MeasureCount, HigherIsBetter: true},
}

var windows = []scoring.Subject{{ID: 1, Name: "甲窗口"}, {ID: 2, Name: "乙窗口"}, {ID: 3, Name: "丙窗口"}}

// A: 9 of 10 good, 18 of 20 on time, 4 锦旗; B: one perfect rating, 20 of
// 20 on time; C: no ratings, 10 of 20 on time, 3 points deducted.
var input = scoring.Input{
	Subjects: windows,
	Values: map[string]map[int64]scoring.Value{
		"satisfaction": {1: {Count: 9, Total: 10, Sample: 10}, 2: {Count: 1, Total: 1, Sample: 1}},
		"on_time":      {1: {Count: 18, Total: 20, Sample: 20}, 2: {Count: 20, Total: 20, Sample: 20}, 3: {Count: 10, Total: 20, Sample: 20}},
		"pennants":     {1: {Count: 4, Sample: 4}},
		"deductions":   {3: {Count: 3, Sample: 1}},
	},
}

func level(missing string) scoring.LevelScheme {
	return scoring.LevelScheme{Level: scoring.Window, Missing: missing,
		Parts: []scoring.Part{
			{Indicator: "satisfaction", Weight: 40, Normalise: scoring.NormaliseWilson, MinSample: 10},
			{Indicator: "on_time", Weight: 60, Normalise: scoring.NormaliseScale, Full: 1},
		},
		Bonuses:    []scoring.Adjustment{{Indicator: "pennants", PerUnit: 2, Cap: 5}},
		Deductions: []scoring.Adjustment{{Indicator: "deductions", PerUnit: 1, Cap: 10}},
	}
}

func byID(rs []scoring.Result) map[int64]scoring.Result {
	m := map[int64]scoring.Result{}
	for _, r := range rs {
		m[r.Subject.ID] = r
	}
	return m
}

// Totals by hand: A = 40 × 0.5958 + 60 × 0.9 + min(4 × 2, 5) = 23.83 + 54 +
// 5 = 82.83; B's one rating is under the minimum of 10, so that part earns
// nothing and says so: 60; C has no ratings: 60 × 0.5 − 3 = 27.
func TestComputeTotals(t *testing.T) {
	tiers := scoring.Tiers{Leading: 30, Lagging: 30}
	rs := scoring.Compute(level(scoring.MissingZero), defs, nil, tiers, input)
	got := byID(rs)
	for _, c := range []struct {
		id         int64
		total      float64
		rank       int
		tier       string
		satGap     string
		satPoints  float64
		bonus, ded float64
	}{
		{1, 82.83, 1, scoring.TierLeading, "", 23.83, 5, 0},
		{2, 60, 2, scoring.TierAverage, scoring.GapSample, 0, 0, 0},
		{3, 27, 3, scoring.TierLagging, scoring.GapNone, 0, 0, 3},
	} {
		r := got[c.id]
		if !near(r.Total, c.total) || r.Rank != c.rank || r.Tier != c.tier {
			t.Errorf("%s: total %.2f rank %d tier %s, want %.2f %d %s", r.Subject.Name, r.Total, r.Rank, r.Tier, c.total, c.rank, c.tier)
		}
		if sat := r.Parts[0]; sat.Gap != c.satGap || !near(sat.Points, c.satPoints) {
			t.Errorf("%s satisfaction: %+v", r.Subject.Name, sat)
		}
		var bonus, ded float64
		for _, a := range r.Bonuses {
			bonus += a.Points
		}
		for _, a := range r.Deductions {
			ded += a.Points
		}
		if !near(bonus, c.bonus) || !near(ded, c.ded) {
			t.Errorf("%s: bonus %.2f deductions %.2f, want %.2f %.2f", r.Subject.Name, bonus, ded, c.bonus, c.ded)
		}
	}
	if a := got[1]; len(a.Bonuses) != 1 || !a.Bonuses[0].Capped || a.Parts[0].Normalised != 0.5958 {
		t.Errorf("A's bonus is not shown capped, or its satisfaction not as published: %+v %+v", a.Bonuses, a.Parts[0])
	}
	// Anyone can recompute a total from what is shown: weight × the
	// normalised value, rounded to 2 places, plus bonuses, minus deductions.
	for _, r := range rs {
		sum := 0.0
		for _, p := range r.Parts {
			sum += math.Round(p.Weight*p.Normalised*100) / 100
		}
		for _, a := range r.Bonuses {
			sum += a.Points
		}
		for _, a := range r.Deductions {
			sum -= a.Points
		}
		if !near(math.Round(sum*100)/100, r.Total) {
			t.Errorf("%s: recomputed %.2f, published %.2f", r.Subject.Name, sum, r.Total)
		}
	}
}

// Under MissingUnranked a subject with a gap is listed but not ranked, and
// the tiers are shared among the ranked; a veto keeps a place but never 先进.
func TestComputeUnrankedAndVetoes(t *testing.T) {
	rs := scoring.Compute(level(scoring.MissingUnranked), defs, nil, scoring.Tiers{Leading: 30, Lagging: 30}, input)
	got := byID(rs)
	if got[1].Rank != 1 || got[1].Tier != scoring.TierLeading || got[2].Rank != 0 || got[3].Rank != 0 || got[2].Tier != "" ||
		len(got[2].Unranked) != 1 || got[2].Unranked[0] != "satisfaction" || rs[0].Subject.ID != 1 {
		t.Fatalf("unranked: %+v", rs)
	}

	hit := scoring.VetoHit{Rule: "complaint_upheld", Subject: 1, Fact: scoring.FactRef{Kind: "feedback", ID: 7}}
	in := input
	twice := scoring.VetoHit{Rule: "accountability_circular", Subject: 1, Fact: hit.Fact} // the same fact through a second rule
	in.Hits = []scoring.VetoHit{hit, twice, {Rule: "absent_twice", Subject: 2}}
	rs = scoring.Compute(level(scoring.MissingZero), defs, []string{"complaint_upheld", "accountability_circular"}, scoring.Tiers{Leading: 30, Lagging: 30}, in)
	got = byID(rs)
	if !got[1].Vetoed() || len(got[1].Vetoes) != 1 || got[1].Rank != 1 || got[1].Tier != scoring.TierAverage || got[1].Vetoes[0].Fact.ID != 7 {
		t.Errorf("vetoed A: %+v", got[1])
	}
	if got[2].Vetoed() || got[2].Tier != scoring.TierLeading {
		t.Errorf("a rule the unit does not apply vetoed B, or B did not take the leading place: %+v", got[2])
	}
}

// Percentile ranks: the best 1, the worst 0, ties the mean of their places;
// where lower is better, the order turns round. Per-100 measures and a
// scale where lower is better: 2 breaches in 50 cases is 4 per 100, which
// with full = 10 keeps 60% of the weight.
func TestNormalise(t *testing.T) {
	people := []scoring.Subject{{ID: 1, Name: "a"}, {ID: 2, Name: "b"}, {ID: 3, Name: "c"}, {ID: 4, Name: "d"}}
	in := scoring.Input{Subjects: people, Values: map[string]map[int64]scoring.Value{
		"points":   {1: {Count: 10, Sample: 1}, 2: {Count: 20, Sample: 1}, 3: {Count: 20, Sample: 1}, 4: {Count: 30, Sample: 1}},
		"breaches": {1: {Count: 2, Total: 50, Sample: 50}, 2: {Count: 0, Total: 40, Sample: 40}, 3: {Count: 20, Total: 100, Sample: 100}},
	}}
	ls := scoring.LevelScheme{Level: scoring.Person, Missing: scoring.MissingZero, Parts: []scoring.Part{
		{Indicator: "points", Weight: 50, Normalise: scoring.NormaliseRank},
		{Indicator: "breaches", Weight: 50, Normalise: scoring.NormaliseScale, Full: 10},
	}}
	got := byID(scoring.Compute(ls, defs, nil, scoring.Tiers{}, in))
	for _, c := range []struct {
		id             int64
		rank, breaches float64
	}{
		{1, 0, 0.6}, {2, 0.5, 1}, {3, 0.5, 0}, {4, 1, 0},
	} {
		r := got[c.id]
		if r.Parts[0].Normalised != c.rank || r.Parts[1].Normalised != c.breaches {
			t.Errorf("%s: rank %.4f breaches %.4f, want %.4f %.4f", r.Subject.Name, r.Parts[0].Normalised, r.Parts[1].Normalised, c.rank, c.breaches)
		}
	}
	// d has no cases: per 100 of nothing is no value, not a perfect record.
	if got[4].Parts[1].Gap != scoring.GapNone {
		t.Errorf("d's breaches: %+v", got[4].Parts[1])
	}
}

// Calibration: a lenient rater's 95 and 85 and a strict one's 80 and 70
// become 91.5139 and 73.4861 for both (all: mean 82.5, sd √81.25; each
// rater: its mean ± its sd of 5), so the lenient branch does not win by
// leniency; raw, 95 would top the list.
func TestCalibration(t *testing.T) {
	people := []scoring.Subject{{ID: 1, Name: "a"}, {ID: 2, Name: "b"}, {ID: 3, Name: "c"}, {ID: 4, Name: "d"}}
	in := scoring.Input{Subjects: people, Values: map[string]map[int64]scoring.Value{
		"grade": {1: {Count: 95, Total: 1, Sample: 1, Group: "x"}, 2: {Count: 85, Total: 1, Sample: 1, Group: "x"},
			3: {Count: 80, Total: 1, Sample: 1, Group: "y"}, 4: {Count: 70, Total: 1, Sample: 1, Group: "y"}},
	}}
	part := scoring.Part{Indicator: "grade", Weight: 100, Normalise: scoring.NormaliseScale, Full: 100}
	raw := byID(scoring.Compute(scoring.LevelScheme{Parts: []scoring.Part{part}, Missing: scoring.MissingZero}, defs, nil, scoring.Tiers{}, in))
	if raw[1].Total != 95 || raw[1].Rank != 1 || raw[3].Rank != 3 || raw[1].Parts[0].Calibrated != nil {
		t.Fatalf("raw: %+v", raw)
	}
	part.Calibrated = true
	cal := byID(scoring.Compute(scoring.LevelScheme{Parts: []scoring.Part{part}, Missing: scoring.MissingZero}, defs, nil, scoring.Tiers{}, in))
	for id, want := range map[int64]float64{1: 91.5139, 2: 73.4861, 3: 91.5139, 4: 73.4861} {
		p := cal[id].Parts[0]
		if p.Calibrated == nil || !near(*p.Calibrated, want) || p.Raw != raw[id].Parts[0].Raw {
			t.Errorf("%d: calibrated %v raw %.4f, want %.4f", id, p.Calibrated, p.Raw, want)
		}
	}
	if cal[1].Rank != 1 || cal[3].Rank != 1 {
		t.Errorf("the best of each rater should share the first place: %d %d", cal[1].Rank, cal[3].Rank)
	}
}
