package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wuliang/internal/demo"
)

// walk drives one browser tab through a site as a person would: steps
// timed in the log, a page's text, logging in and out as demo users.
type walk struct {
	t        *testing.T
	ctx      context.Context
	base     string
	loggedIn bool
}

func newWalk(t *testing.T, ctx context.Context, base string) *walk {
	return &walk{t: t, ctx: ctx, base: base}
}

// do runs steps, failing the test with what they were for.
func (w *walk) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	w.t.Helper()
	start := time.Now()
	if err := chromedp.Do(w.ctx, steps...); err != nil {
		w.t.Fatalf("%s: %v", what, err)
	}
	w.t.Logf("%s: %s", what, time.Since(start).Round(time.Millisecond))
}

// text is the visible text of the first element sel matches.
func (w *walk) text(sel string) string {
	w.t.Helper()
	v, err := chromedp.Run(w.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		w.t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

// as logs out whoever is in and logs username in through the login form,
// landing on path.
func (w *walk) as(username, path string) {
	w.t.Helper()
	if w.loggedIn {
		w.do("log out", chromedp.Click(chromedp.CSS(`header form button`)), chromedp.WaitVisible(`input[name=username]`))
	}
	w.do("log in as "+username, chromedp.Navigate(w.base+path), chromedp.WaitVisible(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, username), chromedp.SendKeys(`input[name=password]`, demo.Password),
		chromedp.Click(`button[type=submit].primary`), chromedp.WaitVisible(`header form button`), chromedp.WaitVisible(`main h1`))
	w.loggedIn = true
}
