// Package calendar knows which days are working days: weekends, the
// statutory holidays and make-up working days (调休) of the State Council's
// yearly notices (shipped in national.csv, each row naming its notice), and
// a unit's own days off or next year's notice, which the unit adds itself.
// Deadlines of time-limited completion (限时办结) are counted on it.
package calendar

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"wuliang/internal/textnorm"
)

// Kinds of listed day.
const (
	Off  = "off"  // a day off, also on a weekday
	Work = "work" // a working day, also on a weekend (调休)
)

// Day is a listed day.
type Day struct {
	Date   string `json:"date"` // YYYY-MM-DD
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Source string `json:"source"`
}

//go:embed national.csv
var nationalCSV []byte

var national = mustParse(nationalCSV)

// mustParse reads the shipped table; a malformed one is a build defect.
func mustParse(data []byte) map[string]Day {
	days, err := ParseCSV(data)
	if err != nil {
		panic(err)
	}
	m := map[string]Day{}
	for _, d := range days {
		m[d.Date] = d
	}
	return m
}

// MaxFileDays bounds a calendar file: a dozen years of holidays.
const MaxFileDays = 1000

// ParseCSV reads days as "date,kind,name,source" lines; # starts a comment.
// Each field is cleaned as typed text is.
func ParseCSV(data []byte) ([]Day, error) {
	var out []Day
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if len(out) == MaxFileDays {
			return nil, fmt.Errorf("calendar: more than %d days", MaxFileDays)
		}
		f := strings.SplitN(text, ",", 4)
		for len(f) < 4 {
			f = append(f, "")
		}
		d := Day{Date: textnorm.CleanText(f[0]), Kind: textnorm.CleanText(f[1]), Name: textnorm.CleanText(f[2]), Source: textnorm.CleanText(f[3])}
		if _, err := time.Parse(time.DateOnly, d.Date); err != nil || (d.Kind != Off && d.Kind != Work) {
			return nil, fmt.Errorf("calendar: line %d: %q is not date,off|work,name,source", line, text)
		}
		out = append(out, d)
	}
	return out, sc.Err()
}

// Calendar answers which days are working days.
type Calendar struct {
	days map[string]Day
}

// National is the calendar of the shipped notices.
func National() *Calendar { return &Calendar{days: national} }

// With returns the calendar with a unit's own days laid over it; a unit's
// day wins over the national one of the same date.
func (c *Calendar) With(local []Day) *Calendar {
	m := make(map[string]Day, len(c.days)+len(local))
	for k, v := range c.days {
		m[k] = v
	}
	for _, d := range local {
		m[d.Date] = d
	}
	return &Calendar{days: m}
}

// Covers reports whether the calendar lists any day of year: a year with
// no notice yet is counted on weekends alone, which callers may want to say.
func (c *Calendar) Covers(year int) bool {
	prefix := fmt.Sprintf("%04d-", year)
	for k := range c.days {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// Day returns the listed day of a date, if any.
func (c *Calendar) Day(date time.Time) (Day, bool) {
	d, ok := c.days[date.Format(time.DateOnly)]
	return d, ok
}

// IsWorkday reports whether date is a working day.
func (c *Calendar) IsWorkday(date time.Time) bool {
	if d, ok := c.Day(date); ok {
		return d.Kind == Work
	}
	wd := date.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// dateOf drops the time of day.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AddWorkdays returns the n-th working day after date; n = 0 returns date.
func (c *Calendar) AddWorkdays(date time.Time, n int) time.Time {
	d := dateOf(date)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// NextWorkday returns the first working day on or after date.
func (c *Calendar) NextWorkday(date time.Time) time.Time {
	d := dateOf(date)
	for !c.IsWorkday(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// Between counts the working days after a up to and including b; it is
// negative when b is before a.
func (c *Calendar) Between(a, b time.Time) int {
	a, b = dateOf(a), dateOf(b)
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return sign * n
}

// Year lists the calendar's listed days of a year in date order.
func (c *Calendar) Year(year int) []Day {
	var out []Day
	for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		if day, ok := c.Day(d); ok {
			out = append(out, day)
		}
	}
	return out
}
