// Package report writes the leading group's report (领导小组工作报告) of a
// month or a quarter: cases and the on-time rate, ratings and their
// rectification, waiting times, messages and complaints, review meetings,
// 五评, 五比, accountability, spot checks, commitments and honours, each
// figure beside the previous period's, each part with its chart. A report
// is computed once, when the office asks for it, and kept as it was: a
// later one of the same period is a new version, and the old stays
// readable, so what the leading group discussed is what they can open
// again.
package report

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"wuliang/internal/chart"
)

// Metric is one figure of a part, now and in the previous period; nil is
// no figure (nothing to divide).
type Metric struct {
	Label  string   `json:"label"`
	Unit   string   `json:"unit,omitempty"` // "%", "件", "分钟", "工作日", "分", "人", "次"
	Now    *float64 `json:"now"`
	Before *float64 `json:"before"`
	// Lower is better (overdue cases, bad ratings, absences): the change
	// is marked good when it falls.
	LowerIsBetter bool `json:"lower_is_better,omitempty"`
	// Neutral: a volume (cases registered, ratings given) is neither
	// better nor worse for going up.
	Neutral bool `json:"neutral,omitempty"`
}

// Section is one part of the report.
type Section struct {
	Key     string        `json:"key"`
	Title   string        `json:"title"`
	Metrics []Metric      `json:"metrics"`
	Charts  []chart.Chart `json:"charts,omitempty"`
	Note    string        `json:"note,omitempty"`
}

// Report is one kept version of a period's report.
type Report struct {
	ID        int64     `json:"id"`
	Period    string    `json:"period"`
	Label     string    `json:"label"`
	Previous  string    `json:"previous"` // the previous period's label
	Version   int       `json:"version"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	Sections  []Section `json:"sections"`
}

// num is a figure.
func num(v float64) *float64 { return &v }

// rate is n ÷ d in percent, nil when d is 0.
func rate(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	return num(float64(n) * 100 / float64(d))
}

// minutes parses efficiency's "12.5" (or "—") back to a figure.
func minutes(s string) *float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}

// Text writes a figure with its unit; "—" for none.
func Text(v *float64, unit string) string {
	if v == nil || math.IsNaN(*v) {
		return "—"
	}
	s := chart.Format(*v, "")
	switch unit {
	case "%":
		return s + "%"
	case "":
		return s
	}
	return s + " " + unit
}

// NowText and BeforeText are the figures as the report prints them.
func (m Metric) NowText() string    { return Text(m.Now, m.Unit) }
func (m Metric) BeforeText() string { return Text(m.Before, m.Unit) }

// Change is now against before: "+2", "−1.5 个百分点", "持平", or "—"
// when either is missing.
func (m Metric) Change() string {
	if m.Now == nil || m.Before == nil {
		return "—"
	}
	d := *m.Now - *m.Before
	if math.Abs(d) < 0.05 {
		return "持平"
	}
	sign := "+"
	if d < 0 {
		sign, d = "−", -d
	}
	unit := m.Unit
	if unit == "%" {
		unit = "个百分点"
	}
	if unit == "" {
		return sign + chart.Format(d, "")
	}
	return sign + chart.Format(d, "") + " " + unit
}

// Trend says whether the change is for the better ("up"), the worse
// ("down") or neither ("").
func (m Metric) Trend() string {
	if m.Neutral || m.Now == nil || m.Before == nil || math.Abs(*m.Now-*m.Before) < 0.05 {
		return ""
	}
	if (*m.Now > *m.Before) != m.LowerIsBetter {
		return "better"
	}
	return "worse"
}

// FileName is the report's name for downloads.
func (r Report) FileName() string {
	return fmt.Sprintf("领导小组工作报告-%s-第%d版", r.Period, r.Version)
}
