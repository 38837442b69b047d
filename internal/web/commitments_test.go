package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wuliang/internal/sitetest"
)

// A staff member drafts a commitment, the branch secretary returns it, the
// staff member fixes and resubmits it, the secretary approves it, and it
// appears on the person's public page and the branch's notice board.
func TestCommitmentFlow(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		staff, secretary := s.As("center-staff"), s.As("center-secretary")
		form := url.Values{"owner_kind": {"staff"}, "employee_no": {"ZX0015"}, "category": {"one_time_notice"},
			"body": {`材料不全时一次性告知<script>alert(1)</script>`}, "period_start": {"2026-01-01"}, "period_end": {"2026-12-31"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("due_on", "2025-06-01")
		if res := s.Post(staff, "/commitments", bad); res.Status != 400 || !strings.Contains(res.Body, "兑现期限不能早于承诺开始日") {
			t.Fatalf("due before start: %d", res.Status)
		}
		bad.Set("due_on", "")
		bad.Set("employee_no", "ZX0001")
		if res := s.Post(staff, "/commitments", bad); res.Status != 400 || !strings.Contains(res.Body, "工作人员只能为本人承诺") {
			t.Fatalf("for a colleague: %d", res.Status)
		}
		res := s.Post(staff, "/commitments", form)
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		path := res.Header.Get("Location")
		page := s.Get(staff, path)
		if strings.Contains(page.Body, "<script>alert(1)") || !strings.Contains(page.Body, "&lt;script&gt;") {
			t.Fatal("the commitment text is not shown as text")
		}
		if res := s.Get(s.As("hospital-admin"), path); res.Status != 404 {
			t.Fatalf("another unit: %d", res.Status)
		}
		if res := s.Get(s.As("center-lead"), path); res.Status != 200 {
			t.Fatalf("the window lead cannot see a draft of the window: %d", res.Status)
		}
		steps := []struct {
			who    string
			action string
			form   url.Values
			status int
		}{
			{"center-secretary", "/approve", nil, 400}, // still a draft
			{"center-staff", "/submit", nil, 303},
			{"center-staff", "/approve", nil, 403},
			{"center-secretary", "/return", url.Values{"reason": {"请写明具体做法"}}, 303},
			{"center-staff", "", url.Values{"category": {"one_time_notice"}, "body": {"材料不全时当场出具一次性告知书"}, "period_start": {"2026-01-01"}, "period_end": {"2026-12-31"}}, 303},
			{"center-staff", "/submit", nil, 303},
			{"center-secretary", "/approve", nil, 303},
			{"center-staff", "/fulfilments", url.Values{"on_date": {"2026-03-01"}, "body": {"出具告知书 12 份"}}, 303},
		}
		for _, st := range steps {
			if res := s.Post(s.As(st.who), path+st.action, st.form); res.Status != st.status {
				t.Fatalf("%s %s: %d, want %d\n%s", st.who, st.action, res.Status, st.status, sitetest.Snippet(res.Body))
			}
		}
		person := s.Get(sitetest.NewClient(), "/p/demo-center/staff/"+s.StaffID("demo-center", "ZX0015"))
		if !strings.Contains(person.Body, "材料不全时当场出具一次性告知书") {
			t.Fatal("the approved commitment is not on the public page")
		}
		if list := s.Get(secretary, "/commitments"); !strings.Contains(list.Body, "材料不全时当场出具一次性告知书") {
			t.Fatal("the secretary's list lacks it")
		}
		var branch int64
		db.QueryRowContext(ctx, `SELECT id FROM branches WHERE unit_id = $1`, s.Units["demo-center"].ID).Scan(&branch)
		board := s.Get(sitetest.NewClient(), "/p/demo-center/board/"+itoa(branch))
		if board.Status != 200 || !strings.Contains(board.Body, "材料不全时当场出具一次性告知书") || strings.Contains(board.Body, "ZX00") {
			t.Fatalf("notice board: %d", board.Status)
		}
		// A submitted commitment never reaches the public.
		pending := url.Values{}
		for k, v := range form {
			pending[k] = v
		}
		pending.Set("body", "尚未审核的承诺-唯一文字")
		res = s.Post(staff, "/commitments", pending)
		s.Post(staff, res.Header.Get("Location")+"/submit", nil)
		for _, path := range []string{"/p/demo-center/board/" + itoa(branch), "/p/demo-center/staff/" + s.StaffID("demo-center", "ZX0015")} {
			if page := s.Get(sitetest.NewClient(), path); strings.Contains(page.Body, "尚未审核的承诺") {
				t.Fatalf("%s shows a commitment waiting for approval", path)
			}
		}
		if page := s.Get(secretary, "/commitments"); !strings.Contains(page.Body, "待我审核") || !strings.Contains(page.Body, "尚未审核的承诺") {
			t.Fatal("the secretary is not shown what waits for approval")
		}
	})
}
