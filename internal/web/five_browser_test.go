package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"wuliang/internal/accounts"
	"wuliang/internal/demo"
	"wuliang/internal/org"
	"wuliang/internal/orgtest"
	"wuliang/internal/sitetest"
)

// One full 五评 round in a real browser on a phone-sized screen, in a small
// unit of four members (one the branch secretary) and a leader: the office
// opens it; each member writes a self-appraisal and grades the others; the
// secretary and the leader comment; the office closes it, the committee's
// confirmation is recorded and the results go to the hall.
func TestBrowserFiveAppraisalRound(t *testing.T) {
	ctx := sitetest.Browser(t)
	s := sitetest.SQLite(t)
	base := s.Srv.URL
	u := orgtest.New(t, s.DB, "walk")
	o, acc := org.NewStore(s.DB), accounts.NewStore(s.DB)
	members := []int64{u.Staff[0]}
	for i, name := range []string{"赵一", "钱二", "孙三"} {
		id, err := o.CreateStaff(ctx, orgtest.Actor, u.ID, org.StaffInput{Name: name, EmployeeNo: fmt.Sprintf("W%02d", i), DepartmentID: u.Window,
			BranchID: u.Branch, PoliticalStatus: org.StatusMember})
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, id)
	}
	if err := o.UpdateBranch(ctx, orgtest.Actor, u.ID, u.Branch, org.BranchInput{Name: "中心党支部", SecretaryID: u.Staff[0]}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.AddLeader(ctx, orgtest.Actor, u.ID, u.Staff[2], "leader", "全面负责"); err != nil {
		t.Fatal(err)
	}
	users := []accounts.NewUser{
		{Username: "walk-office", Role: accounts.RoleUnitAdmin},
		{Username: "walk-secretary", Role: accounts.RoleBranchSecretary, StaffID: members[0], BranchID: u.Branch},
		{Username: "walk-1", Role: accounts.RoleStaff, StaffID: members[1]},
		{Username: "walk-2", Role: accounts.RoleStaff, StaffID: members[2]},
		{Username: "walk-3", Role: accounts.RoleStaff, StaffID: members[3]},
		{Username: "walk-leader", Role: accounts.RoleStaff, StaffID: u.Staff[2]},
	}
	for _, nu := range users {
		nu.UnitID, nu.Password = u.ID, demo.Password
		if _, err := acc.CreateUser(ctx, orgtest.Actor, nu); err != nil {
			t.Fatal(err)
		}
	}
	w := newWalk(t, ctx, base)
	do, text, as := w.do, w.text, w.as

	do("phone", chromedp.EmulateViewport(390, 844))
	as("walk-office", "/five-appraisals/new")
	do("open the round", chromedp.SetValue(`input[name=title]`, "2026年度民主评议党员"), chromedp.Click(chromedp.CSS(`form button[type=submit].primary`)),
		chromedp.WaitVisible(`section.card h1`))
	round, _ := chromedp.Run(ctx, chromedp.Location())
	round = strings.TrimPrefix(round, base)
	if !strings.HasPrefix(round, "/five-appraisals/") || !strings.Contains(text(`main`), "进行中") {
		t.Fatalf("after opening: %s %q", round, text(`main`))
	}
	for i, who := range []string{"walk-secretary", "walk-1", "walk-2", "walk-3"} {
		as(who, round)
		// 赵一 and 钱二 grade themselves 优秀, the secretary and 孙三 合格.
		self := 3
		if i == 1 || i == 2 {
			self = 4
		}
		do(who+" self", chromedp.Click(chromedp.CSS(`#self input[name=grade][value="`+fmt.Sprint(self)+`"]`)),
			chromedp.SendKeys(chromedp.CSS(`#self textarea[name=body]`), "对照五带头:带头服务群众,不足是学习不够。<b>改进</b>"),
			chromedp.Click(chromedp.CSS(`#self button[type=submit]`)), chromedp.WaitNotPresent(`#self`))
		// Everyone grades everyone 优秀.
		grade := "4"
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.querySelectorAll('#peer select').forEach(function (s) { s.value = '`+grade+`'; })`)); err != nil {
			t.Fatal(err)
		}
		do(who+" peers", chromedp.Click(chromedp.CSS(`#peer button[type=submit]`)), chromedp.WaitNotPresent(`#peer`))
	}
	// Still the secretary's part: a comment for each member but himself.
	as("walk-secretary", round)
	for range 3 {
		do("branch comment", chromedp.Navigate(base+round), chromedp.WaitVisible(chromedp.CSS(`#branch select`)), chromedp.SetValue(chromedp.CSS(`#branch select[name=grade]`), "4"),
			chromedp.SendKeys(chromedp.CSS(`#branch textarea[name=body]`), "工作认真,群众满意"),
			chromedp.Click(chromedp.CSS(`#branch button[type=submit]`)), chromedp.WaitVisible(`p.flash`))
	}
	if strings.Contains(text(`main`), "支部讲评") && !strings.Contains(text(`main`), "没有待完成") {
		t.Fatalf("branch comments left: %q", text(`main`))
	}
	as("walk-leader", round)
	for range 4 {
		do("leader comment", chromedp.Navigate(base+round), chromedp.WaitVisible(chromedp.CSS(`#leader select`)), chromedp.SetValue(chromedp.CSS(`#leader select[name=grade]`), "3"),
			chromedp.SendKeys(chromedp.CSS(`#leader textarea[name=body]`), "希望再接再厉"),
			chromedp.Click(chromedp.CSS(`#leader button[type=submit]`)), chromedp.WaitVisible(`p.flash`))
	}
	if !strings.Contains(text(`main`), "本轮你没有待完成的评议") {
		t.Fatalf("leader comments left: %q", text(`main`))
	}
	as("walk-office", round)
	progress := text(`main`)
	if !strings.Contains(progress, "3/3") || strings.Contains(progress, "未交") {
		t.Fatalf("progress: %q", progress)
	}
	// Closing asks "are you sure?": say yes.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.confirm = function () { return true; }`)); err != nil {
		t.Fatal(err)
	}
	do("close", chromedp.Click(chromedp.CSS(`form.close-form button`)), chromedp.WaitVisible(`button.confirm-grades`))
	// Each step waits for what only the next page has: the old page has the
	// same buttons, and a click on it would land on a node being replaced.
	do("confirm", chromedp.WaitVisible(`span.unconfirmed`), chromedp.Click(chromedp.CSS(`button.confirm-grades`)), chromedp.WaitNotPresent(`span.unconfirmed`),
		chromedp.WaitVisible(`button.publish-results`))
	do("publish", chromedp.Click(chromedp.CSS(`button.publish-results`)), chromedp.WaitNotPresent(`button.publish-results`))
	if !strings.Contains(text(`main`), "已公示") {
		t.Fatalf("after publishing: %q", text(`main`))
	}
	do("hall", chromedp.Navigate(base+"/p/walk"+round), chromedp.WaitVisible(`table.list`))
	hall := text(`main`)
	// Four members allow one 优秀 (a third, rounded down). 赵一 and 钱二 tie
	// at the top, so neither is proposed 优秀: the committee would decide.
	// No ratings, so no public part: its 20 % goes to peer, branch and
	// leader, never to the self-grade: 10 + 90 × (30 + 20 + 16) ÷ 70 = 94.86.
	for _, want := range []string{"五评结果公示", "张三", "赵一", "钱二", "孙三", "94.86", "合格"} {
		if !strings.Contains(hall, want) {
			t.Fatalf("hall page lacks %q: %q", want, hall)
		}
	}
	if strings.Contains(hall, "优秀") || strings.Contains(hall, "改进") || strings.Contains(hall, "工作认真") {
		t.Fatalf("hall page shows a grade over the cap or a signed text: %q", hall)
	}
}
