package fiveappraisal_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

// fixture is a unit whose branch has six members (张三 and 成员1–5), one
// member of a second branch, a leader and a secretary, and a round that
// opened a day ago and closes in a week.
type fixture struct {
	u        orgtest.Unit
	s        *fiveappraisal.Store
	now      time.Time
	round    int64
	members  []int64 // staff ids in the first branch
	outsider int64   // a member of the second branch
	leader   int64   // staff id of the leader (also a member)
	targets  map[int64]int64
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	f := &fixture{u: orgtest.New(t, db, "unit-a"), now: time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC), targets: map[int64]int64{}}
	f.s = fiveappraisal.NewStore(db).WithClock(func() time.Time { return f.now })
	o := org.NewStore(db)
	f.members = []int64{f.u.Staff[0]}
	for i := 1; i <= 5; i++ {
		id, err := o.CreateStaff(ctx, orgtest.Actor, f.u.ID, org.StaffInput{Name: fmt.Sprintf("成员%d", i), EmployeeNo: fmt.Sprintf("M%02d", i),
			DepartmentID: f.u.Window, BranchID: f.u.Branch, PoliticalStatus: org.StatusMember})
		if err != nil {
			t.Fatal(err)
		}
		f.members = append(f.members, id)
	}
	b2, err := o.CreateBranch(ctx, orgtest.Actor, f.u.ID, org.BranchInput{Name: "第二支部"})
	if err != nil {
		t.Fatal(err)
	}
	if f.outsider, err = o.CreateStaff(ctx, orgtest.Actor, f.u.ID, org.StaffInput{Name: "外支部", EmployeeNo: "X01", DepartmentID: f.u.Office,
		BranchID: b2, PoliticalStatus: org.StatusProbationary}); err != nil {
		t.Fatal(err)
	}
	f.leader = f.members[5]
	d := fiveappraisal.NewDraft(f.now, time.UTC)
	d.OpensAt, d.ClosesAt = "2026-11-19T10:00", "2026-11-27T10:00"
	d.LeaderIDs = []int64{f.leader}
	if f.round, err = f.s.Create(ctx, orgtest.Actor, f.u.ID, d, time.UTC); err != nil {
		t.Fatal(err)
	}
	targets, err := f.s.Targets(ctx, f.u.ID, f.round)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range targets {
		f.targets[x.StaffID] = x.ID
	}
	return f
}

func member(unitID, staffID int64) accounts.User {
	return accounts.User{ID: staffID + 1000, UnitID: unitID, Role: accounts.RoleStaff, StaffID: staffID}
}

func (f *fixture) vote(voter int64, grades map[int64]int) error {
	byTarget := map[int64]int{}
	for staff, g := range grades {
		byTarget[f.targets[staff]] = g
	}
	return f.s.Vote(ctx, orgtest.Actor, member(f.u.ID, voter), f.u.ID, f.round, byTarget)
}

func TestDraftRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		s := fiveappraisal.NewStore(db)
		good := func() fiveappraisal.Draft {
			d := fiveappraisal.NewDraft(time.Now(), time.UTC)
			return d
		}
		cases := []struct {
			name string
			edit func(d *fiveappraisal.Draft)
			want string
		}{
			{"empty title", func(d *fiveappraisal.Draft) { d.Title = "  " }, "error.required"},
			{"weights add to 90", func(d *fiveappraisal.Draft) { d.Weights[0] = 0 }, "five.weights_sum"},
			{"weights add to 110", func(d *fiveappraisal.Draft) { d.Weights[4] = 30 }, "five.weights_sum"},
			{"negative weight", func(d *fiveappraisal.Draft) { d.Weights = [5]int{-10, 40, 30, 20, 20} }, "five.weight_range"},
			{"points upside down", func(d *fiveappraisal.Draft) { d.Points[fiveappraisal.Failing] = 100 }, "five.points_order"},
			{"threshold above 100", func(d *fiveappraisal.Draft) { d.Thresholds[fiveappraisal.Excellent] = 101 }, "five.thresholds_invalid"},
			{"share not offered", func(d *fiveappraisal.Draft) { d.Share = "1/2" }, "five.share_invalid"},
			{"closes before it opens", func(d *fiveappraisal.Draft) { d.ClosesAt = "2020-01-01T00:00" }, "five.times_invalid"},
			{"period backwards", func(d *fiveappraisal.Draft) { d.PeriodFrom, d.PeriodTo = "2026-12-31", "2026-01-01" }, "five.period_invalid"},
			{"huge standards", func(d *fiveappraisal.Draft) { d.Standards = strings.Repeat("标", 100000) }, "error.too_long"},
			{"another unit's leader", func(d *fiveappraisal.Draft) { d.LeaderIDs = []int64{999999} }, "five.leader_unknown"},
		}
		for _, c := range cases {
			d := good()
			c.edit(&d)
			if _, err := s.Create(ctx, orgtest.Actor, u.ID, d, time.UTC); !locale.HasKey(err, c.want) {
				t.Errorf("%s: got %v, want %s", c.name, err, c.want)
			}
		}
		if list, _ := s.List(ctx, u.ID, false); len(list) != 0 {
			t.Fatalf("a refused draft was saved: %d rounds", len(list))
		}
		d := good()
		d.Title = "２０２６年度<script>alert(1)</script>评议 🎉"
		id, err := s.Create(ctx, orgtest.Actor, u.ID, d, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Get(ctx, u.ID, id)
		if err != nil || r.Title != d.Title || r.Share != "1/3" || r.Weights != fiveappraisal.DefaultWeights {
			t.Fatalf("round: %+v %v", r, err)
		}
		// Members only: 张三 is the unit's only member.
		if targets, _ := s.Targets(ctx, u.ID, id); len(targets) != 1 || targets[0].StaffID != u.Staff[0] {
			t.Fatalf("targets: %+v", targets)
		}
		other := orgtest.New(t, db, "unit-b")
		if _, err := s.Get(ctx, other.ID, id); !errors.Is(err, fiveappraisal.ErrNotFound) {
			t.Fatalf("another unit read the round: %v", err)
		}
	})
}

