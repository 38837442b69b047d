package web_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"wuliang/internal/sitetest"
)

// TestBrowserNavigation: on a phone, the office's and a staff member's home
// show their content within the first 300 px; the menus open on a tap, one
// at a time, and lead where they say.
func TestBrowserNavigation(t *testing.T) {
	ctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
	w := newWalk(t, ctx, s.Srv.URL)
	for _, who := range []struct{ username, quick string }{
		{"center-admin", "待办"}, {"center-staff", "我的档案"}, {"center-secretary", "待办"}, {"center-lead", "待办"},
	} {
		t.Run(who.username, func(t *testing.T) {
			w.do("phone size", chromedp.EmulateViewport(390, 844))
			w.as(who.username, "/")
			top, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("main").getBoundingClientRect().top`))
			if err != nil {
				t.Fatal(err)
			}
			if top > 300 {
				t.Errorf("the page's content starts %.0f px down on a phone", top)
			}
			if nav := w.text("nav.main-nav"); !contains(nav, who.quick) {
				t.Errorf("the daily links lack %s: %q", who.quick, nav)
			}
			if dir := os.Getenv("WULIANG_ARTIFACTS"); dir != "" {
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				if err == nil {
					os.WriteFile(filepath.Join(dir, "home-phone-"+who.username+".png"), png, 0o644)
				}
			}
			// The first menu opens on a tap and shows its links; opening the
			// second closes the first.
			w.do("open the first menu", chromedp.Click(`details.nav-menu:nth-of-type(1) summary`))
			open, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("details.nav-menu[open] .nav-items a")).filter(a => a.getBoundingClientRect().width > 0).length`))
			if open == 0 {
				t.Fatal("the menu opened with no visible links")
			}
			w.do("open the second menu", chromedp.Click(`details.nav-menu:nth-of-type(2) summary`))
			n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("details.nav-menu[open]").length`))
			if n != 1 {
				t.Errorf("%d menus open at once", n)
			}
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
			if wide {
				t.Error("an open menu makes the page wider than the phone")
			}
		})
	}
}
