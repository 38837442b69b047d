package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/sitetest"
)

// A rating posted through the API reaches an open screen within a second;
// so do a published notice and a window's staff going away. The latency
// of 100 ratings is logged (go test ./internal/web -run TestScreenLive -v).
func TestScreenLive(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		center := s.Units["demo-center"]
		token, _ := registerScreen(t, s.DB, center.ID)
		stream := sitetest.OpenStream(t, s.Srv.URL+"/s/"+token+"/events")
		first := panelsHTML(t, stream.Next(t, 10*time.Second, "panels"))
		if !strings.Contains(first, "今日评价") || !strings.Contains(first, "窗口在岗情况") {
			t.Fatalf("first picture: %.300s", first)
		}
		device, tokens := s.DeviceKey("demo-center", "ZX0001"), s.Tokens("demo-center", "ZX0001", 100)
		var took []time.Duration
		for i := range 100 {
			start := time.Now()
			res := s.APIPost(device, "/api/v1/ratings", fmt.Sprintf(`{"token":%q,"level":%d}`, tokens[i], 4+i%2))
			if res.Status != 201 {
				t.Fatalf("rating %d: %d %s", i, res.Status, res.Body)
			}
			e := stream.Next(t, time.Second, "rating")
			if id := sitetest.RatingOf(t, e); !strings.Contains(res.Body, fmt.Sprintf(`"id":%d,`, id)) {
				t.Fatalf("rating %d: the event names rating %d, the API stored %s", i, id, res.Body)
			}
			took = append(took, e.At.Sub(start))
		}
		slices.Sort(took)
		t.Logf("rating posted → event on the screen, 100 ratings: median %v, p99 %v, max %v",
			percentile(took, .5), percentile(took, .99), took[len(took)-1])
		if took[len(took)-1] > time.Second {
			t.Fatalf("a rating took %v to reach the screen", took[len(took)-1])
		}
		// The picture follows: today's count on the ratings panel.
		if html := panelsHTML(t, stream.Next(t, 2*time.Second, "panels")); !strings.Contains(html, `data-count=`) {
			t.Fatalf("no ratings panel after the ratings: %.300s", html)
		}

		office := s.As("center-admin")
		start := time.Now()
		res := s.Post(office, "/screens/notices", url.Values{"title": {"今日 16:00 起系统升级"}, "body": {"请提前办理"}, "ends_on": {time.Now().Add(48 * time.Hour).Format("2006-01-02")}})
		if res.Status != 303 {
			t.Fatalf("notice: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		for {
			e := stream.Next(t, time.Second, "panels")
			if strings.Contains(panelsHTML(t, e), "今日 16:00 起系统升级") {
				t.Logf("notice published → on the screen in %v", e.At.Sub(start))
				break
			}
		}
	})
}

// A revoked screen's token gets nothing, and its open stream ends with
// "revoked"; a changed screen is told to reload.
func TestScreenRevoke(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		center := s.Units["demo-center"]
		token, sc := registerScreen(t, s.DB, center.ID)
		stream := sitetest.OpenStream(t, s.Srv.URL+"/s/"+token+"/events")
		stream.Next(t, 10*time.Second, "panels")
		office := s.As("center-admin")
		id := fmt.Sprint(sc.ID)
		if res := s.Post(office, "/screens/"+id, url.Values{"name": {"二楼屏"}, "layout": {"portrait"}, "panels": {"ratings", "notices"}, "interval": {"２０"}}); res.Status != 303 {
			t.Fatalf("update: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		stream.Next(t, 2*time.Second, "reload")
		if res := s.Get(sitetest.NewClient(), "/s/"+token); res.Status != 200 || !strings.Contains(res.Body, `class="screen portrait"`) || strings.Contains(res.Body, `id="panel-status"`) {
			t.Fatalf("changed screen: %d", res.Status)
		}
		if res := s.Post(office, "/screens/"+id+"/revoke", nil); res.Status != 303 {
			t.Fatalf("revoke: %d", res.Status)
		}
		stream.Next(t, 2*time.Second, "revoked")
		if _, open := <-stream.Events; open {
			for range stream.Events {
			}
		}
		guest := sitetest.NewClient()
		for _, path := range []string{"/s/" + token, "/s/" + token + "/events"} {
			if res := s.Get(guest, path); res.Status != 404 || strings.Contains(res.Body, "今日评价") {
				t.Errorf("%s after revoking: %d", path, res.Status)
			}
		}
	})
}

