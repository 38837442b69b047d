package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/database"
	"wuliang/internal/demo"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/report"
	"wuliang/internal/sitetest"
)

// TestReports: the office generates last month's report, which is kept as
// it was when later facts arrive, a second generation is a new version,
// the workbook carries every figure, and wrong periods, other units and
// other roles are refused.
func TestReports(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		ctx := context.Background()
		center := s.Units["demo-center"]
		office := s.As("center-admin")
		last := period.MonthOf(time.Now(), org.Location(center.Timezone)).Previous()
		generate := func(code string) sitetest.Response {
			return s.Post(office, "/reports", url.Values{"period": {code}})
		}
		res := generate(last.Code)
		loc := res.Header.Get("Location")
		if res.Status != 303 || !strings.HasPrefix(loc, "/reports/") {
			t.Fatalf("generate: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		page := s.Get(office, loc)
		for _, want := range []string{last.Label(), last.Previous().Label(), "办件与效能", "按时办结率", "群众评价与差评整改", "好评率", "排队等候与满意度",
			"意见建议与投诉", "例会点评", "五评", "五比", "责任追究", "承诺践诺", "评先评优", "<svg", "查看数据表", "第 1 版"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		id := strings.TrimPrefix(loc, "/reports/")
		kept, err := s.Stores.Reports.Get(ctx, center.ID, atoi64(t, id))
		if err != nil {
			t.Fatal(err)
		}
		// A case registered in that month after the report: the kept
		// report does not move, the next version counts it.
		staff := s.StaffID("demo-center", "ZX0015")
		c := s.APIPost("demo-center", "/api/v1/cases", `{"staff_id": `+staff+`, "matter": "补登", "recipient_name": "张飞", "recipient_phone": "13900005678", "channel": "counter"}`)
		caseID := between(c.Body, `"id":`, `,`)
		err = s.DB.Tx(ctx, func(tx *database.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE cases SET created_at = $1 WHERE id = $2`, last.From.Add(10*time.Hour), caseID)
			return err
		})
		if c.Status != 201 || err != nil {
			t.Fatalf("case: %d %v", c.Status, err)
		}
		again, _ := s.Stores.Reports.Get(ctx, center.ID, kept.ID)
		a, _ := json.Marshal(kept.Sections)
		b, _ := json.Marshal(again.Sections)
		if !bytes.Equal(a, b) {
			t.Error("a kept report changed")
		}
		second := generate(last.Code)
		loc2 := second.Header.Get("Location")
		if second.Status != 303 || loc2 == loc || !strings.Contains(s.Get(office, loc2).Body, "第 2 版") {
			t.Fatalf("a second generation: %d %s", second.Status, loc2)
		}
		v2, _ := s.Stores.Reports.Get(ctx, center.ID, atoi64(t, strings.TrimPrefix(loc2, "/reports/")))
		registered := func(r report.Report) float64 { return *r.Sections[0].Metrics[0].Now }
		if registered(v2) != registered(kept)+1 {
			t.Errorf("registered: version 1 %v, version 2 %v", registered(kept), registered(v2))
		}
		if list := s.Get(office, "/reports"); !strings.Contains(list.Body, `href="`+loc+`"`) || !strings.Contains(list.Body, "第 2 版") {
			t.Error("the list does not keep both versions")
		}
		xl := s.Get(office, loc+"/excel")
		f, err := excelize.OpenReader(strings.NewReader(xl.Body))
		if err != nil {
			t.Fatalf("workbook: %v", err)
		}
		rows, _ := f.GetRows("工作报告")
		found := false
		for _, row := range rows {
			if len(row) >= 6 && row[1] == "按时办结率" && row[2] == "%" {
				found = true
			}
		}
		if !found || len(rows) < 30 {
			t.Errorf("workbook rows: %d, on-time rate found %v", len(rows), found)
		}
		// The last full quarter's report carries the published 五创 scores
		// and the quarter's honours.
		quarter := period.QuarterOf(demo.LastFullQuarter(time.Now()), org.Location(center.Timezone))
		qres := generate(quarter.Code)
		qpage := s.Get(office, qres.Header.Get("Location"))
		if qres.Status != 303 || !strings.Contains(qpage.Body, "各窗口五创得分") || strings.Contains(qpage.Body, "本期没有公布的五创评分") ||
			!strings.Contains(qpage.Body, quarter.Previous().Label()) {
			t.Errorf("the quarter's report: %d, scores missing", qres.Status)
		}
		for _, bad := range []struct{ code, want string }{
			{"", "期间"}, {"2026", "按月或按季度"}, {"2099-01", "还没有开始"}, {"<script>alert(1)</script>", "期间"}, {"２０２６-１３", "期间"},
			{strings.Repeat("9", 10000), "期间"},
		} {
			res := generate(bad.code)
			if res.Status != 400 || !strings.Contains(res.Body, bad.want) || strings.Contains(res.Body, "<script>alert") {
				t.Errorf("period %.20q: %d %s", bad.code, res.Status, sitetest.Snippet(res.Body))
			}
		}
		if r := s.Get(s.As("hospital-admin"), loc); r.Status != 404 {
			t.Errorf("another unit's admin opened the report: %d", r.Status)
		}
		for _, who := range []string{"center-staff", "center-lead", "center-secretary"} {
			if r := s.Get(s.As(who), loc); r.Status != 403 {
				t.Errorf("%s opened the report: %d", who, r.Status)
			}
		}
		noCSRF, _ := s.LoginForm("center-admin", "demo1234")
		if r := s.Post(noCSRF, "/reports", url.Values{"period": {last.Code}, "csrf_token": {"forged"}}); r.Status != 403 {
			t.Errorf("a forged form: %d", r.Status)
		}
	})
}

func atoi64(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
