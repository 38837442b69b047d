package period_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"wuliang/internal/locale"
	"wuliang/internal/period"
	"wuliang/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var cst = time.FixedZone("CST", 8*3600)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		code, want, kind, first, last, label string
		days                                 int
	}{
		{"2026-10", "2026-10", period.Month, "2026-10-01", "2026-10-31", "2026 年 10 月", 31},
		{"2026-Q3", "2026-Q3", period.Quarter, "2026-07-01", "2026-09-30", "2026 年第 3 季度", 92},
		{"2026-q1", "2026-Q1", period.Quarter, "2026-01-01", "2026-03-31", "2026 年第 1 季度", 90},
		{"2026-H1", "2026-H1", period.Half, "2026-01-01", "2026-06-30", "2026 年上半年", 181},
		{"2026-h2", "2026-H2", period.Half, "2026-07-01", "2026-12-31", "2026 年下半年", 184},
		{"2026", "2026", period.Year, "2026-01-01", "2026-12-31", "2026 年", 365},
		{"２０２６-Ｑ４", "2026-Q4", period.Quarter, "2026-10-01", "2026-12-31", "2026 年第 4 季度", 92},
		{"2026-10-08~2026-11-20", "2026-10-08~2026-11-20", period.Range, "2026-10-08", "2026-11-20", "2026-10-08 至 2026-11-20", 44},
		{"2026-10-08至2026-10-08", "2026-10-08~2026-10-08", period.Range, "2026-10-08", "2026-10-08", "2026-10-08 至 2026-10-08", 1},
		{"2028-02", "2028-02", period.Month, "2028-02-01", "2028-02-29", "2028 年 2 月", 29},
	} {
		p, err := period.Parse(c.code, cst)
		if err != nil {
			t.Errorf("%q: %v", c.code, err)
			continue
		}
		if p.Code != c.want || p.Kind != c.kind || p.FirstDay() != c.first || p.LastDay() != c.last || p.Label() != c.label || p.Days() != c.days {
			t.Errorf("%q: %s %s %s–%s %q %d days", c.code, p.Code, p.Kind, p.FirstDay(), p.LastDay(), p.Label(), p.Days())
		}
		// The bounds are midnights in the unit's zone.
		if p.From.Location() != cst || p.From.Hour() != 0 || p.To.Hour() != 0 {
			t.Errorf("%q: bounds %v – %v", c.code, p.From, p.To)
		}
	}
	for _, bad := range []string{"", "2026-Q5", "2026-13", "2026-00", "2026-H3", "<script>alert(1)</script>", "1999", "2101",
		"2026-Q3; DROP TABLE", "2026-12-01~2026-11-01", "2026-02-30~2026-03-01", "2026-1", strings.Repeat("2026", 10000), "🙂"} {
		if _, err := period.Parse(bad, cst); !locale.HasKey(err, "period.invalid") {
			t.Errorf("%.40q: %v", bad, err)
		}
	}
	if _, err := period.Parse("2026-01-01~2027-06-30", cst); !locale.HasKey(err, "period.range_too_long") {
		t.Errorf("a range over a year: %v", err)
	}
	if _, err := period.Parse("2026-01-01~2026-12-31", cst); err != nil {
		t.Errorf("a range of a year: %v", err)
	}
}

func TestWholeMonthsAndContains(t *testing.T) {
	q, _ := period.Parse("2026-Q4", cst)
	r, _ := period.Parse("2026-10-01~2026-11-30", cst)
	part, _ := period.Parse("2026-10-08~2026-11-30", cst)
	if !q.WholeMonths() || !r.WholeMonths() || part.WholeMonths() {
		t.Errorf("whole months: %v %v %v", q.WholeMonths(), r.WholeMonths(), part.WholeMonths())
	}
	if r.FirstMonth() != "2026-10" || r.LastMonth() != "2026-11" {
		t.Errorf("months of %s: %s – %s", r.Code, r.FirstMonth(), r.LastMonth())
	}
	for date, in := range map[string]bool{"2026-09-30": false, "2026-10-01": true, "2026-12-31": true, "2027-01-01": false} {
		if q.Contains(date) != in {
			t.Errorf("Q4 contains %s: %v", date, !in)
		}
	}
}

func TestOfAndRecent(t *testing.T) {
	// The last minute of a year in Beijing is already the next year in no
	// zone but its own: the period follows the unit's zone.
	at := time.Date(2026, 12, 31, 23, 59, 0, 0, cst)
	if m := period.MonthOf(at.UTC(), cst); m.Code != "2026-12" {
		t.Errorf("month of %v: %s", at, m.Code)
	}
	if q := period.QuarterOf(time.Date(2027, 1, 1, 0, 0, 0, 0, cst).UTC(), cst); q.Code != "2027-Q1" {
		t.Errorf("quarter: %s", q.Code)
	}
	var codes []string
	for _, p := range period.Recent(time.Date(2026, 2, 10, 9, 0, 0, 0, cst), cst) {
		codes = append(codes, p.Code)
	}
	if got := strings.Join(codes, " "); got != "2026-02 2026-01 2025-12 2025-11 2025-10 2025-09 2026-Q1 2025-Q4 2025-Q3 2025-Q2" {
		t.Errorf("recent: %s", got)
	}
	b, _ := json.Marshal(period.QuarterOf(at, cst))
	if string(b) != `{"from":"2026-10-01","kind":"quarter","period":"2026-Q4","to":"2026-12-31"}` {
		t.Errorf("json: %s", b)
	}
}

func TestPrevious(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	for code, want := range map[string]string{"2026-01": "2025-12", "2026-03": "2026-02", "2026-Q1": "2025-Q4", "2026-Q3": "2026-Q2",
		"2026-H1": "2025-H2", "2026-H2": "2026-H1", "2026": "2025", "2026-11-01~2026-11-10": "2026-10-22~2026-10-31"} {
		p, err := period.Parse(code, loc)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Previous().Code; got != want {
			t.Errorf("before %s: %s, want %s", code, got, want)
		}
	}
}
