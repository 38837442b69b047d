package demo

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/org"
	"wuliang/internal/reviews"
)

// reviewMeetings holds the tax window's meeting two months ago and the
// whole centre's last month, both published. One person had a 差 in each,
// so the guidance list has a name.
func (c *counter) reviewMeetings() error {
	s := reviews.NewStore(c.db).WithClock(func() time.Time { return c.clock })
	first := time.Date(c.now.Year(), c.now.Month(), 1, 0, 0, 0, 0, cst)
	tax := c.windowNamed(c.texts.review.window)
	meetings := []struct {
		month          time.Time
		scope          string
		scopeID        int64
		summary        string
		people         []org.Staff
		weak, praised  int // index of the person with a 差, of one praised
		remindedOffset int
	}{
		{first.AddDate(0, -2, 0), reviews.ScopeWindow, tax, c.texts.review.windowSummary,
			c.windows[tax], 1, 0, 3},
		{first.AddDate(0, -1, 0), reviews.ScopeUnit, 0, c.texts.review.unitSummary,
			c.staff, -1, 2, 5},
	}
	// The unit's monthly meetings of the last full quarter, the one the
	// demo freezes and publishes: the same person's 差 for phoning at the
	// window recurs.
	for m := LastFullQuarter(c.now); m.Before(first.AddDate(0, -2, 0)); m = m.AddDate(0, 1, 0) {
		meetings = append(meetings, struct {
			month          time.Time
			scope          string
			scopeID        int64
			summary        string
			people         []org.Staff
			weak, praised  int
			remindedOffset int
		}{m, reviews.ScopeUnit, 0, c.texts.review.last,
			c.staff, -1, 4, 6})
	}
	for _, m := range meetings {
		// Meetings sit on the month's third day, or three hours ago when the
		// demo loads before then: nothing is published in the future.
		c.clock = at(m.month.AddDate(0, 1, 2), 15, 0)
		if latest := c.now.Add(-3 * time.Hour); c.clock.After(latest) {
			c.clock = latest
		}
		id, err := s.Open(c.ctx, actor, c.office, c.unitID, m.month.Format("2006-01"), m.scope, m.scopeID)
		if err != nil {
			return fmt.Errorf("review meeting: %w", err)
		}
		var in []reviews.EntryInput
		for i, p := range m.people {
			e := reviews.EntryInput{StaffID: p.ID}
			for d := range e.Grades {
				e.Grades[d] = []int{reviews.Good, reviews.Good, reviews.Fair, reviews.Good, reviews.Average}[(i+d*3)%5]
			}
			switch {
			case i == m.weak || (m.weak < 0 && p.ID == meetings[0].people[meetings[0].weak].ID):
				e.Grades[3], e.Notes[3], e.Remark, e.RemarkNote = reviews.Poor, "工作时间在窗口接听私人电话", reviews.RemarkCriticise, "请严格遵守窗口工作纪律,下月重点跟踪。"
			case i%7 == m.praised:
				e.Remark, e.RemarkNote, e.Notes[0] = reviews.RemarkPraise, praised[(i/7)%len(praised)], "热情耐心"
			case i%11 == m.remindedOffset:
				e.Remark, e.RemarkNote = reviews.RemarkRemind, reminded[(i/11)%len(reminded)]
			}
			in = append(in, e)
		}
		if err := s.Save(c.ctx, actor, c.office, c.unitID, id, m.summary, in); err != nil {
			return fmt.Errorf("review entries: %w", err)
		}
		c.clock = c.clock.Add(2 * time.Hour)
		if err := s.Publish(c.ctx, actor, c.office, c.unitID, id); err != nil {
			return err
		}
	}
	return nil
}

// What a meeting says of the people it praises or reminds: each their own
// sentence, as a meeting's minutes would have it.
var (
	praised = []string{"耐心为老年人帮办代办,收到表扬信。", "主动延时服务,当天办结积压业务。", "业务熟练,带教新同事上手快。",
		"一次性告知清楚,本月无群众跑第二趟。", "主动顶岗 B 岗,窗口未出现空岗。", "热心解答电话咨询,群众评价好。", "整理常见问题清单,供全组使用。"}
	reminded = []string{"一次性告知不够完整,请对照服务指南逐项说明。", "去向公示牌填写不及时,请离岗即挂牌。", "办件登记有漏项,请当日补录。",
		"着装不够规范,请佩戴工作牌上岗。", "接待用语生硬,请注意文明用语。"}
)

