package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"wuliang/internal/demo"
	"wuliang/internal/period"

	"wuliang/internal/ratings"
	"wuliang/internal/sitetest"
)

// A recipient rates a case from the link on their phone; a comment with
// script is shown as text wherever it appears; the link rates once.
func TestRateCaseByLink(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		center := s.Units["demo-center"].ID
		var id int64
		var token string
		db.QueryRowContext(ctx, `SELECT id, rating_token FROM cases WHERE unit_id = $1 AND state = 'accepted'
			AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = cases.id) ORDER BY id DESC LIMIT 1`, center).Scan(&id, &token)
		phone := sitetest.NewClient()
		form := s.Get(phone, "/r/"+token)
		if form.Status != 200 || !strings.Contains(form.Body, "非常满意") || !strings.Contains(form.Body, "多次跑腿") {
			t.Fatalf("rating page: %d %s", form.Status, sitetest.Snippet(form.Body))
		}
		script := `<script>alert(1)</script><img src=x onerror=alert(2)>`
		if res := s.Post(phone, "/r/"+token, url.Values{"level": {"2"}, "comment": {script}}); res.Status != 400 || !strings.Contains(res.Body, "请至少选择一项原因") ||
			!strings.Contains(res.Body, "&lt;script&gt;") {
			t.Fatalf("bad rating without a reason: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if res := s.Post(phone, "/r/"+token, url.Values{"level": {"2"}, "reason": {"多次跑腿"}, "comment": {script}}); res.Status != http.StatusCreated || !strings.Contains(res.Body, "感谢您的评价") {
			t.Fatalf("rating: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if res := s.Post(phone, "/r/"+token, url.Values{"level": {"5"}}); res.Status != http.StatusConflict || !strings.Contains(res.Body, "已经评价过") {
			t.Fatalf("second rating: %d", res.Status)
		}
		if res := s.Get(sitetest.NewClient(), "/r/"+token); res.Status != http.StatusConflict {
			t.Fatalf("used link: %d", res.Status)
		}
		for _, bad := range []string{"AAAAAAAAAAAAAAAAAAAAAA", "%3Cscript%3E", strings.Repeat("A", 500)} {
			if res := s.Get(sitetest.NewClient(), "/r/"+bad); res.Status != http.StatusNotFound || !strings.Contains(res.Body, "评价码无效") {
				t.Errorf("forged link %.20s: %d", bad, res.Status)
			}
		}
		for _, path := range []string{"/cases/" + itoa(id), "/ratings"} {
			page := s.Get(s.As("center-admin"), path)
			if page.Status != 200 || strings.Contains(page.Body, "<script>alert(1)") || strings.Contains(page.Body, "<img src=x") ||
				!strings.Contains(page.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("%s shows the comment unescaped or not at all: %d", path, page.Status)
			}
		}
		res := s.API("demo-center", "/api/v1/ratings?case="+itoa(id))
		if res.Status != 200 || !strings.Contains(res.Body, `"level":2`) || !strings.Contains(res.Body, `\u003cscript\u003e`) {
			t.Fatalf("API list: %d %s", res.Status, res.Body)
		}
	})
}

