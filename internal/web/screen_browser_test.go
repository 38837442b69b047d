package web_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wuliang/internal/org"
	"wuliang/internal/sitetest"
)

// The landscape screen in Chromium at 1920×1080: a rating changes the page
// without a reload, twenty more leave the page's size as it was, and a
// stopped server shows the offline mark over the last picture and its time.
func TestBrowserScreen(t *testing.T) {
	ctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
	center := s.Units["demo-center"]
	token, _ := registerScreen(t, s.DB, center.ID)
	windows, err := org.Windows(ctx, s.DB, center.ID)
	if err != nil || len(windows) == 0 {
		t.Fatal(err)
	}
	window := windows[0]
	w := newWalk(t, ctx, s.Srv.URL)
	figure := fmt.Sprintf(`#panel-ratings [data-window="%d"] .figure`, window.ID)
	w.do("open the screen", chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(s.Srv.URL+"/s/"+token),
		chromedp.WaitVisible(`#conn.online`))
	eval := func(js string) float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	eval(`window.notReloaded = 1`)
	before := w.text(figure)
	// Ratings of cases at the window, by their tokens, as its device sends them.
	var no string
	if err := s.DB.QueryRowContext(ctx, `SELECT employee_no FROM staff WHERE unit_id = $1 AND department_id = $2 AND active = TRUE ORDER BY id LIMIT 1`,
		center.ID, window.ID).Scan(&no); err != nil {
		t.Fatal(err)
	}
	device, tokens := s.DeviceKey("demo-center", no), s.Tokens("demo-center", no, 21)
	rate := func(level int) {
		token := tokens[0]
		tokens = tokens[1:]
		if res := s.APIPost(device, "/api/v1/ratings", fmt.Sprintf(`{"token":%q,"level":%d}`, token, level)); res.Status != 201 {
			t.Fatalf("rating: %d %s", res.Status, res.Body)
		}
	}
	rate(5)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector(%q).textContent.trim() !== %q && window.notReloaded === 1`, figure, before),
		chromedp.WithPollingTimeout(3*time.Second))); err != nil {
		t.Fatalf("the rating did not show without a reload: %v (the figure was %s, is %s)", err, before, w.text(figure))
	}
	if got := w.text("#ticker"); !strings.Contains(got, "非常满意") {
		t.Errorf("ticker: %q", got)
	}
	w.do("settle", chromedp.Sleep(500*time.Millisecond))
	nodes := eval(`document.getElementsByTagName("*").length`)
	for i := range 20 {
		rate(4 + i%2)
	}
	w.do("twenty more ratings", chromedp.Sleep(time.Second))
	after := eval(`document.getElementsByTagName("*").length`)
	if after != nodes {
		t.Errorf("the page had %v elements, %v after twenty ratings", nodes, after)
	}
	if os.Getenv("WULIANG_SHOT") != "" {
		png, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		os.WriteFile(os.Getenv("WULIANG_SHOT"), png, 0o644)
	}
	stamp := w.text("#stamp")
	shown := w.text(figure)
	s.Stores.Events.Close()
	s.Srv.Close()
	w.do("the server stops: offline", chromedp.WaitVisible(`#conn.offline`))
	if got := w.text("#conn"); got != "离线" {
		t.Errorf("offline mark: %q", got)
	}
	if w.text("#stamp") != stamp || w.text(figure) != shown {
		t.Errorf("the last picture was not kept: %s %s", w.text("#stamp"), w.text(figure))
	}
}
