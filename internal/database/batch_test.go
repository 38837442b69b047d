package database_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/testdb"
)

// Batches keeps every row, in order, in chunks of few sizes.
func TestBatches(t *testing.T) {
	for _, tc := range []struct {
		n     int
		sizes []int
	}{
		{0, nil},
		{1, []int{1}},
		{137, []int{128, 8, 1}},
		{500, []int{500}},
		{1023, []int{500, 500, 16, 4, 2, 1}},
	} {
		rows := make([]int, tc.n)
		for i := range rows {
			rows[i] = i
		}
		var sizes, got []int
		for chunk := range database.Batches(rows) {
			sizes = append(sizes, len(chunk))
			got = append(got, chunk...)
		}
		if !slices.Equal(sizes, tc.sizes) || !slices.Equal(got, rows) {
			t.Errorf("%d rows: chunks of %v, %d rows back", tc.n, sizes, len(got))
		}
	}
}

// Rows sends every row, NULLs and each column type intact, whatever their
// number: in VALUES chunks on SQLite, as unnested arrays on PostgreSQL,
// both to an INSERT and in IN ( … ).
func TestRowsInsertAndMatch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		at := time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC)
		for _, n := range []int{0, 1, 137, 1023} {
			var back, matched int
			err := db.Tx(ctx, func(tx *database.Tx) error {
				if _, err := tx.ExecContext(ctx, `CREATE TABLE rows_test (n BIGINT, level INTEGER, name TEXT, ok BOOLEAN, at `+
					map[database.Engine]string{database.SQLite: "TIMESTAMP", database.Postgres: "TIMESTAMPTZ"}[db.Engine]+`)`); err != nil {
					return err
				}
				rows := tx.Rows("bigint", "integer", "text", "boolean", "timestamptz")
				names := tx.Rows("text")
				for i := range n {
					var ref any = int64(i)
					if i%10 == 0 {
						ref = nil // NULL
					}
					rows.Add(ref, i%5+1, fmt.Sprintf("名%d'😀", i), i%2 == 0, at.Add(time.Duration(i)*time.Second))
					if i%3 == 0 {
						names.Add(fmt.Sprintf("名%d'😀", i))
					}
				}
				if rows.Len() != n {
					return fmt.Errorf("Len %d for %d rows", rows.Len(), n)
				}
				err := rows.Each(1, func(source string, args []any, _ bool) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO rows_test (n, level, name, ok, at) `+source, args...)
					return err
				})
				if err != nil {
					return err
				}
				err = names.Each(1, func(source string, args []any, _ bool) error {
					var k int
					err := tx.QueryRowContext(ctx, `SELECT count(*) FROM rows_test WHERE name IN (`+source+`)`, args...).Scan(&k)
					matched += k
					return err
				})
				if err != nil {
					return err
				}
				var nulls, fives, oks int
				var last time.Time
				if n > 0 {
					if err := tx.QueryRowContext(ctx, `SELECT count(*), count(*) - count(n), sum(CASE WHEN level = 5 THEN 1 ELSE 0 END),
						sum(CASE WHEN ok THEN 1 ELSE 0 END) FROM rows_test`).Scan(&back, &nulls, &fives, &oks); err != nil {
						return err
					}
					if err := tx.QueryRowContext(ctx, `SELECT at FROM rows_test ORDER BY at DESC LIMIT 1`).Scan(&last); err != nil {
						return err
					}
					if nulls != (n+9)/10 || fives != (n+0)/5 || oks != (n+1)/2 || !last.Equal(at.Add(time.Duration(n-1)*time.Second)) {
						t.Errorf("%d rows: %d NULLs, %d fives, %d true, last at %v", n, nulls, fives, oks, last)
					}
				}
				_, err = tx.ExecContext(ctx, `DROP TABLE rows_test`)
				return err
			})
			if err != nil {
				t.Fatalf("%d rows: %v", n, err)
			}
			if back != n || matched != (n+2)/3 {
				t.Errorf("%d rows: %d stored, %d matched by name (want %d)", n, back, matched, (n+2)/3)
			}
		}
	})
}

// Rows that do not fit their columns are an error, not rows: a value too
// many on both engines, and on PostgreSQL, whose arrays are typed, a value
// of another type than its column's.
func TestRowsRefuseAMismatch(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		sent := 0
		send := func(string, []any, bool) error { sent++; return nil }
		err := db.Tx(context.Background(), func(tx *database.Tx) error {
			rows := tx.Rows("bigint", "text")
			rows.Add(int64(1), "a", int64(2))
			if err := rows.Each(1, send); err == nil {
				t.Error("3 values for rows of 2 columns were sent")
			}
			if db.Engine == database.Postgres {
				typed := tx.Rows("bigint", "text")
				typed.Add("1", "a")
				if err := typed.Each(1, send); err == nil {
					t.Error("a string in a bigint column was sent")
				}
			}
			return nil
		})
		if err != nil || sent != 0 {
			t.Errorf("%v; %d statements sent", err, sent)
		}
	})
}
