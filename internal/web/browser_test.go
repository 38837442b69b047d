package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"wuliang/internal/demo"
	"wuliang/internal/sitetest"
)

// A person logs in, opens the staff list, searches, and logs out, in a real
// browser on a phone-sized screen.
func TestBrowserLoginStaffListLogout(t *testing.T) {
	ctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
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
		// The old page has a table too: wait for the one that answers the
		// search, whose box holds the query in its markup.
		chromedp.WaitVisible(`input[name=q][value="马先"]`),
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

// A window worker registers a matter on a phone, issues the one-time notice
// from the item's checklist, and accepts the case, in a real browser.
func TestBrowserRegisterCase(t *testing.T) {
	ctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
	base := s.Srv.URL
	var item string
	s.DB.QueryRowContext(t.Context(), `SELECT i.id FROM items i JOIN item_materials m ON m.item_id = i.id JOIN departments d ON d.id = i.department_id
		WHERE d.name = '税务窗口' ORDER BY i.id LIMIT 1`).Scan(&item)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/cases/new"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "center-staff"),
		chromedp.SendKeys(`input[name=password]`, demo.Password),
		chromedp.Click(`button[type=submit].primary`),
		chromedp.WaitVisible(`input[name=recipient_name]`),
		chromedp.SetValue(`select[name=item]`, item),
		chromedp.SendKeys(`input[name=recipient_name]`, "赵云"),
		chromedp.SendKeys(`input[name=recipient_phone]`, "13900002222"),
		chromedp.Click(`main button[type=submit].primary`),
		chromedp.WaitVisible(`ol.timeline`),
		chromedp.Click(`main details summary`),
		chromedp.Click(`input[name=m]`),
		chromedp.SendKeys(`input[name=why0]`, "原件未带"),
		chromedp.Click(`form.notice-form button[type=submit]`),
		chromedp.WaitVisible(`a[href*="/notices/"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(`main`))
	if !strings.Contains(text, "赵云") || !strings.Contains(text, "待补正") || !strings.Contains(text, "一次性告知书") || !strings.Contains(text, "原件未带") {
		t.Fatalf("after the notice: %q", text)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`form[action$="/accept"] button[type=submit]`),
		chromedp.WaitVisible(`form[action$="/complete"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	text, _ = chromedp.Run(ctx, chromedp.Text(`main`))
	if !strings.Contains(text, "已受理") || !strings.Contains(text, "应于") {
		t.Fatalf("after acceptance: %q", text)
	}
}

// A recipient opens a case's rating link on a phone, chooses 不满意 with a
// reason and submits; the office sees the rectification and takes it
// through verify → rectify → follow-up to closed, all in a real browser.
func TestBrowserBadRatingRectified(t *testing.T) {
	ctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
	base := s.Srv.URL
	var token string
	s.DB.QueryRowContext(t.Context(), `SELECT c.rating_token FROM cases c JOIN staff h ON h.id = c.handler_id
		WHERE c.state = 'completed' AND c.unit_id = $1 AND h.employee_no <> 'ZX0002' AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = c.id)
		ORDER BY c.id DESC LIMIT 1`, s.Units["demo-center"].ID).Scan(&token)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/r/"+token),
		chromedp.WaitVisible(`form.rate-form`),
		chromedp.Click(`input[name=level][value="2"]`),
		chromedp.Click(`input[name=reason][value="多次跑腿"]`),
		chromedp.SendKeys(`textarea[name=comment]`, "来了三趟<script>alert(1)</script>"),
		chromedp.Click(`form.rate-form button[type=submit]`),
		chromedp.WaitVisible(`section.rate a[href^="/p/"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	var rectification string
	s.DB.QueryRowContext(t.Context(), `SELECT x.id FROM rectifications x JOIN ratings r ON r.id = x.rating_id
		JOIN cases c ON c.id = r.case_id WHERE c.rating_token = $1`, token).Scan(&rectification)
	step := func(next chromedp.Action[chromedp.Void], fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		actions := append(fill, chromedp.Click(`form.step-form button[type=submit]`), next)
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/rectifications"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "center-admin"),
		chromedp.SendKeys(`input[name=password]`, demo.Password),
		chromedp.Click(`button[type=submit].primary`),
		chromedp.WaitVisible(`table.list a[href="/rectifications/`+rectification+`"]`),
		chromedp.Click(`table.list a[href="/rectifications/`+rectification+`"]`),
		chromedp.WaitVisible(`form.step-form`),
	)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(`main`))
	if !strings.Contains(text, "多次跑腿") || !strings.Contains(text, "<script>alert(1)</script>") || !strings.Contains(text, "待核实") {
		t.Fatalf("the office's view of the bad rating: %q", text)
	}
	step(chromedp.WaitVisible(`select[name=method]`), chromedp.SendKeys(`textarea[name=note]`, "已电话联系群众,情况属实"))
	step(chromedp.WaitVisible(`select[name=answer]`), chromedp.SetValue(`select[name=method]`, "on_the_spot"), chromedp.SendKeys(`textarea[name=note]`, "当场补办,向群众致歉"))
	step(chromedp.WaitNotPresent(`form.step-form`), chromedp.SetValue(`select[name=answer]`, "satisfied"), chromedp.SendKeys(`textarea[name=note]`, "群众表示满意"))
	text, _ = chromedp.Run(ctx, chromedp.Text(`main`))
	if !strings.Contains(text, "已办结") || !strings.Contains(text, "立行立改") || !strings.Contains(text, "群众表示满意") {
		t.Fatalf("after follow-up: %q", text)
	}
}
