package database

import (
	"reflect"
	"testing"
)

func TestWhere(t *testing.T) {
	w := NewWhere(` WHERE c.unit_id = ?`, int64(7))
	w.Add(` AND (c.name LIKE ? OR c.no LIKE ?)`, "%王%")
	w.Add(` AND (c.a = ? OR c.b = ?)`, 1, 2)
	In(w, "c.state", []string{"open", "closed"})
	In(w, "c.kind", []string(nil))
	want := ` WHERE c.unit_id = $1 AND (c.name LIKE $2 OR c.no LIKE $2) AND (c.a = $3 OR c.b = $4) AND c.state IN ($5, $6)`
	if w.SQL() != want {
		t.Errorf("SQL:\n%s\nwant\n%s", w.SQL(), want)
	}
	if args := w.Args(); !reflect.DeepEqual(args, []any{int64(7), "%王%", 1, 2, "open", "closed"}) {
		t.Errorf("args %v", args)
	}
	if w.Next() != "$7" {
		t.Errorf("next %s", w.Next())
	}
}
