package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"wuliang/internal/calendar"
	"wuliang/internal/feedback"
	"wuliang/internal/followup"
	"wuliang/internal/honours"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
	"wuliang/internal/stores"
)

// honourDemo plays the centre's selections of its last full quarter in
// the weeks after it ended: the rule's shortlists, the branches'
// nominations, the leading group's vote on the red flag, the office's
// proposals, a 公示期 of five working days and confirmation — as far as
// the time since the quarter's end allows; what there was no time for
// stays in its 公示期. 群众满意窗口 is proposed the day before the demo's
// moment and is in its 公示期 with an objection the office has answered.
type honourDemo struct {
	*builder
	set   *stores.Set
	s     *honours.Store
	f     *followup.Store
	box   *feedback.Store
	cal   *calendar.Calendar
	clock time.Time
	unit  int64
	q     period.Period
	taken map[int64]bool // people already honoured this quarter: one honour each in the demo
}

func (h *honourDemo) now() time.Time { return h.clock }

func (b *builder) honours(set *stores.Set, centerID, hospitalID int64) error {
	h := &honourDemo{builder: b, set: set, cal: calendar.National(), unit: centerID, q: period.QuarterOf(LastFullQuarter(b.now), cst),
		taken: map[int64]bool{}}
	h.s = set.Honours.WithClock(h.now)
	h.f = set.Followup.WithClock(h.now)
	h.box = set.Feedback.WithClock(h.now)
	if err := h.kinds(hospitalID); err != nil {
		return err
	}
	pub, err := set.Schemes.Published(b.ctx, centerID, h.q.Code)
	if err != nil {
		return err
	}
	start := h.cal.NextWorkday(h.q.To)
	awards := map[string]int64{}
	for _, code := range []string{"red_flag", "advanced_person", "excellent_member"} {
		id, err := h.run(code, start)
		if err != nil {
			return fmt.Errorf("demo: honour %s: %w", code, err)
		}
		if id != 0 {
			awards[code] = id
		}
	}
	if err := h.inPublicity(); err != nil {
		return fmt.Errorf("demo: 群众满意窗口: %w", err)
	}
	if err := h.exemplar(awards["advanced_person"], start); err != nil {
		return fmt.Errorf("demo: exemplar: %w", err)
	}
	if err := h.followUp(pub, start); err != nil {
		return fmt.Errorf("demo: follow-up: %w", err)
	}
	return h.branchPlans(hospitalID)
}

// kinds: the centre chooses its 优秀共产党员 each quarter (the default is
// yearly); the hospital adds 优质服务科室.
func (h *honourDemo) kinds(hospitalID int64) error {
	kinds, err := h.s.Kinds(h.ctx, h.unit)
	if err != nil {
		return err
	}
	for _, k := range kinds {
		if k.Code == "excellent_member" {
			k.PeriodKind = "quarter"
			if _, err := h.s.SaveKind(h.ctx, actor, h.unit, k); err != nil {
				return err
			}
		}
	}
	_, err = h.s.SaveKind(h.ctx, actor, hospitalID, honours.Kind{Name: "优质服务科室", Subject: honours.SubjectWindow, Places: 2, Shortlist: 4,
		PeriodKind: "quarter", Indicator: "satisfaction", Active: true})
	return err
}

func (h *honourDemo) kind(code string) (honours.Kind, error) {
	kinds, err := h.s.Kinds(h.ctx, h.unit)
	if err != nil {
		return honours.Kind{}, err
	}
	for _, k := range kinds {
		if k.Code == code {
			return k, nil
		}
	}
	return honours.Kind{}, fmt.Errorf("demo: no honour kind %s", code)
}

