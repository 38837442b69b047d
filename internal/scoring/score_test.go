package scoring_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
	"wuliang/internal/sitetest"
)

// The demo centre's last full quarter, scored with the county split: every
// window and person is listed, the satisfaction part is the Wilson bound
// of the ratings report's own figures, windows under 30 ratings show
// 样本不足, and every indicator has its one source.
func TestScoreDemoQuarter(t *testing.T) {
	sitetest.DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		set, unit, q := sitetest.Centre(t, db)
		loc := org.Location(unit.Timezone)
		// The demo's older months are quiet: the unit sets a window's
		// minimum to 10 ratings, as a small centre would.
		const minimum = 10
		sc := scoring.CountyScheme()
		sc.Levels[0].Parts[3].MinSample = minimum
		saved, err := scoring.NewStore(db).Save(ctx, audit.Actor{Name: "test"}, unit.ID, sc, "小中心:窗口最少 10 条评价")
		if err != nil {
			t.Fatal(err)
		}
		got, err := set.Scoring.Score(ctx, unit.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		windows, _ := org.Windows(ctx, db, unit.ID)
		if len(got.Levels[scoring.Window]) != len(windows) || len(got.Levels[scoring.Person]) < 40 || got.SchemeVersion != saved {
			t.Fatalf("%d windows of %d, %d people, version %d", len(got.Levels[scoring.Window]), len(windows), len(got.Levels[scoring.Person]), got.SchemeVersion)
		}
		if len(got.Unsourced) > 0 {
			t.Errorf("weighed but unsourced: %v", got.Unsourced)
		}
		// Every indicator of the catalogue comes from exactly one source.
		offered := map[string]int{}
		for _, src := range set.Scoring.Sources {
			for _, ind := range src.Offers() {
				offered[ind]++
			}
		}
		for key := range scoring.Indicators {
			if offered[key] != 1 {
				t.Errorf("indicator %s is offered by %d sources", key, offered[key])
			}
		}
		rep, err := set.Ratings.Report(ctx, unit.ID, q.From, q.To)
		if err != nil {
			t.Fatal(err)
		}
		short, rated := 0, 0
		for _, r := range got.Levels[scoring.Window] {
			sat := r.Parts[3]
			if sat.Indicator != "satisfaction" {
				t.Fatalf("parts out of order: %+v", r.Parts)
			}
			for _, row := range rep.Windows {
				if row.ID != r.Subject.ID || row.Count == 0 {
					continue
				}
				rated++
				if row.Count < minimum {
					short++
					if sat.Gap != scoring.GapSample || sat.Points != 0 {
						t.Errorf("%s: %d ratings but %+v", r.Subject.Name, row.Count, sat)
					}
					continue
				}
				want := math.Round(scoring.Wilson(float64(row.Weighed.Good)/100, float64(row.Weighed.All)/100)*10000) / 10000
				if sat.Normalised != want || sat.Points != math.Round(20*want*100)/100 {
					t.Errorf("%s: satisfaction %+v, want %.4f", r.Subject.Name, sat, want)
				}
			}
			if r.Total < 0 || r.Total > 105 || (r.Rank == 0) != (len(r.Unranked) > 0) {
				t.Errorf("%s: total %.2f rank %d", r.Subject.Name, r.Total, r.Rank)
			}
		}
		// Monthly review scores: a person's part is the mean of the
		// published scores, calibrated within the meeting that gave them.
		// The demo's meetings are those of the two months before its moment.
		first := time.Date(sitetest.Demo.In(loc).Year(), sitetest.Demo.In(loc).Month(), 1, 0, 0, 0, 0, loc)
		months, err := period.Parse(first.AddDate(0, -2, 0).Format(time.DateOnly)+"~"+first.AddDate(0, 0, -1).Format(time.DateOnly), loc)
		if err != nil {
			t.Fatal(err)
		}
		recent, err := set.Scoring.Score(ctx, unit.ID, months)
		if err != nil {
			t.Fatal(err)
		}
		reviewed := 0
		for _, r := range recent.Levels[scoring.Person] {
			if g := r.Parts[1]; g.Indicator == "review_grade" && g.Gap == "" {
				reviewed++
				if g.Raw <= 0 || g.Raw > 100 || g.Calibrated == nil {
					t.Errorf("%s: review part %+v", r.Subject.Name, g)
				}
			}
		}
		if reviewed == 0 || slices.Contains(got.Unsourced, "review_grade") {
			t.Errorf("no person has a review score in the demo's last full quarter (%d)", reviewed)
		}
		if rated == 0 || short == rated {
			t.Fatalf("%d windows rated in the demo's last full quarter, %d under %d: nothing to check the bound on", rated, short, minimum)
		}
		t.Logf("%d windows rated, %d under the minimum sample", rated, short)
	})
}
