package web_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wuliang/internal/sitetest"
)

// TestBrowserCharts: every kind of chart draws in Chromium under the
// strict CSP, on the desktop and on a phone, where it scrolls inside its
// box rather than widening the page, and its table opens in one click.
func TestBrowserCharts(t *testing.T) {
	ctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
	today := time.Now().In(time.FixedZone("CST", 8*3600))
	last := today.AddDate(0, 0, -today.Day()).Format("2006-01") // last month, which the demo fills
	w := newWalk(t, ctx, s.Srv.URL)
	// drawn counts a chart's marks that have a size on the page.
	drawn := func(kind, mark string) int {
		t.Helper()
		js := fmt.Sprintf(`Array.from(document.querySelectorAll("figure.chart-%s svg %s")).filter(e => {
			const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 }).length`, kind, mark)
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return n
	}
	for _, size := range []struct {
		name          string
		width, height int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			for _, page := range []struct {
				path  string
				kinds map[string]string // chart kind → its marks
			}{
				{"/p/demo-center/efficiency?period=" + last, map[string]string{"line": "path.series", "heatmap": "rect.cell", "bar": "rect.series"}},
				{"/p/demo-center/ratings?period=" + last, map[string]string{"line": "path.series", "stacked": "rect.series"}},
			} {
				w.do("open "+page.path, chromedp.EmulateViewport(size.width, size.height), chromedp.Navigate(s.Srv.URL+page.path),
					chromedp.WaitVisible(`figure.chart svg`))
				for kind, mark := range page.kinds {
					if n := drawn(kind, mark); n == 0 {
						t.Errorf("%s: the %s chart drew nothing", page.path, kind)
					}
				}
				overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
				if err != nil || overflow {
					t.Errorf("%s is wider than the %s screen (%v)", page.path, size.name, err)
				}
			}
			// The table is one click away.
			w.do("open a chart's table", chromedp.Click(`figure.chart details.chart-table summary`), chromedp.WaitVisible(`figure.chart details.chart-table table`))
		})
	}
}
