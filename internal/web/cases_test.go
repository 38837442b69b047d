package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/items"
	"wuliang/internal/sitetest"
)

// ids of a demo unit's rows, found by SQL so tests name what they use.
func lookup(t *testing.T, db *database.DB, q string, args ...any) string {
	t.Helper()
	var id int64
	if err := db.QueryRowContext(ctx, q, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return strconv.FormatInt(id, 10)
}

// A window worker registers a matter, issues a one-time notice, accepts
// it, and completes it; bad input gets a clear message and changes nothing.
func TestCaseFlowOnTheWeb(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		staff, lead, office := s.As("center-staff"), s.As("center-lead"), s.As("center-admin")
		center := s.Units["demo-center"].ID
		item := lookup(t, db, `SELECT i.id FROM items i JOIN departments d ON d.id = i.department_id WHERE i.unit_id = $1 AND d.name = '税务窗口'
			ORDER BY i.time_limit_days DESC, i.id LIMIT 1`, center)
		hid, err := items.NewStore(db).Create(ctx, audit.System, s.Units["demo-hospital"].ID, items.Input{Name: "门诊病历复印", HandlingUnit: "病案室",
			Materials: []items.Material{{Name: "身份证", Form: "original", Copies: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		hospitalItem := strconv.FormatInt(hid, 10)
		form := url.Values{"item": {item}, "recipient_name": {"刘<b>备</b>"}, "recipient_phone": {"139 0000 1234"}, "channel": {"counter"}, "notes": {"带了身份证 🙂"}}
		bad := []struct {
			name, field, value, want string
		}{
			{"no name", "recipient_name", " ", "请填写办事群众姓名"},
			{"unknown item", "item", "999999", "所选服务事项不存在"},
			{"another unit's item", "item", hospitalItem, "所选服务事项不存在"},
			{"bad phone", "recipient_phone", "<script>alert(1)</script>", "手机号"},
			{"huge notes", "notes", strings.Repeat("注", 5000), "备注不能超过"},
			{"bad channel", "channel", "carrier pigeon", "请选择来办方式"},
		}
		before := count(t, db, `SELECT count(*) FROM cases WHERE unit_id = $1`, center)
		for _, b := range bad {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set(b.field, b.value)
			if res := s.Post(staff, "/cases", f); res.Status != 400 || !strings.Contains(res.Body, b.want) {
				t.Errorf("%s: %d, want 400 with %q\n%s", b.name, res.Status, b.want, sitetest.Snippet(res.Body))
			}
		}
		if after := count(t, db, `SELECT count(*) FROM cases WHERE unit_id = $1`, center); after != before {
			t.Fatalf("refused registrations saved %d cases", after-before)
		}
		// A double click sends the form twice at once: one case.
		form.Set("nonce", "d0ub1ec11c4")
		var wg sync.WaitGroup
		answers := make([]sitetest.Response, 2)
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				answers[i] = s.Post(staff, "/cases", form)
			}()
		}
		wg.Wait()
		res := answers[0]
		if res.Status != http.StatusSeeOther || answers[1].Status != http.StatusSeeOther || res.Header.Get("Location") != answers[1].Header.Get("Location") {
			t.Fatalf("register twice: %d %d %s", res.Status, answers[1].Status, sitetest.Snippet(res.Body))
		}
		if after := count(t, db, `SELECT count(*) FROM cases WHERE unit_id = $1`, center); after != before+1 {
			t.Fatalf("a double submit registered %d cases", after-before)
		}
		path := res.Header.Get("Location")
		page := s.Get(staff, path)
		if !strings.Contains(page.Body, "13900001234") || !strings.Contains(page.Body, "刘&lt;b&gt;备&lt;/b&gt;") {
			t.Fatalf("case page: %s", sitetest.Snippet(page.Body))
		}
		if list := s.Get(staff, "/cases?mine=1"); strings.Contains(list.Body, "13900001234") || !strings.Contains(list.Body, "139****1234") {
			t.Fatal("the list shows the phone unmasked")
		}
		if res := s.Get(s.As("hospital-admin"), path); res.Status != 404 {
			t.Fatalf("another unit read the case: %d", res.Status)
		}
		steps := []struct {
			who, action string
			form        url.Values
			status      int
			want        string
		}{
			{"center-staff", "/accept", url.Values{"accepted_at": {"2099-01-01T09:00"}}, 400, "受理时间不能晚于现在"},
			{"center-staff", "/notice", url.Values{"other": {""}}, 400, "请至少勾选或填写一项缺少的材料"},
			{"center-staff", "/notice", url.Values{"other": {"营业执照副本:需加盖公章\n<script>x</script>"}}, 303, ""},
			{"center-staff", "/accept", nil, 303, ""},
			{"center-staff", "/deadline", url.Values{"deadline": {"2099-01-01"}, "reason": {"需要延期"}}, 403, "经办人不能调整自己事项的期限"},
			{"center-lead", "/deadline", url.Values{"deadline": {"2099-01-01"}, "reason": {" "}}, 400, "调整办结期限必须写明理由"},
			{"center-lead", "/deadline", url.Values{"deadline": {"明年"}, "reason": {"现场勘验"}}, 400, "无法识别"},
			{"center-staff", "/refuse", url.Values{"reason": {"不符合"}}, 409, "不能这样操作"},
			{"center-staff", "/frobnicate", nil, 404, ""},
		}
		for _, st := range steps {
			res := s.Post(s.As(st.who), path+st.action, st.form)
			if res.Status != st.status || !strings.Contains(res.Body, st.want) {
				t.Fatalf("%s %s: %d, want %d with %q\n%s", st.who, st.action, res.Status, st.status, st.want, sitetest.Snippet(res.Body))
			}
		}
		page = s.Get(staff, path)
		notice := lookup(t, db, `SELECT id FROM case_notices WHERE unit_id = $1 ORDER BY id DESC LIMIT 1`, center)
		print := s.Get(staff, path+"/notices/"+notice)
		if print.Status != 200 || !strings.Contains(print.Body, "营业执照副本") || !strings.Contains(print.Body, "需加盖公章") || strings.Contains(print.Body, "<script>x") {
			t.Fatalf("printed notice: %d %s", print.Status, sitetest.Snippet(print.Body))
		}
		// Two people complete it at the same moment: one wins, the other is
		// told, and the timeline shows one completion.
		codes := make([]int, 2)
		for i, c := range []*http.Client{staff, lead} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = s.Post(c, path+"/complete", url.Values{"note": {"已办结"}}).Status
			}()
		}
		wg.Wait()
		if !(codes[0] == 303 && codes[1] == 409 || codes[0] == 409 && codes[1] == 303) {
			t.Fatalf("concurrent completions: %v", codes)
		}
		id := path[strings.LastIndex(path, "/")+1:]
		if n := count(t, db, `SELECT count(*) FROM case_events WHERE unit_id = $1 AND case_id = $2 AND action = 'completed'`, center, id); n != 1 {
			t.Fatalf("%d completions on the timeline", n)
		}
		if res := s.Get(office, path); !strings.Contains(res.Body, "办结") {
			t.Fatal("the office cannot read the case")
		}
	})
}

