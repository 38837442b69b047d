// Package period is the one notion of a reporting period that every page,
// export and API shares: a month ("2026-10"), a quarter ("2026-Q4"), a
// half ("2026-H1"), a year ("2026") or a range of days
// ("2026-10-08~2026-11-20"), with its bounds in the unit's time zone and a
// Chinese label.
package period

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Kinds of period.
const (
	Month   = "month"
	Quarter = "quarter"
	Half    = "half"
	Year    = "year"
	Range   = "range"
)

// MaxRangeDays bounds a range of days: longer spans are years.
const MaxRangeDays = 366

// Period is a span of days, [From, To), in the zone it was made in.
type Period struct {
	Code     string
	Kind     string
	From, To time.Time
}

var (
	calendarCode = regexp.MustCompile(`^(\d{4})(?:-(?:(\d{2})|[Qq]([1-4])|[Hh]([12])))?$`)
	rangeCode    = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:~|\.\.|至)(\d{4}-\d{2}-\d{2})$`)
)

// Parse reads a period code as people type it (full-width digits too) in
// loc. A wrong one is a problem of the field "period".
func Parse(code string, loc *time.Location) (Period, error) {
	code = textnorm.FoldWidth(code)
	if m := rangeCode.FindStringSubmatch(code); m != nil {
		return parseRange(m[1], m[2], loc)
	}
	m := calendarCode.FindStringSubmatch(code)
	if m == nil {
		return Period{}, invalid()
	}
	year, _ := strconv.Atoi(m[1])
	if year < 2000 || year > 2100 {
		return Period{}, invalid()
	}
	start := func(month int) time.Time { return time.Date(year, time.Month(month), 1, 0, 0, 0, 0, loc) }
	switch {
	case m[2] != "":
		month, _ := strconv.Atoi(m[2])
		if month < 1 || month > 12 {
			return Period{}, invalid()
		}
		return Period{Code: m[1] + "-" + m[2], Kind: Month, From: start(month), To: start(month).AddDate(0, 1, 0)}, nil
	case m[3] != "":
		q, _ := strconv.Atoi(m[3])
		return Period{Code: m[1] + "-Q" + m[3], Kind: Quarter, From: start(3*q - 2), To: start(3*q-2).AddDate(0, 3, 0)}, nil
	case m[4] != "":
		h, _ := strconv.Atoi(m[4])
		return Period{Code: m[1] + "-H" + m[4], Kind: Half, From: start(6*h - 5), To: start(6*h-5).AddDate(0, 6, 0)}, nil
	}
	return Period{Code: m[1], Kind: Year, From: start(1), To: start(1).AddDate(1, 0, 0)}, nil
}

func parseRange(first, last string, loc *time.Location) (Period, error) {
	from, err1 := time.ParseInLocation(time.DateOnly, first, loc)
	to, err2 := time.ParseInLocation(time.DateOnly, last, loc)
	if err1 != nil || err2 != nil || from.Year() < 2000 || to.Year() > 2100 || to.Before(from) {
		return Period{}, invalid()
	}
	end := to.AddDate(0, 0, 1)
	if end.Sub(from) > MaxRangeDays*24*time.Hour+time.Hour {
		return Period{}, locale.FieldProblem("period", "period.range_too_long", MaxRangeDays)
	}
	return Period{Code: first + "~" + last, Kind: Range, From: from, To: end}, nil
}

func invalid() error { return locale.FieldProblem("period", "period.invalid") }

// MonthOf is the month t falls in, in loc.
func MonthOf(t time.Time, loc *time.Location) Period {
	p, _ := Parse(t.In(loc).Format("2006-01"), loc)
	return p
}

// QuarterOf is the quarter t falls in, in loc.
func QuarterOf(t time.Time, loc *time.Location) Period {
	t = t.In(loc)
	p, _ := Parse(fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())+2)/3), loc)
	return p
}

// Recent lists the periods a page offers: the last six months, then the
// last four quarters, newest first.
func Recent(now time.Time, loc *time.Location) []Period {
	var out []Period
	t := now.In(loc)
	for i := range 6 {
		out = append(out, MonthOf(time.Date(t.Year(), t.Month()-time.Month(i), 1, 0, 0, 0, 0, loc), loc))
	}
	for i := range 4 {
		out = append(out, QuarterOf(time.Date(t.Year(), t.Month()-time.Month(3*i), 1, 0, 0, 0, 0, loc), loc))
	}
	return out
}

// Previous is the period of the same kind just before p: the month
// before a month, the quarter before a quarter, the half or year before;
// for a range, the same number of days before it.
func (p Period) Previous() Period {
	loc := p.From.Location()
	day := p.From.AddDate(0, 0, -1)
	switch p.Kind {
	case Month:
		return MonthOf(day, loc)
	case Quarter:
		return QuarterOf(day, loc)
	case Half, Year:
		code := day.Format("2006")
		if p.Kind == Half {
			code += map[bool]string{true: "-H1", false: "-H2"}[day.Month() <= time.June]
		}
		q, _ := Parse(code, loc)
		return q
	}
	q, _ := parseRange(p.From.AddDate(0, 0, -p.Days()).Format(time.DateOnly), day.Format(time.DateOnly), loc)
	return q
}

// Label names the period in Chinese.
func (p Period) Label() string {
	switch p.Kind {
	case Month:
		return p.From.Format("2006 年 1 月")
	case Quarter:
		return fmt.Sprintf("%d 年第 %d 季度", p.From.Year(), (int(p.From.Month())+2)/3)
	case Half:
		return fmt.Sprintf("%d 年%s半年", p.From.Year(), map[bool]string{true: "上", false: "下"}[p.From.Month() == time.January])
	case Year:
		return fmt.Sprintf("%d 年", p.From.Year())
	}
	return p.FirstDay() + " 至 " + p.LastDay()
}

// FirstDay and LastDay are the period's first and last dates.
func (p Period) FirstDay() string { return p.From.Format(time.DateOnly) }
func (p Period) LastDay() string  { return p.To.AddDate(0, 0, -1).Format(time.DateOnly) }

// FirstMonth and LastMonth are the months the period touches, "2026-07".
func (p Period) FirstMonth() string { return p.From.Format("2006-01") }
func (p Period) LastMonth() string  { return p.To.AddDate(0, 0, -1).Format("2006-01") }

// WholeMonths reports whether the period is made of whole months, as the
// monthly sums of the points ledger need.
func (p Period) WholeMonths() bool {
	return p.Kind != Range || (p.From.Day() == 1 && p.To.Day() == 1)
}

// Contains reports whether a date ("2026-07-15") falls in the period.
func (p Period) Contains(date string) bool {
	return date >= p.FirstDay() && date <= p.LastDay()
}

// Days is how many days the period spans.
func (p Period) Days() int {
	y1, m1, d1 := p.From.Date()
	y2, m2, d2 := p.To.Date()
	return int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// MarshalJSON writes the code, the kind and the first and last dates.
func (p Period) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"period": p.Code, "kind": p.Kind, "from": p.FirstDay(), "to": p.LastDay()})
}
