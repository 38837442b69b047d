package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wuliang/internal/sitetest"
)

// A NUL, a BEL and U+202E in every form field and query parameter of the
// forms people use most, and in paths and JSON: never a 500, a clear 400 for
// a path or query with a control character, and nothing stored holds one.
func TestHostileInput(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		center := s.Units["demo-center"].ID
		tax := deptOf(t, s, "demo-center", "税务窗口")
		item := lookup(t, s.DB, `SELECT i.id FROM items i JOIN departments d ON d.id = i.department_id WHERE i.unit_id = $1 AND d.name = '税务窗口'
			ORDER BY i.id LIMIT 1`, center)
		me := s.StaffID("demo-center", "ZX0015")
		s.RunHostile(t, []sitetest.Scenario{
			{Name: "login", As: "", Path: "/login", Form: url.Values{"username": {"center-staff"}, "password": {"wrong-password"}}},
			{Name: "a person", As: "center-admin", Path: "/staff", Form: staffForm(tax, "employee_no", "H001", "phone", "13900001111", "post", "窗口人员")},
			{Name: "a department", As: "center-admin", Path: "/departments", Form: url.Values{"name": {"便民窗口"}, "kind": {"window"}, "duties": {"代办\n帮办"}}},
			{Name: "a case", As: "center-staff", Path: "/cases", Form: url.Values{"item": {item}, "recipient_name": {"刘备"}, "recipient_phone": {"13900001234"},
				"channel": {"counter"}, "notes": {"带了身份证"}}},
			{Name: "whereabouts", As: "center-staff", Path: "/whereabouts", Form: url.Values{"staff": {me}, "kind": {"business"}, "place": {"县税务局"},
				"starts_at": {"2030-01-07T09:00"}, "ends_at": {"2030-01-07T10:00"}}},
			{Name: "an API key", As: "center-admin", Path: "/apikeys", Form: url.Values{"name": {"2号窗口叫号机"}, "scope": {"cases"}}},
			{Name: "rating reasons", As: "center-admin", Path: "/ratings/reasons", Form: url.Values{"reasons": {"态度不好\n多次跑腿"}}},
			{Name: "a suggestion", As: "", Path: "/p/demo-center/feedback", Form: url.Values{"kind": {"suggestion"}, "body": {"希望增加周六值班"}, "name": {"张三"}}},
			{Name: "a person's rating", As: "", Path: "/p/demo-center/staff/" + me + "/rate", Form: url.Values{"level": {"2"}, "reasons": {"态度不好"}, "comment": {"等了很久"}}},
			{Name: "staff search", As: "center-admin", Path: "/staff?q=李&department=" + tax},
			{Name: "case search", As: "center-admin", Path: "/cases?q=刘&state=accepted"},
			{Name: "portal search", As: "", Path: "/p/demo-center/search?q=身份证"},
			{Name: "ratings of a month", As: "center-admin", Path: "/ratings?period=2026-11&page=1"},
			{Name: "audit filters", As: "center-admin", Path: "/audit?entity=rating&actor=center-admin"},
		})
		// Paths and JSON, where no form is parsed.
		for _, path := range []string{"/p/demo-center%00", "/p/demo-center%07/staff", "/staff/%00", "/api/v1/staff?q=%00"} {
			req, _ := http.NewRequest("GET", s.Srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+s.Keys["demo-center"])
			if res := s.Do(s.As("center-admin"), req); res.Status != 400 || !strings.Contains(res.Body, "控制字符") {
				t.Errorf("%s: %d %s", path, res.Status, sitetest.Snippet(res.Body))
			}
		}
		for _, bad := range sitetest.Hostile {
			name, _ := json.Marshal("张" + bad + "飞")
			res := s.APIPost("demo-center", "/api/v1/cases", `{"staff_id": `+me+`, "item_id": `+item+`, "recipient_name": `+string(name)+
				`, "recipient_phone": "13900005678", "channel": "counter"}`)
			if res.Status != 201 || !strings.Contains(res.Body, `"张飞"`) {
				t.Errorf("a case by the API with %q: %d %s", bad, res.Status, res.Body)
			}
		}
		sitetest.NoHostileStored(t, s.DB)
	})
}

// A query Go's parser calls malformed (a semicolon, a stray %) is not
// taken for a hostile one: the page answers as before.
func TestOddQueriesStillAnswer(t *testing.T) {
	sitetest.Shared(t, func(t *testing.T, s *sitetest.Site) {
		for _, q := range []string{"?q=a;b", "?q=100%", "?period=2026-11&x=%zz"} {
			if res := s.Get(sitetest.NewClient(), "/p/demo-center/search"+q); res.Status != 200 {
				t.Errorf("%s: %d", q, res.Status)
			}
		}
	})
}
