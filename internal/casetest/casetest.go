// Package casetest makes cases for the tests of the packages that build on
// them (ratings, rectification).
package casetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"testing"
	"time"

	"wuliang/internal/audit"
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
	stamp := time.Now().Format("150405.000000")
	item, err := items.NewStore(db).Create(ctx, orgtest.Actor, u.ID, items.Input{Name: "事项" + stamp, Code: "11421102-" + stamp, HandlingUnit: "x",
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

// Tokens makes n registered cases handled by one person at the person's
// department, written straight into the table in a few statements with
// their audit records, and returns their rating tokens: a load of ratings
// that each prove a service, as a rating device's would. staffID 0 is the
// unit's first person.
func Tokens(ctx context.Context, db *database.DB, unitID, staffID int64, n int) ([]string, error) {
	if staffID == 0 {
		if err := db.QueryRowContext(ctx, `SELECT id FROM staff WHERE unit_id = $1 ORDER BY id LIMIT 1`, unitID).Scan(&staffID); err != nil {
			return nil, fmt.Errorf("casetest: first person: %w", err)
		}
	}
	var dept sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT department_id FROM staff WHERE unit_id = $1 AND id = $2`, unitID, staffID).Scan(&dept); err != nil {
		return nil, fmt.Errorf("casetest: person %d: %w", staffID, err)
	}
	tokens := make([]string, n)
	now := database.Now()
	// One case as the cases package would hold it: its columns are the
	// INSERT's, and it is the after-image of its create record.
	like := cases.Case{Matter: "负载测试", RecipientName: "测试", RecipientPhone: "13900000000", Channel: "counter",
		FirstContactID: staffID, HandlerID: staffID, DepartmentID: dept.Int64, State: cases.StateRegistered, CreatedAt: now, UpdatedAt: now}
	err := db.Tx(ctx, func(tx *database.Tx) error {
		var no int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE unit_id = $1`, unitID).Scan(&no); err != nil {
			return err
		}
		entries := make([]audit.Entry, 0, n)
		for start := 0; start < n; start += database.BatchRows {
			rows := min(database.BatchRows, n-start)
			args := make([]any, 0, rows*13)
			for i := start; i < start+rows; i++ {
				b := make([]byte, 16)
				rand.Read(b)
				tokens[i] = base64.RawURLEncoding.EncodeToString(b)
				args = append(args, unitID, fmt.Sprintf("T-%d-%07d", staffID, no+i), like.Matter, like.RecipientName, like.RecipientPhone,
					like.FirstContactID, tokens[i], now, like.HandlerID, dept, now, like.Channel, like.State)
			}
			made, err := tx.QueryContext(ctx, `INSERT INTO cases (unit_id, no, matter, recipient_name, recipient_phone, first_contact_id, rating_token,
				created_at, handler_id, department_id, updated_at, channel, state) VALUES `+tx.Values(rows, 13, 1)+` RETURNING id, no`, args...)
			if err != nil {
				return fmt.Errorf("casetest: %d cases: %w", rows, err)
			}
			for made.Next() {
				c := like
				if err := made.Scan(&c.ID, &c.No); err != nil {
					made.Close()
					return fmt.Errorf("casetest: %d cases: %w", rows, err)
				}
				entries = append(entries, audit.Entry{UnitID: unitID, Action: "create", Entity: "case", EntityID: c.ID, After: c})
			}
			made.Close()
			if err := made.Err(); err != nil {
				return fmt.Errorf("casetest: %d cases: %w", rows, err)
			}
		}
		// Their create records, as the cases package writes them, so that
		// audit verify holds on a database loaded this way.
		return audit.AppendBatch(ctx, tx, orgtest.Actor, entries)
	})
	return tokens, err
}
