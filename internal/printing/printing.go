// Package printing turns a self-contained HTML page into a PDF with the
// machine's headless Chromium, honouring the page sizes the page's CSS sets
// (@page). Chromium prints Chinese with any installed CJK font, which a Go
// PDF library could only do with a TrueType font shipped in the binary.
package printing

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// ErrNoBrowser means no Chromium is installed; people can still print from
// their own browser.
var ErrNoBrowser = errors.New("printing: chromium is not installed")

// Printer prints pages, a few at a time.
type Printer struct {
	path  string
	slots chan struct{}
}

// New finds Chromium. Printing fails with ErrNoBrowser when there is none.
func New() *Printer {
	p := &Printer{slots: make(chan struct{}, 2)}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			p.path = path
			break
		}
	}
	return p
}

// PDF prints html, which must need nothing from the network, to PDF.
func (p *Printer) PDF(ctx context.Context, html []byte) ([]byte, error) {
	if p.path == "" {
		return nil, ErrNoBrowser
	}
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	dir, err := os.MkdirTemp("", "wuliang-print")
	if err != nil {
		return nil, fmt.Errorf("printing: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "page.html")
	if err := os.WriteFile(file, html, 0o600); err != nil {
		return nil, fmt.Errorf("printing: write page: %w", err)
	}
	// The flags this closed network needs: nothing may phone home.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(p.path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()
	if err := chromedp.Do(bctx, chromedp.Navigate("file://"+file)); err != nil {
		return nil, fmt.Errorf("printing: open page: %w", err)
	}
	tctx, cancel := context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	pdf, err := chromedp.Run(tctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		return nil, fmt.Errorf("printing: print: %w", err)
	}
	return pdf, nil
}
