package calendar

import (
	"strings"
	"time"

	"wuliang/internal/textnorm"
)

// ParseMoment reads a date and time as people and browsers write them, in
// loc: "2026-11-27 09:30", "2026-11-27T09:30", full-width digits too.
func ParseMoment(s string, loc *time.Location) (time.Time, bool) {
	s = strings.Replace(textnorm.FoldWidth(strings.Replace(s, "T", "", 1)), "/", "-", -1)
	for _, layout := range []string{"2006-01-0215:04", "2006-01-0215:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
