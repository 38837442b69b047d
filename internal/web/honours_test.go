package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/followup"
	"wuliang/internal/honours"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/sitetest"
	"wuliang/internal/stores"
)

var officeActor = audit.Actor{UserID: 1, Name: "center-admin"}

// confirmAt runs a selection of a kind for a published period from open
// to confirmation with the store's clock at start, giving the honour to
// the nominee pick chooses.
func confirmAt(t *testing.T, set *stores.Set, unitID, kindID int64, code string, start time.Time, pick func([]honours.Nominee) honours.Nominee) honours.Award {
	t.Helper()
	at := start
	s := set.Honours.WithClock(func() time.Time { return at })
	sel, err := s.Open(ctx, officeActor, unitID, kindID, code, honours.Plan{Vote: honours.VoteNone, PublicityDays: 3})
	if err != nil {
		t.Fatal(err)
	}
	nominees, err := s.Nominees(ctx, unitID, sel.ID)
	if err != nil || len(nominees) == 0 {
		t.Fatalf("%d nominees, %v", len(nominees), err)
	}
	if err := s.Propose(ctx, officeActor, unitID, sel.ID, []int64{pick(nominees).ID}, "", calendar.National(), time.UTC); err != nil {
		t.Fatal(err)
	}
	at = start.AddDate(0, 0, 20)
	if err := s.Confirm(ctx, officeActor, unitID, sel.ID, set.Feedback, time.UTC); err != nil {
		t.Fatal(err)
	}
	awards, _ := s.Awards(ctx, unitID, honours.AwardFilter{SelectionID: sel.ID})
	return awards[0]
}

// The red flag moves, both engines: the last quarter's flag goes to one
// window and this quarter's to another; the new holder shows it on the
// portal's front page and its window page, the old one keeps it in its
// history as passed on, and the API's current honours name the new one.
func TestRedFlagMoves(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		set, unit, q := sitetest.Centre(t, s.DB)
		kindID, err := set.Honours.SaveKind(ctx, officeActor, unit.ID, honours.Kind{Name: "示范流动红旗", Subject: honours.SubjectWindow, Places: 1,
			Shortlist: 3, PeriodKind: "quarter", Moves: true, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		old := confirmAt(t, set, unit.ID, kindID, q.Code, q.To.AddDate(0, 0, 1), func(n []honours.Nominee) honours.Nominee { return n[0] })
		// This quarter, scored and published as it stands.
		this := period.QuarterOf(sitetest.Demo, org.Location(unit.Timezone))
		sc, err := set.Scoring.Score(ctx, unit.ID, this)
		if err != nil {
			t.Fatal(err)
		}
		f, err := set.Schemes.Freeze(ctx, officeActor, unit.ID, sc, "")
		if err == nil {
			err = set.Schemes.Publish(ctx, officeActor, unit.ID, this.Code, f.Version)
		}
		if err != nil {
			t.Fatal(err)
		}
		next := confirmAt(t, set, unit.ID, kindID, this.Code, this.To.AddDate(0, 0, 1), func(n []honours.Nominee) honours.Nominee {
			for _, c := range n {
				if c.SubjectID != old.SubjectID {
					return c
				}
			}
			t.Fatalf("only %s on this quarter's shortlist", old.Name)
			return n[0]
		})
		s.Run(t, []sitetest.Scenario{
			{Name: "the front page shows the new holder", Path: "/p/demo-center", Status: 200, Contains: []string{"示范流动红旗", "<strong>" + next.Name + "</strong>"}},
			{Name: "the new holder's window page", Path: "/p/demo-center/windows/" + itoa(next.SubjectID), Status: 200, Contains: []string{"示范流动红旗</strong> · " + this.Code, "现持有"}},
			{Name: "the old holder's history", Path: "/p/demo-center/windows/" + itoa(old.SubjectID), Status: 200, Contains: []string{"示范流动红旗</strong> · " + q.Code, "流动红旗已移交"}},
			{Name: "the honours page by period", Path: "/p/demo-center/honours", Status: 200, Contains: []string{this.Code, q.Code, old.Name, next.Name}},
			{Name: "the API's current honours", As: "key:demo-center", Path: "/api/v1/honours/current", Status: 200, Contains: []string{`"name":"` + next.Name + `"`}, NotContains: []string{`"name":"` + old.Name + `","period":"` + q.Code + `","certificate_no":"` + old.CertificateNo}},
			{Name: "the API by period", As: "key:demo-center", Path: "/api/v1/honours?period=" + q.Code, Status: 200, Contains: []string{old.Name, `"passed":true`}},
			{Name: "another unit's API sees none of it", As: "key:demo-hospital", Path: "/api/v1/honours", Status: 200, NotContains: []string{"示范流动红旗"}},
		})
	})
}

