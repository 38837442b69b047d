package web_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"wuliang/internal/sitetest"
)

// TestBrowserReceipt: the counter completes a case and prints its 办事回执;
// the QR code on the rendered receipt, read as a phone would read it,
// opens the rating page, which takes one rating and refuses a second.
func TestBrowserReceipt(t *testing.T) {
	ctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
	center := s.Units["demo-center"]
	id := lookup(t, s.DB, `SELECT id FROM cases c WHERE unit_id = $1 AND state = 'accepted'
		AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = c.id) ORDER BY id LIMIT 1`, center.ID)
	w := newWalk(t, ctx, s.Srv.URL)
	w.as("center-admin", "/cases/"+id)
	w.do("complete the case", chromedp.SendKeys(`form[action$="/complete"] input[name=note]`, "已当场办结"),
		chromedp.Click(`form[action$="/complete"] button`),
		// The receipt link is on the page before completion too; only a
		// completed case makes it the primary button.
		chromedp.WaitVisible(`a.primary[href$="/receipt"]`))
	if state := lookup(t, s.DB, `SELECT count(*) FROM cases WHERE id = $1 AND state = 'completed'`, id); state != "1" {
		t.Fatal("the case was not completed")
	}
	w.do("print the receipt", chromedp.Click(`a.primary[href$="/receipt"]`), chromedp.WaitVisible(`.receipt-rate img`))
	text := w.text(".receipt")
	for _, want := range []string{"办事回执", "已办结", "请为本次服务评价"} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt lacks %q", want)
		}
	}
	shot, err := chromedp.Run(ctx, chromedp.ScreenshotScale(chromedp.CSS(`.receipt-rate img`), 2))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("WULIANG_ARTIFACTS"); dir != "" {
		page, _ := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		os.WriteFile(filepath.Join(dir, "receipt.png"), page, 0o644)
	}
	link := decodeQR(t, shot)
	if !strings.HasPrefix(link, s.Srv.URL+"/r/") {
		t.Fatalf("the receipt's QR code holds %q", link)
	}
	path := strings.TrimPrefix(link, s.Srv.URL)
	phone := sitetest.NewClient()
	if page := s.Get(phone, path); page.Status != 200 || !strings.Contains(page.Body, `name="level"`) {
		t.Fatalf("the rating page: %d %s", page.Status, sitetest.Snippet(page.Body))
	}
	rate := func() sitetest.Response {
		return s.Post(phone, path, url.Values{"level": {"5"}, "comment": {"办事很快"}})
	}
	if res := rate(); res.Status >= 400 {
		t.Fatalf("the rating: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	if n := lookup(t, s.DB, `SELECT count(*) FROM ratings WHERE case_id = $1 AND level = 5`, id); n != "1" {
		t.Fatalf("%s ratings stored", n)
	}
	if res := rate(); res.Status < 400 {
		t.Fatalf("a second rating of the same case: %d", res.Status)
	}
	// Once rated, the receipt prints no code that would only be refused.
	if again := s.Get(s.As("center-admin"), "/cases/"+id+"/receipt"); strings.Contains(again.Body, "receipt-rate") || !strings.Contains(again.Body, "已评价") {
		t.Fatal("the receipt of a rated case still carries its code")
	}
}
