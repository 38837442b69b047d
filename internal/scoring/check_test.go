package scoring_test

import (
	"slices"
	"strings"
	"testing"

	"wuliang/internal/locale"
	"wuliang/internal/scoring"
)

func TestCountySchemeIsValid(t *testing.T) {
	if ps := scoring.CountyScheme().Check(scoring.Indicators); len(ps) > 0 {
		t.Fatalf("the shipped scheme is refused: %v", ps)
	}
}

// Bad schemes are refused with every problem named by its field.
func TestSchemeCheck(t *testing.T) {
	edit := func(f func(s *scoring.Scheme)) scoring.Scheme {
		s := scoring.CountyScheme()
		f(&s)
		return s
	}
	for _, c := range []struct {
		name   string
		scheme scoring.Scheme
		field  string
		key    string
	}{
		{"weights do not add up", edit(func(s *scoring.Scheme) { s.Levels[0].Parts[0].Weight = 31 }), "window.weights", "scoring.weights_sum"},
		{"a negative cap", edit(func(s *scoring.Scheme) { s.Levels[0].Deductions[0].Cap = -5 }), "window.deductions.0.cap", "scoring.cap_invalid"},
		{"a minimum sample of zero", edit(func(s *scoring.Scheme) { s.Levels[0].Parts[3].MinSample = 0 }), "window.parts.3.min_sample", "scoring.min_sample_zero"},
		{"an indicator nobody offers", edit(func(s *scoring.Scheme) { s.Levels[0].Parts[1].Indicator = "other-unit:42" }), "window.parts.1.indicator", "scoring.indicator_unknown"},
		{"an indicator not of the level", edit(func(s *scoring.Scheme) { s.Levels[0].Parts[1].Indicator = "five_total" }), "window.parts.1.indicator", "scoring.indicator_unknown"},
		{"one indicator twice", edit(func(s *scoring.Scheme) { s.Levels[0].Parts[1].Indicator = "on_time" }), "window.parts.1.indicator", "scoring.indicator_twice"},
		{"two vetoes on one fact", edit(func(s *scoring.Scheme) { s.Vetoes = append(s.Vetoes, "complaint_upheld") }), "vetoes", "scoring.veto_twice"},
		{"an unknown veto", edit(func(s *scoring.Scheme) { s.Vetoes = []string{"<script>"} }), "vetoes", "scoring.veto_unknown"},
		{"Wilson on a count", edit(func(s *scoring.Scheme) {
			s.Levels[0].Parts[0].Normalise = scoring.NormaliseWilson
			s.Levels[0].Parts[0].Indicator = "bad_ratings"
		}),
			"window.parts.0.normalise", "scoring.wilson_share_only"},
		{"a scale without full marks", edit(func(s *scoring.Scheme) { s.Levels[0].Parts[0].Full = 0 }), "window.parts.0.full", "scoring.full_invalid"},
		{"calibrating what no rater gave", edit(func(s *scoring.Scheme) { s.Levels[0].Parts[0].Calibrated = true }), "window.parts.0.calibrated", "scoring.not_calibratable"},
		{"no missing rule", edit(func(s *scoring.Scheme) { s.Levels[1].Missing = "" }), "person.missing", "scoring.missing_invalid"},
		{"a level twice", edit(func(s *scoring.Scheme) { s.Levels[2].Level = scoring.Window }), "levels", "scoring.level_invalid"},
		{"tiers over half", edit(func(s *scoring.Scheme) { s.Tiers.Leading = 60 }), "tiers", "scoring.tiers_invalid"},
		{"a negative weight", edit(func(s *scoring.Scheme) { s.Levels[0].Parts[0].Weight = -30; s.Levels[0].Parts[1].Weight = 90 }), "window.parts.0.weight", "scoring.weight_invalid"},
		{"nothing", scoring.Scheme{}, "levels", "scoring.no_levels"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps := c.scheme.Check(scoring.Indicators)
			if !slices.ContainsFunc(ps, func(p locale.Problem) bool { return p.Field == c.field && p.Err.Key == c.key }) {
				t.Fatalf("want %s on %s, got %v", c.key, c.field, ps)
			}
			for _, p := range ps {
				if msg := locale.NewPrinter("zh_CN").Message(p.Err); msg == "" || strings.Contains(msg, "scoring.") {
					t.Errorf("%s has no Chinese message: %q", p.Err.Key, msg)
				}
			}
		})
	}
}
