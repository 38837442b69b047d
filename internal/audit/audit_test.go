package audit_test

import (
	"context"
	"sync"
	"testing"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/testdb"
)

func appendN(t *testing.T, db *database.DB, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		err := db.Tx(ctx, func(tx *database.Tx) error {
			return audit.Append(ctx, tx, audit.Actor{UserID: 0, Name: "tester"}, audit.Entry{
				UnitID: 1, Action: "update", Entity: "staff", EntityID: i,
				Before: map[string]any{"name": "张三", "i": i}, After: map[string]any{"name": "张三丰", "i": i},
			})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func mustExec(t *testing.T, db *database.DB, q string, args ...any) {
	t.Helper()
	err := db.Tx(context.Background(), func(tx *database.Tx) error {
		_, err := tx.Exec(q, args...)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper string
		args   []any
		seq    int64
		reason string
	}{
		{"intact", ``, nil, 0, ""},
		{"changed after value", `UPDATE audit_log SET after_json = '{"name":"李四"}' WHERE seq = 3`, nil, 3, "audit.breach_changed"},
		{"changed actor", `UPDATE audit_log SET actor = 'someone' WHERE seq = 5`, nil, 5, "audit.breach_changed"},
		{"changed time", `UPDATE audit_log SET at = $1 WHERE seq = 2`, []any{database.Now().AddDate(-1, 0, 0)}, 2, "audit.breach_changed"},
		{"removed", `DELETE FROM audit_log WHERE seq = 4`, nil, 4, "audit.breach_missing"},
		{"reordered", `UPDATE audit_log SET seq = 1000 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 1000`, nil, 2, "audit.breach_order"},
		{"tail cut", `DELETE FROM audit_log WHERE seq = 6`, nil, 6, "audit.breach_truncated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, db *database.DB) {
				appendN(t, db, 6)
				if c.tamper != "" {
					mustExec(t, db, c.tamper, c.args...)
				}
				breach, n, err := audit.Verify(context.Background(), db)
				if err != nil {
					t.Fatal(err)
				}
				if c.reason == "" {
					if breach != nil || n != 6 {
						t.Fatalf("intact chain: breach %+v after %d records", breach, n)
					}
					return
				}
				if breach == nil || breach.Seq != c.seq || breach.Reason != c.reason {
					t.Fatalf("got %+v, want record %d %s", breach, c.seq, c.reason)
				}
			})
		})
	}
}

// Appends from many goroutines must still form one unbroken chain.
func TestConcurrentAppendsKeepTheChain(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				appendN(t, db, 10)
			}()
		}
		wg.Wait()
		breach, n, err := audit.Verify(context.Background(), db)
		if err != nil || breach != nil || n != 80 {
			t.Fatalf("breach %+v, %d records, %v", breach, n, err)
		}
	})
}

func TestListIsScopedToTheUnit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		appendN(t, db, 3)
		ctx := context.Background()
		other, err := audit.List(ctx, db, 2, audit.Filter{})
		if err != nil || len(other) != 0 {
			t.Fatalf("unit 2 sees %d records of unit 1 (%v)", len(other), err)
		}
		mine, err := audit.List(ctx, db, 1, audit.Filter{Limit: 2})
		if err != nil || len(mine) != 2 || mine[0].Seq != 3 {
			t.Fatalf("newest first, limited: %+v %v", mine, err)
		}
		older, _ := audit.List(ctx, db, 1, audit.Filter{BeforeSeq: mine[1].Seq})
		if len(older) != 1 || older[0].Seq != 1 {
			t.Fatalf("paging: %+v", older)
		}
	})
}
