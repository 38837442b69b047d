package sitetest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// EnvE2E turns on the end-to-end tests, those that drive Debian's headless
// Chromium or read its PDFs. They run in a step of their own (.ci/run sets
// it there), not again in every run of the suite; when it is set, a missing
// tool is a failure, not a skip.
const EnvE2E = "WULIANG_E2E"

// E2E skips an end-to-end test unless EnvE2E is set, and fails it when one
// of the tools it needs is not installed. Every such test's name starts
// with TestBrowser, so that its step can pick them out with -run.
func E2E(t testing.TB, tools ...string) {
	t.Helper()
	if os.Getenv(EnvE2E) == "" {
		t.Skip(EnvE2E + " is not set: end-to-end test skipped")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is set but %s is not installed (apt-get install chromium poppler-utils fonts-noto-cjk)", EnvE2E, tool)
		}
	}
}

// Browser starts Debian's headless Chromium with the flags this closed
// network needs and a fresh profile, and returns a tab's context.
func Browser(t *testing.T) context.Context {
	t.Helper()
	E2E(t, "chromium")
	path, _ := exec.LookPath("chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc()
	})
	return ctx
}