// Rating devices through the API: 201 once stored, 409 for a used token,
// clear errors otherwise; a person's QR page rates within the limits.
func TestRatingsAPIAndQR(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		center := s.Units["demo-center"].ID
		var token string
		db.QueryRowContext(ctx, `SELECT rating_token FROM cases WHERE unit_id = $1 AND state IN ('registered', 'waiting', 'accepted')
			AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = cases.id) ORDER BY id DESC LIMIT 1`, center).Scan(&token)
		staff := s.StaffID("demo-center", "ZX0015")
		// A device at ZX0015's window, one elsewhere, and the hospital's.
		device, elsewhere, hospital := s.DeviceKey("demo-center", "ZX0015"), s.DeviceKey("demo-center", "ZX0001"), s.DeviceKey("demo-hospital", "HG0001")
		cases := []struct {
			name, key, body string
			status          int
			want            string
		}{
			{"no key", "", `{"token": "` + token + `", "level": 5}`, 401, "API 密钥"},
			{"the office's own key rates no one", "demo-center", `{"token": "` + token + `", "level": 5}`, 403, "没有“评价器”权限"},
			{"nor a person without a case", "demo-center", `{"staff_id": ` + staff + `, "level": 5}`, 403, "没有“评价器”权限"},
			{"another unit's token", hospital, `{"token": "` + token + `", "level": 5}`, 404, "评价码无效"},
			{"level 0", device, `{"token": "` + token + `", "level": 0}`, 400, "满意程度"},
			{"bad without reason", device, `{"token": "` + token + `", "level": 1}`, 400, "原因"},
			{"malformed", device, `{"token": `, 400, "JSON"},
			{"a channel of its choosing", device, `{"token": "` + token + `", "level": 5, "channel": "qr"}`, 400, "device"},
			{"good", elsewhere, `{"token": "` + token + `", "level": 5, "comment": "很好 👍"}`, 201, `"verified":true`},
			{"used", device, `{"token": "` + token + `", "level": 4}`, 409, "已经评价过"},
			{"another window's person", elsewhere, `{"staff_id": ` + staff + `, "level": 5}`, 403, "登记在别的窗口"},
			{"its window's person", device, `{"staff_id": ` + staff + `, "level": 4}`, 201, `"origin":"device"`},
			{"again at once", device, `{"staff_id": ` + staff + `, "level": 4}`, 429, "评价太频繁"},
			{"another unit's person", hospital, `{"staff_id": ` + staff + `, "level": 4}`, 400, "不存在"},
		}
		for _, c := range cases {
			if res := s.APIPost(c.key, "/api/v1/ratings", c.body); res.Status != c.status || !strings.Contains(res.Body, c.want) {
				t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
			}
		}
		if res := s.API(device, "/api/v1/ratings"); res.Status != 403 || !strings.Contains(res.Body, "读取") {
			t.Errorf("a device read the ratings: %d %s", res.Status, res.Body)
		}
		for _, q := range []string{"?period=2026-13", "?person=x", "?limit=0"} {
			if res := s.API("demo-center", "/api/v1/ratings"+q); res.Status != 400 {
				t.Errorf("list %s: %d", q, res.Status)
			}
		}
		// The badge's QR page: one phone rates a person once a day.
		phone := sitetest.NewClient()
		path := "/p/demo-center/staff/" + staff + "/rate"
		if res := s.Get(phone, path); res.Status != 200 || !strings.Contains(res.Body, "评价") {
			t.Fatalf("QR page: %d", res.Status)
		}
		if res := s.Post(phone, path, url.Values{"level": {"5"}}); res.Status != http.StatusCreated {
			t.Fatalf("QR rating: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if res := s.Post(phone, path, url.Values{"level": {"5"}}); res.Status != http.StatusTooManyRequests || !strings.Contains(res.Body, "评价太频繁") {
			t.Fatalf("second QR rating: %d", res.Status)
		}
		if res := s.Get(sitetest.NewClient(), "/p/demo-center/staff/"+staff); !strings.Contains(res.Body, "好评率") {
			t.Fatal("the public page lacks the rating summary")
		}
		// The office sets the periods; nonsense is refused with a message.
		settings := url.Values{"token_days": {"30"}, "verify_days": {"１"}, "rectify_days": {"5"}, "ledger_days": {"15"}, "followup_days": {"3"},
			"unverified_weight": {"３０"}, "default_level": {"0"}}
		bad := url.Values{"token_days": {"0"}, "verify_days": {"<script>"}, "rectify_days": {"5"}, "ledger_days": {"9999"}, "followup_days": {"3"},
			"unverified_weight": {"😀"}, "default_level": {"1"}}
		if res := s.Post(s.As("center-admin"), "/ratings/settings", bad); res.Status != 400 || !strings.Contains(res.Body, "期限须为 1 到 365 天") ||
			!strings.Contains(res.Body, "权重请填写 0 到 100") || !strings.Contains(res.Body, "默认评价只能是") {
			t.Fatalf("bad periods: %d", res.Status)
		}
		if res := s.Post(s.As("center-staff"), "/ratings/settings", settings); res.Status != 403 {
			t.Fatalf("staff set the periods: %d", res.Status)
		}
		if res := s.Post(s.As("center-admin"), "/ratings/settings", settings); res.Status != 303 {
			t.Fatalf("periods: %d", res.Status)
		}
		if res := s.Get(s.As("center-admin"), "/ratings"); !strings.Contains(res.Body, `name="token_days" inputmode="numeric" maxlength="3" value="30"`) ||
			!strings.Contains(res.Body, `name="unverified_weight" inputmode="numeric" maxlength="3" value="30"`) ||
			!strings.Contains(res.Body, `name="followup_days" inputmode="numeric" maxlength="3" value="3"`) {
			t.Fatal("the periods were not kept")
		}
		// The form has two owners (ratings and rectification); one bad
		// half saves neither.
		halfBad := url.Values{"token_days": {"40"}, "verify_days": {"1"}, "rectify_days": {"5"}, "ledger_days": {"0"}, "followup_days": {"3"},
			"unverified_weight": {"30"}, "default_level": {"0"}}
		if res := s.Post(s.As("center-admin"), "/ratings/settings", halfBad); res.Status != 400 || !strings.Contains(res.Body, "期限须为 1 到 365 天") {
			t.Fatalf("a bad rectification period: %d", res.Status)
		}
		if res := s.Get(s.As("center-admin"), "/ratings"); !strings.Contains(res.Body, `name="token_days" inputmode="numeric" maxlength="3" value="30"`) {
			t.Fatal("the good half of a refused form was saved")
		}
	})
}

