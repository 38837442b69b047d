package calendar_test

import (
	"strings"
	"testing"
	"time"

	"wuliang/internal/calendar"
	"wuliang/internal/textnorm"
)

// A calendar file of any bytes is read or refused, never a panic; what is
// read is dated, of a known kind, and clean text.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("# 2027\n2027-01-01,off,元旦,国办发明电〔2026〕1号\n2027-02-07,work,春节调休,\n"))
	f.Add([]byte("2027-13-01,off,x,y"))
	f.Add([]byte("2027-01-01,off,\x00元\u202e旦\a,x\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		days, err := calendar.ParseCSV(data)
		if err != nil {
			return
		}
		if len(days) > calendar.MaxFileDays {
			t.Fatalf("%d days read", len(days))
		}
		for _, d := range days {
			if _, err := time.Parse(time.DateOnly, d.Date); err != nil || (d.Kind != calendar.Off && d.Kind != calendar.Work) {
				t.Fatalf("read %+v", d)
			}
			if textnorm.HasHostile(d.Name+d.Source) || strings.ContainsAny(d.Name+d.Source, "\n\r") {
				t.Fatalf("unclean text %q %q", d.Name, d.Source)
			}
		}
	})
}

// A typed moment is read or refused, never a panic, and what is read is a
// moment of this era.
func FuzzParseMoment(f *testing.F) {
	for _, s := range []string{"2026-11-02 09:30", "2026-11-02T09:30", "２０２６-１１-０２ ０９:３０", "明天", "2026-02-30 25:61", ""} {
		f.Add(s)
	}
	loc := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, s string) {
		at, ok := calendar.ParseMoment(s, loc)
		if ok && (at.Year() < 1 || at.Year() > 9999) {
			t.Fatalf("%q read as %v", s, at)
		}
	})
}

// Office hours of any text are read or refused, never a panic.
func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"08:30-12:00,14:30-17:30", "９:００-１７:００", "17:00-09:00", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := calendar.ParseHours(s)
		if err != nil {
			return
		}
		// Hours read are a day's hours, and come back from their text.
		if h.Open < 0 || h.Close > 24*time.Hour || h.Close <= h.Open || h.Open%time.Minute != 0 || h.Close%time.Minute != 0 {
			t.Fatalf("%q read as %v", s, h)
		}
		if again, err := calendar.ParseHours(h.String()); err != nil || again != h {
			t.Fatalf("%q read as %v, whose text %q reads as %v, %v", s, h, h.String(), again, err)
		}
	})
}
