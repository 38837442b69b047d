package testdb

import (
	"context"
	"fmt"
	"testing"

	"wuliang/internal/database"
)

// Insert writes n rows straight into a table, in multi-row statements of
// database.BatchRows, and returns their ids: for benchmarks that measure
// reading many facts, not the forms that write them. row gives row i's
// values for cols, width of them.
func Insert(tb testing.TB, db *database.DB, table, cols string, n, width int, row func(i int) []any) []int64 {
	tb.Helper()
	ids, err := InsertRows(context.Background(), db, table, cols, n, width, row)
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// InsertRows is Insert for a template's build, which has no test to fail.
func InsertRows(ctx context.Context, db *database.DB, table, cols string, n, width int, row func(i int) []any) ([]int64, error) {
	ids := make([]int64, 0, n)
	for start := 0; start < n; start += database.BatchRows {
		end := min(start+database.BatchRows, n)
		err := db.Tx(ctx, func(tx *database.Tx) error {
			args := make([]any, 0, (end-start)*width)
			for i := start; i < end; i++ {
				args = append(args, row(i)...)
			}
			rows, err := tx.QueryContext(ctx, `INSERT INTO `+table+` (`+cols+`) VALUES `+tx.Values(end-start, width, 1)+` RETURNING id`, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return rows.Err()
		})
		if err != nil {
			return ids, fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return ids, nil
}
