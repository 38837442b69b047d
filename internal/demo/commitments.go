package demo

import (
	"fmt"

	"wuliang/internal/accounts"
	"wuliang/internal/commitments"
	"wuliang/internal/org"
)

// promises are realistic commitment texts by category.
var promises = map[string][]string{
	"first_contact":     {"首问负责,群众咨询的事项当场答复或引导到位,不推诿、不扯皮", "凡是第一个被问到的事,负责到底,直到交给下一位同事为止"},
	"one_time_notice":   {"材料不全时当场出具一次性告知书,不让群众跑第二趟", "一次性讲清办事所需全部材料和流程"},
	"standard_approval": {"严格按照办事指南审批,不增设条件、不体外循环", "审批全程留痕,做到依法依规、公开透明"},
	"sunshine":          {"办理进度和结果全程公开,主动接受群众监督", "窗口事项、收费标准、办理时限全部上墙公示"},
	"lawful_fees":       {"严格执行收费标准,不多收、不乱收、不搭车收费", "收费开具正式票据,收费依据公开可查"},
	"on_time":           {"承诺件在法定时限内提前办结,即办件当场办结", "全年承诺件按期办结率达到100%"},
	"personal":          {"每月参加一次志愿服务,为老年人提供帮办代办", "全年无群众有效投诉,争当服务标兵", "熟练掌握本窗口全部事项,做到一专多能、AB岗无缝衔接", "耐心解答群众每一个问题,微笑服务、文明用语"},
}

var categoryOrder = []string{"one_time_notice", "first_contact", "on_time", "personal", "standard_approval", "sunshine", "lawful_fees"}

// addCommitments gives most party members of a unit a public commitment,
// approved by the office: some with reviewed fulfilments, a few judged,
// some overdue, one still waiting for approval.
func (b *builder) addCommitments(unitID int64, office accounts.User) error {
	store := commitments.NewStore(b.db)
	active := true
	staff, _, err := b.org.StaffList(b.ctx, unitID, org.StaffFilter{Active: &active})
	if err != nil {
		return err
	}
	n := 0
	for _, p := range staff {
		if !p.IsPartyMember() || p.ID == office.StaffID {
			continue // the office does not approve its own
		}
		n++
		if n%6 == 0 { // most, not all
			continue
		}
		cat := categoryOrder[n%len(categoryOrder)]
		texts := promises[cat]
		in := commitments.Input{OwnerKind: commitments.OwnerStaff, OwnerID: p.ID, Category: cat, Body: texts[n%len(texts)],
			PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31"}
		if n%4 == 0 {
			in.DueOn = fmt.Sprintf("2026-%02d-30", 6+n%5) // June to October: some have passed
		}
		id, err := store.Create(b.ctx, actor, office, unitID, in)
		if err != nil {
			return fmt.Errorf("commitment of %s: %w", p.Name, err)
		}
		if err := store.Submit(b.ctx, actor, office, unitID, id); err != nil {
			return err
		}
		if n == 1 {
			continue // one waits for approval
		}
		if err := store.Approve(b.ctx, actor, office, unitID, id); err != nil {
			return err
		}
		if n%3 == 0 {
			continue // no fulfilment recorded yet
		}
		fid, err := store.AddFulfilment(b.ctx, actor, office, unitID, id, commitments.FulfilmentInput{
			OnDate: fmt.Sprintf("2026-%02d-%02d", 3+n%8, 1+n%27), Body: fulfilmentText(cat)})
		if err != nil {
			return err
		}
		if err := store.Review(b.ctx, actor, office, unitID, fid, true, "情况属实"); err != nil {
			return err
		}
		if n%5 == 2 {
			if err := store.Close(b.ctx, actor, office, unitID, id, commitments.Outcomes[n%2]); err != nil {
				return err
			}
		}
	}
	return nil
}

func fulfilmentText(category string) string {
	switch category {
	case "one_time_notice":
		return "本季度出具一次性告知书 36 份,群众无二次跑腿反映"
	case "on_time":
		return "本季度办件 120 件,全部按期办结,其中提前办结 95 件"
	case "personal":
		return "参加“学雷锋”志愿服务 2 次,帮办代办 15 件"
	}
	return "按承诺落实,经窗口负责人核实无投诉"
}

// officeUser returns the unit's first campaign-office account.
func (b *builder) officeUser(unitID int64) (accounts.User, error) {
	users, err := b.acc.Users(b.ctx, unitID)
	if err != nil {
		return accounts.User{}, err
	}
	for _, u := range users {
		if u.Role == accounts.RoleUnitAdmin {
			return u, nil
		}
	}
	return accounts.User{}, fmt.Errorf("demo: unit %d has no office account", unitID)
}
