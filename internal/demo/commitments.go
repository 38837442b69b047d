package demo

import (
	"fmt"

	"wuliang/internal/accounts"
	"wuliang/internal/commitments"
	"wuliang/internal/org"
)

// centrePromises are realistic commitment texts by category.
var centrePromises = map[string][]string{
	"first_contact":     {"首问负责,群众咨询的事项当场答复或引导到位,不推诿、不扯皮", "凡是第一个被问到的事,负责到底,直到交给下一位同事为止"},
	"one_time_notice":   {"材料不全时当场出具一次性告知书,不让群众跑第二趟", "一次性讲清办事所需全部材料和流程"},
	"standard_approval": {"严格按照办事指南审批,不增设条件、不体外循环", "审批全程留痕,做到依法依规、公开透明"},
	"sunshine":          {"办理进度和结果全程公开,主动接受群众监督", "窗口事项、收费标准、办理时限全部上墙公示"},
	"lawful_fees":       {"严格执行收费标准,不多收、不乱收、不搭车收费", "收费开具正式票据,收费依据公开可查"},
	"on_time":           {"承诺件在法定时限内提前办结,即办件当场办结", "全年承诺件按期办结率达到100%"},
	"personal":          {"每月参加一次志愿服务,为老年人提供帮办代办", "全年无群众有效投诉,争当服务标兵", "熟练掌握本窗口全部事项,做到一专多能、AB岗无缝衔接", "耐心解答群众每一个问题,微笑服务、文明用语"},
}

// hospitalPromises are a hospital's, around what the plan asks of medical
// staff: 救死扶伤, 提高服务水平, 惠及人民群众.
var hospitalPromises = map[string][]string{
	"first_contact":     {"首诊负责,接诊的患者负责到底,不推诿病人", "患者问到的事当场答复或带到相关科室"},
	"one_time_notice":   {"检查、住院、出院结算所需材料一次性告知清楚,不让患者来回跑", "入院时一次讲清住院须知和医保备案材料"},
	"standard_approval": {"严格执行诊疗规范,合理检查、合理用药、合理治疗", "坚持因病施治,不开大处方、不做不必要的检查"},
	"sunshine":          {"药品价格、收费项目和医保政策全部公示,费用清单每日可查", "院务公开,主动接受患者和社会监督"},
	"lawful_fees":       {"严格执行医疗服务价格,不多收、不分解收费", "不收受红包回扣,廉洁行医"},
	"on_time":           {"门诊挂号收费排队不超过 15 分钟,检查报告按时发放", "出院结算当天办结,异地医保备案即时办理"},
	"personal":          {"救死扶伤,急危重症患者优先抢救,绝不延误", "钻研业务,提高服务水平,全年无医疗差错", "每月参加一次义诊,让中医药服务惠及更多群众", "对患者态度和蔼,耐心解释病情,做到微笑服务"},
}

var categoryOrder = []string{"one_time_notice", "first_contact", "on_time", "personal", "standard_approval", "sunshine", "lawful_fees"}

// addCommitments gives most party members of a unit a public commitment,
// approved by the office: some with reviewed fulfilments, a few judged,
// some overdue, one still waiting for approval.
func (b *builder) addCommitments(unitID int64, office accounts.User, t *unitTexts) error {
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
		texts := t.promises[cat]
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
			OnDate: fmt.Sprintf("2026-%02d-%02d", 3+n%8, 1+n%27), Body: t.fulfilment(cat)})
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

func (t *unitTexts) fulfilment(category string) string {
	if s, ok := t.fulfilments[category]; ok {
		return s
	}
	return t.fulfilments[""]
}

var centreFulfilments = map[string]string{
	"":                "按承诺落实,经窗口负责人核实无投诉",
	"one_time_notice": "本季度出具一次性告知书 36 份,群众无二次跑腿反映",
	"on_time":         "本季度办件 120 件,全部按期办结,其中提前办结 95 件",
	"personal":        "参加“学雷锋”志愿服务 2 次,帮办代办 15 件",
}

var hospitalFulfilments = map[string]string{
	"":                "按承诺落实,经科室负责人核实无投诉",
	"one_time_notice": "本季度入院、出院一次性告知 210 人次,无患者二次跑腿反映",
	"on_time":         "本季度出院结算 380 人次,全部当天办结",
	"personal":        "参加下乡义诊 2 次,接诊群众 60 余人次",
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