// run runs one selection from the first working day after the
// quarter and returns the first honour confirmed, if the demo's moment
// came late enough for confirmation.
func (h *honourDemo) run(code string, day time.Time) (int64, error) {
	k, err := h.kind(code)
	if err != nil {
		return 0, err
	}
	plan := honours.Plan{Vote: honours.VoteNone, PublicityDays: honours.DefaultPublicity}
	if k.Moves {
		plan.Vote, plan.MinVoters = honours.VoteLeadingGroup, 3
	}
	h.clock = at(day, 9, 0)
	sel, err := h.s.Open(h.ctx, actor, h.unit, k.ID, h.q.Code, plan)
	if err != nil {
		return 0, err
	}
	nominees, err := h.s.Nominees(h.ctx, h.unit, sel.ID)
	if err != nil || len(nominees) == 0 {
		return 0, err
	}
	h.clock = at(day, 10, 0)
	reasons := []string{"本季度按时办结率、好评率均居前列,无超时件、无有效投诉。", "主动延时服务,帮办代办,群众送来锦旗。", "业务比武第一名,带头学习新政策。"}
	for i, n := range nominees[:min(3, len(nominees))] {
		by := honours.Nominator{Source: honours.SourceOffice, Name: "马先军"}
		if err := h.s.Nominate(h.ctx, actor, h.unit, sel.ID, by, honours.Nomination{SubjectID: n.SubjectID, Reason: reasons[i]}); err != nil {
			return 0, err
		}
	}
	chosen := []int64{}
	for _, n := range nominees {
		if len(chosen) < k.Places && (k.Subject == honours.SubjectWindow || !h.taken[n.SubjectID]) {
			chosen = append(chosen, n.ID)
			if k.Subject != honours.SubjectWindow {
				h.taken[n.SubjectID] = true
			}
		}
	}
	if len(chosen) == 0 {
		return 0, nil
	}
	if plan.Vote == honours.VoteLeadingGroup {
		if err := h.s.StartVote(h.ctx, actor, h.unit, sel.ID, at(day, 17, 0)); err != nil {
			return 0, err
		}
		leaders, err := h.set.Org.LeadingGroup(h.ctx, h.unit)
		if err != nil {
			return 0, err
		}
		for i, l := range leaders {
			h.clock = at(day, 11+i, 0)
			if err := h.s.Vote(h.ctx, actor, h.unit, sel.ID, fmt.Sprintf("staff:%d", l.StaffID), chosen); err != nil {
				return 0, err
			}
		}
	}
	next := h.cal.AddWorkdays(day, 1)
	if !at(next, 9, 0).Before(h.builder.now) {
		return 0, nil // the demo's moment comes before the proposal
	}
	h.clock = at(next, 9, 0)
	if err := h.s.Propose(h.ctx, actor, h.unit, sel.ID, chosen, "综合评分、推荐和领导小组意见拟定", h.cal, cst); err != nil {
		return 0, err
	}
	sel, err = h.s.Selection(h.ctx, h.unit, sel.ID)
	if err != nil {
		return 0, err
	}
	until, _ := time.ParseInLocation(time.DateOnly, sel.PublicityUntil, cst)
	confirm := at(h.cal.AddWorkdays(until, 1), 10, 0)
	if !confirm.Before(h.builder.now) {
		return 0, nil
	}
	h.clock = confirm
	if err := h.s.Confirm(h.ctx, actor, h.unit, sel.ID, h.box, cst); err != nil {
		return 0, err
	}
	awards, err := h.s.Awards(h.ctx, h.unit, honours.AwardFilter{SelectionID: sel.ID})
	if err != nil || len(awards) == 0 {
		return 0, err
	}
	return awards[0].ID, nil
}

// inPublicity proposes 群众满意窗口 the day before the demo's moment, and
// one citizen objects; the office answers.
func (h *honourDemo) inPublicity() error {
	k, err := h.kind("satisfied_window")
	if err != nil {
		return err
	}
	h.clock = h.builder.now.Add(-26 * time.Hour)
	sel, err := h.s.Open(h.ctx, actor, h.unit, k.ID, h.q.Code, honours.Plan{Vote: honours.VoteNone, PublicityDays: honours.DefaultPublicity})
	if err != nil {
		return err
	}
	nominees, err := h.s.Nominees(h.ctx, h.unit, sel.ID)
	if err != nil || len(nominees) == 0 {
		return err
	}
	h.clock = h.builder.now.Add(-25 * time.Hour)
	if err := h.s.Nominate(h.ctx, actor, h.unit, sel.ID, honours.Nominator{Source: honours.SourceOffice, Name: "马先军"},
		honours.Nomination{SubjectID: nominees[0].SubjectID, Reason: "季度有效评价最多、好评率最高,差评均已整改回访。"}); err != nil {
		return err
	}
	h.clock = h.builder.now.Add(-24 * time.Hour)
	if err := h.s.Propose(h.ctx, actor, h.unit, sel.ID, []int64{nominees[0].ID}, "按好评率威尔逊下限排名第一", h.cal, cst); err != nil {
		return err
	}
	h.clock = h.builder.now.Add(-5 * time.Hour)
	code, err := h.box.Send(h.ctx, h.unit, feedback.Input{Kind: feedback.KindObjection, SelectionID: sel.ID, DepartmentID: nominees[0].SubjectID,
		Name: "周女士", Phone: "13907130000", Body: "九月中旬在该窗口办理业务时等了四十分钟,是否还能评满意窗口?", Address: "10.20.0.7"})
	if err != nil {
		return err
	}
	m, err := h.box.ByCode(h.ctx, h.unit, code)
	if err != nil {
		return err
	}
	office, err := h.officeUser(h.unit)
	if err != nil {
		return err
	}
	h.clock = h.builder.now.Add(-2 * time.Hour)
	return h.box.Handle(h.ctx, actor, office, h.unit, m.ID, feedback.Handling{Reply: "经调取叫号记录核实,当日该窗口因系统升级暂停服务半小时,已在大厅公告;该窗口本季度平均等候时间 6 分钟。异议不成立,已电话回复周女士。"})
}

