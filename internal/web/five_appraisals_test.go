package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/database"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/org"
	"wuliang/internal/orgtest"
	"wuliang/internal/sitetest"
)

// fiveForm is the new-round form with the defaults, open from now.
func fiveForm(extra url.Values) url.Values {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	d := fiveappraisal.NewDraft(time.Now().Add(-time.Hour), loc)
	f := url.Values{"title": {"测试五评 <b>粗体</b> 😀"}, "period_from": {d.PeriodFrom}, "period_to": {d.PeriodTo}, "members_only": {"on"},
		"share": {d.Share}, "standards": {d.Standards}, "opens_at": {d.OpensAt}, "closes_at": {d.ClosesAt}}
	for i, p := range fiveappraisal.Parts {
		f.Set("weight_"+p, strconv.Itoa(d.Weights[i]))
	}
	for _, g := range fiveappraisal.Grades {
		f.Set("points_"+strconv.Itoa(g), strconv.Itoa(d.Points[g]))
		f.Set("threshold_"+strconv.Itoa(g), strconv.Itoa(d.Thresholds[g]))
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// The 比 pages through the web: monthly reviews, five appraisals and the
// five comparisons, on one demo site per engine: loading the demo on
// PostgreSQL is the slow part.
func TestComparePages(t *testing.T) {
	sitetest.Shared(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		t.Run("published round", func(t *testing.T) { fiveAppraisalPages(t, db, s) })
		t.Run("review pages", func(t *testing.T) { reviewPages(t, db, s) })
		t.Run("a round through the web", func(t *testing.T) { fiveAppraisalRound(t, db, s) })
		t.Run("five comparisons", func(t *testing.T) { comparisonPages(t, db, s) })
	})
}

// reviewPages: who may see what, refusals in Chinese with what was typed
// kept, and the public summary's restraint.
func reviewPages(t *testing.T, db *database.DB, s *sitetest.Site) {
	var unitMeeting, windowMeeting string
	centre := s.Units["demo-center"].ID
	db.QueryRowContext(ctx, `SELECT id FROM review_meetings WHERE scope = 'unit' AND unit_id = $1 ORDER BY id LIMIT 1`, centre).Scan(&unitMeeting)
	db.QueryRowContext(ctx, `SELECT id FROM review_meetings WHERE scope = 'window' AND unit_id = $1`, centre).Scan(&windowMeeting)
	s.Run(t, []sitetest.Scenario{
		{Name: "staff see their own reviews", As: "center-staff", Path: "/reviews", Status: 200, Contains: []string{"我的点评", "服务态度"}, NotContains: []string{"分类指导名单", "召开例会"}},
		{Name: "the office sees the guidance list", As: "center-admin", Path: "/reviews", Status: 200, Contains: []string{"分类指导名单", "出现“差”的月份"}},
		{Name: "supervisors are kept out", As: "center-supervisor", Path: "/reviews", Status: 403},
		{Name: "the office reads a published meeting", As: "center-admin", Path: "/reviews/" + unitMeeting, Status: 200, Contains: []string{"上月工作总结", "已发布", "表扬"}},
		{Name: "a window lead cannot read the unit's meeting", As: "center-lead", Path: "/reviews/" + unitMeeting, Status: 404},
		{Name: "a window lead reads their window's", As: "center-lead", Path: "/reviews/" + windowMeeting, Status: 200, Contains: []string{"税务窗口"}},
		{Name: "another unit's meeting", As: "hospital-admin", Path: "/reviews/" + unitMeeting, Status: 404},
		{Name: "staff cannot open a meeting", As: "center-staff", Method: "POST", Path: "/reviews", Form: url.Values{"month": {"2026-01"}}, Status: 403},
		{Name: "no month", As: "center-admin", Method: "POST", Path: "/reviews", Form: url.Values{"scope": {"unit"}}, Status: 400, Contains: []string{"请填写正确的月份"}},
		{Name: "a month to come", As: "center-admin", Method: "POST", Path: "/reviews", Form: url.Values{"month": {"2099-01"}, "scope": {"unit"}}, Status: 400, Contains: []string{"未来月份"}},
		{Name: "a published meeting cannot change", As: "center-admin", Method: "POST", Path: "/reviews/" + unitMeeting, Form: url.Values{"summary": {"改写"}}, Status: 409, Contains: []string{"已经发布"}},
		{Name: "points out of range", As: "center-admin", Method: "POST", Path: "/reviews/settings", Form: url.Values{"points_4": {"abc"}, "points_3": {"85"}, "points_2": {"70"}, "points_1": {"40"}}, Status: 400, Contains: []string{"0 到 100 的整数"}},
		{Name: "public summary names the praised only", As: "", Path: "/p/demo-center/reviews", Status: 200, Contains: []string{"表扬", "耐心为老年人帮办代办", "主动顶岗 B 岗"}, NotContains: []string{"批评", "提醒", "私人电话"}},
		{Name: "reviews API", As: "key:demo-center", Path: "/api/v1/reviews?month=" + time.Now().AddDate(0, -1, 0).Format("2006-01"), Status: 200, Contains: []string{`"scope":"unit"`, `"grades":[`, `"score_centi":`}},
		{Name: "reviews API bad month", As: "key:demo-center", Path: "/api/v1/reviews?month=2026-13", Status: 400, Contains: []string{"month"}},
		{Name: "reviews API of another unit", As: "key:demo-hospital", Path: "/api/v1/reviews?month=" + time.Now().AddDate(0, -1, 0).Format("2006-01"), Status: 200, Contains: []string{"全院"}, NotContains: []string{"税务窗口", "中心各窗口"}},
	})
	// A new meeting this month: what is refused keeps what was typed.
	office := s.As("center-admin")
	res := s.Post(office, "/reviews", url.Values{"month": {time.Now().Format("2006-01")}, "scope": {"unit"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("open: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	path := res.Header.Get("Location")
	again := s.Post(office, "/reviews", url.Values{"month": {time.Now().Format("2006-01")}, "scope": {"unit"}})
	if again.Header.Get("Location") != path {
		t.Fatalf("a second open went to %q, not %q", again.Header.Get("Location"), path)
	}
	person := s.StaffID("demo-center", "ZX0001")
	p := "p" + person + "_"
	bad := url.Values{"summary": {"本月 <script>alert(1)</script> 总结"}, "staff": {person}, p + "attitude": {"4"}, p + "quality": {"9"},
		p + "efficiency": {"4"}, p + "discipline": {"4"}, p + "remark_note": {strings.Repeat("长", 100000)}}
	res = s.Post(office, path, bad)
	if res.Status != 400 || !strings.Contains(res.Body, "请从好、较好、一般、差中选择") || !strings.Contains(res.Body, "不能超过 500 个字") ||
		!strings.Contains(res.Body, "本月 &lt;script&gt;alert(1)&lt;/script&gt; 总结") || strings.Contains(res.Body, "<script>alert(1)") {
		t.Fatalf("bad save: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	good := url.Values{"summary": {"本月总结"}, "staff": {person}, p + "attitude": {"4"}, p + "quality": {"3"}, p + "efficiency": {"4"},
		p + "discipline": {"4"}, p + "remark": {"praise"}, p + "remark_note": {"<b>好样的</b> 😀"}}
	if res := s.Post(office, path, good); res.Status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	if page := s.Get(office, path); !strings.Contains(page.Body, "&lt;b&gt;好样的&lt;/b&gt; 😀") {
		t.Fatalf("saved comment not shown as text: %s", sitetest.Snippet(page.Body))
	}
	if res := s.Post(office, path+"/publish", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.Status)
	}
}

// fiveAppraisalPages: the published demo round: the office's page, the hall's page without
// anything internal, the API, the Excel table; nothing of another unit.
func fiveAppraisalPages(t *testing.T, db *database.DB, s *sitetest.Site) {
	var round, target string
	db.QueryRowContext(ctx, `SELECT id FROM five_rounds WHERE unit_id = $1`, s.Units["demo-center"].ID).Scan(&round)
	// someone with a follow-up plan who wrote their self-appraisal, the same on both engines
	db.QueryRowContext(ctx, `SELECT r.target_id FROM five_results r WHERE r.followup_plan <> '' AND r.round_id = $1
		AND EXISTS (SELECT 1 FROM five_entries e WHERE e.target_id = r.target_id AND e.part = 'self') ORDER BY r.target_id LIMIT 1`, round).Scan(&target)
	s.Run(t, []sitetest.Scenario{
		{Name: "list", As: "center-staff", Path: "/five-appraisals", Status: 200, Contains: []string{"党员“五评”", "已公示"}},
		{Name: "staff see their own result only", As: "center-staff", Path: "/five-appraisals/" + round, Status: 200, Contains: []string{"我的评议结果"}, NotContains: []string{"建议等次", "帮扶计划"}},
		{Name: "the office sees every result", As: "center-admin", Path: "/five-appraisals/" + round, Status: 200, Contains: []string{"评议结果", "加权总分", "帮扶计划", "票)", "缺群众测评:其权重按比例分给他评各部分"}},
		{Name: "the signed parts, for the office", As: "center-admin", Path: "/five-appraisals/" + round + "/people/" + target, Status: 200, Contains: []string{"个人自评", "支部讲评"}, NotContains: []string{"党员互评 ·"}},
		{Name: "staff cannot read signed parts", As: "center-staff", Path: "/five-appraisals/" + round + "/people/" + target, Status: 403},
		{Name: "another unit's round", As: "hospital-admin", Path: "/five-appraisals/" + round, Status: 404},
		{Name: "hall page", As: "", Path: "/p/demo-center/five-appraisals/" + round, Status: 200, Contains: []string{"五评结果公示", "加权总分", "优秀"}, NotContains: []string{"帮扶计划", "调整理由", "支委会研究确定", "结对帮扶"}},
		{Name: "the portal links the hall pages", As: "", Path: "/p/demo-center", Status: 200, Contains: []string{"/p/demo-center/five-appraisals/" + round, "/p/demo-center/reviews"}},
		{Name: "hall page of another unit", As: "", Path: "/p/demo-hospital/five-appraisals/" + round, Status: 404},
		{Name: "print", As: "center-admin", Path: "/five-appraisals/" + round + "/print", Status: 200, Contains: []string{"结果", "领导小组办公室(盖章)"}},
		{Name: "staff cannot export", As: "center-staff", Path: "/five-appraisals/" + round + "/results.xlsx", Status: 403},
		{Name: "rounds API", As: "key:demo-center", Path: "/api/v1/appraisal-rounds", Status: 200, Contains: []string{`"state":"published"`, `"weights":[10,30,20,20,20]`}},
		{Name: "results API", As: "key:demo-center", Path: "/api/v1/appraisal-rounds/" + round + "/results", Status: 200, Contains: []string{`"peer":`, `"total":`, `"grade":"excellent"`},
			NotContains: []string{"followup", "override", "proposed", "voter"}},
		{Name: "results API of another unit", As: "key:demo-hospital", Path: "/api/v1/appraisal-rounds/" + round + "/results", Status: 404},
		{Name: "results API bad id", As: "key:demo-center", Path: "/api/v1/appraisal-rounds/abc/results", Status: 404},
	})
	res := s.Get(s.As("center-admin"), "/five-appraisals/"+round+"/results.xlsx")
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	rows, _ := f.GetRows("五评结果")
	if len(rows) < 10 || rows[1][3] != "个人自评(10%)" || rows[1][11] != "确定等次" || rows[2][0] != "1" {
		t.Fatalf("rows: %v", rows[:3])
	}
	// Someone who has left is no longer named in the hall.
	var left int64
	var name string
	db.QueryRowContext(ctx, `SELECT s.id, s.name FROM five_results x JOIN five_targets t ON t.id = x.target_id JOIN staff s ON s.id = t.staff_id
		WHERE x.round_id = $1 AND s.id NOT IN (SELECT staff_id FROM users WHERE staff_id IS NOT NULL) ORDER BY x.rank, s.id LIMIT 1`, round).Scan(&left, &name)
	center := s.Units["demo-center"].ID
	people := org.NewStore(db)
	if hall := s.Get(s.As(""), "/p/demo-center/five-appraisals/"+round); !strings.Contains(hall.Body, name+"<") {
		t.Fatalf("%s is not in the hall page", name)
	}
	if err := people.SetStaffActive(ctx, orgtest.Actor, center, left, false); err != nil {
		t.Fatal(err)
	}
	defer people.SetStaffActive(ctx, orgtest.Actor, center, left, true)
	for _, p := range []string{"/p/demo-center/five-appraisals/" + round, "/p/demo-center/reviews"} {
		if page := s.Get(s.As(""), p); page.Status != 200 || strings.Contains(page.Body, name+"<") {
			t.Fatalf("%s names %s, who has left: %d", p, name, page.Status)
		}
	}
}

// fiveAppraisalRound: a new round walked through the web: bad forms, parts by their people,
// refusals of self and double votes, and closing.
func fiveAppraisalRound(t *testing.T, db *database.DB, s *sitetest.Site) {
	office := s.As("center-admin")
	s.Run(t, []sitetest.Scenario{
		{Name: "staff cannot make a round", As: "center-staff", Method: "POST", Path: "/five-appraisals", Form: fiveForm(nil), Status: 403},
		{Name: "weights add to 90", As: "center-admin", Method: "POST", Path: "/five-appraisals", Form: fiveForm(url.Values{"weight_self": {"0"}}), Status: 400, Contains: []string{"合计必须为 100%,现在是 90%", "测试五评 &lt;b&gt;粗体&lt;/b&gt; 😀"}},
		{Name: "full-width weights are read", As: "center-admin", Method: "POST", Path: "/five-appraisals", Form: fiveForm(url.Values{"weight_self": {"１０"}, "title": {""}}), Status: 400, Contains: []string{"请填写名称"}, NotContains: []string{"现在是"}},
		{Name: "not a number", As: "center-admin", Method: "POST", Path: "/five-appraisals", Form: fiveForm(url.Values{"weight_peer": {"三十"}}), Status: 400, Contains: []string{"0 到 100 的整数"}},
		{Name: "times backwards", As: "center-admin", Method: "POST", Path: "/five-appraisals", Form: fiveForm(url.Values{"closes_at": {"2000-01-01T00:00"}}), Status: 400, Contains: []string{"截止晚于开始"}},
	})
	res := s.Post(office, "/five-appraisals", fiveForm(nil))
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	path := res.Header.Get("Location")
	staff := s.As("center-staff")
	page := s.Get(staff, path)
	if !strings.Contains(page.Body, "个人自评") || !strings.Contains(page.Body, "党员互评") {
		t.Fatalf("staff tasks: %s", sitetest.Snippet(page.Body))
	}
	var me, peer, other string
	db.QueryRowContext(ctx, `SELECT t.id FROM five_targets t JOIN users u ON u.staff_id = t.staff_id WHERE u.username = 'center-staff' AND t.round_id = $1`, strings.TrimPrefix(path, "/five-appraisals/")).Scan(&me)
	db.QueryRowContext(ctx, `SELECT t.id FROM five_targets t JOIN users u ON u.staff_id = t.staff_id WHERE u.username = 'center-admin' AND t.round_id = $1`, strings.TrimPrefix(path, "/five-appraisals/")).Scan(&peer)
	db.QueryRowContext(ctx, `SELECT id FROM five_targets WHERE round_id = 1 LIMIT 1`).Scan(&other)
	s.Run(t, []sitetest.Scenario{
		{Name: "self-appraisal of 100,000 characters", As: "center-staff", Method: "POST", Path: path + "/give/self", Form: url.Values{"target": {me}, "grade": {"4"}, "body": {strings.Repeat("字", 100000)}}, Status: 400, Contains: []string{"不能超过 2000 个字(现在 100000 个字)"}},
		{Name: "grade outside the scale", As: "center-staff", Method: "POST", Path: path + "/give/self", Form: url.Values{"target": {me}, "grade": {"7"}, "body": {"<i>自评</i>"}}, Status: 400, Contains: []string{"请从优秀、合格、基本合格、不合格中选择", "&lt;i&gt;自评&lt;/i&gt;"}},
		{Name: "self-appraisal for another", As: "center-staff", Method: "POST", Path: path + "/give/self", Form: url.Values{"target": {peer}, "grade": {"4"}, "body": {"x"}}, Status: 403},
		{Name: "staff cannot give a branch comment", As: "center-staff", Method: "POST", Path: path + "/give/branch", Form: url.Values{"target": {peer}, "grade": {"4"}, "body": {"x"}}, Status: 403},
		{Name: "unknown part", As: "center-staff", Method: "POST", Path: path + "/give/public", Form: url.Values{"target": {me}, "grade": {"4"}, "body": {"x"}}, Status: 403},
		{Name: "self", As: "center-staff", Method: "POST", Path: path + "/give/self", Form: url.Values{"target": {me}, "grade": {"3"}, "body": {"对照五带头查找不足 <script>x</script>"}}, Status: 303},
		{Name: "self twice", As: "center-staff", Method: "POST", Path: path + "/give/self", Form: url.Values{"target": {me}, "grade": {"3"}, "body": {"again"}}, Status: 409, Contains: []string{"已经提交过"}},
		{Name: "peer vote for oneself", As: "center-staff", Method: "POST", Path: path + "/peer", Form: url.Values{"peer_" + me: {"4"}}, Status: 400, Contains: []string{"不能给自己评定等次"}},
		{Name: "peer vote in another round", As: "center-staff", Method: "POST", Path: path + "/peer", Form: url.Values{"peer_" + other: {"4"}}, Status: 400, Contains: []string{"只能评议本支部"}},
		{Name: "empty ballot", As: "center-staff", Method: "POST", Path: path + "/peer", Form: url.Values{}, Status: 400, Contains: []string{"至少给一名同志"}},
		{Name: "peer vote", As: "center-staff", Method: "POST", Path: path + "/peer", Form: url.Values{"peer_" + peer: {"4"}}, Status: 303},
		{Name: "peer vote twice", As: "center-staff", Method: "POST", Path: path + "/peer", Form: url.Values{"peer_" + peer: {"1"}}, Status: 409, Contains: []string{"每人只能评一次"}},
		{Name: "public score out of range", As: "center-admin", Method: "POST", Path: path + "/public", Form: url.Values{"target": {me}, "score": {"101"}, "source": {"问卷"}}, Status: 400, Contains: []string{"0 到 100 的整数"}},
		{Name: "the office's progress hides votes received", As: "center-admin", Path: path, Status: 200, Contains: []string{"进度", "提醒未完成的人"}, NotContains: []string{"票)"}},
		{Name: "reminders", As: "center-admin", Method: "POST", Path: path + "/remind", Status: 303},
		{Name: "the reminded see it", As: "center-secretary", Path: "/notifications", Status: 200, Contains: []string{"还有你未完成的评议"}},
		{Name: "close", As: "center-admin", Method: "POST", Path: path + "/close", Status: 303},
		{Name: "a vote after closing", As: "center-secretary", Method: "POST", Path: path + "/peer", Form: url.Values{"peer_" + me: {"4"}}, Status: 409, Contains: []string{"已经结束"}},
		{Name: "publish before confirming", As: "center-admin", Method: "POST", Path: path + "/publish", Status: 400, Contains: []string{"未经确认"}},
		{Name: "override without a reason", As: "center-admin", Method: "POST", Path: path + "/override", Form: url.Values{"target": {me}, "grade": {"basic"}}, Status: 400, Contains: []string{"必须写明理由"}},
		{Name: "the unpublished hall page is not there", As: "", Path: "/p/demo-center" + strings.Replace(path, "/five-appraisals/", "/five-appraisals/", 1), Status: 404},
	})
}

// No page or export tells who gave which peer grade: two worlds in which
// two members swap the grades they give render the same, once the CSRF
// tokens and clock times are set aside. (The store test proves the same of
// the tables on both engines; pages are made from those tables.)
func TestFiveAppraisalPagesAnonymous(t *testing.T) {
	world := func(swap bool) []string {
		s := sitetest.SQLite(t)
		office := s.As("center-admin")
		res := s.Post(office, "/five-appraisals", fiveForm(nil))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d", res.Status)
		}
		path := res.Header.Get("Location")
		var x, y string
		s.DB.QueryRowContext(ctx, `SELECT t.id FROM five_targets t JOIN staff s ON s.id = t.staff_id
			WHERE t.round_id = $1 AND t.staff_id NOT IN (SELECT staff_id FROM users WHERE staff_id IS NOT NULL) ORDER BY t.id LIMIT 1`, strings.TrimPrefix(path, "/five-appraisals/")).Scan(&x)
		s.DB.QueryRowContext(ctx, `SELECT t.id FROM five_targets t JOIN staff s ON s.id = t.staff_id
			WHERE t.round_id = $1 AND t.staff_id NOT IN (SELECT staff_id FROM users WHERE staff_id IS NOT NULL) ORDER BY t.id DESC LIMIT 1`, strings.TrimPrefix(path, "/five-appraisals/")).Scan(&y)
		a, b := "4", "2"
		if swap {
			a, b = b, a
		}
		for _, v := range []struct{ who, x, y string }{{"center-staff", a, "3"}, {"center-secretary", b, "3"}, {"center-admin", "3", "3"}} {
			if res := s.Post(s.As(v.who), path+"/peer", url.Values{"peer_" + x: {v.x}, "peer_" + y: {v.y}}); res.Status != http.StatusSeeOther {
				t.Fatalf("vote of %s: %d %s", v.who, res.Status, sitetest.Snippet(res.Body))
			}
		}
		var pages []string
		look := func(who, p string) {
			pages = append(pages, who+" "+p+"\n"+normalize(s.Get(s.As(who), p).Body))
		}
		for _, who := range []string{"center-admin", "center-secretary", "center-staff"} {
			look(who, path)
		}
		look("center-admin", "/audit")
		if res := s.Post(office, path+"/close", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("close: %d", res.Status)
		}
		for _, who := range []string{"center-admin", "center-secretary", "center-staff"} {
			look(who, path)
		}
		for _, p := range []string{path + "/people/" + x, path + "/print", "/audit"} {
			look("center-admin", p)
		}
		book, err := excelize.OpenReader(strings.NewReader(s.Get(office, path+"/results.xlsx").Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := book.GetRows("五评结果")
		for _, r := range rows {
			pages = append(pages, strings.Join(r, "|"))
		}
		return pages
	}
	one, two := world(false), world(true)
	if len(one) != len(two) {
		t.Fatalf("%d pages against %d", len(one), len(two))
	}
	for i := range one {
		if one[i] != two[i] {
			a, b := one[i], two[i]
			j := 0
			for j < len(a) && j < len(b) && a[j] == b[j] {
				j++
			}
			t.Fatalf("page %d differs:\n%s\n…%s\n…%s", i, a[:min(len(a), 80)], a[max(0, j-200):min(len(a), j+200)], b[max(0, j-200):min(len(b), j+200)])
		}
	}
}

var (
	csrfValue = regexp.MustCompile(`name="csrf_token" value="[^"]*"`)
	clockTime = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?`)
	hashValue = regexp.MustCompile(`[0-9a-f]{64}`)
	keyPrefix = regexp.MustCompile(`<td>前缀</td><td></td><td>[0-9a-f]+`)
)

func normalize(page string) string {
	page = csrfValue.ReplaceAllString(page, "csrf")
	page = clockTime.ReplaceAllString(page, "time")
	page = keyPrefix.ReplaceAllString(page, "prefix") // the test's API key, random in each world
	return hashValue.ReplaceAllString(page, "hash")
}
