package sitetest

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"wuliang/internal/database"
	"wuliang/internal/textnorm"
)

// Hostile are the characters every text field is tried with: a NUL (which
// PostgreSQL refuses), a BEL, and the right-to-left override that makes a
// name display reversed.
var Hostile = []string{"\x00", "\a", "\u202e"}

// RunHostile sends each scenario again with each Hostile character put
// into each of its form fields and query parameters in turn. Every answer
// must be below 500; a path or query with a C0 control must be refused
// with the clear 400. What is stored is checked afterwards by NoHostileStored.
func (s *Site) RunHostile(t *testing.T, list []Scenario) {
	for _, sc := range list {
		path, query, _ := strings.Cut(sc.Path, "?")
		q, _ := url.ParseQuery(query)
		for _, bad := range Hostile {
			for field := range sc.Form {
				if field == "csrf_token" {
					continue
				}
				form := url.Values{}
				for k, v := range sc.Form {
					form[k] = append([]string(nil), v...)
				}
				form[field] = []string{spliced(form.Get(field), bad)}
				res := s.Post(s.As(sc.As), sc.Path, form)
				if res.Status >= 500 {
					t.Errorf("%s: field %s with %q: %d\n%s", sc.Name, field, bad, res.Status, Snippet(res.Body))
				}
			}
			for param := range q {
				nq := url.Values{}
				for k, v := range q {
					nq[k] = append([]string(nil), v...)
				}
				nq.Set(param, spliced(nq.Get(param), bad))
				res := s.Get(s.As(sc.As), path+"?"+nq.Encode())
				switch {
				case res.Status >= 500:
					t.Errorf("%s: ?%s with %q: %d", sc.Name, param, bad, res.Status)
				case bad != "\u202e" && (res.Status != 400 || !strings.Contains(res.Body, "控制字符")):
					t.Errorf("%s: ?%s with %q: %d, want the 400 that names the control character", sc.Name, param, bad, res.Status)
				}
			}
		}
	}
}

// spliced puts bad into the middle of v, or makes it the value.
func spliced(v, bad string) string {
	r := []rune(v)
	return string(r[:len(r)/2]) + bad + string(r[len(r)/2:])
}

// NoHostileStored fails the test for every text value in any table of db
// that holds a Hostile character, naming the table.
func NoHostileStored(t *testing.T, db *database.DB) {
	t.Helper()
	tables, err := database.Tables()
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		if n := hostileIn(t, db, table); n > 0 {
			t.Errorf("table %s holds %d values with a hostile character", table, n)
		}
	}
}

func hostileIn(t *testing.T, db *database.DB, table string) int {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT * FROM %s`, table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	found := 0
	for rows.Next() {
		vals, err := database.ScanValues(rows, len(cols))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if s, ok := v.(string); ok && textnorm.HasHostile(s) {
				found++
			}
		}
	}
	return found
}
