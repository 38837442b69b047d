package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/sitetest"
)

// The audit page speaks Chinese: every kind of record, action and field of
// the demo's trail has its name, ids show as names, and filters and the
// Excel export work.
func TestAuditReadable(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		office := s.As("center-admin")
		page := s.Get(office, "/audit")
		if page.Status != 200 {
			t.Fatalf("audit: %d", page.Status)
		}
		raw := regexp.MustCompile(`audit\.[a-z_]+|[a-z]+_id\b`)
		entities := regexp.MustCompile(`<option value="([a-z_]+)"`).FindAllStringSubmatch(between(page.Body, `name="entity"`, `</select>`), -1)
		if len(entities) < 20 {
			t.Fatalf("only %d kinds of record to filter by", len(entities))
		}
		for _, e := range append([][]string{{"", ""}}, entities...) {
			res := s.Get(office, "/audit?entity="+e[1])
			if res.Status != 200 {
				t.Fatalf("audit of %s: %d", e[1], res.Status)
			}
			if m := raw.FindString(stripTags(res.Body)); m != "" {
				t.Errorf("the audit page of %q shows the raw key %q", e[1], m)
			}
		}
		// Names for ids, 女 for female: a person's record names their window.
		staff := s.Get(office, "/audit?entity=staff")
		if !strings.Contains(staff.Body, "女") || !strings.Contains(staff.Body, "窗口") {
			t.Error("the staff records show no gender or window in words")
		}
		// Filters: by action and date; a bad date is a clear 400.
		completes := s.Get(office, "/audit?entity=case&action=complete")
		if completes.Status != 200 || !strings.Contains(completes.Body, "办结") || strings.Contains(completes.Body, "<td>受理</td>") || !strings.Contains(completes.Body, "<td>办结</td>") {
			t.Fatalf("filter by action: %d", completes.Status)
		}
		for _, bad := range []string{"2026-13-01", "<script>", "２０２６-１１-３０", strings.Repeat("9", 5000)} {
			res := s.Get(office, "/audit?from="+url.QueryEscape(bad))
			if res.Status != 400 || !strings.Contains(res.Body, "日期格式应为") || strings.Contains(res.Body, "<script>") {
				t.Errorf("from=%.20q: %d", bad, res.Status)
			}
		}
		if res := s.Get(office, "/audit?from=2026-11-30&to=2026-11-01"); res.Status != 400 {
			t.Errorf("a reversed range: %d", res.Status)
		}
		xlsx := s.Get(office, "/audit.xlsx?entity=case&action=complete")
		f, err := excelize.OpenReader(strings.NewReader(xlsx.Body))
		if err != nil {
			t.Fatalf("export: %d %v", xlsx.Status, err)
		}
		rows, _ := f.GetRows("审计日志")
		if len(rows) < 10 || rows[1][3] != "操作" {
			t.Fatalf("export has %d rows, header %v", len(rows), rows[1])
		}
		s.Run(t, []sitetest.Scenario{
			{Name: "staff cannot read the trail", As: "center-staff", Path: "/audit", Status: 403},
			{Name: "nor export it", As: "center-lead", Path: "/audit.xlsx", Status: 403},
			{Name: "another unit's trail shows nothing of this one", As: "hospital-admin", Path: "/audit?entity=case", Status: 200, NotContains: []string{"某县行政服务中心"}},
		})
	})
}

var tags = regexp.MustCompile(`<[^>]*>`)

// stripTags is the page's text, without markup (whose attributes, such as
// a field's name, are not shown).
func stripTags(html string) string { return tags.ReplaceAllString(html, " ") }
