package web_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"wuliang/internal/sitetest"
)

// TestQueueTickets: a queue machine sends its ticket with the case; a bad
// one is refused with a Chinese message and nothing stored; a good one
// shows on the case, and its waiting and handling times beside 好评率 on
// the office's and the public efficiency pages.
func TestQueueTickets(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		center := s.Units["demo-center"].ID
		staff := s.StaffID("demo-center", "ZX0015")
		now := time.Now().In(time.FixedZone("CST", 8*3600))
		stamp := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
		body := func(ticket string) string {
			return `{"staff_id": ` + staff + `, "matter": "咨询社保卡补办", "recipient_name": "张飞", "recipient_phone": "13900005678", "channel": "counter"` + ticket + `}`
		}
		count := func() int {
			n, _ := strconv.Atoi(lookup(t, s.DB, `SELECT count(*) FROM cases WHERE unit_id = $1`, center))
			return n
		}
		before := count()
		bad := []struct{ name, ticket, want string }{
			{"unreadable time", `, "ticket_no": "A001", "ticket_at": "明天上午", "called_at": "` + stamp(-time.Minute) + `"`, "时间格式不对"},
			{"full-width digits", `, "ticket_no": "A001", "ticket_at": "２０２６-１１-２７ ０９:３０", "called_at": "` + stamp(-time.Minute) + `"`, "时间格式不对"},
			{"called without drawn", `, "ticket_no": "A001", "called_at": "` + stamp(-time.Minute) + `"`, "须同时给出取号时间"},
			{"called before drawn", `, "ticket_at": "` + stamp(-time.Minute) + `", "called_at": "` + stamp(-time.Hour) + `"`, "叫号时间早于取号时间"},
			{"in the future", `, "ticket_at": "` + stamp(-time.Minute) + `", "called_at": "` + stamp(3*time.Hour) + `"`, "晚于现在"},
			{"huge number", `, "ticket_no": "` + strings.Repeat("号", 200) + `", "ticket_at": "` + stamp(-time.Hour) + `", "called_at": "` + stamp(-time.Minute) + `"`, "不能超过 32 个字"},
			{"a number", `, "ticket_no": 17`, "不是有效的 JSON"},
		}
		for _, b := range bad {
			if res := s.APIPost("demo-center", "/api/v1/cases", body(b.ticket)); res.Status != 400 || !strings.Contains(res.Body, b.want) {
				t.Errorf("%s: %d %s", b.name, res.Status, sitetest.Snippet(res.Body))
			}
		}
		if n := count(); n != before {
			t.Fatalf("%d cases stored from refused tickets", n-before)
		}
		// The machine's local time is read in the unit's zone.
		local := func(d time.Duration) string { return now.Add(d).Format("2006-01-02 15:04:05") }
		res := s.APIPost("demo-center", "/api/v1/cases", body(`, "ticket_no": "<b>A017</b>", "ticket_at": "`+local(-40*time.Minute)+
			`", "called_at": "`+stamp(-12*time.Minute)+`", "finished_at": "`+stamp(-2*time.Minute)+`"`))
		var c struct {
			ID       int64  `json:"id"`
			TicketNo string `json:"ticket_no"`
			TicketAt string `json:"ticket_at"`
		}
		if res.Status != 201 || json.Unmarshal([]byte(res.Body), &c) != nil || c.TicketNo != "<b>A017</b>" || c.TicketAt == "" {
			t.Fatalf("create: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		office := s.As("center-admin")
		page := s.Get(office, "/cases/"+strconv.FormatInt(c.ID, 10))
		if !strings.Contains(page.Body, "&lt;b&gt;A017&lt;/b&gt;") || !strings.Contains(page.Body, "叫号") {
			t.Errorf("case page lacks the escaped ticket: %s", sitetest.Snippet(page.Body))
		}
		for _, path := range []string{"/efficiency", "/p/demo-center/efficiency"} {
			client := office
			if strings.HasPrefix(path, "/p/") {
				client = sitetest.NewClient()
			}
			p := s.Get(client, path)
			if p.Status != 200 || !strings.Contains(p.Body, "排队等候与满意度") || !strings.Contains(p.Body, "等候中位数") || !strings.Contains(p.Body, "等候时长与好评率") {
				t.Errorf("%s: %d, no queue figures", path, p.Status)
			}
			if strings.Contains(p.Body, "A017") {
				t.Errorf("%s shows a ticket number", path)
			}
		}
	})
}
