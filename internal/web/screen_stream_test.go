package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/hall"
	"wuliang/internal/sitetest"
)

// registerScreen registers a landscape screen with every panel and
// returns its token.
func registerScreen(t testing.TB, db *database.DB, unitID int64) (string, hall.Screen) {
	t.Helper()
	token, sc, err := hall.NewStore(db).Register(context.Background(), audit.Actor{Name: "test"}, unitID,
		hall.ScreenInput{Name: "大厅主屏", Layout: hall.Landscape, Panels: hall.Panels, Interval: "15"})
	if err != nil {
		t.Fatal(err)
	}
	return token, sc
}

// percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// panelsHTML joins a "panels" event's HTML, decoded, panel by panel.
func panelsHTML(t testing.TB, e sitetest.Event) string {
	t.Helper()
	var d struct {
		At     string            `json:"at"`
		Panels map[string]string `json:"panels"`
	}
	if err := json.Unmarshal([]byte(e.Data), &d); err != nil || len(d.Panels) == 0 {
		t.Fatalf("panels event %.200q: %v", e.Data, err)
	}
	var b strings.Builder
	for _, name := range hall.Panels {
		b.WriteString(d.Panels[name])
	}
	return b.String()
}
