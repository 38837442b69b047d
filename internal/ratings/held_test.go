package ratings_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/ratings"
	"wuliang/internal/testdb"
)

// A registered device rates only its window and the people serving there,
// once every DeviceEvery however many presses arrive at once; a burst of
// like ratings is held whole, counts nowhere, and counts once released.
func TestDeviceLimitsAndBursts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		var clock atomic.Int64
		clock.Store(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).UnixMicro())
		now := func() time.Time { return time.UnixMicro(clock.Load()) }
		tick := func(d time.Duration) { clock.Add(d.Microseconds()) }
		s := ratings.NewStore(db).WithClock(now)
		t.Cleanup(s.Close)
		device := func(staff int64, level int) ratings.Input {
			return ratings.Input{StaffID: staff, Level: level, Channel: ratings.ChannelDevice, Device: "key:dev1", DeviceWindow: a.Window}
		}
		// The office at its own window: refused, the office is not a window the device stands at.
		in := device(0, 5)
		in.StaffID, in.DepartmentID = 0, a.Office
		if _, err := s.Submit(ctx, a.ID, in); !errors.Is(err, ratings.ErrDeviceElsewhere) {
			t.Fatalf("a device rated another window: %v", err)
		}
		// Twenty presses at once: one counts.
		var wg sync.WaitGroup
		var ok, often atomic.Int32
		for range 20 {
			wg.Go(func() {
				_, err := s.Submit(ctx, a.ID, device(a.Staff[0], 5))
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, ratings.ErrTooOften):
					often.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if ok.Load() != 1 || often.Load() != 19 {
			t.Fatalf("20 concurrent presses: %d stored, %d refused; want 1 and 19", ok.Load(), often.Load())
		}
		counted := func() int {
			t.Helper()
			sum, err := s.Summarize(ctx, a.ID, ratings.Filter{StaffID: a.Staff[0]})
			if err != nil {
				t.Fatal(err)
			}
			return sum.Count
		}
		if got := counted(); got != 1 {
			t.Fatalf("%d counted after the presses", got)
		}
		// Three more of the same level within ten minutes make a burst of
		// four: all four are held; a different level is not part of it.
		var last ratings.Rating
		for i := range ratings.BurstDevice - 1 {
			tick(ratings.DeviceEvery + time.Second)
			r, err := s.Submit(ctx, a.ID, device(a.Staff[0], 5))
			if err != nil {
				t.Fatal(err)
			}
			if held := i == ratings.BurstDevice-2; held != (r.Held == ratings.HoldHeld) || r.Valid == held {
				t.Fatalf("rating %d: held %q valid %v", i+2, r.Held, r.Valid)
			}
			last = r
		}
		if got := counted(); got != 0 {
			t.Fatalf("a held burst counts %d", got)
		}
		tick(ratings.DeviceEvery + time.Second)
		if r, err := s.Submit(ctx, a.ID, device(a.Staff[0], 3)); err != nil || r.Held != "" {
			t.Fatalf("another level: %+v %v", r, err)
		}
		held, err := s.Held(ctx, a.ID)
		if err != nil || len(held) != ratings.BurstDevice {
			t.Fatalf("held: %d %v", len(held), err)
		}
		if n, _ := s.CountHeld(ctx, a.ID); n != ratings.BurstDevice {
			t.Fatalf("count held: %d", n)
		}
		// The office reviews: a reason is needed, staff may not, each once.
		office := accounts.User{ID: 1, Role: accounts.RoleUnitAdmin}
		if err := s.Review(ctx, orgtest.Actor, office, a.ID, last.ID, true, " \x00 "); locale.Key(err) != "rating.review_note" {
			t.Fatalf("a review without a reason: %v", err)
		}
		if err := s.Review(ctx, orgtest.Actor, accounts.User{ID: 2, Role: accounts.RoleStaff}, a.ID, last.ID, true, "核实"); !errors.Is(err, ratings.ErrForbidden) {
			t.Fatalf("staff reviewed: %v", err)
		}
		if err := s.Review(ctx, orgtest.Actor, office, a.ID, last.ID, true, "调取监控核实为4位群众"); err != nil {
			t.Fatal(err)
		}
		if err := s.Review(ctx, orgtest.Actor, office, a.ID, last.ID, false, "再审"); !errors.Is(err, ratings.ErrReviewed) {
			t.Fatalf("reviewed twice: %v", err)
		}
		if err := s.Review(ctx, orgtest.Actor, office, a.ID, held[0].ID, false, "同一人反复按键"); err != nil {
			t.Fatal(err)
		}
		if got := counted(); got != 2 { // the released one and the other level
			t.Fatalf("after the review %d count, want 2", got)
		}
		var audited int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'rating' AND action IN ('hold', 'review_held')`).Scan(&audited)
		if audited != ratings.BurstDevice-1+2 {
			t.Fatalf("%d hold and review records", audited)
		}
		// Through the public pages: three like ratings from one address,
		// each with a fresh cookie, are a burst.
		for i := range ratings.BurstAddress {
			tick(time.Minute)
			r, err := s.Submit(ctx, a.ID, ratings.Input{StaffID: a.Staff[1], Level: 1, Reasons: []string{"态度不好"}, Channel: ratings.ChannelQR,
				Device: "cookie-" + string(rune('a'+i)), Address: "203.0.113.9"})
			if err != nil || (r.Held == ratings.HoldHeld) != (i == ratings.BurstAddress-1) {
				t.Fatalf("public rating %d: %+v %v", i, r, err)
			}
		}
		var opened int
		db.QueryRowContext(ctx, `SELECT count(*) FROM rectifications WHERE unit_id = $1`, a.ID).Scan(&opened)
		if opened != ratings.BurstAddress-1 {
			t.Fatalf("%d rectifications: the held bad rating opened one", opened)
		}
		sum, err := s.Summarize(ctx, a.ID, ratings.Filter{})
		if err != nil || sum.Count != 2 || sum.Device != 2 || sum.Public != 0 || sum.Case != 0 {
			t.Fatalf("summary by origin: %+v %v", sum, err)
		}
	})
}
