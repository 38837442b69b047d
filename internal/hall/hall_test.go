package hall_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/hall"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var (
	ctx    = context.Background()
	office = audit.Actor{UserID: 1, Name: "office"}
)

// A screen's token finds it until it is revoked; a forged, another
// screen's or a malformed token finds nothing.
func TestScreenTokens(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "hall-a")
		store := hall.NewStore(db)
		token, sc, err := store.Register(ctx, office, u.ID, hall.ScreenInput{Name: " 大厅主屏 ", Layout: hall.Portrait,
			Panels: []string{"notices", "ratings", "notices"}, Interval: "２０"})
		if err != nil {
			t.Fatal(err)
		}
		if sc.Name != "大厅主屏" || strings.Join(sc.Panels, ",") != "ratings,notices" || sc.Interval != 20 {
			t.Fatalf("registered %+v", sc)
		}
		got, err := store.ByToken(ctx, token)
		if err != nil || got.ID != sc.ID || got.UnitID != u.ID {
			t.Fatalf("by token: %+v %v", got, err)
		}
		for _, bad := range []string{"", "scr_", token + "0", token[:len(token)-1] + "x", strings.Replace(token, "scr_", "wl_", 1), "scr_\x00_" + strings.Repeat("0", 48)} {
			if _, err := store.ByToken(ctx, bad); !errors.Is(err, hall.ErrNotFound) {
				t.Errorf("token %q: %v", bad, err)
			}
		}
		other := orgtest.New(t, db, "hall-b")
		if err := store.Revoke(ctx, office, other.ID, sc.ID); !errors.Is(err, hall.ErrNotFound) {
			t.Fatalf("another unit revoked the screen: %v", err)
		}
		if err := store.Revoke(ctx, office, u.ID, sc.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ByToken(ctx, token); !errors.Is(err, hall.ErrNotFound) {
			t.Fatalf("revoked token: %v", err)
		}
		if _, err := store.Update(ctx, office, u.ID, sc.ID, hall.ScreenInput{Name: "x", Layout: hall.Landscape, Panels: hall.Panels, Interval: "15"}); err == nil {
			t.Fatal("a revoked screen was changed")
		}
		var n int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE unit_id = $1 AND entity = 'screen' AND entity_id = $2`, u.ID, strconv.FormatInt(sc.ID, 10)).Scan(&n)
		if n != 2 {
			t.Fatalf("%d audit records, want register and revoke", n)
		}
	})
}

// Notices show from their publication to the end of their last day.
func TestNotices(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "hall-n")
		store := hall.NewStore(db)
		cases := []struct {
			name string
			in   hall.NoticeInput
			key  string
		}{
			{"no title", hall.NoticeInput{EndsOn: "2026-12-10"}, "error.required"},
			{"ends before today", hall.NoticeInput{Title: "通知", EndsOn: "2026-12-01"}, "hall_notice.ends_past"},
			{"not a date", hall.NoticeInput{Title: "通知", EndsOn: "下周"}, "hall_notice.ends_invalid"},
			{"too long", hall.NoticeInput{Title: strings.Repeat("长", 61), EndsOn: "2026-12-10"}, "error.too_long"},
		}
		for _, c := range cases {
			_, err := store.Publish(ctx, office, u.ID, "2026-12-02", c.in)
			ps, ok := locale.AsProblems(err)
			if !ok || len(ps) == 0 || ps[0].Err.Key != c.key {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		n, err := store.Publish(ctx, office, u.ID, "2026-12-02", hall.NoticeInput{Title: "系统升级", Body: "第一行\n第二行", EndsOn: "２０２６-12-03"})
		if err != nil {
			t.Fatal(err)
		}
		for day, want := range map[string]int{"2026-12-02": 1, "2026-12-03": 1, "2026-12-04": 0} {
			list, _ := store.Notices(ctx, u.ID, day, true)
			if len(list) != want {
				t.Errorf("%s: %d notices showing", day, len(list))
			}
		}
		if err := store.Withdraw(ctx, office, u.ID, n.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := store.Notices(ctx, u.ID, "2026-12-02", true); len(list) != 0 {
			t.Fatal("a withdrawn notice still shows")
		}
	})
}