// The figures are published on the portal without raters or texts; the
// office exports the national exchange format.
func TestRatingFiguresAndExport(t *testing.T) {
	sitetest.Shared(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		var comment string
		db.QueryRowContext(ctx, `SELECT comment FROM ratings WHERE comment <> '' AND level <= 2 AND unit_id = $1 LIMIT 1`, s.Units["demo-center"].ID).Scan(&comment)
		s.Run(t, []sitetest.Scenario{
			{Name: "public figures", As: "", Path: "/p/demo-center/ratings?period=2026-Q4", Status: 200, Contains: []string{"好评率", "未评率", "税务窗口"},
				NotContains: []string{comment, "刘备"}},
			{Name: "public bad period", As: "", Path: "/p/demo-center/ratings?period=x", Status: 400},
			{Name: "staff figures", As: "center-staff", Path: "/ratings", Status: 200, Contains: []string{"回访满意率"}},
			{Name: "export is the office's", As: "center-staff", Path: "/ratings/export.xlsx", Status: 403},
			{Name: "export json", As: "center-admin", Path: "/ratings/export.json?period=2026-Q4", Status: 200, Contains: []string{`"满意度代码"`, `"办件编号"`, `"事项编码"`}},
		})
		if res := s.Get(s.As("center-admin"), "/ratings/export.xlsx?period=2026-Q4"); res.Status != 200 || !strings.HasPrefix(res.Body, "PK") {
			t.Fatalf("workbook: %d", res.Status)
		}
	})
}