// Who sees the follow-up, both engines: the office everything; a person
// their own plan, on their own page too; a window lead their window's
// plan; nobody else anything, not even that it exists; and no public page
// or API answer carries a word of it.
func TestFollowupPrivacy(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		set, unit, _ := sitetest.Centre(t, s.DB)
		var staff, leadDept int64
		s.DB.QueryRowContext(ctx, `SELECT staff_id FROM users WHERE username = 'center-staff'`).Scan(&staff)
		s.DB.QueryRowContext(ctx, `SELECT department_id FROM users WHERE username = 'center-lead'`).Scan(&leadDept)
		other := lookup(t, s.DB, `SELECT id FROM departments WHERE unit_id = $1 AND id <> $2 AND kind = 'window' ORDER BY id LIMIT 1`, unit.ID, leadDept)
		talk, err := set.Followup.AddTalk(ctx, officeActor, unit.ID, followup.TalkInput{Subject: followup.SubjectPerson, SubjectID: staff, HeldOn: "2026-10-09",
			HeldBy: "中心主任", Agreed: "约谈机密内容甲"})
		if err != nil {
			t.Fatal(err)
		}
		mine, err := set.Followup.OpenPlan(ctx, officeActor, unit.ID, followup.PlanInput{Subject: followup.SubjectPerson, SubjectID: staff, TalkID: talk,
			Goal: "整改目标机密乙", Steps: []followup.StepInput{{What: "跟班学习", DueOn: "2026-10-20"}}})
		if err != nil {
			t.Fatal(err)
		}
		win, _ := set.Followup.OpenPlan(ctx, officeActor, unit.ID, followup.PlanInput{Subject: followup.SubjectWindow, SubjectID: leadDept,
			Goal: "窗口整改目标丙", Steps: []followup.StepInput{{What: "补台签", DueOn: "2026-10-20"}}})
		otherWin, _ := set.Followup.OpenPlan(ctx, officeActor, unit.ID, followup.PlanInput{Subject: followup.SubjectWindow, SubjectID: mustID(other),
			Goal: "别的窗口丁", Steps: []followup.StepInput{{What: "补台签", DueOn: "2026-10-20"}}})
		plan, winPlan, otherPlan := "/followup/plans/"+itoa(mine), "/followup/plans/"+itoa(win), "/followup/plans/"+itoa(otherWin)
		secret := []string{"约谈机密内容甲", "整改目标机密乙", "窗口整改目标丙"}
		person := itoa(staff)
		steps, _ := set.Followup.Plan(ctx, unit.ID, mine)
		done := "/followup/steps/" + itoa(steps.Steps[0].ID) + "/done"
		s.Run(t, []sitetest.Scenario{
			{Name: "the office's list", As: "center-admin", Path: "/followup", Status: 200, Contains: []string{"后进名单", "薄弱支部", "逾期未完成事项"}},
			{Name: "the office opens the plan", As: "center-admin", Path: plan, Status: 200, Contains: []string{"整改目标机密乙", "约谈机密内容甲"}},
			{Name: "the person sees their own plan", As: "center-staff", Path: plan, Status: 200, Contains: []string{"整改目标机密乙", "跟班学习"}},
			{Name: "and on their own page", As: "center-staff", Path: "/staff/" + person, Status: 200, Contains: []string{"我的整改提升计划", "整改目标机密乙"}},
			{Name: "the person may not see the list", As: "center-staff", Path: "/followup", Status: 403},
			{Name: "nor their window's plan", As: "center-staff", Path: winPlan, Status: 404},
			{Name: "their window lead may not see the person's", As: "center-lead", Path: plan, Status: 404},
			{Name: "nor on the person's page", As: "center-lead", Path: "/staff/" + person, Status: 200, NotContains: secret},
			{Name: "the lead sees their window's plan", As: "center-lead", Path: winPlan, Status: 200, Contains: []string{"窗口整改目标丙"}},
			{Name: "not another window's", As: "center-lead", Path: otherPlan, Status: 404},
			{Name: "a secretary may not see it", As: "center-secretary", Path: plan, Status: 404},
			{Name: "nor the list", As: "center-secretary", Path: "/followup", Status: 403},
			{Name: "another unit's office", As: "hospital-admin", Path: plan, Status: 404},
			{Name: "a visitor is sent to log in", Path: plan, Status: 303},
			{Name: "a visitor, the list", Path: "/followup", Status: 303},
			{Name: "a supervisor", As: "center-supervisor", Path: plan, Status: 403},
			{Name: "another person cannot mark a step done", As: "center-lead", Method: "POST", Path: done, Form: url.Values{"done_on": {"2026-10-19"}, "note": {"完成"}}, Status: 404},
			{Name: "the person marks their step done", As: "center-staff", Method: "POST", Path: done, Form: url.Values{"done_on": {"2026-10-19"}, "note": {"已跟班五天"}}, Status: 303},
			{Name: "with a bad date", As: "center-admin", Method: "POST", Path: "/followup/steps/" + itoa(steps.Steps[0].ID) + "/done", Form: url.Values{"done_on": {"昨天"}, "note": {"x"}}, Status: 400, Contains: []string{"日期请写成"}},
			{Name: "the portal front page", Path: "/p/demo-center", Status: 200, NotContains: secret},
			{Name: "the person's public page", Path: "/p/demo-center/staff/" + person, Status: 200, NotContains: secret},
			{Name: "the window's public page", Path: "/p/demo-center/windows/" + itoa(leadDept), Status: 200, NotContains: secret},
			{Name: "the honours page", Path: "/p/demo-center/honours", Status: 200, NotContains: secret},
			{Name: "the API's person", As: "key:demo-center", Path: "/api/v1/staff/" + person, Status: 200, NotContains: secret},
		})
	})
}

