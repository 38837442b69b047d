package scoring

import (
	"cmp"
	"math"
	"slices"
)

// Value is one subject's facts for one indicator, summed over the period.
type Value struct {
	Count  float64 `json:"count"`  // good ratings, cases on time, points, faults
	Total  float64 `json:"total"`  // what a share or mean is of: valid ratings, cases due, heads
	Sample int     `json:"sample"` // how many facts it rests on
	// Group is the rater or branch the value comes from, for calibration.
	Group string `json:"group,omitempty"`
}

// Raw is the value as its measure reads it; false when it has none (a
// share of nothing).
func (v Value) Raw(measure string) (float64, bool) {
	switch measure {
	case MeasureCount:
		return v.Count, true
	case MeasurePer100:
		if v.Total <= 0 {
			return 0, false
		}
		return v.Count / v.Total * 100, true
	}
	if v.Total <= 0 {
		return 0, false
	}
	return v.Count / v.Total, true
}

// Subject is a person, window or branch being scored.
type Subject struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// VetoHit is one fact that triggers a veto rule on a subject.
type VetoHit struct {
	Rule    string  `json:"rule"`
	Subject int64   `json:"subject"`
	Fact    FactRef `json:"fact"`
}

// Input is everything a level's results are computed from.
type Input struct {
	Subjects []Subject
	Values   map[string]map[int64]Value // by indicator, then subject
	Hits     []VetoHit
}

// Why a part scored nothing.
const (
	GapNone   = "none"   // 无数据
	GapSample = "sample" // 样本不足
)

// PartResult is one part of one subject's total.
type PartResult struct {
	Indicator  string   `json:"indicator"`
	Raw        float64  `json:"raw"`                  // the measure, before calibration
	Calibrated *float64 `json:"calibrated,omitempty"` // after, when the part is calibrated
	Sample     int      `json:"sample"`
	Normalised float64  `json:"normalised"` // 0–1, rounded to 4 places: what the points are computed from
	Weight     float64  `json:"weight"`
	Points     float64  `json:"points"` // weight × normalised, rounded to 2 places
	Gap        string   `json:"gap,omitempty"`
}

// AdjustmentResult is one bonus or deduction applied.
type AdjustmentResult struct {
	Indicator string  `json:"indicator"`
	Units     float64 `json:"units"`
	Points    float64 `json:"points"` // positive; deductions are subtracted
	Capped    bool    `json:"capped,omitempty"`
}

// Tiers of a ranking.
const (
	TierLeading = "leading" // 先进
	TierAverage = "average" // 一般
	TierLagging = "lagging" // 后进
)

// Result is one subject's score.
type Result struct {
	Subject    Subject            `json:"subject"`
	Total      float64            `json:"total"`
	Rank       int                `json:"rank,omitempty"` // 0: not ranked
	Tier       string             `json:"tier,omitempty"`
	Parts      []PartResult       `json:"parts"`
	Bonuses    []AdjustmentResult `json:"bonuses,omitempty"`
	Deductions []AdjustmentResult `json:"deductions,omitempty"`
	Vetoes     []VetoHit          `json:"vetoes,omitempty"`
	// Unranked names the parts that kept the subject out of the ranking
	// under MissingUnranked.
	Unranked []string `json:"unranked,omitempty"`
}

// Vetoed reports whether a veto takes the subject out of honours.
func (r Result) Vetoed() bool { return len(r.Vetoes) > 0 }

