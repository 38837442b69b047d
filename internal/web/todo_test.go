package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/feedback"
	"wuliang/internal/reviews"
	"wuliang/internal/sitetest"
	"wuliang/internal/todo"
)

// demoUser is a demo login's account.
func demoUser(t *testing.T, s *sitetest.Site, unit, username string) accounts.User {
	t.Helper()
	list, err := s.Stores.Accounts.Users(context.Background(), s.Units[unit].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range list {
		if u.Username == username {
			return u
		}
	}
	t.Fatalf("no user %s", username)
	return accounts.User{}
}

// links are the list's links of one kind.
func links(l todo.List, kind string) []string {
	var out []string
	for _, it := range l.Items {
		if it.Kind == kind {
			out = append(out, it.Link)
		}
	}
	return out
}

func has(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestTodo: each kind of overdue or waiting thing appears on the list of
// whoever must act on it, only theirs, and is gone once handled.
func TestTodo(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		ctx := context.Background()
		center := s.Units["demo-center"]
		office, secretary, lead := demoUser(t, s, "demo-center", "center-admin"), demoUser(t, s, "demo-center", "center-secretary"),
			demoUser(t, s, "demo-center", "center-lead")
		of := func(u accounts.User, now time.Time) todo.List {
			t.Helper()
			l, err := s.Stores.Todo.Of(ctx, center, u, now)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		now := database.Now()
		// The page: the office's and the lead's lists open, staff have none.
		page := s.Get(s.As("center-admin"), "/todo")
		if page.Status != 200 || !strings.Contains(page.Body, "红牌办件") || !strings.Contains(page.Body, "积分申报待审核") {
			t.Fatalf("office's list: %d %s", page.Status, sitetest.Snippet(page.Body))
		}
		if res := s.Get(s.As("center-staff"), "/todo"); res.Status != 403 {
			t.Errorf("staff opened the office's list: %d", res.Status)
		}
		if res := s.Get(s.As("hospital-admin"), "/todo"); res.Status != 200 || strings.Contains(res.Body, center.Name) {
			t.Errorf("another unit's list: %d", res.Status)
		}

		// A red case of the lead's window: the office and the lead see it;
		// completed, it is gone from both.
		staff := lookup(t, s.DB, `SELECT id FROM staff WHERE unit_id = $1 AND department_id = $2 AND active = TRUE ORDER BY id LIMIT 1`, center.ID, lead.DepartmentID)
		res := s.APIPost("demo-center", "/api/v1/cases", `{"staff_id": `+staff+`, "matter": "待办测试", "recipient_name": "张飞", "recipient_phone": "13900005678", "channel": "counter"}`)
		id := between(res.Body, `"id":`, `,`)
		if res.Status != 201 || s.APIPost("demo-center", "/api/v1/cases/"+id+"/accept", `{"time_limit_days": 1}`).Status != 200 {
			t.Fatalf("case: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		err := s.DB.Tx(ctx, func(tx *database.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE cases SET deadline = $1 WHERE id = $2`, now.Add(-48*time.Hour), id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		link := "/cases/" + id
		if !has(links(of(office, now), todo.CaseRed), link) || !has(links(of(lead, now), todo.CaseRed), link) {
			t.Errorf("the red case is not on the office's and the lead's lists")
		}
		if s.APIPost("demo-center", "/api/v1/cases/"+id+"/complete", `{"note": "已办结"}`).Status != 200 {
			t.Fatal("complete")
		}
		if has(links(of(office, now), todo.CaseRed), link) || has(links(of(lead, now), todo.CaseRed), link) {
			t.Errorf("the completed case is still listed")
		}

		// A message to the office: on the office's list only; answered, gone.
		if _, err := s.Stores.Feedback.Send(ctx, center.ID, feedback.Input{Kind: "suggestion", Body: "建议周六延时服务"}); err != nil {
			t.Fatal(err)
		}
		msgs := links(of(office, now), todo.FeedbackUnanswered)
		if len(msgs) == 0 || len(links(of(lead, now), todo.FeedbackUnanswered)) != 0 {
			t.Fatalf("feedback: office %v, lead %d", msgs, len(links(of(lead, now), todo.FeedbackUnanswered)))
		}
		last := msgs[len(msgs)-1]
		mid, _ := strconv.ParseInt(strings.TrimPrefix(last, "/feedback/"), 10, 64)
		if err := s.Stores.Feedback.Handle(ctx, audit.Actor{Name: "test"}, office, center.ID, mid, feedback.Handling{Reply: "已采纳,下月起试行。"}); err != nil {
			t.Fatal(err)
		}
		if has(links(of(office, now), todo.FeedbackUnanswered), last) {
			t.Errorf("an answered message is still listed")
		}

		// Claims wait for the branch secretary; approved, gone.
		claims := links(of(secretary, now), todo.ClaimApproval)
		if len(claims) == 0 || len(links(of(lead, now), todo.ClaimApproval)) != 0 {
			t.Fatalf("claims: secretary %v", claims)
		}
		// A pending claim is approved; an adopted innovation proposal then
		// waits on for its results to be judged.
		pending := claims[0]
		cid, _ := strconv.ParseInt(strings.TrimPrefix(pending, "/activities/claims/"), 10, 64)
		var state, form string
		s.DB.QueryRowContext(ctx, `SELECT c.state, k.form FROM activity_claims c JOIN activity_kinds k ON k.id = c.kind_id WHERE c.id = $1`, cid).Scan(&state, &form)
		if state == "pending" {
			if err := s.Stores.Activities.Review(ctx, audit.Actor{Name: "test"}, secretary, center.ID, cid, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		if form == "innovation" {
			if err := s.Stores.Activities.Result(ctx, audit.Actor{Name: "test"}, secretary, center.ID, time.UTC, cid, "窗口等候时间缩短三成"); err != nil {
				t.Fatal(err)
			}
		}
		if has(links(of(secretary, now), todo.ClaimApproval), pending) {
			t.Errorf("an approved claim is still listed")
		}

		// A commitment waiting for approval: the office approves it.
		waiting := links(of(office, now), todo.CommitmentApproval)
		if len(waiting) == 0 {
			t.Fatal("no commitment waits for approval")
		}
		kid, _ := strconv.ParseInt(strings.TrimPrefix(waiting[0], "/commitments/"), 10, 64)
		if err := s.Stores.Commitments.Approve(ctx, audit.Actor{Name: "test"}, office, center.ID, kid); err != nil {
			t.Fatal(err)
		}
		if has(links(of(office, now), todo.CommitmentApproval), waiting[0]) {
			t.Errorf("an approved commitment is still listed")
		}

		// Overdue commitments: a secretary sees those of their branch's
		// people, a lead their window's, never more than the office.
		all := links(of(office, now), todo.CommitmentOverdue)
		for _, u := range []accounts.User{secretary, lead} {
			for _, l := range links(of(u, now), todo.CommitmentOverdue) {
				if !has(all, l) {
					t.Errorf("%s sees %s, which the office does not", u.Username, l)
				}
			}
		}

		// A yellow case: completed, gone.
		yellow := links(of(office, now), todo.CaseYellow)
		if len(yellow) == 0 {
			t.Fatal("no yellow case in the demo")
		}
		if r := s.APIPost("demo-center", "/api/v1"+yellow[0]+"/complete", `{"note": "已办结"}`); r.Status != 200 {
			t.Fatalf("complete %s: %d %s", yellow[0], r.Status, r.Body)
		}
		if has(links(of(office, now), todo.CaseYellow), yellow[0]) {
			t.Error("a completed yellow case is still listed")
		}

		// Follow-up steps are the office's: one done, one line fewer.
		steps := of(office, now).Counts[todo.FollowupOverdue]
		if steps == 0 || of(lead, now).Counts[todo.FollowupOverdue] != 0 || of(secretary, now).Counts[todo.FollowupOverdue] != 0 {
			t.Fatalf("follow-up steps: office %d", steps)
		}
		over, err := s.Stores.Followup.Overdue(ctx, center.ID, now.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly))
		if err != nil || len(over) == 0 {
			t.Fatal(err)
		}
		if err := s.Stores.Followup.DoneStep(ctx, audit.Actor{Name: "test"}, center.ID, over[0].Step.ID, now.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly), "已完成"); err != nil {
			t.Fatal(err)
		}
		if got := of(office, now).Counts[todo.FollowupOverdue]; got != steps-1 {
			t.Errorf("follow-up steps after one was done: %d, want %d", got, steps-1)
		}

		// An open 民主评议 round with unanswered invitations: closed, gone.
		rounds := links(of(office, now), todo.AppraisalOpen)
		if len(rounds) == 0 || len(links(of(lead, now), todo.AppraisalOpen)) != 0 {
			t.Fatalf("appraisal rounds: %v", rounds)
		}
		rid, _ := strconv.ParseInt(strings.TrimPrefix(rounds[0], "/appraisals/"), 10, 64)
		if err := s.Stores.Appraisals.Move(ctx, audit.Actor{Name: "test"}, center.ID, rid, "close"); err != nil {
			t.Fatal(err)
		}
		if has(links(of(office, now), todo.AppraisalOpen), rounds[0]) {
			t.Error("a closed appraisal round is still listed")
		}

		// A 五评 round two days before its close lists who still owes
		// parts: the office everyone, the secretary their branch; closed,
		// nothing.
		created := s.Post(s.As("center-admin"), "/five-appraisals", fiveForm(nil))
		if created.Status != 303 {
			t.Fatalf("five round: %d %s", created.Status, sitetest.Snippet(created.Body))
		}
		fid, _ := strconv.ParseInt(strings.TrimPrefix(created.Header.Get("Location"), "/five-appraisals/"), 10, 64)
		round, err := s.Stores.FiveAppraisal.Get(ctx, center.ID, fid)
		if err != nil {
			t.Fatal(err)
		}
		closing := round.ClosesAt.Add(-48 * time.Hour)
		if of(office, now).Counts[todo.FiveClosing] != 0 {
			t.Error("a round two weeks from its close is listed")
		}
		everyone, branch := of(office, closing).Counts[todo.FiveClosing], of(secretary, closing).Counts[todo.FiveClosing]
		if everyone == 0 || branch == 0 || branch > everyone || of(lead, closing).Counts[todo.FiveClosing] != 0 {
			t.Errorf("five closing: office %d, secretary %d", everyone, branch)
		}
		if err := s.Stores.FiveAppraisal.Close(ctx, audit.Actor{Name: "test"}, center.ID, fid, time.UTC); err != nil {
			t.Fatal(err)
		}
		if n := of(office, closing).Counts[todo.FiveClosing]; n != 0 {
			t.Errorf("a closed round still lists %d people", n)
		}

		// Months from now: no review meeting held yet, and every open
		// rectification past its date. The lead sees only their window.
		later := now.AddDate(0, 3, 0)
		missing := of(office, later).Counts[todo.ReviewMissing]
		if missing == 0 {
			t.Errorf("no window misses a review meeting three months on")
		}
		if got := of(lead, later).Counts[todo.ReviewMissing]; got != 1 {
			t.Errorf("the lead sees %d missing meetings, want their window's 1", got)
		}
		if of(office, later).Counts[todo.RectificationOverdue] == 0 {
			t.Errorf("no rectification is overdue three months on")
		}
		// The lead holds and publishes their window's meeting: gone from
		// their list and one fewer on the office's.
		bj := time.FixedZone("CST", 8*3600)
		lb := later.In(bj)
		month := time.Date(lb.Year(), lb.Month()-1, 1, 0, 0, 0, 0, bj).Format("2006-01")
		rv := s.Stores.Reviews.WithClock(func() time.Time { return later })
		member, _ := strconv.ParseInt(staff, 10, 64)
		meeting, err := rv.Open(ctx, audit.Actor{Name: "center-lead"}, lead, center.ID, month, reviews.ScopeWindow, lead.DepartmentID)
		if err != nil {
			t.Fatal(err)
		}
		g := reviews.Grades[0]
		if err := rv.Save(ctx, audit.Actor{Name: "center-lead"}, lead, center.ID, meeting, "本月窗口点评", []reviews.EntryInput{{StaffID: member, Grades: [4]int{g, g, g, g}}}); err != nil {
			t.Fatal(err)
		}
		if err := rv.Publish(ctx, audit.Actor{Name: "center-lead"}, lead, center.ID, meeting); err != nil {
			t.Fatal(err)
		}
		if got := of(lead, later).Counts[todo.ReviewMissing]; got != 0 {
			t.Errorf("the lead's window held its meeting, still %d missing", got)
		}
		if got := of(office, later).Counts[todo.ReviewMissing]; got != missing-1 {
			t.Errorf("the office sees %d missing meetings, want %d", got, missing-1)
		}

		// An objection to an honour in its 公示期: the office's; answered, gone.
		var selection int64
		s.DB.QueryRowContext(ctx, `SELECT id FROM honour_selections WHERE unit_id = $1 ORDER BY id LIMIT 1`, center.ID).Scan(&selection)
		if _, err := s.Stores.Feedback.Send(ctx, center.ID, feedback.Input{Kind: feedback.KindObjection, SelectionID: selection, Body: "对公示人选有异议"}); err != nil {
			t.Fatal(err)
		}
		objections := links(of(office, now), todo.ObjectionUnanswered)
		if len(objections) == 0 || len(links(of(secretary, now), todo.ObjectionUnanswered)) != 0 {
			t.Fatalf("objections: office %v", objections)
		}
		oid, _ := strconv.ParseInt(strings.TrimPrefix(objections[0], "/feedback/"), 10, 64)
		if err := s.Stores.Feedback.Handle(ctx, audit.Actor{Name: "test"}, office, center.ID, oid, feedback.Handling{Reply: "经核实,人选符合条件。"}); err != nil {
			t.Fatal(err)
		}
		if has(links(of(office, now), todo.ObjectionUnanswered), objections[0]) {
			t.Error("an answered objection is still listed")
		}

		// The daily summary: once a day however often the job runs, and
		// a new day's replaces the last, read or not.
		day := time.Date(now.In(bj).Year(), now.In(bj).Month(), now.In(bj).Day(), 9, 0, 0, 0, bj).AddDate(0, 0, 1)
		summaries := func() (int, string) {
			var n int
			var body string
			s.DB.QueryRowContext(ctx, `SELECT count(*), COALESCE(MAX(body), '') FROM notifications WHERE unit_id = $1 AND user_id = $2 AND link = '/todo'`,
				center.ID, office.ID).Scan(&n, &body)
			return n, body
		}
		for i, at := range []time.Time{day, day.Add(time.Hour), day.AddDate(0, 0, 1)} {
			sent, err := s.Stores.Todo.Remind(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			if want := i != 1; (sent > 0) != want {
				t.Errorf("run %d sent %d summaries", i, sent)
			}
			if n, body := summaries(); n != 1 || !strings.Contains(body, "今日待办") {
				t.Errorf("run %d: the office has %d summaries (%q)", i, n, body)
			}
		}
		if sent, _ := s.Stores.Todo.Remind(ctx, day.AddDate(0, 0, 2).Add(-3*time.Hour)); sent != 0 {
			t.Errorf("a summary went out before %d o'clock", todo.SummaryHour)
		}
	})
}

// between is the text of s between the first before and the next after.
func between(s, before, after string) string {
	_, rest, ok := strings.Cut(s, before)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, after)
	return strings.TrimSpace(v)
}
