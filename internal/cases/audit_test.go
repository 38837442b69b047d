package cases_test

import (
	"testing"

	"wuliang/internal/audit"
	"wuliang/internal/cases"
	"wuliang/internal/casetest"
	"wuliang/internal/database"
	"wuliang/internal/testdb"
)

// What is done to the cases in the database behind the application's back
// is named by the audit check: a late case made on time by moving its
// completion, an overdue mark taken away, a case deleted and a case
// inserted. Cases through every step the counter takes, and a load of
// cases written by casetest, are whole.
func TestAuditSeesTheCases(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db, "unit-a", at("2026-11-03 10:00"))
		late, overdue, gone := f.register(t), f.register(t), f.register(t)
		two := 2
		for _, c := range []cases.Case{late, overdue} {
			if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{LimitDays: &two}); err != nil {
				t.Fatal(err)
			}
		}
		f.set("2026-11-10 09:00")
		if n, err := f.store.MarkOverdue(ctx); n != 2 || err != nil {
			t.Fatalf("marked %d overdue: %v", n, err)
		}
		if err := f.store.Complete(ctx, act, f.zhang, f.unit.ID, late.ID, "已办结"); err != nil {
			t.Fatal(err)
		}
		// Taken back by the one it was referred to: the referral is gone
		// from the row and from the record that is the whole row.
		handed := f.register(t)
		for _, c := range []cases.Case{gone, handed} {
			if err := f.store.Refer(ctx, act, f.zhang, f.unit.ID, c.ID, f.unit.Staff[1], "转交李四"); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.store.Acknowledge(ctx, act, f.li, f.unit.ID, handed.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := casetest.Tokens(ctx, db, f.unit.ID, 0, 30); err != nil {
			t.Fatal(err)
		}
		findings := func() []audit.Finding {
			t.Helper()
			fs, err := audit.VerifyData(ctx, db, cases.Mirror)
			if err != nil {
				t.Fatal(err)
			}
			return fs
		}
		if fs := findings(); len(fs) != 0 {
			t.Fatalf("untouched cases: %+v", fs)
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if err := db.Tx(ctx, func(tx *database.Tx) error {
				_, err := tx.ExecContext(ctx, q, args...)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE cases SET completed_at = accepted_at WHERE id = $1`, late.ID)
		exec(`UPDATE cases SET overdue_at = NULL WHERE id = $1`, overdue.ID)
		exec(`DELETE FROM case_events WHERE case_id = $1`, gone.ID)
		exec(`DELETE FROM case_notices WHERE case_id = $1`, gone.ID)
		exec(`DELETE FROM cases WHERE id = $1`, gone.ID)
		exec(`INSERT INTO cases (unit_id, no, recipient_name, channel, first_contact_id, handler_id, state, rating_token, created_at, updated_at)
			VALUES ($1, 'X-1', '某人', 'counter', $2, $2, 'completed', 'tok-x', $3, $3)`, f.unit.ID, f.unit.Staff[0], database.Now())
		var inserted int64
		db.QueryRowContext(ctx, `SELECT id FROM cases WHERE no = 'X-1'`).Scan(&inserted)
		want := map[int64]audit.Finding{
			late.ID:    {Table: "cases", ID: late.ID, Reason: "audit.row_changed", Field: "completed_at"},
			overdue.ID: {Table: "cases", ID: overdue.ID, Reason: "audit.row_changed", Field: "overdue_at"},
			gone.ID:    {Table: "cases", ID: gone.ID, Reason: "audit.row_deleted"},
			inserted:   {Table: "cases", ID: inserted, Reason: "audit.row_unseen"},
		}
		fs := findings()
		if len(fs) != len(want) {
			t.Fatalf("findings: %+v", fs)
		}
		for _, f := range fs {
			if want[f.ID] != f {
				t.Errorf("finding %+v, want %+v", f, want[f.ID])
			}
		}
	})
}