// The public suggestion box: a message with script is kept as text, its
// code tracks it, the office replies and publishes.
func TestSuggestionBoxPages(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		guest := sitetest.NewClient()
		if res := s.Get(guest, "/p/demo-center/feedback"); res.Status != 200 || !strings.Contains(res.Body, "跟踪码") {
			t.Fatalf("box: %d", res.Status)
		}
		if res := s.Post(guest, "/p/demo-center/feedback", url.Values{"kind": {"complaint"}, "body": {" "}}); res.Status != 400 || !strings.Contains(res.Body, "请填写内容") {
			t.Fatalf("empty message: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		res := s.Post(guest, "/p/demo-center/feedback", url.Values{"kind": {"suggestion"}, "body": {"<script>alert(1)</script>希望增加周六值班"}})
		if res.Status != http.StatusCreated || !strings.Contains(res.Body, "跟踪码") {
			t.Fatalf("send: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		var id int64
		var code string
		db.QueryRowContext(ctx, `SELECT id, code FROM feedback ORDER BY id DESC LIMIT 1`).Scan(&id, &code)
		track := s.Get(guest, "/p/demo-center/feedback/track?code="+code)
		if track.Status != 200 || strings.Contains(track.Body, "<script>alert(1)") || !strings.Contains(track.Body, "&lt;script&gt;") {
			t.Fatalf("track: %d", track.Status)
		}
		if res := s.Get(guest, "/p/demo-hospital/feedback/track?code="+code); res.Status != 404 {
			t.Fatalf("tracked through another unit: %d", res.Status)
		}
		if res := s.Get(s.As("center-staff"), "/feedback/"+itoa(id)); res.Status != 403 {
			t.Fatalf("staff read the box: %d", res.Status)
		}
		if res := s.Post(s.As("center-admin"), "/feedback/"+itoa(id), url.Values{"reply": {"自下月起周六上午开放综合受理窗口"}, "publish": {"1"}}); res.Status != 303 {
			t.Fatalf("reply: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if res := s.Get(guest, "/p/demo-center/feedback"); !strings.Contains(res.Body, "自下月起周六上午开放综合受理窗口") {
			t.Fatal("the published reply is not on the box's page")
		}
	})
}

// The office keeps its own reasons, and approves which texts are public.
func TestReasonsAndPublicTexts(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		office := s.As("center-admin")
		var many []string
		for i := range 25 {
			many = append(many, "原因"+itoa(int64(i)))
		}
		for _, bad := range []string{"", strings.Join(many, "\n"), strings.Repeat("长", 30)} {
			if res := s.Post(office, "/ratings/reasons", url.Values{"reasons": {bad}}); res.Status != 400 {
				t.Errorf("reasons %.10q: %d", bad, res.Status)
			}
		}
		if res := s.Post(s.As("center-staff"), "/ratings/reasons", url.Values{"reasons": {"态度不好"}}); res.Status != 403 {
			t.Fatalf("staff set the reasons: %d", res.Status)
		}
		if res := s.Post(office, "/ratings/reasons", url.Values{"reasons": {"态度冷漠\n<b>让群众多跑</b>\n态度冷漠"}}); res.Status != 303 {
			t.Fatalf("reasons: %d", res.Status)
		}
		staff := s.StaffID("demo-center", "ZX0015")
		device := s.DeviceKey("demo-center", "ZX0015")
		if res := s.APIPost(device, "/api/v1/ratings", `{"staff_id": `+staff+`, "level": 2, "reasons": ["多次跑腿"]}`); res.Status != 400 {
			t.Fatalf("an old reason: %d %s", res.Status, res.Body)
		}
		res := s.APIPost(device, "/api/v1/ratings", `{"staff_id": `+staff+`, "level": 2, "reasons": ["<b>让群众多跑</b>"], "comment": "第三次来了 <i>x</i>"}`)
		if res.Status != 201 {
			t.Fatalf("a new reason: %d %s", res.Status, res.Body)
		}
		var id int64
		db.QueryRowContext(ctx, `SELECT id FROM ratings ORDER BY id DESC LIMIT 1`).Scan(&id)
		public := "/p/demo-center/staff/" + staff
		if strings.Contains(s.Get(sitetest.NewClient(), public).Body, "第三次来了") {
			t.Fatal("a text is public before the office approved it")
		}
		if res := s.Post(s.As("center-staff"), "/ratings/"+itoa(id)+"/publish", url.Values{"publish": {"1"}}); res.Status != 403 {
			t.Fatalf("staff published a text: %d", res.Status)
		}
		if res := s.Post(office, "/ratings/"+itoa(id)+"/publish", url.Values{"publish": {"1"}}); res.Status != 303 {
			t.Fatalf("publish: %d", res.Status)
		}
		page := s.Get(sitetest.NewClient(), public).Body
		if !strings.Contains(page, "第三次来了 &lt;i&gt;x&lt;/i&gt;") {
			t.Fatal("the approved text is not on the public page, or not escaped")
		}
	})
}

// The office reads a quarter's ratings newest first, fifty a page: the
// list is in time order however the ratings came in, and page two goes on
// where page one stopped.
func TestRatingListPagesInTimeOrder(t *testing.T) {
	s := sitetest.SQLite(t)
	office := s.As("center-admin")
	q := period.QuarterOf(demo.LastFullQuarter(time.Now().In(time.FixedZone("CST", 8*3600))), time.FixedZone("CST", 8*3600)).Code
	when := regexp.MustCompile(`<td class="nowrap">(\d{4}-\d\d-\d\d \d\d:\d\d)</td>`)
	var times []string
	for page := 1; page <= 2; page++ {
		res := s.Get(office, fmt.Sprintf("/ratings?period=%s&page=%d", q, page))
		if res.Status != 200 {
			t.Fatalf("page %d: %d", page, res.Status)
		}
		rows := when.FindAllStringSubmatch(res.Body, -1)
		if len(rows) != 50 {
			t.Fatalf("page %d of %s has %d ratings, want 50", page, q, len(rows))
		}
		if page == 1 && (!strings.Contains(res.Body, "第 1 / ") || !strings.Contains(res.Body, "page=2")) {
			t.Error("page one has no pager")
		}
		for _, m := range rows {
			times = append(times, m[1])
		}
	}
	for i := 1; i < len(times); i++ {
		if times[i] > times[i-1] {
			t.Fatalf("rating %d at %s comes after one at %s", i, times[i], times[i-1])
		}
	}
}

// A burst from one address through a person's public page is held, the
// office's list shows it, and the office releases or rejects each with a
// reason; staff can do neither.
func TestHeldRatingsReview(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		staff := s.StaffID("demo-center", "ZX0020")
		path := "/p/demo-center/staff/" + staff + "/rate"
		for i := range ratings.BurstAddress {
			phone := sitetest.NewClient() // a fresh cookie each time, one address
			s.Get(phone, path)
			if res := s.Post(phone, path, url.Values{"level": {"5"}, "comment": {"好 " + itoa(int64(i))}}); res.Status != http.StatusCreated {
				t.Fatalf("rating %d: %d", i, res.Status)
			}
		}
		office := s.As("center-admin")
		list := s.Get(office, "/ratings/held")
		if list.Status != 200 || strings.Count(list.Body, `action="/ratings/`) != ratings.BurstAddress || !strings.Contains(list.Body, "公开页面") {
			t.Fatalf("the held list: %d\n%s", list.Status, sitetest.Snippet(list.Body))
		}
		if res := s.Get(office, "/ratings"); !strings.Contains(res.Body, "条评价因短时集中而暂扣") {
			t.Fatal("the ratings page does not say ratings are held")
		}
		var id int64
		s.DB.QueryRowContext(ctx, `SELECT min(id) FROM ratings WHERE held = 'held' AND staff_id = $1`, staff).Scan(&id)
		review := "/ratings/" + itoa(id) + "/review"
		s.Run(t, []sitetest.Scenario{
			{Name: "staff cannot review", As: "center-staff", Method: "POST", Path: review, Form: url.Values{"decision": {"release"}, "note": {"x"}}, Status: 403},
			{Name: "no reason", As: "center-admin", Method: "POST", Path: review, Form: url.Values{"decision": {"release"}, "note": {" \u3000"}}, Status: 400, Contains: []string{"请写明复核理由"}},
			{Name: "a huge reason", As: "center-admin", Method: "POST", Path: review, Form: url.Values{"decision": {"release"}, "note": {strings.Repeat("理", 201)}}, Status: 400, Contains: []string{"请写明复核理由"}},
			{Name: "another unit's office", As: "hospital-admin", Method: "POST", Path: review, Form: url.Values{"decision": {"release"}, "note": {"x"}}, Status: 404},
			{Name: "released", As: "center-admin", Method: "POST", Path: review, Form: url.Values{"decision": {"release"}, "note": {"<b>现场核实</b> 为三位群众"}}, Status: 303},
			{Name: "reviewed twice", As: "center-admin", Method: "POST", Path: review, Form: url.Values{"decision": {"reject"}, "note": {"x"}}, Status: 400, Contains: []string{"已经复核过了"}},
		})
		if n, _ := s.Stores.Ratings.CountHeld(ctx, s.Units["demo-center"].ID); n != ratings.BurstAddress-1 {
			t.Fatalf("%d still held", n)
		}
	})
}
