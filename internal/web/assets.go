package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var staticFiles embed.FS

// assets serves the embedded CSS, JS and images at URLs that carry a hash
// of their content (/static/app.3f2a1c.css), so browsers may cache them for
// a year and never keep a stale copy after an upgrade.
type assets struct {
	byURL  map[string]asset
	byName map[string]string // "app.css" → its hashed URL
}

type asset struct {
	body        []byte
	contentType string
}

var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
	".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
}

func loadAssets() (*assets, error) {
	a := &assets{byURL: map[string]asset{}, byName: map[string]string{}}
	err := fs.WalkDir(staticFiles, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(path)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(path, "static/")
		dot := strings.LastIndex(name, ".")
		sum := sha256.Sum256(body)
		url := "/static/" + name[:dot] + "." + hex.EncodeToString(sum[:4]) + name[dot:]
		a.byURL[url] = asset{body: body, contentType: contentTypes[name[dot:]]}
		a.byName[name] = url
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	return a, nil
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}

// URL returns the hashed URL of an asset, for templates.
func (a *assets) URL(name string) string { return a.byName[name] }
