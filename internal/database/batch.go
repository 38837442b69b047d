package database

import (
	"context"
	"database/sql"
	"iter"
	"math/bits"
	"strconv"
	"strings"
)

// Param returns the placeholder of parameter n for a statement with many
// parameters: "$n" on PostgreSQL, an anonymous "?" on SQLite. SQLite treats
// "$n" and "?n" as named and looks each name up in a list, both when
// preparing and, in the driver, when binding, which makes a statement with
// thousands of parameters quadratic; anonymous ones cost nothing. So a
// statement built with Param must use each parameter once, in the order of
// n. Ordinary statements keep "$n", which both engines read.
func (tx *Tx) Param(n int) string { return param(tx.Engine, n) }

func param(e Engine, n int) string {
	if e == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}

// Values returns the placeholders of a multi-row VALUES list, numbered from
// first: Values(2, 3, 1) is "($1, $2, $3), ($4, $5, $6)" on PostgreSQL.
func (tx *Tx) Values(rows, cols, first int) string { return values(tx.Engine, rows, cols, first) }

func values(e Engine, rows, cols, first int) string {
	var b strings.Builder
	n := first
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteString(param(e, n))
			n++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// ExecAlong runs update, a statement with parameters $1… that changes
// rows of another table, along with insert, a multi-row statement whose
// parameters come after update's (built with Values from
// len(updateArgs)+1). On PostgreSQL they are one statement, the update in
// a WITH, which PostgreSQL always runs to completion: a round trip less
// in a transaction that holds a hot lock. SQLite runs them in turn, in
// the process, where a statement costs no round trip.
func (tx *Tx) ExecAlong(ctx context.Context, insert string, insertArgs []any, update string, updateArgs ...any) error {
	if tx.Engine == Postgres {
		_, err := tx.ExecContext(ctx, `WITH along AS (`+update+`) `+insert, append(updateArgs, insertArgs...)...)
		return err
	}
	if _, err := tx.ExecContext(ctx, insert, insertArgs...); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, update, updateArgs...)
	return err
}

// BatchRows is how many rows of a multi-row statement to send at once: well
// under both engines' limits on parameters (SQLite 32,766; PostgreSQL 65,535)
// for rows of up to 30 columns.
const BatchRows = 500

// Batches cuts s into chunks of BatchRows and the rest into chunks of
// falling powers of two (137 rows: 128, 8, 1). A multi-row statement then
// has one of about ten texts whatever len(s) is, and the prepared
// statements both engines keep serve it; with a text per size, every
// group of a hot path is parsed and planned afresh (on PostgreSQL a round
// trip more, and the planning of thousands of parameters).
func Batches[T any](s []T) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		for len(s) > 0 {
			n := BatchRows
			if len(s) < n {
				n = 1 << (bits.Len(uint(len(s))) - 1)
			}
			if !yield(s[:n:n]) {
				return
			}
			s = s[n:]
		}
	}
}

// Scanner is what *sql.Row and *sql.Rows share, so one scan function
// serves a single-row lookup and a list.
type Scanner interface{ Scan(dest ...any) error }

// Collect scans every row of rows with scan, then closes rows.
func Collect[T any](rows *sql.Rows, scan func(Scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// NullID stores 0 as NULL, for optional references.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Querier is what the read pool and a write transaction share, so a lookup
// can run on either.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// LikeContains is a LIKE pattern (with ESCAPE '\') matching text that
// contains s literally: % and _ typed by a user match only themselves.
func LikeContains(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}

// ScanValues scans the current row into n values of whatever types the
// driver gives: for code that reads any table (copying, checking).
func ScanValues(row Scanner, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, row.Scan(ptrs...)
}
