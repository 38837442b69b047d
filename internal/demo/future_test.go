package demo_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/demo"
	"wuliang/internal/testdb"
)

// planned are the columns that hold what is to come, not what happened:
// deadlines, closing and voting times, sessions' ends.
var planned = []string{"deadline", "due_at", "closes_at", "ends_at", "expires_at", "opens_at", "starts_at", "vote_until",
	"publicity_until", "period_end", "period_to", "date_to", "due_on", "ends_on", "day", "locked_until"}

// factDays are the date columns that record a day something was done.
var factDays = []string{"held_on", "visited_on", "done_on"}

// Loaded now, the demo holds no fact dated after the moment it was loaded:
// nothing published, reviewed, rated or checked in tomorrow.
func TestDemoHasNoFutureFacts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, time.Now()); err != nil {
			t.Fatal(err)
		}
		end := time.Now()
		today := end.In(cst).Format(time.DateOnly)
		columns, err := dateColumns(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, c := range columns {
			if slices.Contains(planned, c.column) {
				continue
			}
			var n int
			var q string
			var arg any
			switch {
			case c.timestamp:
				q, arg = fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s > $1`, c.table, c.column), end.UTC()
			case slices.Contains(factDays, c.column):
				q, arg = fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s > $1`, c.table, c.column), today
			default:
				continue
			}
			if err := db.QueryRowContext(ctx, q, arg).Scan(&n); err != nil {
				t.Fatalf("%s.%s: %v", c.table, c.column, err)
			}
			checked++
			if n > 0 {
				t.Errorf("%s.%s: %d rows dated after the demo was loaded", c.table, c.column, n)
			}
		}
		if checked < 50 {
			t.Fatalf("only %d columns checked", checked)
		}
	})
}

type dateColumn struct {
	table, column string
	timestamp     bool
}

// dateColumns lists every column of the schema that holds a time or a day.
func dateColumns(ctx context.Context, db *database.DB) ([]dateColumn, error) {
	q := `SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND (p.type = 'TIMESTAMP' OR p.type = 'TEXT')`
	if db.Engine == database.Postgres {
		q = `SELECT table_name, column_name, CASE WHEN data_type LIKE 'timestamp%' THEN 'TIMESTAMP' ELSE 'TEXT' END
			FROM information_schema.columns WHERE table_schema = current_schema()
			AND (data_type LIKE 'timestamp%' OR data_type = 'text')`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return database.Collect(rows, func(r database.Scanner) (dateColumn, error) {
		var c dateColumn
		var typ string
		err := r.Scan(&c.table, &c.column, &typ)
		c.timestamp = typ == "TIMESTAMP"
		return c, err
	})
}
