package ratings_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/ratings"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

// newCase registers a case of unit u and returns its token.
func newCase(t *testing.T, db *database.DB, u orgtest.Unit, complete bool) string {
	t.Helper()
	item, err := items.NewStore(db).Create(ctx, orgtest.Actor, u.ID, items.Input{Name: "事项" + time.Now().Format("150405.000000"), HandlingUnit: "x",
		Materials: []items.Material{{Name: "身份证", Form: "original", Copies: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	s := cases.NewStore(db)
	c, err := s.Register(ctx, orgtest.Actor, cases.Machine, u.ID, cases.Registration{FirstContactID: u.Staff[0], ItemID: item,
		RecipientName: "刘备", RecipientPhone: "13900001234", Channel: "counter"})
	if err != nil {
		t.Fatal(err)
	}
	if complete {
		if err := s.Accept(ctx, orgtest.Actor, cases.Machine, u.ID, c.ID, cases.Acceptance{}); err != nil {
			t.Fatal(err)
		}
		if err := s.Complete(ctx, orgtest.Actor, cases.Machine, u.ID, c.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	return c.RatingToken
}

func TestTokenMisuse(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a, b := orgtest.New(t, db, "unit-a"), orgtest.New(t, db, "unit-b")
		s := ratings.NewStore(db)
		t.Cleanup(s.Close)
		token := newCase(t, db, a, true)
		good := ratings.Input{Token: token, Level: ratings.VerySatisfied, Channel: ratings.ChannelQR, Comment: `<script>alert(1)</script><img src=x onerror=alert(2)>`}
		// Another unit's device cannot use it; a forged or mangled one is unknown.
		for name, in := range map[string]ratings.Input{
			"forged":  {Token: "AAAAAAAAAAAAAAAAAAAAAA", Level: 5, Channel: ratings.ChannelQR},
			"mangled": {Token: token[:len(token)-1] + "x", Level: 5, Channel: ratings.ChannelQR},
			"huge":    {Token: strings.Repeat("A", 10_000), Level: 5, Channel: ratings.ChannelQR},
		} {
			if _, err := s.Submit(ctx, 0, in); !errors.Is(err, ratings.ErrTokenUnknown) {
				t.Errorf("%s token: %v", name, err)
			}
		}
		if _, err := s.Submit(ctx, b.ID, good); !errors.Is(err, ratings.ErrTokenUnknown) {
			t.Errorf("another unit's device used the token: %v", err)
		}
		// Many submit it at once: one rating counts.
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Submit(ctx, 0, good)
			}()
		}
		wg.Wait()
		stored := 0
		for _, err := range errs {
			switch {
			case err == nil:
				stored++
			case !errors.Is(err, ratings.ErrTokenUsed):
				t.Errorf("concurrent use: %v", err)
			}
		}
		if stored != 1 {
			t.Fatalf("%d ratings stored for one case", stored)
		}
		if _, err := s.Submit(ctx, 0, good); !errors.Is(err, ratings.ErrTokenUsed) {
			t.Errorf("reuse: %v", err)
		}
		list, total, _ := s.List(ctx, a.ID, ratings.Filter{})
		if total != 1 || list[0].Comment != good.Comment || !list[0].Verified || list[0].StaffID != a.Staff[0] {
			t.Fatalf("stored: %d %+v", total, list)
		}
		// Expired: the period after completion is over.
		old := newCase(t, db, a, true)
		s.TokenDays = -1
		if _, err := s.Submit(ctx, 0, ratings.Input{Token: old, Level: 5, Channel: ratings.ChannelQR}); !errors.Is(err, ratings.ErrTokenExpired) {
			t.Errorf("expired: %v", err)
		}
		// An open case can be rated from registration on.
		open := newCase(t, db, a, false)
		if _, err := s.Submit(ctx, 0, ratings.Input{Token: open, Level: 4, Channel: ratings.ChannelSMS}); err != nil {
			t.Errorf("rating an open case: %v", err)
		}
	})
}

func TestRatingInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a, b := orgtest.New(t, db, "unit-a"), orgtest.New(t, db, "unit-b")
		s := ratings.NewStore(db)
		t.Cleanup(s.Close)
		cases := []struct {
			name string
			in   ratings.Input
			want string
		}{
			{"no level", ratings.Input{StaffID: a.Staff[0], Channel: "qr"}, "rating.level_invalid"},
			{"level 6", ratings.Input{StaffID: a.Staff[0], Level: 6, Channel: "qr"}, "rating.level_invalid"},
			{"bad without reason", ratings.Input{StaffID: a.Staff[0], Level: 1, Channel: "qr"}, "rating.reason_required"},
			{"unknown reason", ratings.Input{StaffID: a.Staff[0], Level: 2, Reasons: []string{"<b>太慢</b>"}, Channel: "qr"}, "rating.reason_unknown"},
			{"huge comment", ratings.Input{StaffID: a.Staff[0], Level: 5, Comment: strings.Repeat("好", 600), Channel: "qr"}, "error.too_long"},
			{"bad channel", ratings.Input{StaffID: a.Staff[0], Level: 5, Channel: "fax"}, "rating.channel_invalid"},
			{"another unit's person", ratings.Input{StaffID: b.Staff[0], Level: 5, Channel: "qr"}, "rating.target_unknown"},
			{"another unit's window", ratings.Input{DepartmentID: b.Window, Level: 5, Channel: "qr"}, "rating.target_unknown"},
			{"nothing to rate", ratings.Input{Level: 5, Channel: "qr"}, "rating.target_required"},
		}
		for _, c := range cases {
			if _, err := s.Submit(ctx, a.ID, c.in); locale.Key(err) != c.want {
				t.Errorf("%s: %v, want %s", c.name, err, c.want)
			}
		}
		r, err := s.Submit(ctx, a.ID, ratings.Input{DepartmentID: a.Window, Level: 2, Reasons: []string{"多次跑腿", "多次跑腿", "态度不好"},
			Comment: "跑了三趟 😠", Channel: ratings.ChannelDevice, Device: "key:abc"})
		if err != nil || len(r.Reasons) != 2 || r.Verified || r.Target != ratings.TargetWindow {
			t.Fatalf("window rating: %+v %v", r, err)
		}
		if n, _ := count(db, a.ID); n != 1 {
			t.Fatalf("%d ratings stored, want 1 (refused ones are not stored)", n)
		}
	})
}

