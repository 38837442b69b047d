package apikeys_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/apikeys"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

func TestKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := apikeys.NewStore(db)
		plain, k, err := s.Create(ctx, orgtest.Actor, a.ID, apikeys.Spec{Name: "2号窗口叫号机", Scopes: []string{apikeys.ScopeCases}})
		if err != nil {
			t.Fatal(err)
		}
		var stored string
		db.QueryRowContext(ctx, `SELECT key_hash FROM api_keys WHERE id = $1`, k.ID).Scan(&stored)
		if strings.Contains(stored, plain[12:]) || len(stored) != 64 {
			t.Fatalf("the key is not hashed at rest: %q", stored)
		}
		got, err := s.Authenticate(ctx, plain)
		if err != nil || got.UnitID != a.ID {
			t.Fatalf("%+v %v", got, err)
		}
		for _, bad := range []string{"", "wl_", plain + "x", strings.ToUpper(plain), plain[:len(plain)-1] + "0", "wl_00000000_" + strings.Repeat("a", 64), "<script>"} {
			if bad == plain {
				continue
			}
			if _, err := s.Authenticate(ctx, bad); !errors.Is(err, apikeys.ErrInvalid) {
				t.Errorf("%q authenticated: %v", bad, err)
			}
		}
		if !got.Has(apikeys.ScopeCases) || got.Has(apikeys.ScopeDevice) || got.Has(apikeys.ScopeRead) {
			t.Fatalf("scopes: %v", got.Scopes)
		}
		bad := []struct {
			name string
			spec apikeys.Spec
			key  string
		}{
			{"no name", apikeys.Spec{Name: "  ", Scopes: []string{apikeys.ScopeRead}}, "error.apikey_name"},
			{"a NUL for a name", apikeys.Spec{Name: "\x00\x07", Scopes: []string{apikeys.ScopeRead}}, "error.apikey_name"},
			{"no scope", apikeys.Spec{Name: "x"}, "apikeys.scopes_invalid"},
			{"unknown scope", apikeys.Spec{Name: "x", Scopes: []string{apikeys.ScopeRead, "admin"}}, "apikeys.scopes_invalid"},
			{"device without a window", apikeys.Spec{Name: "x", Scopes: []string{apikeys.ScopeDevice}}, "apikeys.window_required"},
			{"device at another unit's window", apikeys.Spec{Name: "x", Scopes: []string{apikeys.ScopeDevice}, WindowID: b.Window}, "apikeys.window_required"},
		}
		for _, c := range bad {
			if _, _, err := s.Create(ctx, orgtest.Actor, a.ID, c.spec); locale.Key(err) != c.key {
				t.Errorf("%s: %v, want %s", c.name, err, c.key)
			}
		}
		_, dev, err := s.Create(ctx, orgtest.Actor, a.ID, apikeys.Spec{Name: "评价器", Scopes: []string{apikeys.ScopeDevice}, WindowID: a.Window})
		if err != nil || dev.WindowID != a.Window {
			t.Fatalf("a device: %+v %v", dev, err)
		}
		_, reader, err := s.Create(ctx, orgtest.Actor, a.ID, apikeys.Spec{Name: "读取", Scopes: []string{apikeys.ScopeRead}, WindowID: a.Window})
		if err != nil || reader.WindowID != 0 {
			t.Fatalf("a reader keeps no window: %+v %v", reader, err)
		}
		if err := s.Revoke(ctx, orgtest.Actor, b.ID, k.ID); err == nil {
			t.Fatal("another unit revoked the key")
		}
		if err := s.Revoke(ctx, orgtest.Actor, a.ID, k.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, plain); !errors.Is(err, apikeys.ErrInvalid) {
			t.Fatal("a revoked key still works")
		}
		if err := s.Revoke(ctx, orgtest.Actor, a.ID, k.ID); err == nil {
			t.Fatal("revoked twice")
		}
	})
}

// A device's requests arrive together on a cold cache: each gets its key,
// the key's use is written, and a wrong secret with the same prefix, sent
// at the same moment, shares nothing with the right one's look-up.
func TestAuthenticateAtOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		a := orgtest.New(t, db, "unit-a")
		s := apikeys.NewStore(db)
		plain, k, err := s.Create(ctx, orgtest.Actor, a.ID, apikeys.Spec{Name: "评价器", Scopes: []string{apikeys.ScopeCases}})
		if err != nil {
			t.Fatal(err)
		}
		wrong := plain[:len(plain)-1] + "a"
		if strings.HasSuffix(plain, "a") {
			wrong = plain[:len(plain)-1] + "b"
		}
		var wg sync.WaitGroup
		got := make([]error, 40)
		for i := range got {
			wg.Go(func() {
				try := plain
				if i%4 == 3 {
					try = wrong
				}
				k2, err := s.Authenticate(ctx, try)
				switch {
				case try == wrong && !errors.Is(err, apikeys.ErrInvalid):
					got[i] = fmt.Errorf("a wrong secret: %+v, %v", k2, err)
				case try == plain && (err != nil || k2.ID != k.ID):
					got[i] = fmt.Errorf("the key: %+v, %v", k2, err)
				}
			})
		}
		wg.Wait()
		for i, err := range got {
			if err != nil {
				t.Errorf("request %d: %v", i, err)
			}
		}
		var used *time.Time
		if err := db.QueryRowContext(ctx, `SELECT last_used_at FROM api_keys WHERE id = $1`, k.ID).Scan(&used); err != nil || used == nil {
			t.Errorf("the key's use was not written: %v, %v", used, err)
		}
	})
}
