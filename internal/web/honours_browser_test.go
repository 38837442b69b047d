package web_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wuliang/internal/database"
	"wuliang/internal/honours"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/sitetest"
)

// One quarter's 流动红旗窗口 in a real browser, on a phone-sized screen:
// the office freezes and publishes this quarter's scores, opens the
// selection from the rule's shortlist, nominates with a reason and opens
// the leading group's vote; two members vote; the office proposes; a
// citizen objects on the portal's 公示 page; confirmation is refused
// until the objection is answered and the 公示期 has run; then the honour
// is confirmed, its certificate prints to a PDF whose text names it, and
// the portal's front page shows the new red-flag window.
func TestBrowserHonourQuarter(t *testing.T) {
	sitetest.E2E(t, "chromium", "pdftotext")
	ctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
	base := s.Srv.URL
	unit := s.Units["demo-center"]
	this := period.QuarterOf(sitetest.Demo, org.Location(unit.Timezone))
	w := newWalk(t, ctx, base)
	do, text, as := w.do, w.text, w.as
	// flashed runs steps that end on a new page with a flash message; the
	// old page's flash is taken away first, so the wait is for the new one.
	flashed := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.querySelectorAll('p.flash').forEach(function (e) { e.remove(); })`)); err != nil {
			t.Fatal(err)
		}
		do(what, append(steps, chromedp.WaitVisible(`p.flash`))...)
	}
	// passTime moves a selection's dates back, as the days would pass.
	passTime := func(column string, value any, id string) {
		t.Helper()
		if err := s.DB.Tx(ctx, func(tx *database.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE honour_selections SET `+column+` = $1 WHERE id = $2`, value, id)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	do("phone", chromedp.EmulateViewport(390, 844))
	as("center-admin", "/scores?period="+this.Code)
	do("freeze", chromedp.Click(chromedp.CSS(`form[action="/scores/freeze"] button`)), chromedp.WaitVisible(`form[action="/scores/publish"] button`))
	do("publish", chromedp.Click(chromedp.CSS(`form[action="/scores/publish"] button`)), chromedp.WaitNotPresent(`form[action="/scores/publish"] button`))

	kinds, _ := s.Stores.Honours.Kinds(ctx, unit.ID)
	do("the shortlist", chromedp.Navigate(base+"/honours?kind="+itoa(kinds[0].ID)+"&period="+this.Code), chromedp.WaitVisible(`form[action="/honours/selections"]`))
	if page := text(`main`); !strings.Contains(page, "流动红旗窗口 · 候选名单") || !strings.Contains(page, "入选候选") {
		t.Fatalf("shortlist page: %q", page)
	}
	do("open with the leading group's vote", chromedp.SetValue(`select[name=vote]`, honours.VoteLeadingGroup), chromedp.SetValue(`input[name=min_voters]`, "2"),
		chromedp.Click(chromedp.CSS(`form[action="/honours/selections"] button`)), chromedp.WaitVisible(`form[action$="/nominate"]`))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	selPath := strings.TrimPrefix(loc, base)
	selID := strings.TrimPrefix(selPath, "/honours/selections/")
	first, _ := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`select[name=subject] option:nth-child(2)`), "value"))
	flashed("nominate", chromedp.SetValue(`select[name=subject]`, first.Value), chromedp.SendKeys(`textarea[name=reason]`, "全季度零超时、零差评,群众送来锦旗两面。"),
		chromedp.Click(chromedp.CSS(`form[action$="/nominate"] button`)))
	if !strings.Contains(text(`main`), "全季度零超时") {
		t.Fatalf("the nomination's reason is not shown: %q", text(`main`))
	}
	do("open the vote", chromedp.Click(chromedp.CSS(`form[action$="/vote-start"] button`)), chromedp.WaitVisible(`input[name=choice]`))
	flashed("the office's leader votes", chromedp.Click(chromedp.CSS(`input[name=choice]`)), chromedp.Click(chromedp.CSS(`form[action$="/vote"] button.primary`)))
	as("center-lead", selPath)
	flashed("a second member votes", chromedp.Click(chromedp.CSS(`input[name=choice]`)), chromedp.Click(chromedp.CSS(`form[action$="/vote"] button.primary`)))
	if page := text(`main`); !strings.Contains(page, "2 人已投票") || !strings.Contains(page, "您已投票") {
		t.Fatalf("after two votes: %q", page)
	}
	passTime("vote_until", time.Now().Add(-time.Minute).UTC(), selID)
	as("center-admin", selPath)
	do("propose", chromedp.Click(chromedp.CSS(`input[name=chosen]`)), chromedp.Click(chromedp.CSS(`form[action$="/propose"] button.primary`)),
		chromedp.WaitVisible(`form[action$="/confirm"]`))
	winner := text(`tr.proposed strong`)

	do("a citizen objects", chromedp.Navigate(base+"/p/demo-center/publicity"), chromedp.WaitVisible(`section.publicity`))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.querySelectorAll('section.publicity details').forEach(function (d) { d.open = true; })`)); err != nil {
		t.Fatal(err)
	}
	sel := `form:has(input[name=selection][value="` + selID + `"])`
	do("the objection", chromedp.SendKeys(sel+` input[name=phone]`, "13912345678"), chromedp.SendKeys(sel+` textarea[name=body]`, "该窗口十月有一次让我跑了两趟。"),
		chromedp.Click(chromedp.CSS(sel+` button.primary`)), chromedp.WaitVisible(`strong.code`))
	code := text(`strong.code`)

	do("confirm too early", chromedp.Navigate(base+selPath), chromedp.Click(chromedp.CSS(`form[action$="/confirm"] button`)), chromedp.WaitVisible(`div.problems`))
	if msg := text(`div.problems`); !strings.Contains(msg, "异议没有答复") {
		t.Fatalf("confirmation with an objection open: %q", msg)
	}
	m, err := s.Stores.Feedback.ByCode(ctx, unit.ID, code)
	if err != nil {
		t.Fatal(err)
	}
	flashed("answer the objection", chromedp.Navigate(base+"/feedback/"+itoa(m.ID)), chromedp.WaitVisible(`textarea[name=reply]`),
		chromedp.SendKeys(`textarea[name=reply]`, "经核实,当日材料不全,已一次性告知;异议不成立,已电话答复。"),
		chromedp.Click(chromedp.CSS(`form[action="/feedback/`+itoa(m.ID)+`"] button[type=submit]`)))
	yesterday := time.Now().In(org.Location(unit.Timezone)).AddDate(0, 0, -1).Format(time.DateOnly)
	passTime("publicity_until", yesterday, selID)
	do("confirm", chromedp.Navigate(base+selPath), chromedp.Click(chromedp.CSS(`form[action$="/confirm"] button`)), chromedp.WaitVisible(`a[href$="/certificate"]`))
	href, _ := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`a[href$="/certificate"]`), "href"))

	res := s.Get(s.As("center-admin"), href.Value+"?format=pdf")
	if res.Status != 200 || !strings.HasPrefix(res.Body, "%PDF-") {
		t.Fatalf("certificate PDF: %d", res.Status)
	}
	pdf := filepath.Join(artifacts(t), "certificate.pdf")
	os.WriteFile(pdf, []byte(res.Body), 0o644)
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{"荣誉证书", winner, "流动红旗窗口", "某县行政服务中心", "特发此证"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the certificate's text lacks %q: %s", want, out)
		}
	}
	do("the portal", chromedp.Navigate(base+"/p/demo-center"), chromedp.WaitVisible(`p.red-flag-now`))
	if flag := text(`p.red-flag-now`); !strings.Contains(flag, winner) || !strings.Contains(flag, this.Code) {
		t.Errorf("the portal's red flag: %q, want %s of %s", flag, winner, this.Code)
	}
}