func count(t *testing.T, db *database.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// Who reaches which page of counter work, and what it shows.
func TestCounterWorkPages(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		center := s.Units["demo-center"].ID
		someCase := lookup(t, db, `SELECT id FROM cases WHERE unit_id = $1 ORDER BY id LIMIT 1`, center)
		staffNo15 := s.StaffID("demo-center", "ZX0015")
		othersRecord := lookup(t, db, `SELECT id FROM accountability WHERE unit_id = $1 AND staff_id <> $2 ORDER BY id LIMIT 1`, center, staffNo15)
		check := lookup(t, db, `SELECT id FROM spot_checks WHERE unit_id = $1 ORDER BY id LIMIT 1`, center)
		phone := ""
		db.QueryRowContext(ctx, `SELECT recipient_phone FROM cases WHERE unit_id = $1 ORDER BY id DESC LIMIT 1`, center).Scan(&phone)
		s.Run(t, []sitetest.Scenario{
			{Name: "case list", As: "center-admin", Path: "/cases", Status: 200, Contains: []string{"红牌", "黄牌", "2026-"}, NotContains: []string{phone}},
			{Name: "red cards", As: "center-admin", Path: "/cases?signal=red", Status: 200, Contains: []string{"红牌"}},
			{Name: "case of another unit", As: "hospital-admin", Path: "/cases/" + someCase, Status: 404},
			{Name: "someone else's case", As: "hospital-staff", Path: "/cases/" + someCase, Status: 404},
			{Name: "guest", As: "", Path: "/cases", Status: 303},
			{Name: "status", As: "center-staff", Path: "/status", Status: 200, Contains: []string{"人在岗", "顶岗"}},
			{Name: "whereabouts", As: "center-staff", Path: "/whereabouts", Status: 200, Contains: []string{"留下去向"}},
			{Name: "efficiency", As: "center-staff", Path: "/efficiency", Status: 200, Contains: []string{"按时办结率", "税务窗口"}},
			{Name: "efficiency quarter", As: "center-staff", Path: "/efficiency?period=2026-Q4", Status: 200, Contains: []string{"2026 年第 4 季度"}},
			{Name: "efficiency bad period", As: "center-staff", Path: "/efficiency?period=%3Cscript%3E", Status: 400, Contains: []string{"期间格式不对"}},
			{Name: "public efficiency", As: "", Path: "/p/demo-center/efficiency", Status: 200, Contains: []string{"效能公示", "按时办结率"}, NotContains: []string{"ZX00", phone}},
			{Name: "own records", As: "center-staff", Path: "/accountability", Status: 200, Contains: []string{"与您本人有关"}},
			{Name: "someone else's record", As: "center-staff", Path: "/accountability/" + othersRecord, Status: 404},
			{Name: "office sees records", As: "center-admin", Path: "/accountability/" + othersRecord, Status: 200},
			{Name: "spot checks are the office's", As: "center-staff", Path: "/spot-checks", Status: 403},
			{Name: "spot check list", As: "center-admin", Path: "/spot-checks", Status: 200, Contains: []string{"中心效能督查组"}},
			{Name: "spot check of another unit", As: "hospital-admin", Path: "/spot-checks/" + check, Status: 404},
			{Name: "portal window shows the cover", As: "", Path: "/p/demo-center/windows/" + lookup(t, db, `SELECT id FROM departments WHERE unit_id = $1 AND name = '税务窗口'`, center),
				Status: 200, Contains: []string{"暂时离岗", "顶岗"}, NotContains: []string{"一网通办", "预计  返回", "预计 返回"}},
			{Name: "notifications", As: "center-lead", Path: "/notifications", Status: 200},
			{Name: "spot check form", As: "center-admin", Path: "/spot-checks/new?department=" + lookup(t, db, `SELECT id FROM departments WHERE unit_id = $1 AND name = '税务窗口'`, center), Status: 200, Contains: []string{"无故缺岗"}},
		})
		for _, bad := range []string{"", "8点半到5点半", "17:30-08:30", "08:99-17:00", "08:30-17:30 加班", "<script>", strings.Repeat("9", 5000)} {
			if res := s.Post(s.As("center-admin"), "/calendar/hours", url.Values{"hours": {bad}}); res.Status != 400 || !strings.Contains(res.Body, "办公时间") {
				t.Errorf("office hours %q: %d", bad, res.Status)
			}
		}
		if res := s.Post(s.As("center-admin"), "/calendar/hours", url.Values{"hours": {"０８:３０-17:00"}}); res.Status != 303 {
			t.Fatalf("office hours: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if res := s.Get(s.As("center-admin"), "/calendar"); !strings.Contains(res.Body, `value="08:30-17:00"`) {
			t.Fatal("the office hours were not kept")
		}
		if res := s.Post(s.As("center-staff"), "/calendar/hours", url.Values{"hours": {"08:30-17:00"}}); res.Status != 403 {
			t.Fatalf("staff set the office hours: %d", res.Status)
		}
		xlsx := s.Get(s.As("center-admin"), "/efficiency.xlsx?period=2026-Q4")
		if xlsx.Status != 200 || !strings.HasPrefix(xlsx.Body, "PK") {
			t.Fatalf("workbook: %d", xlsx.Status)
		}
	})
}

