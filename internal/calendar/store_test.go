package calendar_test

import (
	"context"
	"testing"
	"time"

	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

func TestUnitDays(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := calendar.NewStore(db)
		next, _ := calendar.ParseCSV([]byte("2028-01-01,off,元旦,国务院办公厅关于2028年部分节假日安排的通知\n2028-01-02,off,元旦,同上\n"))
		if err := s.Add(ctx, orgtest.Actor, a.ID, append(next, calendar.Day{Date: "２０２６-１２-０１", Kind: calendar.Off, Name: "县庆"})); err != nil {
			t.Fatal(err)
		}
		for _, bad := range [][]calendar.Day{
			{{Date: "2026-12-01", Kind: calendar.Off, Name: "again"}},
			{{Date: "2026-02-30", Kind: calendar.Off, Name: "x"}},
			{{Date: "2026-12-02", Kind: "holiday", Name: "x"}},
			{{Date: "2026-12-03", Kind: calendar.Off, Name: ""}},
			{{Date: "2026-12-04", Kind: calendar.Off, Name: "x"}, {Date: "2026-12-04", Kind: calendar.Work, Name: "y"}},
		} {
			err := s.Add(ctx, orgtest.Actor, a.ID, bad)
			if _, ok := locale.AsProblems(err); !ok {
				t.Errorf("%+v: %v", bad, err)
			}
		}
		ca, err := s.ForUnit(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		cb, _ := s.ForUnit(ctx, b.ID)
		day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		if ca.IsWorkday(day) || !cb.IsWorkday(day) || !ca.Covers(2028) || cb.Covers(2028) {
			t.Fatal("a unit's days must count for it alone")
		}
		days, _ := s.Days(ctx, a.ID)
		if len(days) != 3 {
			t.Fatalf("%d days", len(days))
		}
		if err := s.Remove(ctx, orgtest.Actor, b.ID, days[0].ID); err == nil {
			t.Fatal("another unit removed a day")
		}
		if err := s.Remove(ctx, orgtest.Actor, a.ID, days[0].ID); err != nil {
			t.Fatal(err)
		}
	})
}
