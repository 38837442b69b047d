package web_test

import (
	"net/http"
	"strings"
	"testing"

	"wuliang/internal/demo"
	"wuliang/internal/sitetest"
)

// Logging in through the form: the right password opens a session that
// reaches the pages, a wrong one is refused with a message and opens none.
// (The other site tests open their sessions directly.)
func TestLoginForm(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		for _, tc := range []struct {
			name, username, password string
			status                   int
			says                     string
		}{
			{"right password", "center-admin", demo.Password, http.StatusSeeOther, ""},
			{"wrong password", "center-admin", "not-the-password", http.StatusUnauthorized, "用户名或密码不正确"},
			{"no such user", "nobody-here", demo.Password, http.StatusUnauthorized, "用户名或密码不正确"},
			{"empty", "", "", http.StatusUnauthorized, "用户名或密码不正确"},
			{"script as username", "<script>alert(1)</script>", "x", http.StatusUnauthorized, "用户名或密码不正确"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c, res := s.LoginForm(tc.username, tc.password)
				if res.Status != tc.status || !strings.Contains(res.Body, tc.says) || strings.Contains(res.Body, "<script>alert") {
					t.Fatalf("status %d\n%s", res.Status, sitetest.Snippet(res.Body))
				}
				home := s.Get(c, "/staff")
				if signedIn := home.Status == http.StatusOK; signedIn != (tc.status == http.StatusSeeOther) {
					t.Fatalf("after the login, /staff answers %d", home.Status)
				}
			})
		}
	})
}
