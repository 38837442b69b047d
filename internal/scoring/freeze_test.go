package scoring_test

import (
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/feedback"
	"wuliang/internal/orgtest"
	"wuliang/internal/scoring"
	"wuliang/internal/sitetest"
)

// A fact corrected after freezing: the frozen result stays as it was, the
// explain page says the facts moved, a correction is a second version
// whose difference names the window, and both are in the audit trail.
func TestFreezeThenCorrect(t *testing.T) {
	sitetest.DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		set, unit, q := sitetest.Centre(t, db)
		actor := audit.Actor{Name: "office"}
		live, err := set.Scoring.Score(ctx, unit.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		// The demo may have frozen the quarter already: this is then a
		// correction with nothing corrected yet.
		had, err := set.Schemes.FrozenVersions(ctx, unit.ID, q.Code)
		if err != nil {
			t.Fatal(err)
		}
		if live, err = set.Scoring.WithFacts(ctx, unit.ID, live); err != nil {
			t.Fatal(err)
		}
		v1, err := set.Schemes.Freeze(ctx, actor, unit.ID, live, "复核")
		if err != nil || v1.Version != len(had)+1 {
			t.Fatalf("freeze: %v %+v after %d versions", err, v1, len(had))
		}
		var window scoring.Result
		for _, r := range live.Levels[scoring.Window] {
			if !r.Vetoed() && r.Rank > 0 && (window.Rank == 0 || r.Rank < window.Rank) {
				window = r
			}
		}
		if window.Rank == 0 {
			t.Fatal("no window ranked in the demo's last full quarter")
		}

		// An upheld complaint about the window, sent inside the quarter.
		box := set.Feedback.WithClock(func() time.Time { return q.From.Add(50 * time.Hour) })
		code, err := box.Send(ctx, unit.ID, feedback.Input{Kind: "complaint", DepartmentID: window.Subject.ID, Body: "窗口人员态度生硬", Phone: "13800000000", Address: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
		msg, err := box.ByCode(ctx, unit.ID, code)
		if err != nil {
			t.Fatal(err)
		}
		office := orgtest.User(t, db, unit.ID, "freeze-office", accounts.RoleUnitAdmin, 0, 0)
		if err := set.Feedback.Handle(ctx, actor, office, unit.ID, msg.ID, feedback.Handling{Reply: "已核实,立即整改", Upheld: "yes"}); err != nil {
			t.Fatal(err)
		}

		kept, err := set.Schemes.FrozenVersion(ctx, unit.ID, q.Code, v1.Version)
		if err != nil {
			t.Fatal(err)
		}
		was, _ := kept.Scores.Result(scoring.Window, window.Subject.ID)
		if was.Total != window.Total || was.Vetoed() {
			t.Fatalf("the frozen result changed: %.2f vetoed %v, was %.2f", was.Total, was.Vetoed(), window.Total)
		}
		ex, err := set.Scoring.Explain(ctx, unit.ID, kept.Scores, scoring.Window, window.Subject.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(ex.Moved) != 1 || ex.Moved[0] != "upheld_complaints" {
			t.Errorf("explain of the frozen window: moved %v, want [upheld_complaints]", ex.Moved)
		}
		// The frozen version explains itself with the facts it was computed
		// from: the complaint filed since is not among them.
		if len(ex.Facts["upheld_complaints"]) != 0 || len(ex.Facts["on_time"]) != window.Parts[0].Sample {
			t.Errorf("frozen facts: %d complaints, %d cases for a sample of %d", len(ex.Facts["upheld_complaints"]), len(ex.Facts["on_time"]), window.Parts[0].Sample)
		}

		if _, err := set.Schemes.Freeze(ctx, actor, unit.ID, live, ""); err == nil {
			t.Error("a second version without a note was kept")
		}
		now, err := set.Scoring.Rescore(ctx, unit.ID, q, kept.SchemeVersion)
		if err != nil {
			t.Fatal(err)
		}
		v2, err := set.Schemes.Freeze(ctx, actor, unit.ID, now, "补记一件查实的投诉")
		if err != nil || v2.Version != v1.Version+1 {
			t.Fatalf("correction: %v %+v", err, v2)
		}
		changes := scoring.Diff(kept.Scores, now)
		var got *scoring.Change
		for i, c := range changes {
			if c.Level == scoring.Window && c.Subject.ID == window.Subject.ID {
				got = &changes[i]
			}
		}
		// The county split deducts 2 points per upheld complaint, and the
		// complaint vetoes.
		if got == nil || got.VetoedBefore || !got.VetoedAfter || got.TotalAfter != round2(window.Total-2) {
			t.Fatalf("difference of the window: %+v (was %.2f)", got, window.Total)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE unit_id = $1 AND entity = 'score_period' AND action = 'freeze'`, unit.ID).Scan(&n); err != nil || n != len(had)+2 {
			t.Errorf("audit: %d freeze records (%v), want %d", n, err, len(had)+2)
		}
		if err := set.Schemes.Publish(ctx, actor, unit.ID, q.Code, v2.Version); err != nil {
			t.Fatal(err)
		}
		pub, err := set.Schemes.Published(ctx, unit.ID, q.Code)
		if err != nil || pub.Version != v2.Version {
			t.Fatalf("published: %v v%d", err, pub.Version)
		}
		if err := set.Schemes.Publish(ctx, actor, unit.ID, q.Code, v1.Version); err != nil {
			t.Fatal(err)
		}
		if pub, _ = set.Schemes.Published(ctx, unit.ID, q.Code); pub.Version != v1.Version {
			t.Errorf("after publishing v%d again the portal shows v%d", v1.Version, pub.Version)
		}
	})
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