// The office's screen and notice forms refuse what they must, with a
// message, and nobody else may use them.
func TestScreenForms(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		center := s.Units["demo-center"]
		hospital := s.Units["demo-hospital"]
		_, theirs := registerScreen(t, s.DB, hospital.ID)
		good := url.Values{"name": {"大厅主屏"}, "layout": {"landscape"}, "panels": {"ratings", "status"}, "interval": {"15"}}
		with := func(k string, v ...string) url.Values {
			f := url.Values{}
			for key, vals := range good {
				f[key] = vals
			}
			f[k] = v
			return f
		}
		future := time.Now().Add(72 * time.Hour).Format("2006-01-02")
		s.Run(t, []sitetest.Scenario{
			{Name: "guest", Path: "/screens", Status: 303},
			{Name: "staff", As: "center-staff", Path: "/screens", Status: 403},
			{Name: "window lead", As: "center-lead", Method: "POST", Path: "/screens", Form: good, Status: 403},
			{Name: "office page", As: "center-admin", Path: "/screens", Status: 200, Contains: []string{"登记显示屏", "大厅公告"}},
			{Name: "empty name", As: "center-admin", Method: "POST", Path: "/screens", Form: with("name", " "), Status: 400, Contains: []string{"请填写名称"}},
			{Name: "huge name", As: "center-admin", Method: "POST", Path: "/screens", Form: with("name", strings.Repeat("屏", 41)), Status: 400, Contains: []string{"名称"}},
			{Name: "no panel", As: "center-admin", Method: "POST", Path: "/screens", Form: with("panels"), Status: 400, Contains: []string{"请至少选择一个栏目"}},
			{Name: "unknown panel", As: "center-admin", Method: "POST", Path: "/screens", Form: with("panels", "ratings", "phones"), Status: 400, Contains: []string{"不认识的栏目"}},
			{Name: "bad layout", As: "center-admin", Method: "POST", Path: "/screens", Form: with("layout", "<script>"), Status: 400, Contains: []string{"请选择横屏或竖屏"}},
			{Name: "interval too short", As: "center-admin", Method: "POST", Path: "/screens", Form: with("interval", "1"), Status: 400, Contains: []string{"5–600"}},
			{Name: "interval not a number", As: "center-admin", Method: "POST", Path: "/screens", Form: with("interval", "十五"), Status: 400, Contains: []string{"5–600"}},
			{Name: "script in the name is shown as text", As: "center-admin", Method: "POST", Path: "/screens", Form: with("name", "<script>alert(1)</script>🖥"), Status: 200,
				Contains: []string{"&lt;script&gt;alert(1)&lt;/script&gt;🖥", "/s/scr_"}, NotContains: []string{"<script>alert(1)"}},
			{Name: "registered: URL and QR", As: "center-admin", Method: "POST", Path: "/screens", Form: good, Status: 200, Contains: []string{"/s/scr_", "data:image/png;base64,"}},
			{Name: "another unit's screen", As: "center-admin", Method: "POST", Path: fmt.Sprintf("/screens/%d", theirs.ID), Form: good, Status: 404},
			{Name: "revoke another unit's screen", As: "center-admin", Method: "POST", Path: fmt.Sprintf("/screens/%d/revoke", theirs.ID), Status: 404},
			{Name: "notice without title", As: "center-admin", Method: "POST", Path: "/screens/notices", Form: url.Values{"title": {""}, "ends_on": {future}}, Status: 400, Contains: []string{"请填写公告标题"}},
			{Name: "notice ending yesterday", As: "center-admin", Method: "POST", Path: "/screens/notices", Form: url.Values{"title": {"通知"}, "ends_on": {"2020-01-01"}}, Status: 400, Contains: []string{"不能早于今天"}},
			{Name: "notice with a bad date", As: "center-admin", Method: "POST", Path: "/screens/notices", Form: url.Values{"title": {"通知"}, "body": {"内容保留"}, "ends_on": {"明天"}}, Status: 400, Contains: []string{"有效的日期", "内容保留"}},
			{Name: "notice too long", As: "center-admin", Method: "POST", Path: "/screens/notices", Form: url.Values{"title": {"通知"}, "body": {strings.Repeat("长", 501)}, "ends_on": {future}}, Status: 400, Contains: []string{"公告内容"}},
			{Name: "withdraw another unit's notice", As: "center-admin", Method: "POST", Path: "/screens/notices/999999/withdraw", Status: 404},
			{Name: "unknown token", Path: "/s/scr_00000000_" + strings.Repeat("0", 48), Status: 404},
			{Name: "malformed token", Path: "/s/" + url.PathEscape("<script>") + "/events", Status: 404, NotContains: []string{"<script>"}},
		})
		_ = center
		// Two offices' double submit registers two screens, each with its
		// own token: nothing is lost or merged.
		office := s.As("center-admin")
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i := range 2 {
			wg.Go(func() { codes[i] = s.Post(office, "/screens", good).Status })
		}
		wg.Wait()
		var n int
		s.DB.QueryRowContext(ctx, `SELECT count(*) FROM screens WHERE unit_id = $1 AND name = '大厅主屏'`, center.ID).Scan(&n)
		if codes[0] != 200 || codes[1] != 200 || n != 3 {
			t.Fatalf("double submit: %v, %d screens", codes, n)
		}
	})
}
