package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/database"
	"wuliang/internal/period"
	"wuliang/internal/sitetest"
)

// comparisonPages: 五比 through the web on the demo: who sees what, every
// form's refusals in Chinese with nothing kept, the approval flow with two
// approvers at once, contests, sessions, reversals, the Excel exports and
// the rankings API.
func deptID(db *database.DB, unitID int64, name string) string {
	var id string
	db.QueryRowContext(ctx, `SELECT id FROM departments WHERE unit_id = $1 AND name = $2`, unitID, name).Scan(&id)
	return id
}

func comparisonPages(t *testing.T, db *database.DB, s *sitetest.Site) {
	center, hospital := s.Units["demo-center"].ID, s.Units["demo-hospital"].ID
	kind := func(unitID int64, code string) string {
		var id string
		db.QueryRowContext(ctx, `SELECT id FROM activity_kinds WHERE unit_id = $1 AND code = $2`, unitID, code).Scan(&id)
		return id
	}
	var session, entry, entryStaff string
	db.QueryRowContext(ctx, `SELECT id FROM study_sessions WHERE unit_id = $1 AND closed_at IS NULL`, center).Scan(&session)
	db.QueryRowContext(ctx, `SELECT id, staff_id FROM point_entries WHERE unit_id = $1 AND source = 'session' ORDER BY id LIMIT 1`, center).Scan(&entry, &entryStaff)
	quarter := period.QuarterOf(time.Now(), time.FixedZone("CST", 8*3600)).Code
	var colleague string
	db.QueryRowContext(ctx, `SELECT staff_id FROM users WHERE username = 'center-staff'`).Scan(&colleague)
	s.Run(t, []sitetest.Scenario{
		{Name: "staff see their points and the form", As: "center-staff", Path: "/activities", Status: 200, Contains: []string{"我的积分", "登记活动", "比奉献"}, NotContains: []string{"待我审核"}},
		{Name: "supervisors are kept out", As: "center-supervisor", Path: "/activities", Status: 403},
		{Name: "rules are the office's", As: "center-staff", Path: "/activities/kinds", Status: 403},
		{Name: "the office's rules", As: "center-admin", Path: "/activities/kinds", Status: 200, Contains: []string{"学习型党组织学习", "每月上限", "先进比例"}},
		{Name: "ranking of people", As: "center-staff", Path: "/rankings", Status: 200, Contains: []string{"五比排名", "先进", "后进", "同分并列"}},
		{Name: "ranking of windows per head", As: "center-staff", Path: "/rankings?view=windows&dimension=dedication", Status: 200, Contains: []string{"人均积分", "税务窗口"}},
		{Name: "the whole ranking lists every window", As: "center-staff", Path: "/rankings", Status: 200, Contains: []string{"<br><span class=\"muted small\">医保窗口"}},
		{Name: "ranking narrowed to a window", As: "center-staff", Path: "/rankings?window=" + deptID(db, center, "税务窗口"), Status: 200, Contains: []string{"税务窗口"}, NotContains: []string{"<br><span class=\"muted small\">医保窗口"}},
		{Name: "a malformed period", As: "center-staff", Path: "/rankings?period=2026-Q5", Status: 400, Contains: []string{"期间格式不对"}},
		{Name: "a half year", As: "center-staff", Path: "/rankings?period=2026-H2", Status: 200, Contains: []string{"2026-H2"}},
		{Name: "whole months as dates", As: "center-staff", Path: "/rankings?period=2026-07-01~2026-12-31", Status: 200, Contains: []string{"2026-07-01~2026-12-31"}},
		{Name: "dates that cut a month", As: "center-staff", Path: "/rankings?period=2026-10-08~2026-11-20", Status: 400, Contains: []string{"须为整月"}},
		{Name: "full-width period", As: "center-staff", Path: "/rankings?period=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-Q3", Status: 200, Contains: []string{"2026-Q3"}},
		{Name: "an unknown dimension", As: "center-staff", Path: "/rankings?dimension=%3Cscript%3E", Status: 400, Contains: []string{"比素质、比干劲"}, NotContains: []string{"<script>"}},
		{Name: "staff cannot read another person's ledger", As: "center-staff", Path: "/rankings/people/" + entryStaff, Status: 404},
		{Name: "the office reads anyone's ledger", As: "center-admin", Path: "/rankings/people/" + entryStaff + "?period=2026", Status: 200, Contains: []string{"积分明细", "学习签到"}},
		{Name: "a window lead reads their window's people", As: "center-lead", Path: "/rankings/people/" + colleague, Status: 200, Contains: []string{"积分明细"}, NotContains: []string{"冲销理由"}},
		{Name: "a window lead does not read other windows'", As: "center-lead", Path: "/rankings/people/" + s.StaffID("demo-center", "ZX0001"), Status: 404},
		{Name: "the window lead's ranking links their people", As: "center-lead", Path: "/rankings", Status: 200, Contains: []string{`href="/rankings/people/` + colleague + `?`}},
		{Name: "another unit's ledger", As: "hospital-admin", Path: "/rankings/people/" + entryStaff, Status: 404},
		{Name: "another unit's session", As: "hospital-admin", Path: "/activities/sessions/" + session, Status: 404},
		{Name: "the organiser sees the QR code", As: "center-admin", Path: "/activities/sessions/" + session, Status: 200, Contains: []string{"扫码签到", "data:image/png;base64,", "/check-in?t="}},
		{Name: "attendees never see the code", As: "center-staff", Path: "/activities/sessions/" + session, Status: 200, NotContains: []string{"data:image/png;base64,", "check-in?t="}},
		{Name: "staff do not schedule", As: "center-staff", Method: "POST", Path: "/activities/sessions", Form: url.Values{"title": {"x"}}, Status: 403},
		{Name: "a session without a title or time", As: "center-admin", Method: "POST", Path: "/activities/sessions", Form: url.Values{"kind": {kind(center, "study")}, "topic": {"law"}, "starts_at": {"明天"}},
			Status: 400, Contains: []string{"请填写标题", "请填写正确的开始时间"}},
		{Name: "a scan before check-in opens says when", As: "center-staff", Path: "/activities/sessions/" + session + "/check-in?t=x", Status: 200, Contains: []string{"签到将于"}, NotContains: []string{`id="checkin"`}},
		{Name: "a forged QR token", As: "center-staff", Method: "POST", Path: "/activities/sessions/" + session + "/check-in", Form: url.Values{"t": {"forged"}}, Status: 400, Contains: []string{"签到二维码无效"}},
		{Name: "register export is the office's", As: "center-staff", Path: "/activities/register.xlsx", Status: 403},
		{Name: "rankings API", As: "key:demo-center", Path: "/api/v1/rankings?period=" + quarter + "&dimension=quality", Status: 200,
			Contains: []string{`"dimension":"quality"`, `"tier":"leading"`, `"tier":"lagging"`, `"average":`, `"leading_pct":20`}},
		{Name: "rankings API, a bad period", As: "key:demo-center", Path: "/api/v1/rankings?period=2026-Q9", Status: 400, Contains: []string{"period"}},
		{Name: "rankings API, a bad dimension", As: "key:demo-center", Path: "/api/v1/rankings?dimension=loyalty", Status: 400, Contains: []string{"dimension"}},
		{Name: "rankings API names only the key's unit", As: "key:demo-hospital", Path: "/api/v1/rankings?period=" + quarter, Status: 200, NotContains: []string{"马先军", "税务窗口"}},
		{Name: "a kind's points as letters", As: "center-admin", Method: "POST", Path: "/activities/kinds/" + kind(center, "volunteer"),
			Form:   url.Values{"name": {"志愿服务"}, "dimension": {"dedication"}, "rule": {"hour"}, "points": {"一分"}, "month_cap": {"200"}, "year_cap": {"100"}, "active": {"on"}},
			Status: 400, Contains: []string{"分值应为数字", "每月上限不能大于每年上限"}},
		{Name: "another unit's kind", As: "center-admin", Method: "POST", Path: "/activities/kinds/" + kind(hospital, "volunteer"), Form: url.Values{"name": {"x"}}, Status: 404},
		{Name: "tier shares over half", As: "center-admin", Method: "POST", Path: "/activities/settings", Form: url.Values{"leading_pct": {"80"}, "lagging_pct": {"２０"}}, Status: 400, Contains: []string{"0 到 50 之间的整数"}},
	})

	staff, lead, secretary, office := s.As("center-staff"), s.As("center-lead"), s.As("center-secretary"), s.As("center-admin")
	claims := func() int {
		var n int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_claims`).Scan(&n)
		return n
	}
	before := claims()
	today := time.Now().In(time.FixedZone("CST", 8*3600))
	weekAgo := today.AddDate(0, 0, -6).Format(time.DateOnly)
	visit := url.Values{"kind": {kind(center, "visit")}, "date_from": {weekAgo}, "date_to": {today.Format(time.DateOnly)}, "quantity": {"3"},
		"place": {"白沙镇公和村"}, "team": {"驻村工作队"}, "body": {"走访农户 <script>alert(1)</script> 😀"}}
	with := func(edit url.Values) url.Values {
		f := url.Values{}
		for k, v := range visit {
			f[k] = v
		}
		for k, v := range edit {
			f[k] = v
		}
		return f
	}
	for _, b := range []struct {
		name   string
		who    *http.Client
		fields url.Values
		data   []byte
		status int
		want   string
	}{
		{"negative hours", staff, with(url.Values{"kind": {kind(center, "volunteer")}, "quantity": {"-3"}}), nil, 400, "数量必须大于 0"},
		{"30 days inside a week", staff, with(url.Values{"quantity": {"30"}}), nil, 400, "天数(30 天)超过了起止日期"},
		{"empty body", staff, with(url.Values{"body": {""}}), nil, 400, "请填写内容"},
		{"huge body", staff, with(url.Values{"body": {strings.Repeat("长", 100000)}}), nil, 400, "不能超过 2000 个字"},
		{"another unit's kind", staff, with(url.Values{"kind": {kind(hospital, "visit")}}), nil, 400, "请选择本单位启用的活动类别"},
		{"another unit's person", office, with(url.Values{"staff": {s.StaffID("demo-hospital", "HG0001")}}), nil, 400, "请选择本单位在岗的人员"},
		{"a file that is not a photo or PDF", staff, visit, []byte("<html><script>alert(1)</script></html>"), 400, "证明材料须为 JPG、PNG 图片或 PDF"},
		{"a 50 MB evidence file", staff, visit, bytes.Repeat([]byte{0xff}, 50<<20), 400, "证明材料不能超过 10 MB"},
		{"a 70 MB body", staff, visit, bytes.Repeat([]byte{0xff}, 70<<20), 413, "最大 64 MB"},
	} {
		res := uploadWith(t, s, b.who, "/activities/claims", b.fields, "file", "evidence.png", b.data)
		if res.Status != b.status || !strings.Contains(res.Body, b.want) {
			t.Errorf("%s: %d %s", b.name, res.Status, sitetest.Snippet(res.Body))
		}
		if b.status == 400 && !strings.Contains(res.Body, "白沙镇公和村") {
			t.Errorf("%s: what was typed is lost", b.name)
		}
	}
	if got := claims(); got != before {
		t.Fatalf("refused claims kept: %d → %d", before, got)
	}

	// A good claim with a photo; the window lead and the secretary approve
	// it at the same moment: one wins, the other is told, one entry.
	res := uploadWith(t, s, staff, "/activities/claims", visit, "file", "现场.png", pngOf(64, 48))
	if res.Status != http.StatusSeeOther {
		t.Fatalf("claim: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	path := res.Header.Get("Location")
	if page := s.Get(staff, path); !strings.Contains(page.Body, "走访农户 &lt;script&gt;alert(1)&lt;/script&gt; 😀") || !strings.Contains(page.Body, "现场.png") {
		t.Fatalf("claim page: %s", sitetest.Snippet(page.Body))
	}
	if file := s.Get(staff, path+"/file"); file.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("evidence served as %q", file.Header.Get("Content-Type"))
	}
	if res := s.Get(s.As("hospital-admin"), path); res.Status != 404 {
		t.Errorf("another unit's office read the claim: %d", res.Status)
	}
	if res := s.Post(staff, path+"/review", url.Values{"decision": {"approve"}}); res.Status != 403 {
		t.Errorf("the claimant approved: %d", res.Status)
	}
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, who := range []*http.Client{lead, secretary} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = s.Post(who, path+"/review", url.Values{"decision": {"approve"}}).Status
		}()
	}
	wg.Wait()
	if !(statuses[0] == 303 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 303) {
		t.Errorf("two approvals at once: %v", statuses)
	}
	id := path[strings.LastIndex(path, "/")+1:]
	var entries int
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM point_entries WHERE source = 'claim' AND source_id = $1`, id).Scan(&entries)
	if entries != 1 {
		t.Errorf("%d ledger entries for one claim", entries)
	}
	// A returned claim needs a reason and earns nothing.
	// The same visit again is refused; an earlier day is another visit.
	if res := uploadWith(t, s, staff, "/activities/claims", visit, "file", "", nil); res.Status != 400 || !strings.Contains(res.Body, "已经申报并通过") {
		t.Errorf("the approved visit claimed again: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	earlier := today.AddDate(0, 0, -14).Format(time.DateOnly)
	res = uploadWith(t, s, staff, "/activities/claims", with(url.Values{"date_from": {earlier}, "date_to": {earlier}, "quantity": {"1"}}), "file", "", nil)
	second := res.Header.Get("Location")
	if res := s.Post(lead, second+"/review", url.Values{"decision": {"return"}}); res.Status != 400 || !strings.Contains(res.Body, "请填写理由") {
		t.Errorf("returned without a reason: %d", res.Status)
	}
	if res := s.Post(lead, second+"/review", url.Values{"decision": {"return"}, "note": {"缺少驻村记录"}}); res.Status != 303 {
		t.Errorf("return: %d", res.Status)
	}
	sid := second[strings.LastIndex(second, "/")+1:]
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM point_entries WHERE source = 'claim' AND source_id = $1`, sid).Scan(&entries)
	if entries != 0 {
		t.Errorf("a returned claim earned %d entries", entries)
	}
	if page := s.Get(staff, "/activities"); !strings.Contains(page.Body, "退回理由:缺少驻村记录") {
		t.Errorf("the claimant does not see why: %s", sitetest.Snippet(page.Body))
	}

	// A double tap on the form makes one claim; the other tap is told.
	before = claims()
	tap := url.Values{"kind": {kind(center, "volunteer")}, "date_from": {earlier}, "quantity": {"2"}, "place": {"汽车站"}, "body": {"引导旅客"}}
	taps := make([]int, 2)
	var tapped sync.WaitGroup
	for i := range taps {
		tapped.Add(1)
		go func() {
			defer tapped.Done()
			taps[i] = uploadWith(t, s, staff, "/activities/claims", tap, "file", "", nil).Status
		}()
	}
	tapped.Wait()
	if !(taps[0] == 303 && taps[1] == 400 || taps[0] == 400 && taps[1] == 303) || claims() != before+1 {
		t.Errorf("a double tap: %v, %d claims more", taps, claims()-before)
	}

	// A contest: a score for someone not entered is refused and nothing kept.
	res = s.Post(office, "/activities/contests", url.Values{"kind": {kind(center, "contest")}, "title": {"<b>打字</b>比赛"}, "held_on": {today.Format(time.DateOnly)}})
	if res.Status != 303 {
		t.Fatalf("contest: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	contest := res.Header.Get("Location")
	me, other := s.StaffID("demo-center", "ZX0001"), s.StaffID("demo-center", "ZX0002")
	if res := s.Post(office, contest+"/enter", url.Values{"staff": {me, s.StaffID("demo-hospital", "HG0001")}}); res.Status != 400 {
		t.Errorf("entered another unit's person: %d", res.Status)
	}
	if res := s.Post(office, contest+"/enter", url.Values{"staff": {me}}); res.Status != 303 {
		t.Fatalf("enter: %d", res.Status)
	}
	if res := s.Post(office, contest+"/scores", url.Values{"score_" + me: {"95"}, "score_" + other: {"99"}}); res.Status != 400 || !strings.Contains(res.Body, "未报名本次竞赛") {
		t.Errorf("scored someone not entered: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	if page := s.Get(office, contest); strings.Contains(page.Body, `value="95"`) || !strings.Contains(page.Body, "&lt;b&gt;打字&lt;/b&gt;比赛") {
		t.Errorf("a refused score was kept, or the title not escaped")
	}
	if res := s.Post(office, contest+"/scores", url.Values{"score_" + me: {"９５.５"}}); res.Status != 303 {
		t.Errorf("score: %d", res.Status)
	}
	if res := s.Post(office, contest+"/publish", nil); res.Status != 303 {
		t.Errorf("publish: %d", res.Status)
	}
	if res := s.Post(office, contest+"/publish", nil); res.Status != 409 {
		t.Errorf("published twice: %d", res.Status)
	}

	// Reversal: a new entry, once.
	form := url.Values{"reason": {"签到记录有误"}, "staff": {entryStaff}, "period": {"2026"}}
	if res := s.Post(staff, "/activities/points/"+entry+"/reverse", form); res.Status != 403 {
		t.Errorf("staff reversed: %d", res.Status)
	}
	if res := s.Post(office, "/activities/points/"+entry+"/reverse", form); res.Status != 303 {
		t.Errorf("reverse: %d", res.Status)
	}
	if res := s.Post(office, "/activities/points/"+entry+"/reverse", form); res.Status != 409 || !strings.Contains(res.Body, "已经冲销过") {
		t.Errorf("reversed twice: %d %s", res.Status, sitetest.Snippet(res.Body))
	}

	// The exports open in Excel with every ranking and the register.
	for _, x := range []struct {
		path   string
		sheets []string
	}{
		{"/rankings.xlsx?period=" + quarter + "&dimension=dedication", []string{"个人排名", "窗口排名", "支部排名"}},
		{"/activities/register.xlsx?period=" + quarter, []string{"积分明细", "活动申报", "学习签到"}},
	} {
		res := s.Get(office, x.path)
		f, err := excelize.OpenReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatalf("%s: %d %v", x.path, res.Status, err)
		}
		for _, sheet := range x.sheets {
			rows, err := f.GetRows(sheet)
			if err != nil || len(rows) < 3 {
				t.Errorf("%s sheet %s: %d rows %v", x.path, sheet, len(rows), err)
			}
			if sheet == "学习签到" && !strings.Contains(fmt.Sprint(rows), "缺席") || sheet == "学习签到" && !strings.Contains(fmt.Sprint(rows), "扫码") {
				t.Errorf("the attendance sheet records no absence or no scan")
			}
		}
		if rows, _ := f.GetRows(x.sheets[0]); len(rows) > 2 && x.sheets[0] == "个人排名" && fmt.Sprint(rows[1][0]) != "名次" {
			t.Errorf("ranking header: %v", rows[1])
		}
		f.Close()
	}
}
