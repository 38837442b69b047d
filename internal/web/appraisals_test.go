package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/sitetest"
)

// The office builds a round, issues invitations, opens it; an evaluator
// answers once on the phone; the results show on the office's page with
// the comment as text, and in the hall only after publication.
func TestAppraisalRound(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		office := s.As("center-admin")
		center, hospital := s.Units["demo-center"].ID, s.Units["demo-hospital"].ID
		var foreign string
		db.QueryRowContext(ctx, `SELECT id FROM staff WHERE unit_id = $1 LIMIT 1`, hospital).Scan(&foreign)
		questions := url.Values{"q_text": {"兑现服务承诺", "", "总体评分"}, "q_kind": {"level", "level", "score"}, "q_max": {"", "", "１０"}}
		form := func(extra url.Values) url.Values {
			f := url.Values{"title": {"<b>测试评议</b> 😀"}, "subject": {"person"}}
			for k, v := range questions {
				f[k] = v
			}
			for k, v := range extra {
				f[k] = v
			}
			return f
		}
		s.Run(t, []sitetest.Scenario{
			{Name: "staff cannot open the office's rounds", As: "center-staff", Path: "/appraisals", Status: 403},
			{Name: "new form offers the plan's topics", As: "center-admin", Path: "/appraisals/new", Status: 200, Contains: []string{"兑现服务承诺", "规范审批", "提供优质服务"}},
			{Name: "empty", As: "center-admin", Method: "POST", Path: "/appraisals", Form: url.Values{}, Status: 400, Contains: []string{"请填写名称", "请至少写一个问题"}},
			{Name: "huge title", As: "center-admin", Method: "POST", Path: "/appraisals", Form: form(url.Values{"title": {strings.Repeat("评", 101)}}), Status: 400, Contains: []string{"不能超过 100"}},
			{Name: "score without a full mark", As: "center-admin", Method: "POST", Path: "/appraisals", Form: form(url.Values{"q_max": {"", "", "abc"}}), Status: 400, Contains: []string{"满分请填写 1 到 100"}},
			{Name: "another unit's person", As: "center-admin", Method: "POST", Path: "/appraisals", Form: form(url.Values{"staff": {foreign}}), Status: 400, Contains: []string{"不在本单位"}},
			{Name: "another unit's round", As: "hospital-admin", Path: "/appraisals/1", Status: 404},
		})
		res := s.Post(office, "/appraisals", form(url.Values{"staff": {s.StaffID("demo-center", "ZX0005"), s.StaffID("demo-center", "ZX0006")}}))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		path := res.Header.Get("Location")
		page := s.Get(office, path)
		if !strings.Contains(page.Body, "&lt;b&gt;测试评议&lt;/b&gt; 😀") || !strings.Contains(page.Body, "准备中") {
			t.Fatalf("round page: %s", sitetest.Snippet(page.Body))
		}
		for _, b := range []struct {
			form url.Values
			want string
		}{{url.Values{"group": {"<script>"}, "count": {"1"}}, "请选择评议人群体"}, {url.Values{"group": {"npc"}, "count": {"0"}}, "1 到 500 份"},
			{url.Values{"group": {"npc"}, "count": {"99999"}}, "1 到 500 份"}} {
			if res := s.Post(office, path+"/invites", b.form); res.Status != 400 || !strings.Contains(res.Body, b.want) {
				t.Errorf("issue %v: %d", b.form, res.Status)
			}
		}
		if res := s.Post(office, path+"/invites", url.Values{"group": {"npc"}, "labels": {"王代表\n<i>李代表</i>\n"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("issue: %d", res.Status)
		}
		if res := s.Post(office, path+"/publish", nil); res.Status != http.StatusConflict {
			t.Fatalf("published a draft: %d", res.Status)
		}
		if res := s.Post(office, path+"/open", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("open: %d", res.Status)
		}
		id := strings.TrimPrefix(path, "/appraisals/")
		var token string
		db.QueryRowContext(ctx, `SELECT token FROM appraisal_invites WHERE unit_id = $1 AND round_id = $2 ORDER BY id LIMIT 1`, center, id).Scan(&token)
		cards := s.Get(office, path+"/invites/print")
		if cards.Status != 200 || !strings.Contains(cards.Body, "/a/"+token) || !strings.Contains(cards.Body, "data:image/png;base64,") ||
			!strings.Contains(cards.Body, "&lt;i&gt;李代表&lt;/i&gt;") {
			t.Fatalf("invitation cards: %d", cards.Status)
		}
		list := s.Get(office, path+"/invites.csv")
		if list.Status != 200 || !strings.HasPrefix(list.Body, "\ufeff") || !strings.Contains(list.Body, "人大代表,王代表,") || !strings.Contains(list.Body, "/a/"+token) {
			t.Fatalf("invitation list: %d %q", list.Status, list.Body)
		}

		phone := sitetest.NewClient()
		ask := s.Get(phone, "/a/"+token)
		if ask.Status != 200 || !strings.Contains(ask.Body, "不了解") || !strings.Contains(ask.Body, "王代表") {
			t.Fatalf("evaluator's form: %d %s", ask.Status, sitetest.Snippet(ask.Body))
		}
		var target, q1, q3 string
		db.QueryRowContext(ctx, `SELECT id FROM appraisal_targets WHERE unit_id = $1 AND round_id = $2 ORDER BY position LIMIT 1`, center, id).Scan(&target)
		db.QueryRowContext(ctx, `SELECT min(id), max(id) FROM appraisal_questions WHERE unit_id = $1 AND round_id = $2`, center, id).Scan(&q1, &q3)
		box := func(q string) string { return "a_" + target + "_" + q }
		for _, b := range []struct {
			form url.Values
			want string
		}{{url.Values{}, "请至少回答一个问题"}, {url.Values{box(q1): {"9"}}, "回答不正确"}, {url.Values{box(q3): {"11"}}, "回答不正确"},
			{url.Values{"a_999999_1": {"5"}}, "与这次评议的问题不符"}, {url.Values{"a_x_y": {"5"}}, "与这次评议的问题不符"}} {
			if res := s.Post(phone, "/a/"+token, b.form); res.Status != 400 || !strings.Contains(res.Body, b.want) {
				t.Errorf("answer %v: %d %s", b.form, res.Status, sitetest.Snippet(res.Body))
			}
		}
		// Two submits at once: one is taken, the other told it was used.
		answers := url.Values{box(q1): {"5"}, box(q3): {"８"}}
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range statuses {
			wg.Go(func() { statuses[i] = s.Post(phone, "/a/"+token, answers).Status })
		}
		wg.Wait()
		if statuses[0]+statuses[1] != http.StatusCreated+http.StatusConflict {
			t.Fatalf("double submit: %v", statuses)
		}
		if res := s.Get(sitetest.NewClient(), "/a/"+token); res.Status != http.StatusConflict || !strings.Contains(res.Body, "已经提交过了") {
			t.Fatalf("used invitation: %d", res.Status)
		}
		for _, bad := range []string{"AAAAAAAAAAAAAAAAAAAAAAAAAA", "%3Cscript%3E", strings.Repeat("a", 300)} {
			if res := s.Get(sitetest.NewClient(), "/a/"+bad); res.Status != http.StatusNotFound || !strings.Contains(res.Body, "链接无效") {
				t.Errorf("forged invitation %.20s: %d", bad, res.Status)
			}
		}
		results := s.Get(office, path)
		if !strings.Contains(results.Body, "回收情况") || !strings.Contains(results.Body, "50.0%") || !strings.Contains(results.Body, "90.0") {
			t.Fatalf("results: %s", sitetest.Snippet(results.Body))
		}
		hall := "/p/demo-center/appraisals/" + id
		if res := s.Get(sitetest.NewClient(), hall); res.Status != 404 {
			t.Fatalf("unpublished results are public: %d", res.Status)
		}
		s.Post(office, path+"/close", nil)
		var other string
		db.QueryRowContext(ctx, `SELECT token FROM appraisal_invites WHERE unit_id = $1 AND round_id = $2 AND answered_at IS NULL LIMIT 1`, center, id).Scan(&other)
		if res := s.Post(phone, "/a/"+other, answers); res.Status != http.StatusGone || !strings.Contains(res.Body, "不在进行中") {
			t.Fatalf("answered a closed round: %d", res.Status)
		}
		if res := s.Post(office, path+"/publish", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.Status)
		}
		if res := s.Get(sitetest.NewClient(), hall); res.Status != 200 || !strings.Contains(res.Body, "评议结果") || strings.Contains(res.Body, "王代表") {
			t.Fatalf("hall page: %d", res.Status)
		}
		if res := s.Get(sitetest.NewClient(), "/p/demo-hospital/appraisals/"+id); res.Status != 404 {
			t.Fatalf("another unit's portal shows the round: %d", res.Status)
		}
	})
}

