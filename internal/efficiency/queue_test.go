package efficiency_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/efficiency"
	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
	"wuliang/internal/testdb"
)

// TestQueue: waiting and handling medians by window, item and waiting
// band, beside 好评率 of the same cases.
func TestQueue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		u := orgtest.New(t, db, "unit-a")
		item, err := items.NewStore(db).Create(ctx, orgtest.Actor, u.ID, items.Input{Name: "社保卡补办", TimeLimitDays: 0, DepartmentID: u.Window,
			HandlingUnit: "县人社局", Materials: []items.Material{{Name: "身份证", Form: "original", Copies: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		// The counter works at noon yesterday, Beijing time (the unit's
		// zone), so the case completed that day is on the day of its call.
		bj := time.FixedZone("CST", 8*3600)
		y := database.Now().In(bj).AddDate(0, 0, -1)
		now := time.Date(y.Year(), y.Month(), y.Day(), 12, 0, 0, 0, bj)
		cs, rs := cases.NewStore(db).WithClock(func() time.Time { return now }), ratings.NewStore(db)
		t.Cleanup(rs.Close)
		// Waits of 5, 15, 45 and 70 minutes; the first two served 6 and
		// 10 minutes by the queue machine's clock, the third completed at
		// once (handling from the call to completion), the last without a
		// finishing time and not completed.
		tickets := []struct {
			wait, handle time.Duration
			finished     bool
			level        int
		}{{5 * time.Minute, 6 * time.Minute, true, ratings.VerySatisfied}, {15 * time.Minute, 10 * time.Minute, true, ratings.Satisfied},
			{45 * time.Minute, 0, false, ratings.Dissatisfied}, {70 * time.Minute, 0, false, 0}}
		for i, tk := range tickets {
			called := now.Add(-3 * time.Hour).Add(time.Duration(i) * time.Minute)
			drawn := called.Add(-tk.wait)
			ticket := cases.Ticket{TicketNo: "A00" + string(rune('1'+i)), TicketAt: &drawn, CalledAt: &called}
			if tk.finished {
				f := called.Add(tk.handle)
				ticket.FinishedAt = &f
			}
			c, err := cs.Register(ctx, orgtest.Actor, cases.Machine, u.ID, cases.Registration{FirstContactID: u.Staff[0], ItemID: item,
				RecipientName: "刘备", RecipientPhone: "13900001234", Channel: "counter", Ticket: ticket})
			if err != nil {
				t.Fatal(err)
			}
			if i == 3 {
				continue
			}
			if err := cs.Accept(ctx, orgtest.Actor, cases.Machine, u.ID, c.ID, cases.Acceptance{}); err != nil {
				t.Fatal(err)
			}
			if err := cs.Complete(ctx, orgtest.Actor, cases.Machine, u.ID, c.ID, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := rs.Submit(ctx, 0, ratings.Input{Token: c.RatingToken, Level: tk.level, Channel: ratings.ChannelQR,
				Reasons: reasonsFor(t, rs, u.ID, tk.level)}); err != nil {
				t.Fatal(err)
			}
		}
		p, err := period.Parse(now.AddDate(0, 0, -1).Format(time.DateOnly)+"~"+now.AddDate(0, 0, 1).Format(time.DateOnly), time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := efficiency.NewStore(db).Queue(ctx, u.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		tot := rep.Total
		if tot.Tickets != 4 || tot.MedianWait() != "30.0" || tot.Rated != 3 || tot.Good != 2 || tot.GoodRate() != locale.Percent(2, 3) {
			t.Errorf("total: %d tickets, wait %s, %d rated, %d good", tot.Tickets, tot.MedianWait(), tot.Rated, tot.Good)
		}
		// Handling: 6 and 10 from the machine, the third about three hours
		// (completed the same day, long after the call): the median is 10.
		if tot.MedianHandle() != "10.0" {
			t.Errorf("median handling %s, want 10.0", tot.MedianHandle())
		}
		if len(rep.Windows) == 0 || rep.Windows[0].Tickets != 4 {
			t.Errorf("window: %+v", rep.Windows)
		}
		if len(rep.Items) != 1 || rep.Items[0].Name != "社保卡补办" || rep.Items[0].Tickets != 4 {
			t.Errorf("items: %+v", rep.Items)
		}
		want := []struct{ tickets, rated, good int }{{1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {1, 1, 0}, {1, 0, 0}}
		for i, w := range want {
			b := rep.Bands[i]
			if b.Tickets != w.tickets || b.Rated != w.rated || b.Good != w.good {
				t.Errorf("band %s: %d tickets %d rated %d good, want %v", b.Label, b.Tickets, b.Rated, b.Good, w)
			}
		}
	})
}

// reasonsFor is what a bad rating must say: the unit's first reason.
func reasonsFor(t *testing.T, rs *ratings.Store, unitID int64, level int) []string {
	if !ratings.Bad(level) {
		return nil
	}
	list, err := rs.Reasons(context.Background(), unitID)
	if err != nil || len(list) == 0 {
		t.Fatalf("reasons: %v %v", list, err)
	}
	return list[:1]
}

// TestTicketRefused: a ticket whose times do not follow each other is
// refused with its field's message, and nothing is stored.
func TestTicketRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		u := orgtest.New(t, db, "unit-a")
		now := database.Now()
		at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
		tests := []struct {
			name   string
			ticket cases.Ticket
			key    string
		}{
			{"called without drawn", cases.Ticket{CalledAt: at(-time.Hour)}, "case.ticket_times_required"},
			{"number alone", cases.Ticket{TicketNo: "A001"}, "case.ticket_times_required"},
			{"called before drawn", cases.Ticket{TicketAt: at(-time.Hour), CalledAt: at(-2 * time.Hour)}, "case.ticket_called_before_drawn"},
			{"finished before called", cases.Ticket{TicketAt: at(-2 * time.Hour), CalledAt: at(-time.Hour), FinishedAt: at(-90 * time.Minute)}, "case.ticket_finished_before_called"},
			{"a two-day wait", cases.Ticket{TicketAt: at(-50 * time.Hour), CalledAt: at(-time.Hour)}, "case.ticket_wait_too_long"},
			{"called in two hours", cases.Ticket{TicketAt: at(-time.Hour), CalledAt: at(2 * time.Hour)}, "case.ticket_in_future"},
			{"a huge number", cases.Ticket{TicketNo: strings.Repeat("号", 33), TicketAt: at(-time.Hour), CalledAt: at(-time.Minute)}, "error.too_long"},
		}
		s := cases.NewStore(db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.Register(ctx, orgtest.Actor, cases.Machine, u.ID, cases.Registration{FirstContactID: u.Staff[0], Matter: "咨询",
					RecipientName: "刘备", RecipientPhone: "13900001234", Channel: "counter", Ticket: tt.ticket})
				ps, ok := locale.AsProblems(err)
				if !ok || len(ps) == 0 || (ps[0].Err.Key != tt.key && !locale.HasKey(err, tt.key)) {
					t.Errorf("got %v, want %s", err, tt.key)
				}
			})
		}
		var n int
		db.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE unit_id = $1`, u.ID).Scan(&n)
		if n != 0 {
			t.Errorf("%d cases stored from refused tickets", n)
		}
	})
}