// exemplar writes and publishes the story of the quarter's first 先进个人.
func (h *honourDemo) exemplar(awardID int64, day time.Time) error {
	if awardID == 0 {
		return nil
	}
	h.clock = h.builder.now.Add(-3 * time.Hour)
	var photo bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 640, 400))
	for y := range 400 {
		for x := range 640 {
			img.Set(x, y, color.RGBA{R: uint8(180 + x/10), G: uint8(40 + y/8), B: 40, A: 255})
		}
	}
	if err := png.Encode(&photo, img); err != nil {
		return err
	}
	id, err := h.s.WriteExemplar(h.ctx, actor, h.unit, 0, honours.ExemplarInput{HonourID: awardID, Title: "把群众的事当自家的事办",
		Story: "她在窗口工作八年,始终坚持一次性告知、首问负责。\n本季度她主动为行动不便的老人上门办理业务十余次,帮办代办事项全部按时办结,没有一件超时、没有一次差评。\n同事们说,有她在的窗口,群众心里就踏实。"},
		[][]byte{photo.Bytes()})
	if err != nil {
		return err
	}
	if err := h.s.MoveExemplar(h.ctx, actor, h.unit, id, honours.ExemplarSubmitted, ""); err != nil {
		return err
	}
	h.clock = h.builder.now.Add(-2 * time.Hour)
	return h.s.MoveExemplar(h.ctx, actor, h.unit, id, honours.ExemplarPublished, "事迹真实,同意在门户网站发布。")
}

