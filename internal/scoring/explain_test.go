package scoring_test

import (
	"testing"

	"wuliang/internal/database"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
	"wuliang/internal/sitetest"
)

// Every indicator's value is what its dated facts add up to: for each
// indicator at each level, on the demo's last full quarter and this one, the facts the
// explain page lists give the count, the total and the sample the score
// used — so a person who opens their score sees the very facts that made
// it, on both engines.
func TestFactsAddUp(t *testing.T) {
	sitetest.DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		set, unit, last := sitetest.Centre(t, db)
		loc := org.Location(unit.Timezone)
		roster, err := set.Scoring.Roster(ctx, unit.ID)
		if err != nil {
			t.Fatal(err)
		}
		sumOf := func(list []scoring.FactRef) (n, sum float64) {
			for _, f := range list {
				sum += f.Amount
			}
			return float64(len(list)), sum
		}
		// how each indicator's value is made of its facts
		checks := map[string]func(v scoring.Value, n, sum float64) bool{
			"satisfaction":       func(v scoring.Value, n, _ float64) bool { return float64(v.Sample) == n },
			"bad_ratings":        func(v scoring.Value, n, _ float64) bool { return v.Count == n },
			"rectified_on_time":  func(v scoring.Value, n, sum float64) bool { return v.Count == sum && v.Total == n },
			"on_time":            func(v scoring.Value, n, sum float64) bool { return v.Count == sum && v.Total == n },
			"notice_breaches":    func(v scoring.Value, n, _ float64) bool { return v.Count == n },
			"absences":           func(v scoring.Value, n, _ float64) bool { return v.Count == n },
			"deduction_points":   func(v scoring.Value, _, sum float64) bool { return v.Count == sum },
			"review_grade":       func(v scoring.Value, n, sum float64) bool { return near(v.Count, sum) && v.Total == n },
			"five_total":         func(v scoring.Value, n, sum float64) bool { return near(v.Count, sum) && v.Total == n },
			"five_branch":        func(v scoring.Value, n, sum float64) bool { return near(v.Count, sum) && v.Total == n },
			"five_leader":        func(v scoring.Value, n, sum float64) bool { return near(v.Count, sum) && v.Total == n },
			"democratic":         func(v scoring.Value, n, _ float64) bool { return (v.Sample > 0) == (n > 0) },
			"commitments_kept":   func(v scoring.Value, n, sum float64) bool { return v.Count == sum && v.Total == n },
			"commitments_broken": func(v scoring.Value, n, _ float64) bool { return v.Count == n },
			"upheld_complaints":  func(v scoring.Value, n, _ float64) bool { return v.Count == n },
			"commendations":      func(v scoring.Value, n, _ float64) bool { return v.Count == n },
			"bad_observations":   func(v scoring.Value, n, _ float64) bool { return v.Count == n },
		}
		for _, d := range activitiesDims {
			// the ranking's points are capped; the ledger is not
			checks["points_"+d] = func(v scoring.Value, _, sum float64) bool { return v.Count <= sum+0.005 }
		}
		seen := map[string]int{}
		for _, q := range []period.Period{last, period.QuarterOf(sitetest.Demo, loc)} {
			sc, err := set.Scoring.Score(ctx, unit.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			for ind, check := range checks {
				src := sourceOf(set.Scoring.Sources, ind)
				if src == nil {
					t.Fatalf("no source offers %s", ind)
				}
				all, err := src.Facts(ctx, unit.ID, q, ind)
				if err != nil {
					t.Fatal(err)
				}
				grouped := roster.Group(all)
				for _, level := range scoring.Levels {
					for _, r := range sc.Levels[level] {
						facts := grouped[level][r.Subject.ID]
						v := sc.Inputs[level][ind][r.Subject.ID]
						n, sum := sumOf(facts)
						if !check(v, n, sum) {
							t.Errorf("%s %s %s: value %+v, facts %v adding to %.2f", level, r.Subject.Name, ind, v, n, sum)
						}
						if n > 0 {
							seen[ind]++
						}
					}
				}
			}
		}
		// The demo has facts behind these, so the checks above compared
		// something.
		for _, ind := range []string{"satisfaction", "bad_ratings", "on_time", "review_grade", "five_total", "deduction_points", "upheld_complaints", "absences", "points_dedication"} {
			if seen[ind] == 0 {
				t.Errorf("no subject has facts for %s in %s or the quarter after", ind, last.Code)
			}
		}
	})
}

var activitiesDims = []string{"quality", "drive", "dedication", "innovation", "conduct"}

func sourceOf(list []scoring.Source, ind string) scoring.Source {
	for _, s := range list {
		for _, o := range s.Offers() {
			if o == ind {
				return s
			}
		}
	}
	return nil
}
