package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"wuliang/internal/database"
	"wuliang/internal/sitetest"
	"wuliang/internal/testdb"
)

// The move from one engine to the other and back: the demo's whole
// history, audit chain included, lands in an empty SQLite file, passes
// audit verify there, goes on into an empty PostgreSQL database and
// passes again, every table with the same rows.
func TestMigrateBetweenEngines(t *testing.T) {
	from := sitetest.DemoTemplate.PostgresDSN(t) // skips without PostgreSQL
	file := "sqlite:" + filepath.Join(t.TempDir(), "moved.db")
	back := testdb.PostgresDSN(t)
	for _, hop := range [][2]string{{from, file}, {file, back}} {
		r := run("", "migrate", "--from", hop[0], "--to", hop[1])
		if r.code != 0 || !strings.Contains(r.stdout, "copied") {
			t.Fatalf("migrate %s → %s: %+v", hop[0], hop[1], r)
		}
		t.Log(strings.TrimSpace(r.stdout))
		if v := run("", "audit", "verify", "--db", hop[1]); v.code != 0 || !strings.Contains(v.stdout, "intact") {
			t.Fatalf("audit verify on %s: %+v", hop[1], v)
		}
	}
	if r := run("", "migrate", "--from", from, "--to", file); r.code != 1 || !strings.Contains(r.stderr, "already holds") {
		t.Fatalf("into a database that is not empty: %+v", r)
	}
	tables, err := database.Tables()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, b := testdb.Open(t, from), testdb.Open(t, back)
	for _, table := range tables {
		var n, m int
		a.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n)
		b.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&m)
		if n != m {
			t.Errorf("%s: %d rows, %d after two moves", table, n, m)
		}
	}
	// The moved database takes new rows: its id sequences are past the copied ids.
	if r := run("", "unit", "add", "--db", back, "--code", "moved-center", "--name", "迁移后新单位"); r.code != 0 {
		t.Fatalf("a new unit after the move: %+v", r)
	}
}