func mustID(s string) int64 {
	var n int64
	for _, r := range s {
		n = n*10 + int64(r-'0')
	}
	return n
}

// Bad input on the honours forms, both engines: each refused with its
// message and the typed text kept, nothing saved.
func TestHonourForms(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		set, unit, q := sitetest.Centre(t, s.DB)
		kindID, _ := set.Honours.SaveKind(ctx, officeActor, unit.ID, honours.Kind{Name: "季度优秀党员", Subject: honours.SubjectMember, Places: 1,
			Shortlist: 3, PeriodKind: "quarter", Active: true})
		sel, err := set.Honours.Open(ctx, officeActor, unit.ID, kindID, q.Code, honours.Plan{Vote: honours.VotePublic, MinVoters: 3, PublicityDays: 5})
		if err != nil {
			t.Fatal(err)
		}
		path := "/honours/selections/" + itoa(sel.ID)
		var league, member string
		people, _, _ := set.Org.StaffList(ctx, unit.ID, org.StaffFilter{})
		for _, p := range people {
			if p.Active && p.PoliticalStatus == org.StatusLeague {
				league = itoa(p.ID)
			}
			if p.Active && p.PoliticalStatus == org.StatusMember {
				member = itoa(p.ID)
			}
		}
		stranger := lookup(t, s.DB, `SELECT s.id FROM staff s JOIN units u ON u.id = s.unit_id WHERE u.code = 'demo-hospital' AND s.political_status = 'member' LIMIT 1`)
		nominate := func(subject, reason string) url.Values { return url.Values{"subject": {subject}, "reason": {reason}} }
		s.Run(t, []sitetest.Scenario{
			{Name: "the selection page", As: "center-staff", Path: path, Status: 200, Contains: []string{"季度优秀党员", "候选人", "规则候选名单"}, NotContains: []string{"提出拟定名单"}},
			{Name: "an empty reason", As: "center-admin", Method: "POST", Path: path + "/nominate", Form: nominate(member, " "), Status: 400, Contains: []string{"请填写推荐理由"}},
			{Name: "a huge reason", As: "center-admin", Method: "POST", Path: path + "/nominate", Form: nominate(member, string(bytes.Repeat([]byte("长"), 600))), Status: 400, Contains: []string{"推荐理由", "500"}},
			{Name: "a league member for a member's honour", As: "center-admin", Method: "POST", Path: path + "/nominate", Form: nominate(league, "团员表现好"), Status: 400, Contains: []string{"不是正式党员", "团员表现好"}},
			{Name: "another unit's member", As: "center-admin", Method: "POST", Path: path + "/nominate", Form: nominate(stranger, "外单位"), Status: 400, Contains: []string{"本单位没有这个在岗人员"}},
			{Name: "malformed id", As: "center-admin", Method: "POST", Path: path + "/nominate", Form: nominate("１２<script>", "理由"), Status: 400, Contains: []string{"本单位没有这个在岗人员"}},
			{Name: "a staff member may not nominate for this kind", As: "center-staff", Method: "POST", Path: path + "/nominate", Form: nominate(member, "好"), Status: 403},
			{Name: "a reason with script and emoji is kept as text", As: "center-admin", Method: "POST", Path: path + "/nominate", Form: nominate(member, "服务之星🌟 <script>alert(1)</script>"), Status: 303},
			{Name: "shown escaped", As: "center-admin", Path: path, Status: 200, Contains: []string{"服务之星🌟 &lt;script&gt;"}, NotContains: []string{"<script>alert(1)"}},
			{Name: "another unit's selection", As: "hospital-admin", Path: path, Status: 404},
			{Name: "a proposal before the vote", As: "center-admin", Method: "POST", Path: path + "/propose", Form: url.Values{"chosen": {"1"}}, Status: 400, Contains: []string{"要先投票"}},
			{Name: "a vote closing in the past", As: "center-admin", Method: "POST", Path: path + "/vote-start", Form: url.Values{"until": {"2020-01-01T10:00"}}, Status: 400, Contains: []string{"投票截止时间"}},
			{Name: "voting before the vote opens", Method: "POST", Path: "/p/demo-center/honours/" + itoa(sel.ID) + "/vote", Form: url.Values{"phone": {"13800000001"}, "choice": {"1"}}, Status: 409, Contains: []string{"投票已截止或尚未开始"}},
			{Name: "an objection to a selection not in its 公示期", Method: "POST", Path: "/p/demo-center/publicity", Form: url.Values{"selection": {itoa(sel.ID)}, "phone": {"13800000001"}, "body": {"有意见"}}, Status: 409, Contains: []string{"不在公示期内"}},
			{Name: "a kind with no name", As: "center-admin", Method: "POST", Path: "/honours/kinds", Form: url.Values{"name": {""}, "subject": {"person"}, "places": {"1"}, "shortlist": {"0"}, "period_kind": {"quarter"}}, Status: 400, Contains: []string{"请填写荣誉名称", "候选人数不少于名额"}},
			{Name: "opening for an unpublished period", As: "center-admin", Method: "POST", Path: "/honours/selections", Form: url.Values{"kind": {itoa(kindID)}, "period": {"2019-Q1"}, "vote": {"none"}, "publicity_days": {"5"}}, Status: 409, Contains: []string{"还没有公布"}},
			{Name: "a publicity of zero days", As: "center-admin", Method: "POST", Path: "/honours/selections", Form: url.Values{"kind": {itoa(kindID)}, "period": {q.Code}, "vote": {"none"}, "publicity_days": {"0"}}, Status: 400, Contains: []string{"公示期应为"}},
		})
		// Opening the public vote, then voting after its close.
		until := time.Now().Add(time.Hour).In(org.Location(unit.Timezone)).Format("2006-01-02T15:04")
		if res := s.Post(s.As("center-admin"), path+"/vote-start", url.Values{"until": {until}}); res.Status != 303 {
			t.Fatalf("start vote: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		nominees, _ := set.Honours.Nominees(ctx, unit.ID, sel.ID)
		vote := "/p/demo-center/honours/" + itoa(sel.ID) + "/vote"
		ballot := url.Values{"phone": {"13800000009"}, "choice": {itoa(nominees[0].ID)}}
		phone := sitetest.NewClient()
		s.Get(phone, vote)
		var wg sync.WaitGroup
		codes := make(chan int, 6)
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes <- s.Post(phone, vote, ballot).Status
			}()
		}
		wg.Wait()
		close(codes)
		created := 0
		for c := range codes {
			if c == http.StatusCreated {
				created++
			} else if c != http.StatusConflict {
				t.Errorf("a double public vote answered %d", c)
			}
		}
		s.Run(t, []sitetest.Scenario{
			{Name: "a bad phone", Method: "POST", Path: vote, Form: url.Values{"phone": {"12345"}, "choice": {itoa(nominees[0].ID)}}, Status: 400, Contains: []string{"手机号码"}},
			{Name: "the count hides below the minimum", Path: vote, Status: 200, Contains: []string{"已有 1 人投票，不足 3 人"}},
		})
		if created != 1 {
			t.Errorf("six ballots from one phone at once: %d counted", created)
		}
		// The hour passes.
		if err := s.DB.Tx(ctx, func(tx *database.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE honour_selections SET vote_until = $1 WHERE id = $2`, time.Now().Add(-time.Minute).UTC(), sel.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		s.Run(t, []sitetest.Scenario{
			{Name: "voting after the close", Method: "POST", Path: vote, Form: url.Values{"phone": {"13800000010"}, "choice": {itoa(nominees[0].ID)}}, Status: 409, Contains: []string{"投票已截止"}},
		})
	})
}

// A story's photos: a 50 MB file is refused with the limit named and the
// story as typed kept; a file that is no image too; a good one is stored.
func TestExemplarPhotos(t *testing.T) {
	s := sitetest.SQLite(t)
	c := s.As("center-admin")
	person := s.StaffID("demo-center", "ZX0005")
	fields := url.Values{"staff": {person}, "title": {"窗口里的热心人"}, "story": {"她总是第一个到岗。"}}
	huge := append(pngOf(40, 40), bytes.Repeat([]byte{0}, 50<<20)...)
	res := uploadWith(t, s, c, "/exemplars", fields, "photos", "big.png", huge)
	if res.Status != 400 || !contains(res.Body, "照片不能超过", "窗口里的热心人", "她总是第一个到岗。") {
		t.Errorf("a 50 MB photo: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	res = uploadWith(t, s, c, "/exemplars", fields, "photos", "x.png", []byte("<html>not an image</html>"))
	if res.Status != 400 || !contains(res.Body, "窗口里的热心人") {
		t.Errorf("not an image: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	fields.Set("title", "")
	if res := uploadWith(t, s, c, "/exemplars", fields, "photos", "", nil); res.Status != 400 || !contains(res.Body, "请填写标题") {
		t.Errorf("no title: %d", res.Status)
	}
	fields.Set("title", "窗口里的热心人")
	if res := uploadWith(t, s, c, "/exemplars", fields, "photos", "ok.png", pngOf(300, 200)); res.Status != 303 {
		t.Errorf("a good photo: %d %s", res.Status, sitetest.Snippet(res.Body))
	}
	if res := s.Get(sitetest.NewClient(), "/p/demo-center/exemplars"); contains(res.Body, "窗口里的热心人") {
		t.Error("an unreviewed story is on the portal")
	}
}

func contains(body string, want ...string) bool {
	for _, w := range want {
		if !bytes.Contains([]byte(body), []byte(w)) {
			return false
		}
	}
	return true
}

// Bad input on the follow-up forms and the objection form, both engines:
// each refused with its message and what was typed kept.
func TestFollowupForms(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		set, unit, _ := sitetest.Centre(t, s.DB)
		var staff int64
		s.DB.QueryRowContext(ctx, `SELECT staff_id FROM users WHERE username = 'center-staff'`).Scan(&staff)
		branch := lookup(t, s.DB, `SELECT id FROM branches WHERE unit_id = $1 ORDER BY id LIMIT 1`, unit.ID)
		hospitalBranch := lookup(t, s.DB, `SELECT b.id FROM branches b JOIN units u ON u.id = b.unit_id WHERE u.code = 'demo-hospital' LIMIT 1`)
		person := url.Values{"subject": {"person"}, "subject_id": {itoa(staff)}}
		with := func(base url.Values, kv ...string) url.Values {
			f := url.Values{}
			for k, v := range base {
				f[k] = v
			}
			for i := 0; i+1 < len(kv); i += 2 {
				f.Add(kv[i], kv[i+1])
			}
			return f
		}
		sels, _ := set.Honours.Selections(ctx, unit.ID, honours.StagePublicity)
		var pub string
		for _, x := range sels {
			if x.Kind.Code == "satisfied_window" {
				pub = itoa(x.ID)
			}
		}
		long := string(bytes.Repeat([]byte("议"), 2100))
		s.Run(t, []sitetest.Scenario{
			{Name: "a talk with nothing agreed", As: "center-admin", Method: "POST", Path: "/followup/talks", Form: with(person, "held_on", "2026-10-09", "held_by", "主任 <b>李</b>"), Status: 400, Contains: []string{"请填写约谈内容和商定事项", "主任 &lt;b&gt;李&lt;/b&gt;"}},
			{Name: "a talk with another unit's person", As: "center-admin", Method: "POST", Path: "/followup/talks", Form: url.Values{"subject": {"person"}, "subject_id": {"999999"}, "held_on": {"2026-10-09"}, "held_by": {"主任"}, "agreed": {"整改"}}, Status: 400, Contains: []string{"本单位没有这个在岗人员"}},
			{Name: "a plan without steps", As: "center-admin", Method: "POST", Path: "/followup/plans", Form: with(person, "goal", "提升😀", "step_what", "", "step_who", "", "step_due", ""), Status: 400, Contains: []string{"请至少写一个带完成日期的步骤", "提升😀"}},
			{Name: "a plan step with a bad date", As: "center-admin", Method: "POST", Path: "/followup/plans", Form: with(person, "goal", "提升", "step_what", "跟班", "step_who", "", "step_due", "下周"), Status: 400, Contains: []string{"日期请写成"}},
			{Name: "a guidance visit to no branch", As: "center-admin", Method: "POST", Path: "/followup/visits", Form: url.Values{"kind": {"guidance"}, "visited_on": {"2026-10-09"}, "visitors": {"办公室"}, "found": {"问题"}}, Status: 400, Contains: []string{"写明去的是哪个支部", "问题"}},
			{Name: "a visit too long", As: "center-admin", Method: "POST", Path: "/followup/visits", Form: url.Values{"kind": {"inspection"}, "visited_on": {"2026-10-09"}, "visitors": {"办公室"}, "found": {long}}, Status: 400, Contains: []string{"2000"}},
			{Name: "a visit to another unit's branch", As: "center-admin", Method: "POST", Path: "/followup/visits", Form: url.Values{"kind": {"guidance"}, "branch": {hospitalBranch}, "visited_on": {"2026-10-09"}, "visitors": {"办公室"}, "found": {"问题"}}, Status: 400, Contains: []string{"本单位没有这个在册的支部"}},
			{Name: "a branch plan for another unit's branch", As: "center-admin", Method: "POST", Path: "/followup/branch-plans", Form: url.Values{"branch": {hospitalBranch}, "year": {"2026"}, "standards": {"标准"}, "carriers": {"载体"}, "step_what": {"措施"}, "step_due": {"2026-12-01"}}, Status: 400, Contains: []string{"本单位没有这个在册的支部"}},
			{Name: "a branch plan of a year already approved", As: "center-admin", Method: "POST", Path: "/followup/branch-plans", Form: url.Values{"branch": {branch}, "year": {itoa(int64(sitetest.Demo.Year()))}, "standards": {"标准"}, "carriers": {"载体"}}, Status: 409},
			{Name: "a staff member may not write branch plans", As: "center-staff", Method: "POST", Path: "/followup/branch-plans", Form: url.Values{"branch": {branch}, "year": {"2030"}, "standards": {"标准"}, "carriers": {"载体"}}, Status: 403},
			{Name: "a window lead neither", As: "center-lead", Path: "/followup/branch-plans", Status: 403},
			{Name: "nor is it in a window lead's menu", As: "center-lead", Path: "/windows", Status: 200, NotContains: []string{`href="/followup/branch-plans"`, `href="/followup"`}},
			{Name: "it is in a secretary's", As: "center-secretary", Path: "/windows", Status: 200, Contains: []string{`href="/followup/branch-plans"`}, NotContains: []string{`href="/followup"`}},
			{Name: "the secretary's own branch plans", As: "center-secretary", Path: "/followup/branch-plans", Status: 200, Contains: []string{"中心党支部"}},
			{Name: "an empty objection", Method: "POST", Path: "/p/demo-center/publicity", Form: url.Values{"selection": {pub}, "phone": {"13800000001"}, "body": {""}}, Status: 400, Contains: []string{"请填写"}},
			{Name: "an objection with a bad phone keeps the text", Method: "POST", Path: "/p/demo-center/publicity", Form: url.Values{"selection": {pub}, "phone": {"abc"}, "body": {"我有意见 <i>x</i>"}}, Status: 400, Contains: []string{"我有意见 &lt;i&gt;x&lt;/i&gt;"}},
			{Name: "an objection from full-width digits", Method: "POST", Path: "/p/demo-center/publicity", Form: url.Values{"selection": {pub}, "phone": {"１３８０００００００２"}, "body": {"等候过久"}}, Status: 201, Contains: []string{"跟踪码"}},
			{Name: "an objection to another unit's selection", Method: "POST", Path: "/p/demo-hospital/publicity", Form: url.Values{"selection": {pub}, "phone": {"13800000001"}, "body": {"x"}}, Status: 409},
		})
	})
}