// followUp talks with the first people and windows of the lagging list and
// writes their plans; the leading group inspects with a fix now overdue,
// and the office guides the weakest branch.
func (h *honourDemo) followUp(pub scoring.Frozen, day time.Time) error {
	if !at(day, 16, 0).Before(h.builder.now) {
		return nil // the quarter ended too recently for any follow-up yet
	}
	date := func(t time.Time) string { return t.In(cst).Format(time.DateOnly) }
	lagging := followup.LaggingOf([]scoring.Frozen{pub})
	h.clock = at(day, 15, 0)
	for i, l := range lagging[:min(3, len(lagging))] {
		talk, err := h.f.AddTalk(h.ctx, actor, h.unit, followup.TalkInput{Subject: l.Subject, SubjectID: l.SubjectID, Period: h.q.Code,
			HeldOn: date(day), HeldBy: "中心主任 李祥生、副主任 马先军", Agreed: "指出本季度被一票否决的问题,本人认识到位;商定一个月内完成整改,下季度好评率不低于95%,每周向办公室报告一次。"})
		if err != nil {
			return err
		}
		steps := []followup.StepInput{
			{What: "到先进窗口跟班学习一周", Who: l.Name, DueOn: date(day.AddDate(0, 0, 14))},
			{What: "写出整改报告,在窗口例会上说明", Who: l.Name, DueOn: date(day.AddDate(0, 0, 30))},
			{What: "办公室回访群众,评估整改效果", Who: "中心办公室", DueOn: date(h.builder.now.AddDate(0, 0, 20))},
		}
		plan, err := h.f.OpenPlan(h.ctx, actor, h.unit, followup.PlanInput{Subject: l.Subject, SubjectID: l.SubjectID, TalkID: talk,
			Goal: "消除被否决的问题,下季度不再后进", Steps: steps})
		if err != nil {
			return err
		}
		p, err := h.f.Plan(h.ctx, h.unit, plan)
		if err != nil {
			return err
		}
		if i == 0 && at(day.AddDate(0, 0, 12), 17, 0).Before(h.builder.now) {
			h.clock = at(day.AddDate(0, 0, 12), 17, 0)
			if err := h.f.DoneStep(h.ctx, actor, h.unit, p.Steps[0].ID, date(h.clock), "已在社保窗口跟班学习五天,写了学习体会。"); err != nil {
				return err
			}
			h.clock = at(day, 15, 0)
		}
	}
	windows, err := org.Windows(h.ctx, h.db, h.unit)
	if err != nil || len(windows) == 0 {
		return err
	}
	branches, err := h.set.Org.Branches(h.ctx, h.unit)
	if err != nil || len(branches) == 0 {
		return err
	}
	h.clock = at(day, 16, 0)
	if _, err := h.f.AddVisit(h.ctx, actor, h.unit, followup.VisitInput{Kind: followup.VisitInspection, DepartmentID: windows[len(windows)-1].ID,
		VisitedOn: date(day), Visitors: "领导小组 李祥生、督查科", Found: "窗口台签不全,一次性告知单未上墙;两名工作人员未佩戴工作牌。",
		Fixes: []followup.StepInput{{What: "补齐台签和一次性告知单", Who: "窗口负责人", DueOn: date(day.AddDate(0, 0, 7))},
			{What: "全员佩戴工作牌,督查科复查", Who: "督查科", DueOn: date(h.builder.now.AddDate(0, 0, 10))}}}); err != nil {
		return err
	}
	weakest := branches[len(branches)-1]
	_, err = h.f.AddVisit(h.ctx, actor, h.unit, followup.VisitInput{Kind: followup.VisitGuidance, BranchID: weakest.ID, VisitedOn: date(day.AddDate(0, 0, 2)),
		Visitors: "领导小组办公室 马先军", Found: "支部党员分散在多个窗口,组织生活难集中;建议按窗口设党小组,每月一次集中学习。",
		Fixes: []followup.StepInput{{What: "按窗口划分党小组", Who: "支部书记", DueOn: date(h.builder.now.AddDate(0, 0, 14))}}})
	return err
}

// branchPlans gives every branch of both units its plan for the year:
// approved, but the centre's last branch's is still waiting.
func (h *honourDemo) branchPlans(hospitalID int64) error {
	year := h.builder.now.Year()
	for _, unit := range []int64{h.unit, hospitalID} {
		branches, err := h.set.Org.Branches(h.ctx, unit)
		if err != nil {
			return err
		}
		h.clock = time.Date(year, 1, 15, 10, 0, 0, 0, cst)
		if h.clock.After(h.builder.now) {
			h.clock = h.builder.now.Add(-time.Hour)
		}
		for i, b := range branches {
			id, err := h.f.SaveBranchPlan(h.ctx, actor, unit, followup.BranchPlanInput{BranchID: b.ID, Year: year,
				Standards: "五个好:领导班子好、党员队伍好、工作机制好、工作业绩好、群众反映好;党员做到五带头。",
				Carriers:  "党员示范岗、党员责任区、“我身边的优秀共产党员”评选、岗位技能比武。",
				Measures: []followup.StepInput{
					{What: "设立党员示范岗并挂牌", Who: "支部书记", DueOn: fmt.Sprintf("%d-03-31", year)},
					{What: "每季度一次业务比武", Who: "支部组织委员", DueOn: fmt.Sprintf("%d-06-30", year)},
					{What: "年终述职和民主评议党员", Who: "支部书记", DueOn: fmt.Sprintf("%d-12-31", year)},
				}})
			if err != nil {
				return err
			}
			if err := h.f.MoveBranchPlan(h.ctx, actor, unit, id, followup.BranchSubmitted, ""); err != nil {
				return err
			}
			if unit == h.unit && i == len(branches)-1 {
				continue
			}
			if err := h.f.MoveBranchPlan(h.ctx, actor, unit, id, followup.BranchApproved, "同意,措施具体可行。"); err != nil {
				return err
			}
			plan, err := h.f.BranchPlan(h.ctx, unit, id)
			if err != nil {
				return err
			}
			if due := plan.Measures[0].DueOn; due < h.builder.now.Format(time.DateOnly) && i%2 == 0 {
				if err := h.f.DoneStep(h.ctx, actor, unit, plan.Measures[0].ID, due, "示范岗已挂牌。"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
