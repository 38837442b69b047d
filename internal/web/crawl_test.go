package web_test

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"wuliang/internal/sitetest"
)

// Every role, following every link on every page it can reach from its
// home, finds a page: a link that answers 403, 404 or 500 is a wall the
// person was sent into. Pages of one shape (the same path with another id)
// are visited a few times each, so the crawl covers every kind of page
// without reading every case.
func TestEveryLinkOpens(t *testing.T) {
	s := sitetest.SQLite(t)
	href := regexp.MustCompile(`href="(/[^"]*)"`)
	for _, username := range []string{"center-admin", "center-secretary", "center-lead", "center-staff", "center-supervisor",
		"hospital-admin", "hospital-secretary", "hospital-staff", "admin"} {
		t.Run(username, func(t *testing.T) {
			c := s.As(username)
			seen := map[string]bool{}
			shapes := map[string]int{}
			type visit struct{ path, from string }
			queue := []visit{{"/", "login"}}
			for len(queue) > 0 {
				v := queue[0]
				queue = queue[1:]
				if seen[v.path] || skipCrawl(v.path) {
					continue
				}
				seen[v.path] = true
				if shape := linkShape(v.path); shapes[shape] >= 3 {
					continue
				} else {
					shapes[shape]++
				}
				res := s.Get(c, v.path)
				if loc := res.Header.Get("Location"); res.Status == 303 || res.Status == 302 {
					queue = append(queue, visit{loc, v.path})
					continue
				}
				switch {
				case res.Status == 403 || res.Status == 404 || res.Status >= 500:
					t.Errorf("%s → %s: %d", v.from, v.path, res.Status)
					continue
				case res.Status != 200:
					t.Errorf("%s → %s: %d", v.from, v.path, res.Status)
					continue
				}
				if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
					continue
				}
				for _, m := range href.FindAllStringSubmatch(res.Body, -1) {
					if p := strings.ReplaceAll(m[1], "&amp;", "&"); !seen[p] {
						queue = append(queue, visit{p, v.path})
					}
				}
			}
			if len(seen) < 3 {
				t.Fatalf("the crawl reached only %d pages", len(seen))
			}
			pages := 0
			for _, n := range shapes {
				pages += n
			}
			t.Logf("%d links, %d pages opened, %d shapes", len(seen), pages, len(shapes))
		})
	}
}

// skipCrawl leaves out what is not a page to read: the public site (its own
// crawl is TestPortalLeaksNothing), static assets, PDFs (each starts a
// browser) and the hall screen's stream.
func skipCrawl(path string) bool {
	for _, prefix := range []string{"/p/", "/s/", "/static/", "/assets/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return strings.Contains(path, "format=pdf") || strings.HasSuffix(path, "/events")
}

var digits = regexp.MustCompile(`\d+`)

// linkShape is a path with its numbers and query values left out.
func linkShape(path string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	keys := make([]string, 0, len(u.Query()))
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return digits.ReplaceAllString(u.Path, "N") + "?" + strings.Join(keys, "&")
}