// Compute scores every subject of one level. defs describe the
// indicators the formula names; vetoes are the rules the unit applies.
func Compute(ls LevelScheme, defs map[string]Indicator, vetoes []string, tiers Tiers, in Input) []Result {
	results := make([]Result, len(in.Subjects))
	for i, s := range in.Subjects {
		results[i] = Result{Subject: s, Parts: make([]PartResult, len(ls.Parts))}
	}
	for j, p := range ls.Parts {
		scorePart(results, j, p, defs[p.Indicator], in.Values[p.Indicator])
	}
	for i := range results {
		r := &results[i]
		total := 0.0
		for _, p := range r.Parts {
			total += p.Points
			if p.Gap != "" && ls.Missing == MissingUnranked {
				r.Unranked = append(r.Unranked, p.Indicator)
			}
		}
		r.Bonuses = adjust(ls.Bonuses, in.Values, r.Subject.ID)
		r.Deductions = adjust(ls.Deductions, in.Values, r.Subject.ID)
		for _, a := range r.Bonuses {
			total += a.Points
		}
		for _, a := range r.Deductions {
			total -= a.Points
		}
		r.Total = round(total, 2)
	}
	applyVetoes(results, vetoes, in.Hits)
	rank(results, tiers)
	return results
}

// scorePart fills part j of every result.
func scorePart(results []Result, j int, p Part, def Indicator, values map[int64]Value) {
	raw := map[int64]float64{}
	for i := range results {
		r := &results[i]
		pr := PartResult{Indicator: p.Indicator, Weight: p.Weight}
		v, ok := values[r.Subject.ID]
		if !ok && def.AbsentIsZero {
			v, ok = Value{}, true
		}
		x, has := v.Raw(def.Measure)
		pr.Raw, pr.Sample = round(x, 4), v.Sample
		switch {
		case !ok || !has:
			pr.Gap = GapNone
		case v.Sample < p.MinSample:
			pr.Gap = GapSample
		default:
			raw[r.Subject.ID] = x
		}
		r.Parts[j] = pr
	}
	if p.Calibrated && def.Calibratable {
		calibrated := calibrate(raw, values)
		for i := range results {
			if c, ok := calibrated[results[i].Subject.ID]; ok {
				c4 := round(c, 4)
				results[i].Parts[j].Calibrated = &c4
				raw[results[i].Subject.ID] = c
			}
		}
	}
	ranks := percentiles(raw, def.HigherIsBetter)
	for i := range results {
		pr := &results[i].Parts[j]
		x, ok := raw[results[i].Subject.ID]
		if !ok {
			continue
		}
		var n float64
		switch p.Normalise {
		case NormaliseRank:
			n = ranks[results[i].Subject.ID]
		case NormaliseWilson:
			v := values[results[i].Subject.ID]
			n = Wilson(v.Count, v.Total)
		default:
			n = scale(x, p.Full, def.HigherIsBetter)
		}
		pr.Normalised = round(n, 4)
		pr.Points = round(p.Weight*pr.Normalised, 2)
	}
}

// scale is raw ÷ full within 0 and 1, turned round when lower is better.
func scale(x, full float64, higherIsBetter bool) float64 {
	if full <= 0 {
		return 0
	}
	n := min(1, max(0, x/full))
	if !higherIsBetter {
		return 1 - n
	}
	return n
}

// Wilson is the lower bound of the 95% Wilson score interval of count
// successes in total trials; 0 when there are none.
func Wilson(count, total float64) float64 {
	if total <= 0 {
		return 0
	}
	const z = 1.959963984540054
	p := count / total
	z2 := z * z
	centre := p + z2/(2*total)
	spread := z * math.Sqrt(p*(1-p)/total+z2/(4*total*total))
	return max(0, (centre-spread)/(1+z2/total))
}

// percentiles ranks the values: the best 1, the worst 0, ties the mean of
// the places they share; a lone value is 1.
func percentiles(values map[int64]float64, higherIsBetter bool) map[int64]float64 {
	ids := make([]int64, 0, len(values))
	for id := range values {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		c := cmp.Compare(values[b], values[a])
		if !higherIsBetter {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a, b))
	})
	out := make(map[int64]float64, len(ids))
	n := len(ids)
	for i := 0; i < n; {
		k := i
		for k+1 < n && values[ids[k+1]] == values[ids[i]] {
			k++
		}
		place := float64(i+k) / 2 // the mean of the places i..k
		p := 1.0
		if n > 1 {
			p = 1 - place/float64(n-1)
		}
		for ; i <= k; i++ {
			out[ids[i]] = p
		}
	}
	return out
}

