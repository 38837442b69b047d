package main_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Only the surfaces that speak HTTP, the wiring and the test helpers may
// import net/http. A domain package that did, or that imported a wuliang
// package that did, would tie facts and rules to one transport.
// (excelize, the Excel library, imports it itself; that is not ours.)
func TestLayers(t *testing.T) {
	allowed := []string{"web", "api", "cli", "printing", "sitetest", "testdb", "orgtest", "failure/failurehttp"}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Imports ","}}`, "wuliang/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, list, _ := strings.Cut(line, "|")
		imports[pkg] = strings.Split(list, ",")
	}
	for pkg := range imports {
		name := strings.TrimPrefix(pkg, "wuliang/internal/")
		if !strings.HasPrefix(pkg, "wuliang/internal/") || slices.Contains(allowed, name) {
			continue
		}
		// Walk the wuliang packages pkg depends on.
		seen, todo := map[string]bool{}, []string{pkg}
		for len(todo) > 0 {
			p := todo[0]
			todo = todo[1:]
			if seen[p] {
				continue
			}
			seen[p] = true
			for _, dep := range imports[p] {
				switch {
				case dep == "net/http":
					t.Errorf("%s reaches net/http through %s", pkg, p)
				case strings.HasPrefix(dep, "wuliang/"):
					todo = append(todo, dep)
				}
			}
		}
	}
	if len(imports) < 20 {
		t.Fatalf("go list found %d packages", len(imports))
	}
}
