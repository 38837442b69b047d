package database_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"wuliang/internal/database"
	"wuliang/internal/testdb"
)

// The statements SQLite keeps prepared answer as the text would: under
// concurrent transactions and reads (no wait on the writer's one
// connection), across a schema change, with errors as they were, and a
// text of several statements still runs whole.
func TestPreparedStatements(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		exec := func(q string, args ...any) error {
			return db.Tx(ctx, func(tx *database.Tx) error { _, err := tx.ExecContext(ctx, q, args...); return err })
		}
		if err := exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); CREATE TABLE u (id INTEGER)`); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				err := db.Tx(ctx, func(tx *database.Tx) error {
					var n int
					if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil {
						return err
					}
					_, err := tx.ExecContext(ctx, `INSERT INTO t (id, n) VALUES ($1, $2)`, i+1, n)
					return err
				})
				if err != nil {
					t.Error(err)
				}
				var n int
				if err := db.QueryRowContext(ctx, `SELECT count(*) FROM t WHERE id <= $1`, 50).Scan(&n); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var n, sum int
		db.QueryRowContext(ctx, `SELECT count(*), SUM(n) FROM t`).Scan(&n, &sum)
		// SQLite's writes queue on one connection, so each count saw all the
		// writes before it; PostgreSQL's run side by side.
		if n != 50 || (db.Engine == database.SQLite && sum != 49*50/2) {
			t.Fatalf("%d rows, counts summing to %d: transactions overlapped", n, sum)
		}
		if err := exec(`INSERT INTO t (id, n) VALUES ($1, $2)`, 1, 0); !database.IsUniqueViolation(err) {
			t.Fatalf("a duplicate key through a kept statement: %v", err)
		}
		if err := exec(`ALTER TABLE t ADD COLUMN label TEXT NOT NULL DEFAULT 'x'`); err != nil {
			t.Fatal(err)
		}
		rows, err := db.QueryContext(ctx, `SELECT * FROM t WHERE id = $1`, 1)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		rows.Close()
		if len(cols) != 3 {
			t.Fatalf("after the schema change: columns %v", cols)
		}
		if err := db.QueryRowContext(ctx, `SELECT nothing FROM t`).Scan(new(int)); err == nil {
			t.Fatal("a bad column read without error")
		}
		for i := range 3 {
			if err := exec(fmt.Sprintf(`INSERT INTO u (id) VALUES (%d); INSERT INTO u (id) VALUES (%d)`, 2*i, 2*i+1)); err != nil {
				t.Fatal(err)
			}
		}
		db.QueryRowContext(ctx, `SELECT count(*) FROM u`).Scan(&n)
		if n != 6 {
			t.Fatalf("texts of two statements stored %d rows of 6", n)
		}
	})
}