// Whereabouts and spot checks through the forms.
func TestWhereaboutsAndSpotCheckForms(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		center := s.Units["demo-center"].ID
		staff, office := s.As("center-staff"), s.As("center-admin")
		me := s.StaffID("demo-center", "ZX0015")
		res := s.Post(staff, "/whereabouts", url.Values{"staff": {me}, "kind": {"business"}, "place": {"县税务局"}, "starts_at": {"2030-01-07T10:00"}, "ends_at": {"2030-01-07T09:00"}})
		if res.Status != 400 || !strings.Contains(res.Body, "返回时间必须晚于离开时间") || !strings.Contains(res.Body, "县税务局") {
			t.Fatalf("ends before start: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		colleague := lookup(t, db, `SELECT s.id FROM staff s JOIN departments d ON d.id = s.department_id WHERE s.unit_id = $1 AND d.name = '税务窗口' AND s.id <> $2 ORDER BY s.id LIMIT 1`, center, me)
		if res := s.Post(office, "/whereabouts", url.Values{"staff": {colleague}, "kind": {"meeting"}, "place": {"县政府"}, "starts_at": {"2030-01-07T09:00"}, "ends_at": {"2030-01-07T12:00"}}); res.Status != 303 {
			t.Fatalf("the office's note: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		res = s.Post(staff, "/whereabouts", url.Values{"staff": {me}, "kind": {"business"}, "place": {"县税务局"}, "starts_at": {"2030-01-07T10:00"}, "ends_at": {"2030-01-07T11:00"}, "cover": {colleague}})
		if res.Status != 400 || !strings.Contains(res.Body, "也不在岗") {
			t.Fatalf("cover away: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if res := s.Post(staff, "/whereabouts", url.Values{"staff": {colleague}, "kind": {"business"}, "place": {"x"}, "starts_at": {"2030-02-07T10:00"}, "ends_at": {"2030-02-07T11:00"}}); res.Status != 400 || !strings.Contains(res.Body, "只能为自己留言") {
			t.Fatalf("a note for a colleague: %d", res.Status)
		}
		dept := lookup(t, db, `SELECT id FROM departments WHERE unit_id = $1 AND name = '督查科'`, center)
		people := []string{}
		rows, _ := db.QueryContext(ctx, `SELECT id FROM staff WHERE unit_id = $1 AND department_id = $2 AND active = TRUE ORDER BY id`, center, dept)
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			people = append(people, strconv.FormatInt(id, 10))
		}
		rows.Close()
		f := url.Values{"department": {dept}, "checked_at": {"2026-11-02T10:00"}, "checker": {"纪检组"}}
		for _, p := range people[1:] {
			f.Set("finding_"+p, "present")
		}
		if res := s.Post(office, "/spot-checks", f); res.Status != 400 || !strings.Contains(res.Body, "抽查结果") {
			t.Fatalf("a person without a finding: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		before := count(t, db, `SELECT count(*) FROM accountability WHERE unit_id = $1 AND rule = 'absence'`, center)
		f.Set("finding_"+people[0], "absent")
		if res := s.Post(office, "/spot-checks", f); res.Status != 303 {
			t.Fatalf("spot check: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if after := count(t, db, `SELECT count(*) FROM accountability WHERE unit_id = $1 AND rule = 'absence'`, center); after != before+1 {
			t.Fatalf("absence records %d → %d", before, after)
		}
		// The office decides; the person sees the outcome.
		rec := lookup(t, db, `SELECT id FROM accountability WHERE unit_id = $1 AND rule = 'absence' ORDER BY id DESC LIMIT 1`, center)
		if res := s.Post(office, "/accountability/"+rec+"/decide", url.Values{"outcome": {"dismissed"}}); res.Status != 400 || !strings.Contains(res.Body, "请写明理由") {
			t.Fatalf("dismissal without reason: %d", res.Status)
		}
		if res := s.Post(staff, "/accountability/"+rec+"/decide", url.Values{"outcome": {"criticism"}}); res.Status != 403 {
			t.Fatalf("staff decided: %d", res.Status)
		}
		if res := s.Post(office, "/accountability/"+rec+"/decide", url.Values{"outcome": {"points"}, "points": {"３"}, "reason": {"无故离岗"}}); res.Status != 303 {
			t.Fatalf("decision: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if res := s.Get(office, "/accountability/"+rec); !strings.Contains(res.Body, "扣 3 分") {
			t.Fatal("decision not shown")
		}
	})
}

// Queue machines register and move cases through the API.
func TestCasesAPI(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		center := s.Units["demo-center"].ID
		staff := s.StaffID("demo-center", "ZX0015")
		item := lookup(t, db, `SELECT id FROM items WHERE unit_id = $1 AND time_limit_days > 0 ORDER BY id LIMIT 1`, center)
		body := `{"staff_id": ` + staff + `, "item_id": ` + item + `, "recipient_name": "张飞", "recipient_phone": "13900005678", "channel": "counter"}`
		bad := []struct {
			name, key, body string
			status          int
			want            string
		}{
			{"no key", "", body, 401, "缺少 API 密钥"},
			{"malformed", "demo-center", `{"staff_id": `, 400, "不是有效的 JSON"},
			{"unknown field", "demo-center", `{"staff": 1}`, 400, "不是有效的 JSON"},
			{"no staff", "demo-center", `{"recipient_name": "张飞"}`, 400, "staff_id"},
			{"unknown item", "demo-center", strings.Replace(body, `"item_id": `+item, `"item_id": 999999`, 1), 400, "所选服务事项不存在"},
			{"another unit's person", "demo-hospital", body, 400, "所选工作人员不存在"},
			{"bad channel", "demo-center", strings.Replace(body, "counter", "fax", 1), 400, "来办方式"},
			{"huge", "demo-center", `{"recipient_name": "` + strings.Repeat("x", 2<<20) + `"}`, 413, "太大"},
		}
		for _, b := range bad {
			if res := s.APIPost(b.key, "/api/v1/cases", b.body); res.Status != b.status || !strings.Contains(res.Body, b.want) {
				t.Errorf("%s: %d %s", b.name, res.Status, sitetest.Snippet(res.Body))
			}
		}
		// A queue machine retrying with the same Idempotency-Key gets the same case.
		retried := make([]string, 2)
		var wg sync.WaitGroup
		for i := range retried {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("POST", s.Srv.URL+"/api/v1/cases", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+s.Keys["demo-center"])
				req.Header.Set("Idempotency-Key", "ticket-A017")
				res := s.Do(http.DefaultClient, req)
				var got struct{ ID int64 }
				json.Unmarshal([]byte(res.Body), &got)
				retried[i] = strconv.Itoa(res.Status) + "/" + strconv.FormatInt(got.ID, 10)
			}()
		}
		wg.Wait()
		if retried[0] != retried[1] || !strings.HasPrefix(retried[0], "201/") {
			t.Fatalf("retried registration: %v", retried)
		}
		res := s.APIPost("demo-center", "/api/v1/cases", body)
		var c struct {
			ID       int64   `json:"id"`
			Token    string  `json:"rating_token"`
			Status   string  `json:"status"`
			Deadline *string `json:"deadline"`
			Timeline []struct{ Action string }
			Phone    string `json:"recipient_phone"`
		}
		if res.Status != 201 || json.Unmarshal([]byte(res.Body), &c) != nil || c.ID == 0 || len(c.Token) < 20 || c.Status != "registered" || len(c.Timeline) != 1 {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		path := "/api/v1/cases/" + strconv.FormatInt(c.ID, 10)
		if res := s.APIPost("demo-center", path+"/accept", `{"accepted_at": "2099-01-01T09:00:00+08:00"}`); res.Status != 400 || !strings.Contains(res.Body, "受理时间不能晚于现在") {
			t.Fatalf("acceptance in the future: %d %s", res.Status, res.Body)
		}
		if res := s.APIPost("demo-center", path+"/accept", ``); res.Status != 200 || !strings.Contains(res.Body, `"deadline"`) {
			t.Fatalf("accept: %d %s", res.Status, res.Body)
		}
		if res := s.API("demo-hospital", path); res.Status != 404 {
			t.Fatalf("another unit read the case: %d", res.Status)
		}
		codes := make([]int, 3)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = s.APIPost("demo-center", path+"/complete", `{"note": "已办结"}`).Status
			}()
		}
		wg.Wait()
		wins := 0
		for _, code := range codes {
			switch code {
			case 200:
				wins++
			case 409:
			default:
				t.Fatalf("concurrent completion answered %d", code)
			}
		}
		if wins != 1 {
			t.Fatalf("%d completions won", wins)
		}
		got := s.API("demo-center", path)
		if err := json.Unmarshal([]byte(got.Body), &c); err != nil || c.Status != "completed" || c.Phone != "13900005678" {
			t.Fatalf("read: %s", got.Body)
		}
		completions := 0
		for _, e := range c.Timeline {
			if e.Action == "completed" {
				completions++
			}
		}
		if completions != 1 {
			t.Fatalf("%d completions on the timeline", completions)
		}
		list := s.API("demo-center", "/api/v1/cases?status=completed&limit=5")
		if list.Status != 200 || !strings.Contains(list.Body, "139****5678") || strings.Contains(list.Body, "13900005678") {
			t.Fatalf("list: %d %s", list.Status, sitetest.Snippet(list.Body))
		}
		for _, q := range []string{"?status=done", "?window_id=x", "?limit=0", "?signal=blue"} {
			if res := s.API("demo-center", "/api/v1/cases"+q); res.Status != 400 || !strings.Contains(res.Body, `"error"`) {
				t.Errorf("%s: %d", q, res.Status)
			}
		}
		other := s.APIPost("demo-center", "/api/v1/cases", body)
		json.Unmarshal([]byte(other.Body), &c)
		opath := "/api/v1/cases/" + strconv.FormatInt(c.ID, 10)
		if res := s.APIPost("demo-center", opath+"/refer", `{"to_staff_id": `+staff+`, "reason": "x"}`); res.Status != 400 || !strings.Contains(res.Body, "不能转给现在的经办人") {
			t.Fatalf("refer to self: %d %s", res.Status, res.Body)
		}
		if res := s.APIPost("demo-center", opath+"/withdraw", `{"reason": "群众不办了"}`); res.Status != 200 || !strings.Contains(res.Body, `"withdrawn"`) {
			t.Fatalf("withdraw: %d %s", res.Status, res.Body)
		}
	})
}
