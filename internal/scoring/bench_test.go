package scoring_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"wuliang/internal/activities"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
	"wuliang/internal/stores"
	"wuliang/internal/testdb"
)

// BenchmarkScoreQuarter scores a quarter of a unit of 5,000 people (50
// windows, 10 branches) with 500,000 facts of every kind the scheme reads:
// cases, ratings, 五比 points, review lines, accountability decisions,
// spot-check findings, complaints and praise, supervisors' observations
// and commitments — every level, every part, the vetoes.
//
//	go test ./internal/scoring -run '^$' -bench ScoreQuarter -benchtime 5x -count 5
func BenchmarkScoreQuarter(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *database.DB
	}{{"sqlite", testdb.SQLite}, {"postgres", testdb.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			unitID, err := loadUnit(context.Background(), db, "bench", 5000, 500000)
			if err != nil {
				b.Fatal(err)
			}
			set := stores.New(db)
			b.Cleanup(set.Close)
			q := benchQuarter()
			b.ResetTimer()
			for b.Loop() {
				sc, err := set.Scoring.Score(ctx, unitID, q)
				if err != nil || len(sc.Levels[scoring.Person]) != 5000 || len(sc.Levels[scoring.Window]) != 50 {
					b.Fatalf("%d people, %d windows, %v", len(sc.Levels[scoring.Person]), len(sc.Levels[scoring.Window]), err)
				}
			}
		})
	}
}

// province is 100 units of 1,000 people with 100,000 facts each: ten
// million facts on one PostgreSQL, built once per test binary.
var province = testdb.NewTemplate("province", func(ctx context.Context, dsn string) error {
	db, err := database.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	for u := range 100 {
		if _, err := loadUnit(ctx, db, fmt.Sprintf("p%03d", u), 1000, 100000); err != nil {
			return err
		}
	}
	return nil
})

// BenchmarkScoreProvince scores on a province-sized PostgreSQL database
// (100 units, 100,000 people, 10 million facts): one unit's quarter, and
// every unit's quarter one after another (two at a time, as the two cores
// allow).
//
//	WULIANG_TEST_POSTGRES=… go test ./internal/scoring -run '^$' -bench ScoreProvince -benchtime 3x -count 3 -timeout 60m
func BenchmarkScoreProvince(b *testing.B) {
	if os.Getenv("WULIANG_TEST_POSTGRES") == "" {
		b.Skip("WULIANG_TEST_POSTGRES is not set: the province is a PostgreSQL deployment")
	}
	db := testdb.Open(b, province.SharedDSN(b, database.Postgres))
	set := stores.New(db)
	b.Cleanup(set.Close)
	units, err := set.Org.Units(ctx)
	if err != nil || len(units) != 100 {
		b.Fatalf("%d units, %v", len(units), err)
	}
	q := benchQuarter()
	score := func(u org.Unit) {
		sc, err := set.Scoring.Score(ctx, u.ID, q)
		if err != nil || len(sc.Levels[scoring.Person]) != 1000 {
			b.Fatalf("%s: %d people, %v", u.Code, len(sc.Levels[scoring.Person]), err)
		}
	}
	b.Run("one unit", func(b *testing.B) {
		for b.Loop() {
			score(units[37])
		}
	})
	b.Run("all units", func(b *testing.B) {
		for b.Loop() {
			work := make(chan org.Unit)
			var wg sync.WaitGroup
			for range 2 {
				wg.Go(func() {
					for u := range work {
						score(u)
					}
				})
			}
			for _, u := range units {
				work <- u
			}
			close(work)
			wg.Wait()
		}
	})
}

// benchQuarter is the quarter the loaded facts fall in.
func benchQuarter() period.Period {
	q, _ := period.Parse("2026-Q3", time.FixedZone("CST", 8*3600))
	return q
}