// fiveAppraisal runs a round of the branch's members over the demo's two
// months: self, peer, branch and leader parts, public from the ratings;
// closed, confirmed by the branch and published.
func (c *counter) fiveAppraisal() error {
	s := fiveappraisal.NewStore(c.db).WithClock(func() time.Time { return c.clock })
	// The round covers the demo's history from the last full quarter on,
	// so the quarter the demo scores has its 五评.
	from, to := LastFullQuarter(c.now), c.now.AddDate(0, 0, -9)
	c.clock = at(c.now.AddDate(0, 0, -8), 9, 0)
	d := fiveappraisal.NewDraft(c.clock, cst)
	d.Title = fmt.Sprintf("%d年%d—%d月党员“五评”", to.Year(), from.Month(), to.Month())
	d.PeriodFrom, d.PeriodTo = from.Format(time.DateOnly), to.Format(time.DateOnly)
	d.OpensAt, d.ClosesAt = c.clock.Format("2006-01-02T15:04"), c.clock.AddDate(0, 0, 5).Format("2006-01-02T15:04")
	leaders, err := c.org.LeadingGroup(c.ctx, c.unitID)
	if err != nil {
		return err
	}
	for _, l := range leaders {
		if l.Role == "leader" || l.Role == "deputy" {
			d.LeaderIDs = append(d.LeaderIDs, l.StaffID)
		}
	}
	id, err := s.Create(c.ctx, actor, c.unitID, d, cst)
	if err != nil {
		return fmt.Errorf("five appraisal: %w", err)
	}
	round, err := s.Get(c.ctx, c.unitID, id)
	if err != nil {
		return err
	}
	targets, err := s.Targets(c.ctx, c.unitID, id)
	if err != nil {
		return err
	}
	users := []accounts.User{}
	for _, t := range targets {
		users = append(users, accounts.User{UnitID: c.unitID, Role: accounts.RoleStaff, StaffID: t.StaffID})
	}
	secretaries, err := c.secretaries()
	if err != nil {
		return err
	}
	branches := slices.Sorted(maps.Keys(secretaries))
	for _, b := range branches {
		users = append(users, secretaries[b])
	}
	for i, u := range users {
		c.clock = at(c.now.AddDate(0, 0, -7+i%4), 9+i%8, i*13%60)
		if err := c.appraiseAll(s, round, u, i); err != nil {
			return err
		}
	}
	c.clock = at(c.now.AddDate(0, 0, -2), 17, 30)
	if err := s.Close(c.ctx, actor, c.unitID, id, cst); err != nil {
		return err
	}
	c.clock = c.clock.Add(18 * time.Hour)
	for _, b := range branches {
		sec := accounts.User{ID: c.office.ID, UnitID: c.unitID, Role: accounts.RoleBranchSecretary, BranchID: b}
		if _, err := s.Confirm(c.ctx, actor, sec, c.unitID, id); err != nil {
			return fmt.Errorf("five appraisal confirm: %w", err)
		}
	}
	results, err := s.Results(c.ctx, c.unitID, id)
	if err != nil {
		return err
	}
	for _, r := range results {
		switch {
		case !r.Confirmed:
			if err := s.Override(c.ctx, actor, c.office, c.unitID, id, r.ID, "competent", "支委会研究确定"); err != nil {
				return err
			}
		case r.NeedsPlan():
			if err := s.Plan(c.ctx, actor, c.office, c.unitID, id, r.ID, "由支部委员结对帮扶,每月谈心谈话一次,下季度跟踪评议。"); err != nil {
				return err
			}
		}
	}
	return s.Publish(c.ctx, actor, c.unitID, id)
}

// appraiseAll gives every part u has to give, with grades that mostly
// praise and now and then do not.
func (c *counter) appraiseAll(s *fiveappraisal.Store, round fiveappraisal.Round, u accounts.User, n int) error {
	tasks, err := s.TasksOf(c.ctx, c.unitID, round, u)
	if err != nil {
		return err
	}
	grade := func(k int) int {
		return []int{fiveappraisal.Excellent, fiveappraisal.Competent, fiveappraisal.Competent, fiveappraisal.Excellent,
			fiveappraisal.Competent, fiveappraisal.Excellent, fiveappraisal.Basic}[k%7]
	}
	if t := tasks.Self; t != nil && n%6 != 5 {
		body := "对照“五带头”,本季度坚持一线服务,严格落实首问负责和一次性告知。不足是业务学习抓得不够紧,下阶段将加强政策学习。"
		if err := s.Give(c.ctx, actor, u, c.unitID, round.ID, fiveappraisal.Signed{Part: "self", TargetID: t.ID, Grade: grade(n + 1), Body: body}); err != nil {
			return fmt.Errorf("self: %w", err)
		}
	}
	if len(tasks.Peers) > 0 {
		ballot := map[int64]int{}
		for i, p := range tasks.Peers {
			ballot[p.ID] = grade(n*3 + i*5 + int(p.StaffID))
		}
		if err := s.Vote(c.ctx, actor, u, c.unitID, round.ID, ballot); err != nil {
			return fmt.Errorf("peer: %w", err)
		}
	}
	for part, list := range map[string][]fiveappraisal.Target{"branch": tasks.Branch, "leader": tasks.Leader} {
		for i, t := range list {
			body := "工作认真负责,群众评价较好;希望在业务创新上再下功夫。"
			if err := s.Give(c.ctx, actor, u, c.unitID, round.ID, fiveappraisal.Signed{Part: part, TargetID: t.ID, Grade: grade(i + int(t.StaffID)), Body: body}); err != nil {
				return fmt.Errorf("%s: %w", part, err)
			}
		}
	}
	return nil
}

// secretaries are the unit's branch secretaries as they act, by branch.
func (c *counter) secretaries() (map[int64]accounts.User, error) {
	branches, err := c.org.Branches(c.ctx, c.unitID)
	if err != nil {
		return nil, err
	}
	out := map[int64]accounts.User{}
	for _, b := range branches {
		out[b.ID] = accounts.User{UnitID: c.unitID, Role: accounts.RoleBranchSecretary, BranchID: b.ID, StaffID: b.SecretaryID}
	}
	return out, nil
}
