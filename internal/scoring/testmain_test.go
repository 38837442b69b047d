package scoring_test

import (
	"testing"

	"wuliang/internal/database"
	"wuliang/internal/demo"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/sitetest"
	"wuliang/internal/stores"
	"wuliang/internal/testdb"
)

// TestMain fails the package when a goroutine outlives its test.
func TestMain(m *testing.M) { testdb.Main(m) }

// demoCentre opens the demo centre on db with every store: its unit, and
// the last full quarter, the one the demo covers whole and publishes.
func demoCentre(t *testing.T, db *database.DB) (*stores.Set, org.Unit, period.Period) {
	t.Helper()
	set := stores.New(db)
	t.Cleanup(set.Close)
	unit, err := set.Org.UnitByCode(ctx, "demo-center")
	if err != nil {
		t.Fatal(err)
	}
	loc := org.Location(unit.Timezone)
	return set, unit, period.QuarterOf(demo.LastFullQuarter(sitetest.Demo.In(loc)), loc)
}
