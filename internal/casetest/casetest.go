// Package casetest makes cases for the tests of the packages that build on
// them (ratings, rectification).
package casetest

import (
	"context"
	"testing"
	"time"

	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/items"
	"wuliang/internal/orgtest"
)

// Token registers a case of a new item for the unit's first person and,
// when complete, accepts and completes it; it returns the case's rating
// token.
func Token(t testing.TB, db *database.DB, u orgtest.Unit, complete bool) string {
	t.Helper()
	ctx := context.Background()
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
