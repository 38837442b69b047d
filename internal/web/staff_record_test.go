package web_test

import (
	"strings"
	"testing"

	"wuliang/internal/sitetest"
)

// A person's page is their record: what they promised, handled, were
// rated and reviewed on, their 五评 and 五比 standing and accountability,
// each with a link to its page. Only they and the office read it.
func TestMyRecord(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		staff := s.As("center-staff")
		me := s.Get(staff, "/me")
		if me.Status != 303 {
			t.Fatalf("/me: %d", me.Status)
		}
		own := me.Header.Get("Location")
		res := s.Get(staff, own)
		for _, want := range []string{"我的档案", "承诺", `href="/commitments/`, "经办事项", `href="/cases/`, "收到的评价", "例会点评", "得分",
			"党员“五评”", `href="/five-appraisals/`, "“五比”积分", `href="/rankings/people/`, "问责记录"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the record lacks %q", want)
			}
		}
		if office := s.Get(s.As("center-admin"), own); !strings.Contains(office.Body, `class="card record"`) {
			t.Error("the office does not see the record")
		}
		if lead := s.Get(s.As("center-lead"), own); lead.Status == 200 && strings.Contains(lead.Body, `class="card record"`) {
			t.Error("a window lead reads someone else's whole record")
		}
	})
}
