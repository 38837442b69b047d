package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"wuliang/internal/apikeys"
	"wuliang/internal/audit"
	"wuliang/internal/items"
	"wuliang/internal/org"
	"wuliang/internal/sitetest"
)

func TestAPIScope(t *testing.T) {
	sitetest.Shared(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		hospitalPerson := s.StaffID("demo-hospital", "HG0001")
		centerPerson := s.StaffID("demo-center", "ZX0001")
		list, _ := items.NewStore(db).List(t.Context(), s.Units["demo-center"].ID, items.Filter{})
		centerItem := strconv.FormatInt(list[0].ID, 10)
		s.Run(t, []sitetest.Scenario{
			{Name: "no key", As: "", Path: "/api/v1/staff", Status: 401, Contains: []string{`"error"`, "缺少 API 密钥"}},
			{Name: "staff list", As: "key:demo-center", Path: "/api/v1/staff", Status: 200, Contains: []string{"李祥生", `"total":54`, `"employee_no":"ZX0001"`}, NotContains: []string{"HG0001"}},
			{Name: "own person", As: "key:demo-center", Path: "/api/v1/staff/" + centerPerson, Status: 200, Contains: []string{"李祥生"}},
			{Name: "other unit's person", As: "key:demo-center", Path: "/api/v1/staff/" + hospitalPerson, Status: 404, Contains: []string{"没有找到"}, NotContains: []string{"HG0001"}},
			{Name: "other unit's photo", As: "key:demo-center", Path: "/api/v1/staff/" + hospitalPerson + "/photo", Status: 404},
			{Name: "hospital key sees the hospital", As: "key:demo-hospital", Path: "/api/v1/staff/" + hospitalPerson, Status: 200, Contains: []string{"HG0001"}},
			{Name: "filter by department", As: "key:demo-center", Path: "/api/v1/staff?q=" + "%E7%A8%8E%E5%8A%A1", Status: 200, Contains: []string{`"total":6`}},
			{Name: "bad limit", As: "key:demo-center", Path: "/api/v1/staff?limit=100000", Status: 400, Contains: []string{"limit 须为"}},
			{Name: "bad department id", As: "key:demo-center", Path: "/api/v1/staff?department_id=abc", Status: 400, Contains: []string{"department_id"}},
			{Name: "bad active", As: "key:demo-center", Path: "/api/v1/staff?active=maybe", Status: 400},
			{Name: "departments", As: "key:demo-center", Path: "/api/v1/departments", Status: 200, Contains: []string{"税务窗口", `"kind":"window"`}, NotContains: []string{"中药房"}},
			{Name: "branches", As: "key:demo-hospital", Path: "/api/v1/branches", Status: 200, Contains: []string{"门诊支部"}, NotContains: []string{"中心党支部"}},
			{Name: "items", As: "key:demo-center", Path: "/api/v1/items?q=%E8%BA%AB%E4%BB%BD%E8%AF%81", Status: 200, Contains: []string{"居民身份证换领", `"time_limit_days":20`, `"materials":[`}},
			{Name: "items of another unit", As: "key:demo-hospital", Path: "/api/v1/items", Status: 200, Contains: []string{"病历复印"}, NotContains: []string{"居民身份证换领", list[0].Name}},
			{Name: "own item", As: "key:demo-center", Path: "/api/v1/items/" + centerItem, Status: 200, Contains: []string{list[0].Name, `"policy_basis"`}},
			{Name: "another unit's item", As: "key:demo-hospital", Path: "/api/v1/items/" + centerItem, Status: 404, NotContains: []string{list[0].Name}},
			{Name: "public commitments", As: "key:demo-center", Path: "/api/v1/commitments", Status: 200, Contains: []string{`"status":"open"`, `"status":"kept"`, `"late":true`}, NotContains: []string{`"state":"submitted"`, `"state":"draft"`}},
			{Name: "commitments by status", As: "key:demo-center", Path: "/api/v1/commitments?status=kept", Status: 200, Contains: []string{`"status":"kept"`}, NotContains: []string{`"status":"open"`}},
			{Name: "commitments of a person", As: "key:demo-center", Path: "/api/v1/commitments?person=" + centerPerson, Status: 200, Contains: []string{`"commitments":[`}},
			{Name: "bad status", As: "key:demo-center", Path: "/api/v1/commitments?status=maybe", Status: 400},
			{Name: "bad window id", As: "key:demo-center", Path: "/api/v1/items?window_id=-1", Status: 400},
			{Name: "unknown endpoint", As: "key:demo-center", Path: "/api/v1/nothing", Status: 404, Contains: []string{"没有这个接口"}},
		})
	})
}

func TestAPIKeyMisuse(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		send := func(auth string) int {
			req, _ := http.NewRequest("GET", s.Srv.URL+"/api/v1/staff", nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			return s.Do(http.DefaultClient, req).Status
		}
		key := s.Keys["demo-center"]
		for _, auth := range []string{"Bearer ", "Bearer x", "Basic " + key, key, "Bearer " + key[:len(key)-2] + "00", "Bearer " + strings.Repeat("a", 10_000)} {
			if got := send(auth); got != 401 {
				t.Errorf("%.40q: %d", auth, got)
			}
		}
		if got := send("Bearer " + key); got != 200 {
			t.Fatalf("good key: %d", got)
		}
		var keyID int64
		db.QueryRowContext(t.Context(), `SELECT id FROM api_keys WHERE unit_id = $1`, s.Units["demo-center"].ID).Scan(&keyID)
		if err := apikeys.NewStore(db).Revoke(t.Context(), audit.Actor{Name: "t"}, s.Units["demo-center"].ID, keyID); err != nil {
			t.Fatal(err)
		}
		if got := send("Bearer " + key); got != 401 {
			t.Fatalf("revoked key: %d", got)
		}
	})
}

func TestStaffJSON(t *testing.T) {
	sitetest.Shared(t, func(t *testing.T, s *sitetest.Site) {
		res := s.API("demo-center", "/api/v1/staff?limit=5&offset=5")
		var page struct {
			Total  int         `json:"total"`
			Limit  int         `json:"limit"`
			Offset int         `json:"offset"`
			Staff  []org.Staff `json:"staff"`
		}
		if err := json.Unmarshal([]byte(res.Body), &page); err != nil {
			t.Fatal(err)
		}
		if page.Total != 54 || len(page.Staff) != 5 || page.Offset != 5 || page.Staff[0].EmployeeNo != "ZX0006" {
			t.Fatalf("%+v", page)
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatal(res.Header.Get("Content-Type"))
		}
	})
}