// loadUnit writes a unit of people, its windows (one per hundred people)
// and branches (one per five hundred), and facts of every kind, straight
// into the tables: the benchmarks measure scoring, not the forms. Of the
// facts, 40% are cases and 40% ratings, 12% 五比 points, three review
// lines a person, and the rest accountability, spot checks, complaints,
// observations and commitments in equal parts.
func loadUnit(ctx context.Context, db *database.DB, code string, people, facts int) (int64, error) {
	now := time.Now().UTC()
	unitID, err := org.NewStore(db).CreateUnit(ctx, audit.Actor{Name: "bench"}, org.UnitInput{Code: code, Name: code + " 服务中心", Kind: "center"})
	if err != nil {
		return 0, err
	}
	var failed error
	insert := func(table, cols string, n, width int, row func(i int) []any) []int64 {
		if failed != nil {
			return nil
		}
		ids, err := testdb.InsertRows(ctx, db, table, cols, n, width, row)
		failed = err
		return ids
	}
	nw, nb := max(1, people/100), max(1, people/500)
	windows := insert("departments", "unit_id, name, kind, window_no, active, created_at, updated_at", nw, 7, func(i int) []any {
		return []any{unitID, fmt.Sprintf("窗口%02d", i), "window", fmt.Sprintf("%d号", i+1), true, now, now}
	})
	branches := insert("branches", "unit_id, name, active, created_at, updated_at", nb, 5, func(i int) []any {
		return []any{unitID, fmt.Sprintf("第%d支部", i+1), true, now, now}
	})
	staff := insert("staff", "unit_id, name, employee_no, department_id, branch_id, active, created_at, updated_at", people, 8, func(i int) []any {
		return []any{unitID, fmt.Sprintf("人员%05d", i), fmt.Sprintf("B%05d", i), windows[i%nw], branches[i%nb], true, now, now}
	})
	users := insert("users", "unit_id, username, password_hash, role, created_at, updated_at", 1, 6, func(int) []any {
		return []any{unitID, code + "-office", "-", "unit_admin", now, now}
	})
	if failed != nil {
		return 0, failed
	}
	kinds, err := activities.NewStore(db).Kinds(ctx, unitID)
	if err != nil {
		return 0, err
	}
	byDim := map[string]int64{}
	for _, k := range kinds {
		if k.Form != activities.FormConduct && byDim[k.Dimension] == 0 {
			byDim[k.Dimension] = k.ID
		}
	}
	cst := time.FixedZone("CST", 8*3600)
	start := time.Date(2026, 7, 1, 9, 0, 0, 0, cst)
	at := func(i int) time.Time {
		return start.Add(time.Duration(i%80)*24*time.Hour + time.Duration(i%7)*time.Hour).UTC()
	}
	person := func(i int) (int64, int64) { return staff[i%people], windows[(i%people)%nw] }
	nCases, nRatings, nPoints := facts*2/5, facts*2/5, facts*12/100
	rest := max(1, (facts-nCases-nRatings-nPoints-3*people)/6)
	insert("cases", "unit_id, no, recipient_name, channel, first_contact_id, handler_id, department_id, state, time_limit_days, accepted_at, deadline, completed_at, overdue_at, rating_token, created_at, updated_at",
		nCases, 16, func(i int) []any {
			s, w := person(i)
			created := at(i)
			deadline := created.Add(5 * 24 * time.Hour)
			state, completed, overdue := "completed", any(created.Add(2*24*time.Hour)), any(nil)
			switch {
			case i%20 == 0:
				state, completed, overdue = "accepted", nil, deadline
			case i%10 == 0:
				completed, overdue = deadline.Add(24*time.Hour), deadline
			}
			return []any{unitID, fmt.Sprintf("%s-%07d", code, i), "群众", "counter", s, s, w, state, 5, created, deadline, completed, overdue, fmt.Sprintf("%s-t%07d", code, i), created, created}
		})
	insert("ratings", "unit_id, target, staff_id, department_id, level, channel, verified, created_at", nRatings, 8, func(i int) []any {
		s, w := person(i * 7)
		level := 5
		switch {
		case i%97 == 0:
			level = 1
		case i%13 == 0:
			level = 3
		case i%5 == 0:
			level = 4
		}
		return []any{unitID, "staff", s, w, level, "qr", true, at(i)}
	})
	insert("point_entries", "unit_id, staff_id, kind_id, dimension, on_date, month, points_centi, source, source_id, created_at", nPoints, 10, func(i int) []any {
		dim := activities.Dimensions[i%4] // conduct is a deduction form
		s, _ := person(i * 3)
		day := at(i).In(cst).Format(time.DateOnly)
		return []any{unitID, s, byDim[dim], dim, day, day[:7], 100 + i%300, "bench", i, now}
	})
	months := []string{"2026-07", "2026-08", "2026-09"}
	meetings := insert("review_meetings", "unit_id, month, scope, scope_id, created_by, created_at, published_at", 3*nw, 7, func(i int) []any {
		return []any{unitID, months[i/nw], "window", windows[i%nw], users[0], now, now}
	})
	insert("review_entries", "unit_id, meeting_id, staff_id, attitude, quality, efficiency, discipline, score_centi, updated_at", 3*people, 9, func(i int) []any {
		m, p := i/people, i%people
		g := 1 + (p+m)%4
		return []any{unitID, meetings[m*nw+p%nw], staff[p], g, 4, 3, 4, 6000 + g*1000, now}
	})
	insert("accountability", "unit_id, staff_id, rule, source, facts, occurred_at, state, sanction, points, created_at", rest, 10, func(i int) []any {
		s, _ := person(i * 11)
		sanction, points := "points", 1+i%3
		if i%9 == 0 {
			sanction, points = "circular", 0
		}
		return []any{unitID, s, "bench", fmt.Sprintf("bench:%d", i), "—", at(i), "sanctioned", sanction, points, now}
	})
	checks := insert("spot_checks", "unit_id, department_id, checked_at, checker, created_at", max(1, rest/5), 5, func(i int) []any {
		return []any{unitID, windows[i%nw], at(i * 13), "督查组", now}
	})
	insert("spot_check_entries", "unit_id, check_id, staff_id, status", len(checks)*5, 4, func(i int) []any {
		c := i / 5
		status := "present"
		if i%7 == 0 {
			status = "absent"
		}
		return []any{unitID, checks[c], staff[((c%nw)+nw*(i%5))%people], status}
	})
	insert("feedback", "unit_id, code, kind, staff_id, department_id, body, state, upheld, created_at", rest, 9, func(i int) []any {
		s, w := person(i * 17)
		kind, upheld := "praise", any(nil)
		if i%2 == 0 {
			kind, upheld = "complaint", i%4 == 0
		}
		return []any{unitID, fmt.Sprintf("%s-F%06d", code, i), kind, s, w, "—", "replied", upheld, at(i)}
	})
	insert("observations", "unit_id, user_id, department_id, staff_id, observed_at, good, body, nonce, created_at", rest, 9, func(i int) []any {
		s, w := person(i * 19)
		return []any{unitID, users[0], w, s, at(i), i%3 != 0, "—", fmt.Sprintf("n%d", i), now}
	})
	outcomes := []string{"kept", "kept", "partly", "broken"}
	insert("commitments", "unit_id, owner_kind, staff_id, category, body, period_start, period_end, state, outcome, created_by, created_at, updated_at", rest, 12, func(i int) []any {
		s, _ := person(i * 23)
		end := at(i).In(cst).Format(time.DateOnly)
		return []any{unitID, "staff", s, "service", "—", "2026-07-01", end, "closed", outcomes[i%4], users[0], now, now}
	})
	if failed != nil {
		return 0, failed
	}
	// As the engines' own statistics would be after a day's use: freshly
	// loaded tables have none, and PostgreSQL plans them blind.
	return unitID, db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `ANALYZE`)
		return err
	})
}
