package scoring_test

import (
	"fmt"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/database"
	"wuliang/internal/orgtest"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
	"wuliang/internal/stores"
	"wuliang/internal/testdb"
)

// Each indicator from a handful of facts written straight into a small
// unit, on both engines, against the figure worked out by hand: 张三 (the
// window and the branch), 李四 (the window), in 2026-Q3.
func TestIndicatorValues(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "ind")
		office := orgtest.User(t, db, u.ID, "ind-office", accounts.RoleUnitAdmin, 0, 0)
		zhang, li := u.Staff[0], u.Staff[1]
		cst := time.FixedZone("CST", 8*3600)
		day := func(d int) time.Time { return time.Date(2026, 7, d, 10, 0, 0, 0, cst).UTC() }
		now := time.Now().UTC()
		// 张三's ratings at the window: 5, 5, 4, 2, 1 → 3 good of 5, 2 bad.
		levels := []int{5, 5, 4, 2, 1}
		testdb.Insert(t, db, "ratings", "unit_id, target, staff_id, department_id, level, channel, verified, created_at", len(levels), 8, func(i int) []any {
			return []any{u.ID, "staff", zhang, u.Window, levels[i], "qr", true, day(3 + i)}
		})
		// 张三's cases: three on time, one late, one open past its deadline → 3 of 5.
		testdb.Insert(t, db, "cases", "unit_id, no, recipient_name, channel, first_contact_id, handler_id, department_id, state, accepted_at, deadline, completed_at, overdue_at, rating_token, created_at, updated_at",
			5, 15, func(i int) []any {
				created, deadline := day(1+i), day(6+i)
				completed, overdue, state := any(day(3+i)), any(nil), "completed"
				switch i {
				case 3:
					completed, overdue = day(9+i), deadline
				case 4:
					completed, overdue, state = nil, deadline, "accepted"
				}
				return []any{u.ID, fmt.Sprintf("C%d", i), "群众", "counter", zhang, zhang, u.Window, state, created, deadline, completed, overdue, fmt.Sprintf("t%d", i), created, created}
			})
		// Accountability: 3 points deducted, and a 通报批评 (a veto).
		testdb.Insert(t, db, "accountability", "unit_id, staff_id, rule, source, facts, occurred_at, state, sanction, points, created_at", 2, 10, func(i int) []any {
			return []any{u.ID, zhang, "test", fmt.Sprint("s", i), "—", day(10 + i), "sanctioned", []string{"points", "circular"}[i], []int{3, 0}[i], now}
		})
		// Two spot checks finding 张三 absent: 2 absences, vetoed at the second.
		checks := testdb.Insert(t, db, "spot_checks", "unit_id, department_id, checked_at, checker, created_at", 2, 5, func(i int) []any {
			return []any{u.ID, u.Window, day(12 + i), "督查组", now}
		})
		testdb.Insert(t, db, "spot_check_entries", "unit_id, check_id, staff_id, status", 4, 4, func(i int) []any {
			return []any{u.ID, checks[i/2], []int64{zhang, li}[i%2], []string{"absent", "present"}[i%2]}
		})
		// An upheld complaint about 李四, praise for 张三, one dismissed.
		testdb.Insert(t, db, "feedback", "unit_id, code, kind, staff_id, department_id, body, state, upheld, created_at", 3, 9, func(i int) []any {
			return []any{u.ID, fmt.Sprint("IND", i), []string{"complaint", "praise", "complaint"}[i], []int64{li, zhang, li}[i], u.Window, "—", "replied", []any{true, nil, false}[i], day(14 + i)}
		})
		// A supervisor's bad observation of the window, naming no one; a good one.
		testdb.Insert(t, db, "observations", "unit_id, user_id, department_id, observed_at, good, body, nonce, created_at", 2, 8, func(i int) []any {
			return []any{u.ID, office.ID, u.Window, day(16 + i), i == 1, "—", fmt.Sprint("n", i), now}
		})
		// Commitments: 张三 kept one and partly kept one; 李四 broke one.
		testdb.Insert(t, db, "commitments", "unit_id, owner_kind, staff_id, category, body, period_start, period_end, state, outcome, created_by, created_at, updated_at", 3, 12, func(i int) []any {
			return []any{u.ID, "staff", []int64{zhang, zhang, li}[i], "service", "—", "2026-07-01", "2026-08-31", "closed", []string{"kept", "partly", "broken"}[i], office.ID, now, now}
		})
		// The window's July review: 张三 80, 李四 90.
		meeting := testdb.Insert(t, db, "review_meetings", "unit_id, month, scope, scope_id, created_by, created_at, published_at", 1, 7, func(int) []any {
			return []any{u.ID, "2026-07", "window", u.Window, office.ID, now, now}
		})
		testdb.Insert(t, db, "review_entries", "unit_id, meeting_id, staff_id, attitude, quality, efficiency, discipline, score_centi, updated_at", 2, 9, func(i int) []any {
			return []any{u.ID, meeting[0], []int64{zhang, li}[i], 4, 4, 4, 4, []int{8000, 9000}[i], now}
		})
		// 五比: 张三 1.50 on 比素质.
		kinds, err := activities.NewStore(db).Kinds(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var quality int64
		for _, k := range kinds {
			if k.Dimension == activities.Quality && quality == 0 {
				quality = k.ID
			}
		}
		testdb.Insert(t, db, "point_entries", "unit_id, staff_id, kind_id, dimension, on_date, month, points_centi, source, source_id, created_at", 1, 10, func(int) []any {
			return []any{u.ID, zhang, quality, activities.Quality, "2026-07-20", "2026-07", 150, "test", 1, now}
		})

		set := stores.New(db)
		t.Cleanup(set.Close)
		q, _ := period.Parse("2026-Q3", cst)
		sc, err := set.Scoring.Score(ctx, u.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		type want struct {
			level        scoring.Level
			id           int64
			indicator    string
			count, total float64
			sample       int
			raw          float64 // as the indicator's measure reads it
		}
		P, W, B := scoring.Person, scoring.Window, scoring.Branch
		cases := []want{
			{P, zhang, "satisfaction", 3, 5, 5, 0.6},
			{W, u.Window, "satisfaction", 3, 5, 5, 0.6},
			{P, zhang, "bad_ratings", 2, 0, 5, 2},
			{P, zhang, "on_time", 3, 5, 5, 0.6},
			{W, u.Window, "on_time", 3, 5, 5, 0.6},
			{P, zhang, "notice_breaches", 0, 5, 5, 0},
			{P, zhang, "deduction_points", 3, 0, 2, 3},
			{W, u.Window, "deduction_points", 3, 0, 2, 3},
			{B, u.Branch, "deduction_points", 3, 0, 2, 3},
			{P, zhang, "absences", 2, 0, 2, 2},
			{W, u.Window, "absences", 2, 0, 2, 2},
			{P, li, "upheld_complaints", 1, 0, 1, 1},
			{W, u.Window, "upheld_complaints", 1, 0, 1, 1},
			{P, zhang, "commendations", 1, 0, 1, 1},
			{W, u.Window, "bad_observations", 1, 0, 1, 1},
			{P, zhang, "commitments_kept", 1.5, 2, 2, 0.75},
			{W, u.Window, "commitments_kept", 1.5, 3, 3, 0.5},
			{P, li, "commitments_broken", 1, 0, 1, 1},
			{P, zhang, "review_grade", 80, 1, 1, 80},
			{W, u.Window, "review_grade", 170, 2, 2, 85},
			{B, u.Branch, "review_grade", 80, 1, 1, 80},
			{P, zhang, "points_quality", 1.5, 1, 1, 1.5},
			{W, u.Window, "points_quality", 1.5, 2, 2, 0.75},
		}
		for _, c := range cases {
			v := sc.Inputs[c.level][c.indicator][c.id]
			raw, _ := v.Raw(scoring.Indicators[c.indicator].Measure)
			if !near(v.Count, c.count) || !near(v.Total, c.total) || v.Sample != c.sample || !near(raw, c.raw) {
				t.Errorf("%s %d %s: %+v raw %.4f, want count %.2f total %.2f sample %d raw %.4f", c.level, c.id, c.indicator, v, raw, c.count, c.total, c.sample, c.raw)
			}
		}
		// Vetoes: the 通报批评, the second absence and the 非常不满意 not
		// rectified veto 张三 and the window; the upheld complaint 李四 and the window.
		rules := func(level scoring.Level, id int64) map[string]bool {
			r, _ := sc.Result(level, id)
			out := map[string]bool{}
			for _, v := range r.Vetoes {
				out[v.Rule] = true
			}
			return out
		}
		for _, c := range []struct {
			level scoring.Level
			id    int64
			rules []string
		}{
			{P, zhang, []string{"accountability_circular", "absent_twice", "unrectified_very_dissatisfied"}},
			{P, li, []string{"complaint_upheld"}},
			{W, u.Window, []string{"accountability_circular", "absent_twice", "unrectified_very_dissatisfied", "complaint_upheld"}},
		} {
			got := rules(c.level, c.id)
			if len(got) != len(c.rules) {
				t.Errorf("%s %d vetoed by %v, want %v", c.level, c.id, got, c.rules)
			}
			for _, r := range c.rules {
				if !got[r] {
					t.Errorf("%s %d not vetoed by %s (%v)", c.level, c.id, r, got)
				}
			}
		}
	})
}
