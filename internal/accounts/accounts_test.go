package accounts_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

func TestPasswordHash(t *testing.T) {
	h, err := accounts.HashPassword("正确的密码😀")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, "正确") {
		t.Fatalf("hash %q", h)
	}
	if !accounts.CheckPassword(h, "正确的密码😀") || accounts.CheckPassword(h, "正确的密码") || accounts.CheckPassword("garbage", "x") {
		t.Fatal("check")
	}
	h2, _ := accounts.HashPassword("正确的密码😀")
	if h == h2 {
		t.Fatal("no salt")
	}
}

func key(err error) string {
	if ps, ok := locale.AsProblems(err); ok {
		return ps[0].Err.Key
	}
	return ""
}

func TestCreateUserRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := accounts.NewStore(db)
		good := accounts.NewUser{UnitID: a.ID, Username: "a-staff", Password: "password1", Role: accounts.RoleStaff, StaffID: a.Staff[0]}
		if _, err := s.CreateUser(ctx, orgtest.Actor, good); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			in   accounts.NewUser
			key  string
		}{
			{"taken username", good, "error.username_taken"},
			{"short password", accounts.NewUser{UnitID: a.ID, Username: "x1x", Password: "short", Role: accounts.RoleUnitAdmin}, "error.password_length"},
			{"huge password", accounts.NewUser{UnitID: a.ID, Username: "x2x", Password: strings.Repeat("p", 1000), Role: accounts.RoleUnitAdmin}, "error.password_length"},
			{"username with script", accounts.NewUser{UnitID: a.ID, Username: "<script>", Password: "password1", Role: accounts.RoleUnitAdmin}, "error.username_invalid"},
			{"full-width username", accounts.NewUser{UnitID: a.ID, Username: "ａｄｍｉｎ", Password: "password1", Role: accounts.RoleUnitAdmin}, "error.username_invalid"},
			{"unit admin cannot make a system admin", accounts.NewUser{UnitID: a.ID, Username: "root2", Password: "password1", Role: accounts.RoleSystemAdmin}, "error.role_invalid"},
			{"unknown role", accounts.NewUser{UnitID: a.ID, Username: "x3x", Password: "password1", Role: "king"}, "error.role_invalid"},
			{"secretary without branch", accounts.NewUser{UnitID: a.ID, Username: "x4x", Password: "password1", Role: accounts.RoleBranchSecretary}, "error.role_needs_branch"},
			{"staff without person", accounts.NewUser{UnitID: a.ID, Username: "x5x", Password: "password1", Role: accounts.RoleStaff}, "error.role_needs_staff"},
			{"another unit's person", accounts.NewUser{UnitID: a.ID, Username: "x6x", Password: "password1", Role: accounts.RoleStaff, StaffID: b.Staff[0]}, "error.staff_unknown"},
			{"another unit's branch", accounts.NewUser{UnitID: a.ID, Username: "x7x", Password: "password1", Role: accounts.RoleBranchSecretary, BranchID: b.Branch}, "error.branch_unknown"},
			{"another unit's window", accounts.NewUser{UnitID: a.ID, Username: "x8x", Password: "password1", Role: accounts.RoleWindowLead, DepartmentID: b.Window}, "error.department_unknown"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.CreateUser(ctx, orgtest.Actor, c.in)
				if got := key(err); got != c.key {
					t.Fatalf("got %v (%s), want %s", err, got, c.key)
				}
			})
		}
		users, _ := s.Users(ctx, a.ID)
		if len(users) != 1 {
			t.Fatalf("%d users saved", len(users))
		}
	})
}

func TestLoginSessionsAndLockout(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		s := accounts.NewStore(db)
		id, err := s.CreateUser(ctx, orgtest.Actor, accounts.NewUser{UnitID: a.ID, Username: "office", Password: "password1", Role: accounts.RoleUnitAdmin})
		if err != nil {
			t.Fatal(err)
		}
		token, u, err := s.Login(ctx, "office", "password1", "10.0.0.1", "test")
		if err != nil || u.ID != id || u.UnitID != a.ID {
			t.Fatalf("login: %+v %v", u, err)
		}
		got, sess, err := s.SessionUser(ctx, token)
		if err != nil || got.ID != id || sess.UnitID != a.ID {
			t.Fatalf("session: %+v %+v %v", got, sess, err)
		}
		if _, _, err := s.SessionUser(ctx, token+"x"); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatalf("forged token: %v", err)
		}
		if key(func() error { _, _, err := s.Login(ctx, "nobody", "password1", "10.0.0.1", ""); return err }()) != "error.login_failed" {
			t.Fatal("unknown user")
		}
		// Five wrong passwords lock the name, even for the right password.
		for range 5 {
			if _, _, err := s.Login(ctx, "office", "wrong-password", "10.0.0.2", ""); key(err) != "error.login_failed" {
				t.Fatalf("wrong password: %v", err)
			}
		}
		if _, _, err := s.Login(ctx, "office", "password1", "10.0.0.3", ""); key(err) != "error.login_locked" {
			t.Fatalf("after five failures: %v", err)
		}
		// The old session still works; disabling the user ends it.
		if _, _, err := s.SessionUser(ctx, token); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserActive(ctx, orgtest.Actor, a.ID, id, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, token); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatalf("disabled user's session: %v", err)
		}
	})
}

func TestPasswordChangeEndsSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := accounts.NewStore(db)
		id, _ := s.CreateUser(ctx, orgtest.Actor, accounts.NewUser{UnitID: a.ID, Username: "office", Password: "password1", Role: accounts.RoleUnitAdmin})
		token, u, _ := s.Login(ctx, "office", "password1", "1.1.1.1", "")
		if err := s.ChangeOwnPassword(ctx, u, "not-it", "password2"); key(err) != "error.old_password_wrong" {
			t.Fatalf("wrong old password: %v", err)
		}
		if err := s.SetPassword(ctx, orgtest.Actor, b.ID, id, "password3"); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatalf("another unit reset the password: %v", err)
		}
		if err := s.ChangeOwnPassword(ctx, u, "password1", "password2"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionUser(ctx, token); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatal("session survived a password change")
		}
		if _, _, err := s.Login(ctx, "office", "password2", "1.1.1.1", ""); err != nil {
			t.Fatal(err)
		}
	})
}

// Two logins at once both get their own session.
func TestConcurrentLogins(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		s := accounts.NewStore(db)
		s.CreateUser(ctx, orgtest.Actor, accounts.NewUser{UnitID: a.ID, Username: "office", Password: "password1", Role: accounts.RoleUnitAdmin})
		var wg sync.WaitGroup
		tokens := make([]string, 4)
		for i := range tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tokens[i], _, _ = s.Login(ctx, "office", "password1", "1.1.1.1", "")
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for _, tok := range tokens {
			if tok == "" || seen[tok] {
				t.Fatalf("tokens %v", tokens)
			}
			seen[tok] = true
		}
	})
}
