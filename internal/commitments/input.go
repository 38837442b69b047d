package commitments

import (
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Input drafts or changes a commitment.
type Input struct {
	OwnerKind   string
	OwnerID     int64 // staff, department or branch id, by OwnerKind
	Category    string
	Body        string
	PeriodStart string
	PeriodEnd   string
	DueOn       string
}

var datePattern = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// ParseDate reads a date as people type it — 2026-09-30, 2026/9/30,
// 2026年9月30日, with full-width digits — and returns it as YYYY-MM-DD.
func ParseDate(s string) (string, bool) {
	m := datePattern.FindStringSubmatch(textnorm.FoldWidth(s))
	if m == nil {
		return "", false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || y < 2000 || y > 2100 {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// Normalize trims the text and writes dates as YYYY-MM-DD; a date that
// cannot be read is left as typed for Validate to report.
func (in *Input) Normalize() {
	in.Body = textnorm.CleanMultiline(in.Body)
	for _, p := range []*string{&in.PeriodStart, &in.PeriodEnd, &in.DueOn} {
		if d, ok := ParseDate(*p); ok {
			*p = d
		} else {
			*p = textnorm.CleanText(*p)
		}
	}
}

// Validate lists the problems that need no database.
func (in Input) Validate() locale.Problems {
	var ps locale.Problems
	if !slices.Contains([]string{OwnerStaff, OwnerWindow, OwnerBranch}, in.OwnerKind) || in.OwnerID <= 0 {
		ps.Add("owner", "commitment.owner_required")
	}
	if !slices.Contains(Categories, in.Category) {
		ps.Add("category", "commitment.category_invalid")
	}
	switch n := utf8.RuneCountInString(in.Body); {
	case n == 0:
		ps.Add("body", "commitment.body_required")
	case n > 500:
		ps.Add("body", "commitment.body_too_long", 500)
	}
	start, okStart := ParseDate(in.PeriodStart)
	end, okEnd := ParseDate(in.PeriodEnd)
	if !okStart {
		ps.Add("period_start", "commitment.date_invalid", textnorm.Abbreviate(in.PeriodStart, 20))
	}
	if !okEnd {
		ps.Add("period_end", "commitment.date_invalid", textnorm.Abbreviate(in.PeriodEnd, 20))
	}
	if okStart && okEnd && end < start {
		ps.Add("period_end", "commitment.end_before_start")
	}
	if in.DueOn != "" {
		due, ok := ParseDate(in.DueOn)
		switch {
		case !ok:
			ps.Add("due_on", "commitment.date_invalid", textnorm.Abbreviate(in.DueOn, 20))
		case okStart && due < start:
			ps.Add("due_on", "commitment.due_before_start")
		case okEnd && due > end:
			ps.Add("due_on", "commitment.due_after_end")
		}
	}
	return ps
}

// FulfilmentInput records a fulfilment.
type FulfilmentInput struct {
	OnDate   string
	Body     string
	FileName string
	Data     []byte
}

// MaxEvidenceBytes limits an evidence file.
const MaxEvidenceBytes = 10 << 20