// calibrate standardises each value within its group and maps it back
// onto the spread of all values: a lenient rater's 95 and a strict one's
// 85 count alike when each is that rater's average.
func calibrate(raw map[int64]float64, values map[int64]Value) map[int64]float64 {
	all := make([]float64, 0, len(raw))
	groups := map[string][]float64{}
	for id, x := range raw {
		all = append(all, x)
		g := values[id].Group
		groups[g] = append(groups[g], x)
	}
	mean, sd := meanSD(all)
	out := make(map[int64]float64, len(raw))
	for id, x := range raw {
		gm, gsd := meanSD(groups[values[id].Group])
		if gsd == 0 {
			out[id] = mean
			continue
		}
		out[id] = mean + (x-gm)/gsd*sd
	}
	return out
}

func meanSD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	sq := 0.0
	for _, x := range xs {
		sq += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sq / float64(len(xs)))
}

// adjust applies bonuses or deductions: units × per unit, up to the cap.
func adjust(list []Adjustment, values map[string]map[int64]Value, subject int64) []AdjustmentResult {
	var out []AdjustmentResult
	for _, a := range list {
		units := values[a.Indicator][subject].Count
		if units <= 0 {
			continue
		}
		pts := units * a.PerUnit
		capped := a.Cap > 0 && pts > a.Cap
		if capped {
			pts = a.Cap
		}
		out = append(out, AdjustmentResult{Indicator: a.Indicator, Units: units, Points: round(pts, 2), Capped: capped})
	}
	return out
}

// applyVetoes attaches the hits of the rules the unit applies. One fact
// vetoes once, even where two rules read it (an upheld complaint and the
// accountability decision it led to name the same complaint only when
// they are the same record).
func applyVetoes(results []Result, rules []string, hits []VetoHit) {
	at := make(map[int64]int, len(results))
	for i, r := range results {
		at[r.Subject.ID] = i
	}
	type fact struct {
		subject int64
		kind    string
		id      int64
	}
	seen := map[fact]bool{}
	for _, h := range hits {
		i, ok := at[h.Subject]
		f := fact{h.Subject, h.Fact.Kind, h.Fact.ID}
		if !ok || !slices.Contains(rules, h.Rule) || seen[f] {
			continue
		}
		seen[f] = true
		results[i].Vetoes = append(results[i].Vetoes, h)
	}
}

// rank orders the results by total and gives places (equal totals share
// one) and tiers among the ranked. A vetoed subject keeps its place but
// is never 先进: the leading places go to the next in line.
func rank(results []Result, tiers Tiers) {
	slices.SortStableFunc(results, func(a, b Result) int {
		ra, rb := len(a.Unranked) == 0, len(b.Unranked) == 0
		if ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.Subject.Name, b.Subject.Name), cmp.Compare(a.Subject.ID, b.Subject.ID))
	})
	n := 0
	for i := range results {
		if len(results[i].Unranked) > 0 {
			break
		}
		n++
		results[i].Rank = i + 1
		if i > 0 && results[i].Total == results[i-1].Total {
			results[i].Rank = results[i-1].Rank
		}
	}
	leading := int(math.Ceil(float64(n) * float64(tiers.Leading) / 100))
	lagging := min(int(math.Ceil(float64(n)*float64(tiers.Lagging)/100)), n-leading)
	given := 0
	for i := 0; i < n; i++ {
		r := &results[i]
		switch {
		case i >= n-lagging:
			r.Tier = TierLagging
		case given < leading && !r.Vetoed():
			r.Tier = TierLeading
			given++
		default:
			r.Tier = TierAverage
		}
	}
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// VetoRules are the rules that veto the subject, each once, in the order
// of their first fact.
func (r Result) VetoRules() []string {
	var out []string
	for _, v := range r.Vetoes {
		if !slices.Contains(out, v.Rule) {
			out = append(out, v.Rule)
		}
	}
	return out
}
