package ratings_test

import (
	"testing"

	"wuliang/internal/audit"
	"wuliang/internal/casetest"
	"wuliang/internal/database"
	"wuliang/internal/orgtest"
	"wuliang/internal/ratings"
	"wuliang/internal/testdb"
)

// What is done to the ratings in the database behind the application's
// back is named by the audit check: a level changed, a rating deleted, a
// row inserted, and a cut at the chain's end against an anchored head.
func TestAuditSeesTheRatings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		s := ratings.NewStore(db)
		t.Cleanup(s.Close)
		var ids []int64
		for range 3 {
			r, err := s.Submit(ctx, u.ID, ratings.Input{Token: casetest.Token(t, db, u, true), Level: ratings.VerySatisfied, Channel: ratings.ChannelQR})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		findings := func() []audit.Finding {
			t.Helper()
			fs, err := audit.VerifyData(ctx, db, ratings.Mirror)
			if err != nil {
				t.Fatal(err)
			}
			return fs
		}
		if fs := findings(); len(fs) != 0 {
			t.Fatalf("untouched ratings: %+v", fs)
		}
		anchor, err := audit.ReadHead(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		exec := func(q string, args ...any) {
			t.Helper()
			err := db.Tx(ctx, func(tx *database.Tx) error {
				_, err := tx.ExecContext(ctx, q, args...)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE ratings SET level = 1 WHERE id = $1`, ids[0])
		exec(`DELETE FROM ratings WHERE id = $1`, ids[1])
		exec(`INSERT INTO ratings (unit_id, target, staff_id, level, channel, verified, created_at) VALUES ($1, 'person', $2, 5, 'qr', FALSE, $3)`,
			u.ID, u.Staff[0], database.Now())
		var inserted int64
		db.QueryRowContext(ctx, `SELECT max(id) FROM ratings`).Scan(&inserted)
		want := map[int64]string{ids[0]: "audit.row_changed", ids[1]: "audit.row_deleted", inserted: "audit.row_unseen"}
		fs := findings()
		if len(fs) != 3 {
			t.Fatalf("findings: %+v", fs)
		}
		for _, f := range fs {
			if want[f.ID] != f.Reason || f.Table != "ratings" || (f.Reason == "audit.row_changed" && f.Field != "level") {
				t.Errorf("finding %+v, want %s for row %d", f, want[f.ID], f.ID)
			}
		}
		// Setting the level back is whole again; the office's own
		// changes (publishing a comment) keep it whole.
		exec(`UPDATE ratings SET level = 5 WHERE id = $1`, ids[0])
		// A cut at the end: the last records go and the head row is moved
		// back to the one before. The chain holds; the anchor does not.
		var seq int64
		var hash string
		db.QueryRowContext(ctx, `SELECT seq, prev_hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
		exec(`DELETE FROM audit_log WHERE seq = $1`, seq)
		exec(`UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq-1, hash)
		if b, _, err := audit.Verify(ctx, db); err != nil || b != nil {
			t.Fatalf("the chain alone: %+v %v", b, err)
		}
		b, err := audit.VerifyHead(ctx, db, anchor)
		if err != nil || b == nil || b.Reason != "audit.breach_cut" || b.Seq != anchor.Seq {
			t.Fatalf("against the anchored head %+v: %+v %v", anchor, b, err)
		}
	})
}