func count(db *database.DB, unitID int64) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM ratings WHERE unit_id = $1`, unitID).Scan(&n)
	return n, err
}

// One address sends 1,000 ratings of one person within a minute: the
// device may rate the person once a day, the address twenty times an hour.
func TestStuffingDoesNotCount(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		s := ratings.NewStore(db)
		t.Cleanup(s.Close)
		var wg sync.WaitGroup
		var mu sync.Mutex
		stored, refused := 0, 0
		for i := range 1000 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// A script that drops its cookie gets a new device id each time.
				_, err := s.Submit(ctx, a.ID, ratings.Input{StaffID: a.Staff[0], Level: 5, Channel: ratings.ChannelQR,
					Device: "cookie-" + string(rune('a'+i%26)) + strings.Repeat("x", i/26), Address: "203.0.113.7"})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					stored++
				case errors.Is(err, ratings.ErrTooOften):
					refused++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if stored != ratings.PerAddressPerHour || refused != 1000-stored {
			t.Fatalf("%d stored, %d refused; want %d stored", stored, refused, ratings.PerAddressPerHour)
		}
		// One device keeping its cookie rates the person once.
		other := "198.51.100.9"
		if _, err := s.Submit(ctx, a.ID, ratings.Input{StaffID: a.Staff[1], Level: 5, Channel: ratings.ChannelQR, Device: "phone-1", Address: other}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Submit(ctx, a.ID, ratings.Input{StaffID: a.Staff[1], Level: 4, Channel: ratings.ChannelQR, Device: "phone-1", Address: other}); !errors.Is(err, ratings.ErrTooOften) {
			t.Fatalf("second rating by one device: %v", err)
		}
	})
}
