package database

import (
	"strconv"
	"strings"
)

// Where builds the conditions of a query from optional filters, with the
// numbered placeholders ($1, $2 …) that both engines read. Conditions are
// written with ?; each becomes the number of its argument.
type Where struct {
	b    strings.Builder
	args []any
}

// NewWhere starts the conditions with the first one, usually the owner:
// NewWhere(" WHERE c.unit_id = ?", unitID).
func NewWhere(first string, args ...any) *Where {
	w := &Where{}
	w.Add(first, args...)
	return w
}

// Add appends cond. With one argument, every ? in cond is that argument
// (a search term matched against several columns); with more, each ?
// takes the next argument in order.
func (w *Where) Add(cond string, args ...any) {
	if len(args) == 1 {
		w.args = append(w.args, args[0])
		w.b.WriteString(strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(w.args))))
		return
	}
	for _, v := range args {
		w.args = append(w.args, v)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.b.WriteString(cond)
}

// In appends " AND column IN (…)" for values; nothing when there are none.
func In[T any](w *Where, column string, values []T) {
	if len(values) == 0 {
		return
	}
	marks := make([]string, len(values))
	for i, v := range values {
		w.args = append(w.args, v)
		marks[i] = "$" + strconv.Itoa(len(w.args))
	}
	w.b.WriteString(" AND " + column + " IN (" + strings.Join(marks, ", ") + ")")
}

// SQL is the conditions written so far.
func (w *Where) SQL() string { return w.b.String() }

// Args are the arguments in placeholder order; append to them for a
// LIMIT or OFFSET numbered with Next.
func (w *Where) Args() []any { return w.args }

// Next is the placeholder of the next argument, for a clause after the
// conditions: "LIMIT " + w.Next().
func (w *Where) Next() string { return "$" + strconv.Itoa(len(w.args)+1) }
