package period_test

import (
	"testing"
	"time"

	"wuliang/internal/period"
)

// A period code of any text is read or refused, never a panic; a period
// read runs forwards and reads back from its own code.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-11", "2026-Q4", "2026-H2", "2026", "2026-11-02~2026-11-30", "２０２６-Ｑ４", "2026-13", "0000-00", ""} {
		f.Add(s)
	}
	loc := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, code string) {
		p, err := period.Parse(code, loc)
		if err != nil {
			return
		}
		if !p.From.Before(p.To) {
			t.Fatalf("%q: from %v to %v", code, p.From, p.To)
		}
		again, err := period.Parse(p.Code, loc)
		if err != nil || !again.From.Equal(p.From) || !again.To.Equal(p.To) {
			t.Fatalf("%q → %q → %+v %v", code, p.Code, again, err)
		}
	})
}