// A full round: every part, the refusals of each, and the results.
func TestRound(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		m := f.members
		if len(f.targets) != 7 {
			t.Fatalf("targets: %d", len(f.targets))
		}
		// Self.
		me := member(f.u.ID, m[1])
		for _, b := range []struct {
			name string
			in   fiveappraisal.Signed
			want string
		}{
			{"no grade", fiveappraisal.Signed{Part: "self", TargetID: f.targets[m[1]], Body: "x"}, "five.grade_invalid"},
			{"grade outside the scale", fiveappraisal.Signed{Part: "self", TargetID: f.targets[m[1]], Grade: 5, Body: "x"}, "five.grade_invalid"},
			{"empty body", fiveappraisal.Signed{Part: "self", TargetID: f.targets[m[1]], Grade: 4, Body: " \n "}, "five.body_required"},
			{"100,000 characters", fiveappraisal.Signed{Part: "self", TargetID: f.targets[m[1]], Grade: 4, Body: strings.Repeat("字", 100000)}, "five.body_too_long"},
		} {
			if err := f.s.Give(ctx, orgtest.Actor, me, f.u.ID, f.round, b.in); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		if err := f.s.Give(ctx, orgtest.Actor, me, f.u.ID, f.round, fiveappraisal.Signed{Part: "self", TargetID: f.targets[m[2]], Grade: 4, Body: "替别人自评"}); !errors.Is(err, fiveappraisal.ErrForbidden) {
			t.Fatalf("self-appraisal for someone else: %v", err)
		}
		html := "<b>带头</b>服务群众 <script>alert(1)</script> ＡＢ 😀"
		if err := f.s.Give(ctx, orgtest.Actor, me, f.u.ID, f.round, fiveappraisal.Signed{Part: "self", TargetID: f.targets[m[1]], Grade: 4, Body: html}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Give(ctx, orgtest.Actor, me, f.u.ID, f.round, fiveappraisal.Signed{Part: "self", TargetID: f.targets[m[1]], Grade: 3, Body: "again"}); !locale.HasKey(err, "five.already_given") {
			t.Fatalf("second self-appraisal: %v", err)
		}
		// Branch: the branch secretary account; leader: the named leader.
		sec := accounts.User{ID: 77, UnitID: f.u.ID, Role: accounts.RoleBranchSecretary, BranchID: f.u.Branch}
		if err := f.s.Give(ctx, orgtest.Actor, sec, f.u.ID, f.round, fiveappraisal.Signed{Part: "branch", TargetID: f.targets[m[1]], Grade: 3, Body: "工作认真"}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Give(ctx, orgtest.Actor, sec, f.u.ID, f.round, fiveappraisal.Signed{Part: "branch", TargetID: f.targets[f.outsider], Grade: 3, Body: "别的支部"}); !errors.Is(err, fiveappraisal.ErrForbidden) {
			t.Fatalf("secretary commented on another branch: %v", err)
		}
		if err := f.s.Give(ctx, orgtest.Actor, me, f.u.ID, f.round, fiveappraisal.Signed{Part: "leader", TargetID: f.targets[m[2]], Grade: 4, Body: "不是领导"}); !errors.Is(err, fiveappraisal.ErrForbidden) {
			t.Fatalf("a member gave a leader comment: %v", err)
		}
		if err := f.s.Give(ctx, orgtest.Actor, member(f.u.ID, f.leader), f.u.ID, f.round, fiveappraisal.Signed{Part: "leader", TargetID: f.targets[m[1]], Grade: 4, Body: "表现突出"}); err != nil {
			t.Fatal(err)
		}
		// Peer: refusals leave nothing behind.
		for _, b := range []struct {
			name   string
			voter  int64
			grades map[int64]int
			want   string
		}{
			{"self", m[0], map[int64]int{m[0]: 4}, "five.peer_self"},
			{"another branch", m[0], map[int64]int{f.outsider: 4}, "five.peer_other_branch"},
			{"grade outside the scale", m[0], map[int64]int{m[1]: 9}, "five.grade_invalid"},
			{"nothing", m[0], map[int64]int{}, "five.peer_empty"},
			{"not appraised", f.u.Staff[1], map[int64]int{m[1]: 4}, "five.peer_only_members"},
		} {
			if err := f.vote(b.voter, b.grades); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		// 成员1 gets 4 votes: 优秀 ×3, 合格 ×1.
		for i, v := range []int64{m[0], m[2], m[3], m[4]} {
			g := fiveappraisal.Excellent
			if i == 3 {
				g = fiveappraisal.Competent
			}
			if err := f.vote(v, map[int64]int{m[1]: g}); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.vote(m[0], map[int64]int{m[1]: 1, m[2]: 4}); !locale.HasKey(err, "five.peer_twice") {
			t.Fatalf("second vote: %v", err)
		}
		// The refused ballot graded nobody: 成员2 is still open to 张三.
		tasks, err := f.s.TasksOf(ctx, f.u.ID, mustGet(t, f), member(f.u.ID, m[0]))
		if err != nil || tasks.Voted != 1 || !slices.ContainsFunc(tasks.Peers, func(x fiveappraisal.Target) bool { return x.StaffID == m[2] }) {
			t.Fatalf("tasks after a refused ballot: %+v %v", tasks, err)
		}
		// Two submits of one ballot at the same moment: one counts.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = f.vote(m[5], map[int64]int{m[2]: 3})
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("double submit: %v / %v", errs[0], errs[1])
		}
		// Someone joins mid-round: appraised from now on.
		late, err := org.NewStore(db).CreateStaff(ctx, orgtest.Actor, f.u.ID, org.StaffInput{Name: "新同志", EmployeeNo: "N01", DepartmentID: f.u.Window,
			BranchID: f.u.Branch, PoliticalStatus: org.StatusProbationary})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.AddPerson(ctx, orgtest.Actor, f.u.ID, f.round, late); err != nil {
			t.Fatal(err)
		}
		if err := f.s.AddPerson(ctx, orgtest.Actor, f.u.ID, f.round, late); !locale.HasKey(err, "five.already_target") {
			t.Fatalf("added twice: %v", err)
		}
		f.targets[late] = targetOf(t, f, late)
		if err := f.vote(m[0], map[int64]int{late: 3}); err != nil {
			t.Fatalf("vote for the newcomer: %v", err)
		}
		if err := f.s.PublicScore(ctx, orgtest.Actor, f.u.ID, f.round, f.targets[m[1]], 101, "问卷"); !locale.HasKey(err, "five.score_range") {
			t.Fatalf("public 101: %v", err)
		}
		if err := f.s.PublicScore(ctx, orgtest.Actor, f.u.ID, f.round, f.targets[m[1]], 90, ""); !locale.HasKey(err, "error.required") {
			t.Fatalf("public without source: %v", err)
		}
		if err := f.s.PublicScore(ctx, orgtest.Actor, f.u.ID, f.round, f.targets[m[1]], 90, "纸质满意度问卷 40 份"); err != nil {
			t.Fatal(err)
		}
		progress, err := f.s.Progress(ctx, f.u.ID, f.round)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range progress {
			if p.StaffID == m[1] && (!p.SelfDone || !p.BranchDone || p.Leaders != 1 || p.PeersVoted != 0 || p.Peers != 6) {
				t.Fatalf("progress of 成员1: %+v", p)
			}
			if p.StaffID == m[0] && (p.SelfDone || p.PeersVoted != 2) {
				t.Fatalf("progress of 张三: %+v", p)
			}
		}
		// Closing: nothing after it.
		if err := f.s.Publish(ctx, orgtest.Actor, f.u.ID, f.round); !locale.HasKey(err, "five.not_closed") {
			t.Fatalf("publish before close: %v", err)
		}
		if err := f.s.Close(ctx, orgtest.Actor, f.u.ID, f.round, time.UTC); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Close(ctx, orgtest.Actor, f.u.ID, f.round, time.UTC); !locale.HasKey(err, "five.closed") {
			t.Fatalf("closed twice: %v", err)
		}
		if err := f.vote(m[2], map[int64]int{m[3]: 4}); !locale.HasKey(err, "five.closed") {
			t.Fatalf("vote after closing: %v", err)
		}
		if err := f.s.Give(ctx, orgtest.Actor, member(f.u.ID, m[2]), f.u.ID, f.round, fiveappraisal.Signed{Part: "self", TargetID: f.targets[m[2]], Grade: 4, Body: "迟到的自评"}); !locale.HasKey(err, "five.closed") {
			t.Fatalf("self after closing: %v", err)
		}
		results, err := f.s.Results(ctx, f.u.ID, f.round)
		if err != nil {
			t.Fatal(err)
		}
		get := func(staff int64) fiveappraisal.Result {
			i := slices.IndexFunc(results, func(x fiveappraisal.Result) bool { return x.StaffID == staff })
			if i < 0 {
				t.Fatalf("no result for %d", staff)
			}
			return results[i]
		}
		// 成员1: self 100, peer (3×100+80)÷4 = 95, branch 80, leader 100,
		// public 90 → (10×100 + 30×95 + 20×80 + 20×100 + 20×90) ÷ 100 = 92.5.
		r1 := get(m[1])
		if fiveappraisal.Points(r1.Total) != "92.50" || fiveappraisal.Points(r1.Scores[1]) != "95.00" || r1.PeerVotes != 4 ||
			r1.Proposed != "excellent" || r1.Rank != 1 || r1.PublicSource != "纸质满意度问卷 40 份" {
			t.Fatalf("成员1: %+v total %s", r1, fiveappraisal.Points(r1.Total))
		}
		// The newcomer has one peer vote: below three, so nothing at all.
		if rl := get(late); rl.Total != nil || rl.Scores[1] != nil || rl.PeerVotes != 1 || rl.Rank != 0 {
			t.Fatalf("newcomer: %+v", rl)
		}
		// Confirm, override within the cap, plan, publish.
		if n, err := f.s.Confirm(ctx, orgtest.Actor, sec, f.u.ID, f.round); err != nil || n != 1 {
			t.Fatalf("secretary confirmed %d: %v", n, err)
		}
		admin := accounts.User{ID: 1, UnitID: f.u.ID, Role: accounts.RoleUnitAdmin}
		if err := f.s.Override(ctx, orgtest.Actor, admin, f.u.ID, f.round, f.targets[late], "failing", ""); !locale.HasKey(err, "five.reason_required") {
			t.Fatalf("override without a reason: %v", err)
		}
		if err := f.s.Override(ctx, orgtest.Actor, sec, f.u.ID, f.round, f.targets[late], "competent", "x"); !errors.Is(err, fiveappraisal.ErrForbidden) {
			t.Fatalf("secretary overrode: %v", err)
		}
		// Eight appraised: at most two 优秀. 成员1 is one; 成员2 may be the second.
		if err := f.s.Override(ctx, orgtest.Actor, admin, f.u.ID, f.round, f.targets[m[2]], "excellent", "支委会研究:群众口碑好"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Override(ctx, orgtest.Actor, admin, f.u.ID, f.round, f.targets[late], "excellent", "入党积极"); !locale.HasKey(err, "five.cap_full") {
			t.Fatalf("override past the cap: %v", err)
		}
		if err := f.s.Override(ctx, orgtest.Actor, admin, f.u.ID, f.round, f.targets[late], "basic", "新入职,参评时间短,支委会研究确定"); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Publish(ctx, orgtest.Actor, f.u.ID, f.round); !locale.HasKey(err, "five.unconfirmed") {
			t.Fatalf("publish with unconfirmed grades: %v", err)
		}
		if _, err := f.s.Confirm(ctx, orgtest.Actor, admin, f.u.ID, f.round); !locale.HasKey(err, "five.nothing_to_confirm") {
			t.Fatalf("confirm with nothing proposed: %v", err)
		}
		// People without any score get no proposal: the committee decides.
		results, _ = f.s.Results(ctx, f.u.ID, f.round)
		for _, x := range results {
			if !x.Confirmed {
				if err := f.s.Override(ctx, orgtest.Actor, admin, f.u.ID, f.round, x.ID, "competent", "无得分,支委会研究确定"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.s.Publish(ctx, orgtest.Actor, f.u.ID, f.round); !locale.HasKey(err, "five.plans_missing") {
			t.Fatalf("publish without plans: %v", err)
		}
		results, _ = f.s.Results(ctx, f.u.ID, f.round)
		for _, x := range results {
			if x.NeedsPlan() {
				if err := f.s.Plan(ctx, orgtest.Actor, admin, f.u.ID, f.round, x.ID, "结对帮扶,每月谈心一次"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.s.Plan(ctx, orgtest.Actor, admin, f.u.ID, f.round, f.targets[m[1]], "x"); !locale.HasKey(err, "five.plan_not_needed") {
			t.Fatalf("plan for an excellent member: %v", err)
		}
		if err := f.s.Publish(ctx, orgtest.Actor, f.u.ID, f.round); err != nil {
			t.Fatal(err)
		}
		if err := f.s.Override(ctx, orgtest.Actor, admin, f.u.ID, f.round, f.targets[m[1]], "competent", "晚了"); !locale.HasKey(err, "five.published") {
			t.Fatalf("override after publishing: %v", err)
		}
		comments, err := f.s.Comments(ctx, f.u.ID, f.round, f.targets[m[1]])
		if err != nil || len(comments) != 4 || comments[0].Part != "self" || comments[0].Body != html {
			t.Fatalf("comments: %+v %v", comments, err)
		}
	})
}

func mustGet(t *testing.T, f *fixture) fiveappraisal.Round {
	r, err := f.s.Get(ctx, f.u.ID, f.round)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func targetOf(t *testing.T, f *fixture, staff int64) int64 {
	targets, err := f.s.Targets(ctx, f.u.ID, f.round)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range targets {
		if x.StaffID == staff {
			return x.ID
		}
	}
	t.Fatalf("no target for %d", staff)
	return 0
}
