package calendar

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// OfficeHours are a unit's opening hours, e.g. 08:30–12:00 and 14:00–17:30.
// A case accepted after closing, or on a day off, counts as accepted at the
// opening of the next working day.
type OfficeHours struct {
	Open, Close time.Duration // since midnight
}

// DefaultHours are the common hours of a county service centre.
var DefaultHours = OfficeHours{Open: 8*time.Hour + 30*time.Minute, Close: 17*time.Hour + 30*time.Minute}

// hoursPattern is "08:30-17:30" (or 8:30~17:30), with spaces allowed
// around the parts; nothing before or after.
var hoursPattern = regexp.MustCompile(`^(\d{1,2}):(\d{2}) *[-~] *(\d{1,2}):(\d{2})$`)

// ParseHours reads "08:30-17:30": hours 0 to 24, minutes 0 to 59, and
// closing after opening (24:00 at the latest).
func ParseHours(s string) (OfficeHours, error) {
	m := hoursPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return OfficeHours{}, fmt.Errorf("calendar: office hours %q: want HH:MM-HH:MM", s)
	}
	var n [4]int
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1]) // at most two digits
	}
	if n[1] > 59 || n[3] > 59 {
		return OfficeHours{}, fmt.Errorf("calendar: office hours %q: minutes run to 59", s)
	}
	h := OfficeHours{Open: time.Duration(n[0])*time.Hour + time.Duration(n[1])*time.Minute, Close: time.Duration(n[2])*time.Hour + time.Duration(n[3])*time.Minute}
	if h.Close > 24*time.Hour || h.Close <= h.Open {
		return OfficeHours{}, fmt.Errorf("calendar: office hours %q: closing must follow opening, by 24:00", s)
	}
	return h, nil
}

// String writes the hours as ParseHours reads them.
func (h OfficeHours) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", int(h.Open.Hours()), int(h.Open.Minutes())%60, int(h.Close.Hours()), int(h.Close.Minutes())%60)
}

// AcceptedOn is the working day an act at moment t (in the unit's zone)
// counts for: that day when it is a working day and t is before closing,
// else the next working day.
func (c *Calendar) AcceptedOn(t time.Time, h OfficeHours) time.Time {
	day := dateOf(t)
	since := t.Sub(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location()))
	if !c.IsWorkday(day) || since >= h.Close {
		return c.NextWorkday(day.AddDate(0, 0, 1))
	}
	return day
}

// Deadline is the moment a case accepted at t with a limit of n working
// days is due: closing time of the n-th working day after the day it counts
// as accepted (the day of acceptance itself is not counted, as periods in
// Chinese administrative law are not). n = 0 (即办) is due at closing time
// of that day. The result is in t's location.
func (c *Calendar) Deadline(t time.Time, n int, h OfficeHours) time.Time {
	due := c.AddWorkdays(c.AcceptedOn(t, h), n)
	return time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, t.Location()).Add(h.Close)
}
