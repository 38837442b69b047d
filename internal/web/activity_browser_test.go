package web_test

import (
	"bytes"
	"image"
	_ "image/png"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"wuliang/internal/demo"
	"wuliang/internal/sitetest"
)

// Attendance through the QR flow in a real browser: the organiser's screen
// shows the session's code; a person on a phone-sized screen scans it (the
// code is read from a screenshot of that screen), logs in on the way, and
// checks in; the organiser's list then shows them present by scan.
func TestBrowserStudyCheckIn(t *testing.T) {
	bctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
	base := s.Srv.URL
	var kind string
	s.DB.QueryRowContext(ctx, `SELECT id FROM activity_kinds WHERE unit_id = $1 AND code = 'study'`, s.Units["demo-center"].ID).Scan(&kind)
	now := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04")
	res := s.Post(s.As("center-admin"), "/activities/sessions", url.Values{"kind": {kind}, "topic": {"charter"}, "title": {"学党章 第三章"},
		"place": {"三楼会议室"}, "starts_at": {now}, "scope": {"unit"}})
	if res.Status != 303 {
		t.Fatalf("schedule: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	session := res.Header.Get("Location")

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	login := func(username string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{chromedp.WaitVisible(`input[name=username]`),
			chromedp.SendKeys(`input[name=username]`, username), chromedp.SendKeys(`input[name=password]`, demo.Password),
			chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`main h1`)}
	}
	// The organiser's screen.
	do("organiser logs in", append(append([]chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base + session)},
		login("center-admin")...), chromedp.WaitVisible(`img.qr`))...)
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
	code, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("no QR code on the organiser's screen: %v", err)
	}
	scanned := code.GetText()
	if !strings.HasPrefix(scanned, base+session+"/check-in?t=") {
		t.Fatalf("the code holds %q", scanned)
	}
	do("organiser logs out", chromedp.Click(chromedp.CSS(`header form button`)), chromedp.WaitVisible(`input[name=username]`))

	// The phone scans: not logged in yet, so the login page comes first and
	// leads back to the check-in.
	do("phone scans", append(append([]chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(390, 844), chromedp.Navigate(scanned)},
		login("center-staff")...), chromedp.WaitVisible(`#checkin`))...)
	if loc, _ := chromedp.Run(bctx, chromedp.Location()); !strings.Contains(loc, "/check-in?t=") {
		t.Fatalf("after logging in the phone is at %s", loc)
	}
	do("check in", chromedp.Click(`#checkin`), chromedp.WaitVisible(`#checkin-result`))
	result, _ := chromedp.Run(bctx, chromedp.Text(`#checkin-result`))
	if !strings.Contains(result, "出席") || !strings.Contains(result, "签到成功") {
		t.Fatalf("check-in says %q", result)
	}
	width, _ := chromedp.Run(bctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
	if width > 390 {
		t.Errorf("the check-in page is %v px wide on a 390 px phone", width)
	}
	// A second scan shows the status, no second button.
	do("scan again", chromedp.Navigate(scanned), chromedp.WaitVisible(`#checkin-result`))
	if again, _ := chromedp.Run(bctx, chromedp.Text(`#checkin-result`)); !strings.Contains(again, "出席") {
		t.Fatalf("second scan: %q", again)
	}

	var status string
	var byQR bool
	s.DB.QueryRowContext(ctx, `SELECT a.status, a.by_qr FROM study_attendance a JOIN users u ON u.staff_id = a.staff_id
		WHERE u.username = 'center-staff' AND a.session_id = $1`, session[strings.LastIndex(session, "/")+1:]).Scan(&status, &byQR)
	if status != "present" || !byQR {
		t.Fatalf("attendance recorded as %q by QR %v", status, byQR)
	}
	if page := s.Get(s.As("center-admin"), session); !strings.Contains(page.Body, "出席 1 人") || !strings.Contains(page.Body, "扫码") {
		t.Fatalf("the organiser's list: %s", sitetest.Snippet(page.Body))
	}
}
