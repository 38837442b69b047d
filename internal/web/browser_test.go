package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"wuliang/internal/demo"
	"wuliang/internal/sitetest"
	"wuliang/internal/testdb"
)

// A person logs in, opens the staff list, searches, and logs out, in a real
// browser on a phone-sized screen.
func TestBrowserLoginStaffListLogout(t *testing.T) {
	ctx := sitetest.Browser(t)
	s := sitetest.New(t, testdb.SQLite(t))
	base := s.Srv.URL
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/staff"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "center-admin"),
		chromedp.SendKeys(`input[name=password]`, demo.Password),
		chromedp.Click(`button[type=submit].primary`),
		chromedp.WaitVisible(`table.list`),
	)
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	heading, _ := chromedp.Run(ctx, chromedp.Text(`main h1`))
	list, _ := chromedp.Run(ctx, chromedp.Text(`table.list`))
	if !strings.HasSuffix(loc, "/staff") || !strings.Contains(heading, "人员名录") || !strings.Contains(list, "李祥生") {
		t.Fatalf("after login: %s %q", loc, heading)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`input[name=q]`, "马先"),
		chromedp.Submit(`input[name=q]`),
		chromedp.WaitVisible(`table.list`),
	)
	if err != nil {
		t.Fatal(err)
	}
	list, _ = chromedp.Run(ctx, chromedp.Text(`table.list`))
	if !strings.Contains(list, "马先军") || strings.Contains(list, "李祥生") {
		t.Fatalf("search: %q", list)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`header form button`),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.Navigate(base+"/staff"),
		chromedp.WaitVisible(`input[name=username]`),
	)
	if err != nil {
		t.Fatalf("after logout the staff list must ask for a login again: %v", err)
	}
	flash, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(flash, "/login") {
		t.Fatalf("after logout: %s", flash)
	}
}
