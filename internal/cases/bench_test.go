package cases_test

import (
	"os"
	"testing"
	"time"

	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/testdb"
)

// BenchmarkCaseLifecycle is one case through a counter: registered,
// accepted and completed, each step its own audited transaction, as a
// queue machine drives it through the API.
func BenchmarkCaseLifecycle(b *testing.B) {
	engines := map[string]func(testing.TB) *database.DB{"sqlite": testdb.SQLite, "postgres": testdb.Postgres}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			if name == "postgres" && os.Getenv(testdb.EnvPostgres) == "" {
				b.Skip(testdb.EnvPostgres + " not set")
			}
			db := engines[name](b)
			f := setup(b, db, "bench", time.Now())
			store := cases.NewStore(db)
			reg := cases.Registration{FirstContactID: f.unit.Staff[0], ItemID: f.item, RecipientName: "刘备", RecipientPhone: "13900001234", Channel: "counter"}
			b.ResetTimer()
			for b.Loop() {
				c, err := store.Register(ctx, act, cases.Machine, f.unit.ID, reg)
				if err != nil {
					b.Fatal(err)
				}
				if err := store.Accept(ctx, act, cases.Machine, f.unit.ID, c.ID, cases.Acceptance{}); err != nil {
					b.Fatal(err)
				}
				if err := store.Complete(ctx, act, cases.Machine, f.unit.ID, c.ID, "办结"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
