// Package scoring is 五创's scheme: it turns the facts the other packages
// keep into one explainable score per person, window and branch for a
// period — indicators, each normalised and weighted, bonuses and
// deductions with their caps, vetoes (一票否决) that take a subject out of
// honours, minimum samples below which an indicator does not rank, and
// tiers (先进 / 一般 / 后进). It reads facts through the small Source
// interface each fact package's adapter meets; it never reads their tables.
package scoring

import (
	"math"
	"strconv"
)

// Level is what a score is for.
type Level string

// Levels of a scheme.
const (
	Person Level = "person"
	Window Level = "window" // a department of kind window (科室, 病区 in a hospital)
	Branch Level = "branch"
)

// Levels lists them in the order pages show them.
var Levels = []Level{Window, Person, Branch}

// Measures: how an indicator's count and total become its raw value.
const (
	MeasureCount  = "count"  // the count itself (件, 次, 分)
	MeasureShare  = "share"  // count ÷ total, a proportion (好评率, 按时办结率)
	MeasureMean   = "mean"   // count ÷ total, an average (a grade, points per head)
	MeasurePer100 = "per100" // count ÷ total × 100 (per 100 cases)
)

// Normalisations: how a raw value becomes a share of the part's weight,
// between 0 and 1.
const (
	// NormaliseScale: raw ÷ full, kept within 0 and 1; for an indicator
	// where lower is better, 1 − raw ÷ full (full is where the points run out).
	NormaliseScale = "scale"
	// NormaliseWilson: the lower bound of the 95% Wilson interval of a
	// share, so a handful of ratings cannot beat a long record.
	NormaliseWilson = "wilson"
	// NormaliseRank: the percentile of the subject's rank among those with
	// enough sample: the best 1, the worst 0, ties alike.
	NormaliseRank = "rank"
)

// What a part with no value, or with too small a sample, does.
const (
	MissingZero     = "zero"     // the part earns nothing, and says why
	MissingUnranked = "unranked" // the subject is listed with its parts but not ranked
)

// Indicator describes one measure from one fact source.
type Indicator struct {
	Key    string  `json:"key"`
	Source string  `json:"source"` // the fact package it comes from
	Levels []Level `json:"levels"`
	// Unit is how the raw value reads: "%", "件", "分", "次", "件/百件".
	Unit    string `json:"unit"`
	Measure string `json:"measure"`
	// HigherIsBetter is false for faults: deductions, breaches, absences.
	HigherIsBetter bool `json:"higher_is_better"`
	// AbsentIsZero: no fact is a real zero (no complaint), not a gap.
	AbsentIsZero bool `json:"absent_is_zero"`
	// Calibratable: the values come from raters or branches whose leniency
	// differs (monthly review grades, 五评's branch and leader parts).
	Calibratable bool `json:"calibratable,omitempty"`
}

// Part is one weighted indicator of a level.
type Part struct {
	Indicator string  `json:"indicator"`
	Weight    float64 `json:"weight"` // points at full marks; a level's parts add up to 100
	Normalise string  `json:"normalise"`
	Full      float64 `json:"full,omitempty"`       // for NormaliseScale
	MinSample int     `json:"min_sample,omitempty"` // facts needed before the part ranks
	// Calibrated: standardise the values within each rater's or branch's
	// group before normalising (the raw value is shown beside it).
	Calibrated bool `json:"calibrated,omitempty"`
}

// Adjustment is a bonus (表扬, 锦旗) or a deduction (责任追究扣分) outside
// the weighted parts: per unit of its indicator, up to a cap.
type Adjustment struct {
	Indicator string  `json:"indicator"`
	PerUnit   float64 `json:"per_unit"`
	Cap       float64 `json:"cap"`
}

// LevelScheme is the formula of one level.
type LevelScheme struct {
	Level      Level        `json:"level"`
	Parts      []Part       `json:"parts"`
	Bonuses    []Adjustment `json:"bonuses,omitempty"`
	Deductions []Adjustment `json:"deductions,omitempty"`
	Missing    string       `json:"missing"`
}

// Tiers say how many of the ranked are 先进 and how many 后进, in percent.
type Tiers struct {
	Leading int `json:"leading_percent"`
	Lagging int `json:"lagging_percent"`
}

// Scheme is a unit's whole formula. It is data: stored as a version, and
// every result names the version it used.
type Scheme struct {
	Levels []LevelScheme `json:"levels"`
	Vetoes []string      `json:"vetoes"` // the veto rules the unit applies
	Tiers  Tiers         `json:"tiers"`
}

// Format shows a raw value as the indicator reads: a share in percent with
// one decimal, anything else with up to two.
func (d Indicator) Format(raw float64) string {
	if d.Unit == "%" {
		return strconv.FormatFloat(raw*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(raw*100)/100, 'f', -1, 64)
}