// The demo's closed round shows NPC and CPPCC answers in the hall.
func TestDemoAppraisalInTheHall(t *testing.T) {
	sitetest.Shared(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		var id string
		db.QueryRowContext(ctx, `SELECT id FROM appraisal_rounds WHERE unit_id = $1 AND published = TRUE`, s.Units["demo-center"].ID).Scan(&id)
		res := s.Get(sitetest.NewClient(), "/p/demo-center/appraisals/"+id)
		if res.Status != 200 || !strings.Contains(res.Body, "人大代表") || !strings.Contains(res.Body, "政协委员") || !strings.Contains(res.Body, "税务窗口") {
			t.Fatalf("hall page: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if portal := s.Get(sitetest.NewClient(), "/p/demo-center"); !strings.Contains(portal.Body, "/p/demo-center/appraisals/"+id) {
			t.Fatal("the portal does not link the published result")
		}
	})
}

// A public supervisor reaches only the supervision pages; files an
// observation with a photo; the office sends it to rectification.
func TestPublicSupervisor(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		sup := s.As("center-supervisor")
		s.Run(t, []sitetest.Scenario{
			{Name: "home sends them to supervision", As: "center-supervisor", Path: "/", Status: 303, Contains: []string{`href="/observations"`}},
			{Name: "the supervision page", As: "center-supervisor", Path: "/observations", Status: 200, Contains: []string{"记录一次监督", "窗口服务承诺公示牌被遮挡"}},
			{Name: "no cases", As: "center-supervisor", Path: "/cases", Status: 403},
			{Name: "no staff list", As: "center-supervisor", Path: "/staff", Status: 403},
			{Name: "no ratings", As: "center-supervisor", Path: "/ratings", Status: 403},
			{Name: "no rectifications", As: "center-supervisor", Path: "/rectifications", Status: 403},
			{Name: "staff do not see supervision", As: "center-staff", Path: "/observations", Status: 403},
			{Name: "the office sees it", As: "center-admin", Path: "/observations", Status: 200, Contains: []string{"郑国华"}, NotContains: []string{"记录一次监督"}},
		})
		var window, foreign string
		db.QueryRowContext(ctx, `SELECT id FROM departments WHERE unit_id = $1 AND name = '税务窗口'`, s.Units["demo-center"].ID).Scan(&window)
		db.QueryRowContext(ctx, `SELECT id FROM departments WHERE unit_id = $1 LIMIT 1`, s.Units["demo-hospital"].ID).Scan(&foreign)
		now := time.Now().In(time.FixedZone("CST", 8*3600))
		fields := func(extra url.Values) url.Values {
			f := url.Values{"window": {window}, "observed_at": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "verdict": {"bad"},
				"body": {"<script>alert(1)</script> 窗口无人 🙁"}, "nonce": {"web-test-1"}}
			for k, v := range extra {
				f[k] = v
			}
			return f
		}
		for _, b := range []struct {
			name   string
			fields url.Values
			photo  []byte
			want   string
		}{
			{"empty", url.Values{"nonce": {"x"}}, nil, "请选择“表现良好”或“发现问题”"},
			{"another unit's window", fields(url.Values{"window": {foreign}}), nil, "请选择本单位的窗口"},
			{"future", fields(url.Values{"observed_at": {now.Add(3 * time.Hour).Format("2006-01-02T15:04")}}), nil, "不能晚于现在"},
			{"not a photo", fields(nil), []byte("GIF89a<script>"), "照片须为 JPG 或 PNG"},
		} {
			if res := uploadWith(t, s, sup, "/observations", b.fields, "photo", "x.png", b.photo); res.Status != 400 || !strings.Contains(res.Body, b.want) {
				t.Errorf("%s: %d %s", b.name, res.Status, sitetest.Snippet(res.Body))
			}
		}
		res := uploadWith(t, s, sup, "/observations", fields(nil), "photo", "x.png", pngOf(64, 48))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("file: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		path := res.Header.Get("Location")
		if again := uploadWith(t, s, sup, "/observations", fields(nil), "photo", "x.png", pngOf(64, 48)); again.Header.Get("Location") != path {
			t.Fatalf("a double submit filed another: %s", again.Header.Get("Location"))
		}
		shown := s.Get(s.As("center-admin"), path)
		if !strings.Contains(shown.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(shown.Body, "<script>alert(1)") || !strings.Contains(shown.Body, "转入整改") {
			t.Fatalf("observation page: %s", sitetest.Snippet(shown.Body))
		}
		if photo := s.Get(sup, path+"/photo"); photo.Status != 200 || photo.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("photo: %d", photo.Status)
		}
		if res := s.Post(sup, path+"/rectify", nil); res.Status != 403 {
			t.Fatalf("the supervisor rectified: %d", res.Status)
		}
		if res := s.Get(s.As("hospital-admin"), path); res.Status != 404 {
			t.Fatalf("another unit saw the observation: %d", res.Status)
		}
		res = s.Post(s.As("center-admin"), path+"/rectify", nil)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/rectifications/") {
			t.Fatalf("rectify: %d", res.Status)
		}
		x := s.Get(s.As("center-admin"), res.Header.Get("Location"))
		if !strings.Contains(x.Body, "监督员发现问题") || !strings.Contains(x.Body, "&lt;script&gt;") || !strings.Contains(x.Body, "待核实") {
			t.Fatalf("rectification page: %s", sitetest.Snippet(x.Body))
		}
	})
}
