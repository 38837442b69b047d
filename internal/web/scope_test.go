package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"wuliang/internal/org"
	"wuliang/internal/sitetest"
)

var ctx = context.Background()

func name(t *testing.T, s *sitetest.Site, code, no string) string {
	st, err := org.NewStore(s.DB).StaffByEmployeeNo(ctx, s.Units[code].ID, no)
	if err != nil {
		t.Fatal(err)
	}
	return st.Name
}

// Who may open what: guests go to the login page, staff stay out of the
// office's pages, and nobody reaches another unit's records — they get 404,
// not 403, so ids of other units reveal nothing.
func TestScope(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		hospitalPerson := s.StaffID("demo-hospital", "HG0001")
		hospitalName := name(t, s, "demo-hospital", "HG0001")
		centerPerson := s.StaffID("demo-center", "ZX0001")
		taxColleague := s.StaffID("demo-center", "ZX0014")
		ownRecord := s.StaffID("demo-center", "ZX0015") // center-staff
		office := s.StaffID("demo-center", "ZX0003")
		s.Run(t, []sitetest.Scenario{
			{Name: "guest home goes to login", As: "", Path: "/", Status: http.StatusSeeOther},
			{Name: "guest staff list goes to login", As: "", Path: "/staff", Status: http.StatusSeeOther},
			{Name: "guest sees the login form", As: "", Path: "/login", Status: 200, Contains: []string{"登录", `name="csrf_token"`, "办事群众请进", `href="/p/demo-center"`, `href="/p/demo-hospital"`}},
			{Name: "a secretary's home lists the approvals waiting", As: "center-secretary", Path: "/", Status: 200, Contains: []string{"待我审批", `href="/activities/claims/`}},
			{Name: "the efficiency page counts the overdue cases still open", As: "center-admin", Path: "/efficiency", Status: 200, Contains: []string{"超期未办结", "超期仍未办结的件计为未按时"}},
			{Name: "staff have no approvals to list", As: "center-staff", Path: "/", Status: 200, NotContains: []string{"待我审批"}},
			{Name: "guest post is refused", As: "", Method: "POST", Path: "/staff", Status: http.StatusUnauthorized},
			{Name: "health", As: "", Path: "/healthz", Status: 200, Contains: []string{"ok"}},

			{Name: "admin sees the staff list", As: "center-admin", Path: "/staff", Status: 200, Contains: []string{"李祥生", "马先军"}, NotContains: []string{hospitalName}},
			{Name: "admin searches in Chinese", As: "center-admin", Path: "/staff?q=" + url.QueryEscape("李祥"), Status: 200, Contains: []string{"李祥生", "ZX0001"}, NotContains: []string{"ZX0002"}},
			{Name: "admin opens own unit's person", As: "center-admin", Path: "/staff/" + centerPerson, Status: 200, Contains: []string{"李祥生", "ZX0001"}},
			{Name: "other unit's person by page", As: "center-admin", Path: "/staff/" + hospitalPerson, Status: 404, NotContains: []string{hospitalName}},
			{Name: "other unit's person edit", As: "center-admin", Path: "/staff/" + hospitalPerson + "/edit", Status: 404, NotContains: []string{hospitalName}},
			{Name: "other unit's person photo", As: "center-admin", Path: "/staff/" + hospitalPerson + "/photo", Status: 404},
			{Name: "other unit's person update", As: "center-admin", Method: "POST", Path: "/staff/" + hospitalPerson, Form: url.Values{"name": {"改名"}}, Status: 404},
			{Name: "other unit's person deactivate", As: "center-admin", Method: "POST", Path: "/staff/" + hospitalPerson + "/active", Form: url.Values{"active": {"0"}}, Status: 404},
			{Name: "other unit's department", As: "center-admin", Path: "/departments/" + deptOf(t, s, "demo-hospital", "中药房") + "/edit", Status: 404},
			{Name: "not a number", As: "center-admin", Path: "/staff/abc", Status: 404},
			{Name: "hospital admin does not see the centre", As: "hospital-admin", Path: "/staff/" + centerPerson, Status: 404, NotContains: []string{"李祥生"}},

			{Name: "staff cannot list staff", As: "center-staff", Path: "/staff", Status: 403, NotContains: []string{"李祥生"}},
			{Name: "staff cannot add staff", As: "center-staff", Path: "/staff/new", Status: 403},
			{Name: "staff cannot post staff", As: "center-staff", Method: "POST", Path: "/staff", Form: url.Values{"name": {"x"}}, Status: 403},
			{Name: "staff cannot see accounts", As: "center-staff", Path: "/users", Status: 403},
			{Name: "staff cannot see keys", As: "center-staff", Path: "/apikeys", Status: 403},
			{Name: "staff cannot see the audit trail", As: "center-staff", Path: "/audit", Status: 403},
			{Name: "staff cannot import", As: "center-staff", Path: "/roster", Status: 403},
			{Name: "staff cannot manage units", As: "center-staff", Path: "/admin/units", Status: 403},
			{Name: "staff sees own record", As: "center-staff", Path: "/staff/" + ownRecord, Status: 200, Contains: []string{"ZX0015"}},
			{Name: "staff /me goes to own record", As: "center-staff", Path: "/me", Status: http.StatusSeeOther},
			{Name: "staff cannot open a colleague", As: "center-staff", Path: "/staff/" + taxColleague, Status: 404},
			{Name: "staff sees colleagues' photos", As: "center-staff", Path: "/staff/" + taxColleague + "/photo", Status: 200, Contains: []string{"<svg"}},
			{Name: "staff sees the windows", As: "center-staff", Path: "/windows", Status: 200, Contains: []string{"税务窗口", "不动产登记窗口"}},
			{Name: "staff menu has no manage section", As: "center-staff", Path: "/windows", Status: 200, NotContains: []string{`href="/users"`, `href="/audit"`}},

			{Name: "window lead sees the window", As: "center-lead", Path: "/staff", Status: 200, Contains: []string{"ZX0014"}, NotContains: []string{"ZX0001<", "李祥生"}},
			{Name: "window lead opens a window colleague", As: "center-lead", Path: "/staff/" + taxColleague, Status: 200},
			{Name: "window lead cannot open the office", As: "center-lead", Path: "/staff/" + office, Status: 404},
			{Name: "window lead cannot edit", As: "center-lead", Path: "/staff/" + taxColleague + "/edit", Status: 403},
			{Name: "secretary sees the branch", As: "center-secretary", Path: "/staff", Status: 200, Contains: []string{"李祥生"}},

			{Name: "system admin lists units", As: "admin", Path: "/admin/units", Status: 200, Contains: []string{"demo-center", "demo-hospital"}},
			{Name: "system admin without a unit goes to units", As: "admin", Path: "/staff", Status: http.StatusSeeOther},
		})
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// Forms without the CSRF token, or posted from another site, change nothing.
func TestCSRF(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		c := s.As("center-admin")
		form := url.Values{"name": {"跨站"}, "employee_no": {"X999"}, "department": {deptOf(t, s, "demo-center", "税务窗口")}}
		for _, token := range []string{"", "forged-token-forged-token-forged-token-abc"} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("csrf_token", token)
			res := s.Post(c, "/staff", f)
			if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "页面已过期") {
				t.Fatalf("token %q: %d", token, res.Status)
			}
		}
		req, _ := http.NewRequest("POST", s.Srv.URL+"/staff", nil)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := s.Do(c, req); res.Status != http.StatusForbidden {
			t.Fatalf("cross-site post: %d", res.Status)
		}
		if _, total, _ := org.NewStore(db).StaffList(ctx, s.Units["demo-center"].ID, org.StaffFilter{Query: "X999"}); total != 0 {
			t.Fatal("a forged form created a person")
		}
	})
}
