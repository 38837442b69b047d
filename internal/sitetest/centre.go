package sitetest

import (
	"context"
	"testing"

	"wuliang/internal/database"
	"wuliang/internal/demo"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/stores"
)

// Centre opens the demo centre on db (a copy of DemoTemplate) with every
// store: its unit, and its last full quarter, the one the demo covers
// whole, freezes and publishes.
func Centre(t *testing.T, db *database.DB) (*stores.Set, org.Unit, period.Period) {
	t.Helper()
	set := stores.New(db)
	t.Cleanup(set.Close)
	unit, err := set.Org.UnitByCode(context.Background(), "demo-center")
	if err != nil {
		t.Fatal(err)
	}
	loc := org.Location(unit.Timezone)
	return set, unit, period.QuarterOf(demo.LastFullQuarter(Demo.In(loc)), loc)
}
