package apikeys_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"wuliang/internal/apikeys"
	"wuliang/internal/database"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

func TestKeys(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := apikeys.NewStore(db)
		plain, k, err := s.Create(ctx, orgtest.Actor, a.ID, "2号窗口叫号机")
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
		if _, _, err := s.Create(ctx, orgtest.Actor, a.ID, "  "); err == nil {
			t.Fatal("a key without a name")
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
