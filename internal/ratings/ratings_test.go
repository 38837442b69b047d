package ratings_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/casetest"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/ratings"
	"wuliang/internal/rectification"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

// newCase registers a case of unit u and returns its token.

func TestTokenMisuse(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a, b := orgtest.New(t, db, "unit-a"), orgtest.New(t, db, "unit-b")
		s := ratings.NewStore(db)
		t.Cleanup(s.Close)
		token := casetest.Token(t, db, a, true)
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
		old := casetest.Token(t, db, a, true)
		s.TokenDays = -1
		if _, err := s.Submit(ctx, 0, ratings.Input{Token: old, Level: 5, Channel: ratings.ChannelQR}); !errors.Is(err, ratings.ErrTokenExpired) {
			t.Errorf("expired: %v", err)
		}
		// An open case can be rated from registration on.
		open := casetest.Token(t, db, a, false)
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
		// And those stored are one burst from one address: held, none counts.
		if sum, err := s.Summarize(ctx, a.ID, ratings.Filter{StaffID: a.Staff[0]}); err != nil || sum.Count != 0 {
			t.Fatalf("the stuffed ratings count: %+v %v", sum, err)
		}
		if n, err := s.CountHeld(ctx, a.ID); err != nil || n != ratings.PerAddressPerHour {
			t.Fatalf("%d held, want %d (%v)", n, ratings.PerAddressPerHour, err)
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

// The period's figures and the exchange records follow the formulas, and
// an invalid rating counts nowhere but is exported, marked.
func TestReportAndExchange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		office := orgtest.User(t, db, u.ID, "office", accounts.RoleUnitAdmin, 0, 0)
		s := ratings.NewStore(db)
		t.Cleanup(s.Close)
		x := rectification.NewStore(db, s)
		if err := s.SetDays(ctx, orgtest.Actor, u.ID, ratings.Days{Token: 15, AreaCode: "４２１１０２", UnverifiedWeight: 50}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDays(ctx, orgtest.Actor, u.ID, ratings.Days{Token: 15, AreaCode: "12ab"}); locale.Key(err) != "rating.area_code_invalid" {
			t.Fatalf("bad area code: %v", err)
		}
		good, bad, unrated := casetest.Token(t, db, u, true), casetest.Token(t, db, u, true), casetest.Token(t, db, u, true)
		s.Submit(ctx, 0, ratings.Input{Token: good, Level: ratings.VerySatisfied, Channel: ratings.ChannelDevice})
		s.Submit(ctx, 0, ratings.Input{Token: bad, Level: ratings.VeryDissatisfied, Reasons: []string{"乱收费", "态度不好"}, Comment: "多收了钱", Channel: ratings.ChannelQR})
		open, _ := x.List(ctx, u.ID, &office, true)
		for _, st := range []rectification.Step{{Action: "verify", Note: "属实"}, {Action: "rectify", Method: "on_the_spot", Note: "已退费"}, {Action: "followup", Answer: "basically"}} {
			if err := x.Take(ctx, orgtest.Actor, office, u.ID, open[0].ID, st); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now()
		rep, err := s.Report(ctx, u.ID, now.Add(-time.Hour), now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := ratings.Figures{Count: 2, Good: 1, Bad: 1, Completed: 3, Rated: 2, Contacted: 1, Rectified: 1, OnTime: 1, FollowedUp: 1, SatisfiedFU: 1,
			Origins: ratings.Origins{Case: 2}, Weighed: ratings.Weighed{All: 200, Good: 100}}
		if rep.Total != want || rep.Total.GoodRate() != "50.0%" || rep.Total.UnratedRate() != "33.3%" || rep.Total.FollowupRate() != "100.0%" {
			t.Fatalf("report: %+v", rep.Total)
		}
		if len(rep.People) != 1 || rep.People[0].Name != "张三" || len(rep.Windows) != 1 || rep.Windows[0].Count != 2 {
			t.Fatalf("rows: %+v %+v", rep.People, rep.Windows)
		}
		recs, err := s.Exchange(ctx, u.ID, now.Add(-time.Hour), now.Add(time.Hour), time.FixedZone("CST", 8*3600))
		if err != nil || len(recs) != 2 {
			t.Fatalf("exchange: %v %+v", err, recs)
		}
		b := recs[1]
		if b.SatisfactionCode != "5" || b.Satisfaction != "非常不满意" || b.Text != "乱收费、态度不好;多收了钱" || b.AreaCode != "421102" ||
			b.Count != 1 || b.Rater != "刘备" || b.ChannelCode != "1" || recs[0].SatisfactionCode != "1" || b.Origin != "办件" || b.ItemCode == "" {
			t.Fatalf("exchange record: %+v / %+v", b, recs[0])
		}
		var buf bytes.Buffer
		if err := ratings.ExchangeExcel(&buf, recs); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("PK")) {
			t.Fatalf("workbook: %v", err)
		}

		// A rating of a person without a case counts at the unit's weight
		// (half by default) in the good-rating rate: (100+50) ÷ (200+50).
		if _, err := s.Submit(ctx, u.ID, ratings.Input{StaffID: u.Staff[0], Level: ratings.Satisfied, Channel: ratings.ChannelQR, Device: "d1", Address: "a1"}); err != nil {
			t.Fatal(err)
		}
		rep, _ = s.Report(ctx, u.ID, now.Add(-time.Hour), now.Add(time.Hour))
		if rep.Total.Count != 3 || rep.Total.GoodRate() != "60.0%" {
			t.Fatalf("weighted: %+v %s", rep.Total, rep.Total.GoodRate())
		}
		if sum, _ := s.Summarize(ctx, u.ID, ratings.Filter{}); sum.Count != 3 || sum.GoodRate() != "60.0%" {
			t.Fatalf("summary: %+v %s", sum, sum.GoodRate())
		}

		// No default ratings unless the unit turns them on; then the
		// expired unrated case gets one, once, marked, and still counts
		// as not rated by the public.
		later := s.WithClock(func() time.Time { return now.AddDate(0, 0, 16) })
		if n, err := later.MakeDefaults(ctx, u.ID); n != 0 || err != nil {
			t.Fatalf("default ratings while off: %d %v", n, err)
		}
		for _, bad := range []ratings.Days{{Token: 15, DefaultLevel: 2},
			{Token: 15, UnverifiedWeight: 101}} {
			if err := s.SetDays(ctx, orgtest.Actor, u.ID, bad); err == nil {
				t.Fatalf("accepted %+v", bad)
			}
		}
		if err := s.SetDays(ctx, orgtest.Actor, u.ID, ratings.Days{Token: 15, DefaultLevel: ratings.Satisfied, UnverifiedWeight: 50}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.MakeDefaults(ctx, u.ID); n != 0 || err != nil {
			t.Fatalf("default rating before the token expired: %d %v", n, err)
		}
		for want := range []int{1, 0} {
			if n, err := later.MakeDefaults(ctx, u.ID); n != 1-want || err != nil {
				t.Fatalf("default ratings, run %d: %d %v", want+1, n, err)
			}
		}
		list, _, _ := s.List(ctx, u.ID, ratings.Filter{CaseID: unratedID(t, db, unrated)})
		if len(list) != 1 || list[0].Channel != ratings.ChannelDefault || list[0].Level != ratings.Satisfied {
			t.Fatalf("default rating: %+v", list)
		}
		rep, _ = s.Report(ctx, u.ID, now.Add(-time.Hour), now.AddDate(0, 0, 17))
		if rep.Total.Defaults != 1 || rep.Total.Rated != 2 || rep.Total.Completed != 3 {
			t.Fatalf("defaults in the report: %+v", rep.Total)
		}
	})
}

func unratedID(t *testing.T, db *database.DB, token string) int64 {
	var id int64
	if err := db.QueryRow(`SELECT id FROM cases WHERE rating_token = $1`, token).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
