package fiveappraisal_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

// Peer grades cannot be joined back to who gave them. Two worlds run the
// same round; in the second, two voters swap the grades they give. If
// anything stored told who gave which grade, the two databases would
// differ. They hold the same rows, save the wall-clock times and the audit
// hashes that cover them.
func TestPeerAnonymity(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		world := func(swap bool) []string {
			var w *database.DB
			if db.Engine == database.Postgres {
				w = testdb.Postgres(t)
			} else {
				w = testdb.SQLite(t)
			}
			f := newFixture(t, w)
			m := f.members
			a, b := fiveappraisal.Excellent, fiveappraisal.Basic
			if swap {
				a, b = b, a
			}
			for _, v := range []struct {
				voter int64
				grade int
			}{{m[0], a}, {m[2], b}, {m[3], fiveappraisal.Competent}} {
				if err := f.vote(v.voter, map[int64]int{m[1]: v.grade, m[4]: fiveappraisal.Competent}); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.s.Close(ctx, orgtest.Actor, f.u.ID, f.round, time.UTC); err != nil {
				t.Fatal(err)
			}
			return dump(t, w)
		}
		one, two := world(false), world(true)
		if !slices.Equal(one, two) {
			for i := range max(len(one), len(two)) {
				if i >= len(one) || i >= len(two) || one[i] != two[i] {
					t.Fatalf("the stored state depends on who gave which grade:\n%s\n%s", at(one, i), at(two, i))
				}
			}
		}
		// And the proof has teeth: the two worlds did vote.
		if !slices.ContainsFunc(one, func(row string) bool { return strings.HasPrefix(row, "five_results|") }) {
			t.Fatal("no results were stored")
		}
		// The grades live in a table with no time, order or voter column;
		// the voters in one with no grade.
		for table, want := range map[string][]string{
			"five_peer_tallies": {"grade", "round_id", "target_id", "unit_id", "votes"},
			"five_peer_voters":  {"round_id", "target_id", "unit_id", "voter_id"},
		} {
			if got := columns(t, db, table); !slices.Equal(got, want) {
				t.Errorf("%s has columns %v, want %v", table, got, want)
			}
		}
	})
}

func at(rows []string, i int) string {
	if i < len(rows) {
		return rows[i]
	}
	return "(none)"
}

// dump lists every row of every table as text, times blanked and the
// audit trail's hashes left out, sorted.
func dump(t *testing.T, db *database.DB) []string {
	t.Helper()
	var out []string
	for _, table := range tables(t, db) {
		if table == "schema_migrations" {
			continue
		}
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals, err := database.ScanValues(rows, len(cols))
			if err != nil {
				t.Fatal(err)
			}
			row := table
			for i, v := range vals {
				if strings.HasPrefix(table, "audit_") && (cols[i] == "hash" || cols[i] == "prev_hash" || cols[i] == "at") {
					continue
				}
				switch x := v.(type) {
				case time.Time:
					v = "time"
				case []byte:
					v = string(x)
				}
				if s, ok := v.(string); ok {
					v = timeText.ReplaceAllString(s, "time")
				}
				row += fmt.Sprintf("|%s=%v", cols[i], v)
			}
			out = append(out, row)
		}
		rows.Close()
	}
	slices.Sort(out)
	return out
}

// timeText is a time written as text: by SQLite, or inside the audit
// trail's JSON.
var timeText = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?`)

func tables(t *testing.T, db *database.DB) []string {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.Engine == database.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	list, err := database.Collect(rows, func(r database.Scanner) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func columns(t *testing.T, db *database.DB, table string) []string {
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	slices.Sort(cols)
	return cols
}
