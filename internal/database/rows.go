package database

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rows is the values of a multi-row statement, row by row, and how they
// are sent. On SQLite, as a VALUES list of at most BatchRows rows per
// statement. On PostgreSQL, as one array per column, unnested: a statement
// then has one text, one plan and one round trip whatever the number of
// rows; a VALUES list of a thousand parameters is parsed and planned at
// every execution, and a group cut into Batches' sizes was three round
// trips for each of the rating path's statements.
type Rows struct {
	engine Engine
	types  []string // each column's PostgreSQL type: bigint, integer, text, boolean or timestamptz
	values []any    // row after row
}

// Rows begins the rows of a statement whose columns have types.
func (tx *Tx) Rows(types ...string) *Rows {
	return &Rows{engine: tx.Engine, types: types}
}

// Add appends a row: one value per column, nil for NULL.
func (r *Rows) Add(values ...any) { r.values = append(r.values, values...) }

// Len is the number of rows added.
func (r *Rows) Len() int { return len(r.values) / len(r.types) }

// Each calls send with the source of the rows, to follow an INSERT's
// column list or to stand in IN ( … ) — "VALUES (…), (…)" on SQLite,
// "SELECT * FROM unnest($first::bigint[], …)" on PostgreSQL — with its
// parameters numbered from first, its arguments, and whether it is the
// last call. It sends nothing when there are no rows.
func (r *Rows) Each(first int, send func(source string, args []any, last bool) error) error {
	cols := len(r.types)
	if len(r.values)%cols != 0 {
		return fmt.Errorf("database: %d values for rows of %d columns", len(r.values), cols)
	}
	if r.Len() == 0 {
		return nil
	}
	if r.engine == Postgres {
		args, err := r.arrays()
		if err != nil {
			return err
		}
		return send(r.unnest(first), args, true)
	}
	rows := make([]struct{}, r.Len()) // Batches' sizes; takes no memory
	done := 0
	for chunk := range Batches(rows) {
		n := len(chunk)
		args := r.values[done*cols : (done+n)*cols]
		done += n
		if err := send(valuesOf(r.engine, n, cols, first), args, done == len(rows)); err != nil {
			return err
		}
	}
	return nil
}

// valuesOf is "VALUES " and the placeholders of n rows, kept: Batches
// makes only a few sizes, and the text of 500 rows is a few kilobytes.
func valuesOf(e Engine, n, cols, first int) string {
	k := valuesKey{e, n, cols, first}
	if v, ok := valuesTexts.Load(k); ok {
		return v.(string)
	}
	v := "VALUES " + values(e, n, cols, first)
	valuesTexts.Store(k, v)
	return v
}

type valuesKey struct {
	e                 Engine
	rows, cols, first int
}

var valuesTexts sync.Map

func (r *Rows) unnest(first int) string {
	var b strings.Builder
	b.WriteString("SELECT * FROM unnest(")
	for i, t := range r.types {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i) + "::" + t + "[]")
	}
	b.WriteByte(')')
	return b.String()
}

// arrays turns the rows into one slice per column, of the Go type the
// driver sends as that column's array, nil elements as NULL.
func (r *Rows) arrays() ([]any, error) {
	cols, n := len(r.types), r.Len()
	args := make([]any, cols)
	for c, t := range r.types {
		var err error
		switch t {
		case "bigint", "integer":
			args[c], err = column(r, c, n, func(v any) (int64, bool) {
				switch x := v.(type) {
				case int64:
					return x, true
				case int:
					return int64(x), true
				}
				return 0, false
			})
		case "text":
			args[c], err = column(r, c, n, func(v any) (string, bool) { x, ok := v.(string); return x, ok })
		case "boolean":
			args[c], err = column(r, c, n, func(v any) (bool, bool) { x, ok := v.(bool); return x, ok })
		case "timestamptz":
			args[c], err = column(r, c, n, func(v any) (time.Time, bool) { x, ok := v.(time.Time); return x, ok })
		default:
			err = fmt.Errorf("database: rows of type %s", t)
		}
		if err != nil {
			return nil, err
		}
	}
	return args, nil
}

// column is column c of the rows as pointers, nil for NULL.
func column[T any](r *Rows, c, n int, as func(any) (T, bool)) ([]*T, error) {
	out := make([]*T, n)
	vals := make([]T, n)
	cols := len(r.types)
	for i := range n {
		v := r.values[i*cols+c]
		if v == nil {
			continue
		}
		x, ok := as(v)
		if !ok {
			return nil, fmt.Errorf("database: a %T in a %s column", v, r.types[c])
		}
		vals[i] = x
		out[i] = &vals[i]
	}
	return out, nil
}
