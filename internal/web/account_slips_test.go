package web_test

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"wuliang/internal/sitetest"
)

// The office opens accounts for a whole window in one step. Each person
// gets a slip; the slip's password logs in once and must be replaced
// before anything else opens; a reset prints a new slip and ends the old
// password; nobody gets two accounts, however often the form is sent.
func TestAccountSlips(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		center := s.Units["demo-center"]
		window := lookup(t, s.DB, `SELECT department_id FROM staff s WHERE unit_id = $1 AND active = TRUE
			AND NOT EXISTS (SELECT 1 FROM users u WHERE u.staff_id = s.id)
			GROUP BY department_id ORDER BY count(*) DESC, department_id LIMIT 1`, center.ID)
		want := lookup(t, s.DB, `SELECT count(*) FROM staff s WHERE department_id = $1 AND active = TRUE
			AND NOT EXISTS (SELECT 1 FROM users u WHERE u.staff_id = s.id)`, window)
		office := s.As("center-admin")

		// Staff cannot, and a page out of the unit's reach shows nothing.
		s.Run(t, []sitetest.Scenario{
			{Name: "staff cannot open accounts", As: "center-staff", Method: "POST", Path: "/users/accounts", Form: url.Values{"department": {window}}, Status: 403},
			{Name: "the role defaults to staff", As: "center-admin", Path: "/users", Status: 200,
				Contains: []string{`<option value="staff" selected>`, "还有"}, NotContains: []string{`<option value="unit_admin" selected>`}},
		})

		// Two clicks at once make one set of accounts. With a browser at
		// hand the slips come as a PDF, read back with pdftotext.
		format := ""
		if pdfAtHand() {
			format = "pdf"
		}
		var wg sync.WaitGroup
		answers := make([]sitetest.Response, 2)
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[i] = s.Post(office, "/users/accounts", url.Values{"department": {window}, "format": {format}})
			}()
		}
		wg.Wait()
		made := lookup(t, s.DB, `SELECT count(*) FROM users u JOIN staff s ON s.id = u.staff_id WHERE s.department_id = $1`, window)
		if made != want {
			t.Fatalf("the window has %s accounts for %s people", made, want)
		}
		var slips sitetest.Response
		for _, a := range answers {
			if a.Status == 200 {
				slips = a
			} else if a.Status != 400 || !strings.Contains(a.Body, "都已有账号") {
				t.Fatalf("the second click: %d %s", a.Status, sitetest.Snippet(a.Body))
			}
		}
		if slips.Status != 200 || slips.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("slips: %d, cache %q", slips.Status, slips.Header.Get("Cache-Control"))
		}
		names, passwords := slipCodes(t, slips)
		if n := int(atoi64(t, want)); len(names) != n || len(passwords) != n {
			t.Fatalf("%d usernames and %d passwords on the slips of %d people", len(names), len(passwords), n)
		}
		username, first := names[0], passwords[0]

		// A reset prints a new slip and ends the old password.
		userID := lookup(t, s.DB, `SELECT id FROM users WHERE username = $1`, username)
		res := s.Post(office, "/users/"+userID+"/slip", url.Values{"format": {format}})
		names, passwords = slipCodes(t, res)
		if len(names) != 1 || names[0] != username {
			t.Fatalf("the reset slip names %v", names)
		}
		password := passwords[0]
		if password == first {
			t.Fatal("the reset kept the password")
		}
		if _, res := s.LoginForm(username, first); res.Status == 303 {
			t.Fatal("the password of the first slip still logs in after the reset")
		}

		// The slip logs in; everything but the password form is closed.
		c, res := s.LoginForm(username, password)
		if res.Status != 303 {
			t.Fatalf("login with the slip: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if r := s.Get(c, "/cases"); r.Status != 303 || r.Header.Get("Location") != "/account/password" {
			t.Fatalf("a page before the change: %d → %q", r.Status, r.Header.Get("Location"))
		}
		if r := s.Post(c, "/whereabouts", url.Values{"note": {"外出"}}); r.Status != 403 || !strings.Contains(r.Body, "请先修改初始密码") {
			t.Fatalf("a form before the change: %d", r.Status)
		}
		if r := s.Post(c, "/account/password", url.Values{"old_password": {password}, "password": {password}, "password_again": {password}}); r.Status != 400 || !strings.Contains(r.Body, "不能与原密码相同") {
			t.Fatalf("keeping the slip password: %d", r.Status)
		}
		own := "我的新密码-2026"
		if r := s.Post(c, "/account/password", url.Values{"old_password": {password}, "password": {own}, "password_again": {own}}); r.Status != 303 {
			t.Fatalf("change: %d %s", r.Status, sitetest.Snippet(r.Body))
		}
		if _, r := s.LoginForm(username, password); r.Status == 303 {
			t.Fatal("the slip password still logs in after the change")
		}
		c, _ = s.LoginForm(username, own)
		if r := s.Get(c, "/cases"); r.Status != 200 {
			t.Fatalf("after the change: %d", r.Status)
		}
		// Another unit's office cannot reset this unit's account.
		if r := s.Post(s.As("hospital-admin"), "/users/"+userID+"/slip", nil); r.Status != 404 {
			t.Fatalf("another unit's reset: %d", r.Status)
		}
		if lookup(t, s.DB, `SELECT count(*) FROM audit_log WHERE entity = 'user' AND action = 'create' AND unit_id = $1`, center.ID) == "0" {
			t.Fatal("the accounts were not audited")
		}
	})
}

func pdfAtHand() bool {
	_, chromium := exec.LookPath("chromium")
	_, pdftotext := exec.LookPath("pdftotext")
	return os.Getenv("WULIANG_E2E") != "" && chromium == nil && pdftotext == nil
}

// slipCodes reads the usernames and passwords off slips, a PDF (through
// pdftotext, as printed) or the page.
func slipCodes(t *testing.T, res sitetest.Response) (names, passwords []string) {
	t.Helper()
	if res.Status != 200 {
		t.Fatalf("slips: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	text := res.Body
	if strings.HasPrefix(res.Body, "%PDF") {
		file := filepath.Join(t.TempDir(), "slips.pdf")
		os.WriteFile(file, []byte(res.Body), 0o600)
		if dir := os.Getenv("WULIANG_ARTIFACTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, "slips.pdf"), []byte(res.Body), 0o644)
		}
		out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text = string(out)
		t.Logf("PDF slips read %d characters", len(text))
	} else {
		text = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(text, " ")
		if strings.Contains(res.Body, "format=pdf") {
			t.Fatal("the slip page offers a PDF link it cannot serve")
		}
	}
	if !strings.Contains(text, "首次登录后须立即修改密码") || !strings.Contains(text, "登录口令条") {
		t.Fatalf("the slips lack their title or note: %s", sitetest.Snippet(text))
	}
	for _, m := range regexp.MustCompile(`用户名\s+([a-z0-9._-]+)`).FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	for _, m := range regexp.MustCompile(`初始密码\s+([2-9a-z]{10})\b`).FindAllStringSubmatch(text, -1) {
		passwords = append(passwords, m[1])
	}
	return names, passwords
}
