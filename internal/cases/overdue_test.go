package cases_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/notifications"
	"wuliang/internal/testdb"
)

func TestOverdueMarkedOnceAtDeadline(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db, "unit-a", at("2026-11-03 10:00"))
		c := f.register(t)
		zero := 0
		free, _ := f.store.Register(ctx, act, f.zhang, f.unit.ID, cases.Registration{FirstContactID: f.unit.Staff[0], Matter: "即办:开具证明",
			RecipientName: "关羽", RecipientPhone: "13900001235", Channel: "counter"})
		if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, free.ID, cases.Acceptance{LimitDays: &zero}); err != nil {
			t.Fatal(err)
		}
		if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{}); err != nil {
			t.Fatal(err)
		}
		f.set("2026-11-03 17:29")
		if n, err := f.store.MarkOverdue(ctx); n != 0 || err != nil {
			t.Fatalf("before the deadline: %d %v", n, err)
		}
		f.set("2026-11-03 17:31")
		if n, err := f.store.MarkOverdue(ctx); n != 1 || err != nil {
			t.Fatalf("at the deadline: %d %v", n, err)
		}
		if n, _ := f.store.MarkOverdue(ctx); n != 0 {
			t.Fatalf("marked again: %d", n)
		}
		got, events, _, _ := f.store.Get(ctx, f.unit.ID, free.ID)
		if got.Signal != cases.SignalRed || got.OverdueAt == nil || events[len(events)-1].Action != "overdue" {
			t.Fatalf("overdue case: %s %+v", got.Signal, events)
		}
		for _, u := range []int64{f.zhang.ID, f.lead.ID} {
			if n, _ := notifications.NewStore(db).Unread(ctx, f.unit.ID, u); n != 1 {
				t.Errorf("user %d has %d notifications, want 1", u, n)
			}
		}
		// Completing late keeps the one overdue record; completing another
		// case late marks it even when the job has not run.
		if err := f.store.Complete(ctx, act, f.zhang, f.unit.ID, free.ID, "已开具"); err != nil {
			t.Fatal(err)
		}
		f.set("2026-11-09 09:00")
		if err := f.store.Complete(ctx, act, f.zhang, f.unit.ID, c.ID, "已办结"); err != nil {
			t.Fatal(err)
		}
		recs, _ := accountability.NewStore(db).List(ctx, f.unit.ID, accountability.Filter{Rule: accountability.RuleOverdue})
		if len(recs) != 2 {
			t.Fatalf("%d overdue records, want 2", len(recs))
		}
		done, _, _, _ := f.store.Get(ctx, f.unit.ID, c.ID)
		if done.OnTime() || done.Signal != cases.SignalRed {
			t.Fatalf("late completion: on time %v, %s", done.OnTime(), done.Signal)
		}
	})
}

// Two servers on one database run the job at the same moment: every case
// is marked once, with one timeline entry and one record.
func TestOverdueJobOnTwoServers(t *testing.T) {
	engines := map[string]func(testing.TB) string{"sqlite": testdb.SQLiteDSN, "postgres": testdb.PostgresDSN}
	for name, dsn := range engines {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" && os.Getenv(testdb.EnvPostgres) == "" {
				t.Skip(testdb.EnvPostgres + " not set")
			}
			d := dsn(t)
			one, two := testdb.Open(t, d), testdb.Open(t, d)
			f := setup(t, one, "unit-a", at("2026-11-02 09:00"))
			const n = 30
			for range n {
				c := f.register(t)
				if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{}); err != nil {
					t.Fatal(err)
				}
			}
			later := at("2026-11-05 17:31") // past the 3-day limit
			clock := func() time.Time { return later }
			servers := []*cases.Store{cases.NewStore(one).WithClock(clock), cases.NewStore(two).WithClock(clock)}
			marked := make([]int, 4)
			var wg sync.WaitGroup
			for i := range marked {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var err error
					marked[i], err = servers[i%2].MarkOverdue(ctx)
					if err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if total := marked[0] + marked[1] + marked[2] + marked[3]; total != n {
				t.Fatalf("marked %v, %d in all, want %d", marked, total, n)
			}
			var events, records int
			one.QueryRowContext(ctx, `SELECT count(*) FROM case_events WHERE unit_id = $1 AND action = 'overdue'`, f.unit.ID).Scan(&events)
			one.QueryRowContext(ctx, `SELECT count(*) FROM accountability WHERE unit_id = $1 AND rule = 'overdue'`, f.unit.ID).Scan(&records)
			if events != n || records != n {
				t.Fatalf("%d timeline entries and %d records, want %d", events, records, n)
			}
		})
	}
}
