package accountability_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

func TestDecisions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		u := orgtest.New(t, db, "unit-a")
		other := orgtest.New(t, db, "unit-b")
		mk := func(unit int64, name, role string, staff int64) accounts.User {
			return orgtest.User(t, db, unit, name, role, staff, 0)
		}
		office, office2 := mk(u.ID, "office", accounts.RoleUnitAdmin, 0), mk(u.ID, "office2", accounts.RoleUnitAdmin, 0)
		zhang := mk(u.ID, "zhang", accounts.RoleStaff, u.Staff[0])
		otherOffice := mk(other.ID, "office-b", accounts.RoleUnitAdmin, 0)
		var id int64
		for range 2 { // the same fault reported twice is one record
			err := db.Tx(ctx, func(tx *database.Tx) error {
				n, _, err := accountability.Open(ctx, tx, orgtest.Actor, u.ID, u.Staff[0], accountability.RuleOverdue, "case:7", "事项超期", time.Now())
				if n != 0 {
					id = n
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		s := accountability.NewStore(db)
		if list, _ := s.List(ctx, u.ID, accountability.Filter{}); len(list) != 1 || !accountability.CanSee(zhang, list[0]) || list[0].Link() != "/cases/7" {
			t.Fatalf("records: %+v", list)
		}
		bad := []struct {
			name string
			who  accounts.User
			d    accountability.Decision
			want string
		}{
			{"dismissed without reason", office, accountability.Decision{Outcome: "dismissed"}, "accountability.reason_required"},
			{"points out of range", office, accountability.Decision{Outcome: "points", Points: 1000}, "accountability.points_invalid"},
			{"unknown sanction", office, accountability.Decision{Outcome: "<b>fire</b>"}, "accountability.outcome_invalid"},
		}
		for _, b := range bad {
			if err := s.Decide(ctx, orgtest.Actor, b.who, u.ID, id, b.d); locale.Key(err) != b.want {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		if err := s.Decide(ctx, orgtest.Actor, zhang, u.ID, id, accountability.Decision{Outcome: "dismissed", Reason: "我觉得不算"}); !errors.Is(err, accountability.ErrForbidden) {
			t.Errorf("the person decided on their own record: %v", err)
		}
		if err := s.Decide(ctx, orgtest.Actor, otherOffice, other.ID, id, accountability.Decision{Outcome: "criticism"}); !errors.Is(err, accountability.ErrNotFound) {
			t.Errorf("another unit decided: %v", err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []accounts.User{office, office2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Decide(ctx, orgtest.Actor, who, u.ID, id, accountability.Decision{Outcome: "points", Points: 2, Reason: "超期 1 个工作日"})
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("two decisions: %v / %v", errs[0], errs[1])
		}
		rec, _ := s.Get(ctx, u.ID, id)
		if rec.State != accountability.StateSanctioned || rec.Points != 2 || rec.DecidedAt == nil {
			t.Fatalf("decided: %+v", rec)
		}
	})
}
