package activities_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"wuliang/internal/activities"
	"wuliang/internal/database"
	"wuliang/internal/orgtest"
	"wuliang/internal/period"
	"wuliang/internal/testdb"
)

// BenchmarkRankYear ranks a year of a 5,000-person unit (50 windows, 10
// branches) with 500,000 ledger entries of every kind, caps included, on
// the total: what the rankings page does for a year.
//
//	go test ./internal/activities -run '^$' -bench RankYear -benchtime 10x -count 5
func BenchmarkRankYear(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *database.DB
	}{{"sqlite", testdb.SQLite}, {"postgres", testdb.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			unitID := loadYear(b, db, 5000, 500000)
			s := activities.NewStore(db)
			year, _ := period.Parse("2026", time.UTC)
			b.ResetTimer()
			for b.Loop() {
				r, err := s.Rank(ctx, unitID, year, activities.Total)
				// orgtest's unit brings three people and two departments.
				if err != nil || len(r.People) != 5003 || len(r.Windows) != 52 {
					b.Fatalf("%d people, %v", len(r.People), err)
				}
			}
		})
	}
}

// loadYear writes people and entries straight into the tables: the
// benchmark measures ranking, not the forms that fill the ledger.
func loadYear(b *testing.B, db *database.DB, people, entries int) int64 {
	u := orgtest.New(b, db, "bench")
	s := activities.NewStore(db)
	kinds, err := s.Kinds(ctx, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	insert := func(table, cols string, n, width int, row func(i int) []any) []int64 {
		return testdb.Insert(b, db, table, cols, n, width, row)
	}
	windows := insert("departments", "unit_id, name, kind, window_no, active, created_at, updated_at", 50, 7, func(i int) []any {
		return []any{u.ID, fmt.Sprintf("窗口%02d", i), "window", fmt.Sprintf("%d号", i+10), true, now, now}
	})
	branches := insert("branches", "unit_id, name, active, created_at, updated_at", 10, 5, func(i int) []any {
		return []any{u.ID, fmt.Sprintf("第%d支部", i+1), true, now, now}
	})
	staff := insert("staff", "unit_id, name, employee_no, department_id, branch_id, active, created_at, updated_at", people, 8, func(i int) []any {
		return []any{u.ID, fmt.Sprintf("人员%04d", i), fmt.Sprintf("B%05d", i), windows[i%50], branches[i%10], true, now, now}
	})
	rng := rand.New(rand.NewPCG(1, 2))
	insert("point_entries", "unit_id, staff_id, kind_id, dimension, on_date, month, points_centi, source, source_id, created_at", entries, 10, func(i int) []any {
		k := kinds[rng.IntN(len(kinds))]
		day := fmt.Sprintf("2026-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28))
		points := 100 + rng.IntN(400)
		if k.Form == activities.FormConduct {
			points = -points
		}
		return []any{u.ID, staff[rng.IntN(len(staff))], k.ID, k.Dimension, day, day[:7], points, "bench", i, now}
	})
	return u.ID
}
