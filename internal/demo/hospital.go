package demo

import (
	"wuliang/internal/accounts"
)

const (
	adminBranch      = "行政支部"
	outpatientBranch = "门诊支部"
	wardBranch       = "住院支部"
)

var hospitalDepts = []dept{
	{name: "院办公室", kind: "office", duties: "行政事务、综合协调、信息公开", branch: adminBranch, posts: []string{"主任", "科员", "科员"}},
	{name: "党委办公室", kind: "office", duties: "党建、创先争优和“五亮五比五创”活动日常工作", branch: adminBranch, posts: []string{"主任", "科员"}},
	{name: "医务科", kind: "office", duties: "医疗质量、医疗安全与医患沟通", branch: adminBranch, posts: []string{"科长", "科员", "科员"}},
	{name: "护理部", kind: "office", duties: "护理质量与护理人员管理", branch: adminBranch, posts: []string{"主任", "干事"}},
	{name: "财务科", kind: "office", duties: "财务管理与医疗收费监督", branch: adminBranch, posts: []string{"科长", "会计", "出纳"}},
	{name: "门诊挂号收费处", kind: "window", windowNo: "1-4号", duties: "门诊挂号、收费、退费、医保结算", branch: outpatientBranch,
		posts: []string{"组长", "收费员", "收费员", "收费员", "收费员"}},
	{name: "住院登记处", kind: "window", windowNo: "5-6号", duties: "入院登记、预交金、出院结算、医保备案", branch: outpatientBranch,
		posts: []string{"组长", "结算员", "结算员"}},
	{name: "中药房", kind: "window", windowNo: "7号", duties: "中药饮片调剂、煎药、用药咨询", branch: outpatientBranch,
		posts: []string{"主任", "主管药师", "药师", "药师"}},
	{name: "内科门诊", kind: "clinical", duties: "中医内科诊疗", branch: outpatientBranch, posts: []string{"科主任", "主任医师", "主治医师", "住院医师"}},
	{name: "针灸推拿科", kind: "clinical", duties: "针灸、推拿、康复理疗", branch: outpatientBranch, posts: []string{"科主任", "主治医师", "治疗师"}},
	{name: "儿科门诊", kind: "clinical", duties: "中医儿科诊疗与小儿推拿", branch: outpatientBranch, posts: []string{"科主任", "主治医师", "护士"}},
	{name: "内科病区", kind: "ward", duties: "内科住院诊疗与护理", branch: wardBranch, posts: []string{"科主任", "护士长", "主治医师", "护师", "护士", "护士"}},
	{name: "骨伤科病区", kind: "ward", duties: "骨伤科住院诊疗与护理", branch: wardBranch, posts: []string{"科主任", "护士长", "主治医师", "护士", "护士"}},
	{name: "外科病区", kind: "ward", duties: "外科住院诊疗与护理", branch: wardBranch, posts: []string{"科主任", "护士长", "主治医师", "护士"}},
}

// hospital builds the hospital of the first plan: 行政支部, 门诊支部,
// 住院支部, offices, windows, clinics and wards.
func (b *builder) hospital(unitID int64) error {
	people, branches, err := b.build(unitID, "HG", []string{adminBranch, outpatientBranch, wardBranch}, hospitalDepts)
	if err != nil {
		return err
	}
	if err := b.addItems(unitID, people, hospitalItems); err != nil {
		return err
	}
	party := people["党委办公室"][0]
	register := people["门诊挂号收费处"]
	clinic := people["内科门诊"][0]
	leaders := []struct {
		p          person
		role, duty string
	}{
		{people["院办公室"][0], "leader", "全面负责全院“五亮五比五创”活动"},
		{people["医务科"][0], "deputy", "负责医疗服务质量和群众满意度"},
		{people["护理部"][0], "member", "负责护理窗口优质服务"},
		{party, "office_director", "负责活动日常工作和典型示范"},
	}
	for _, l := range leaders {
		if _, err := b.org.AddLeader(b.ctx, actor, unitID, l.p.id, l.role, l.duty); err != nil {
			return err
		}
	}
	// Each branch has its secretary: the 院办 director for 行政支部, the
	// 内科 clinic's head for 门诊支部, the 内科病区's head for 住院支部.
	secretaries := map[string]person{adminBranch: people["院办公室"][0], outpatientBranch: clinic, wardBranch: people["内科病区"][0]}
	for _, name := range []string{adminBranch, outpatientBranch, wardBranch} {
		if err := b.org.UpdateBranch(b.ctx, actor, unitID, branches[name], branchInput(name, secretaries[name].id)); err != nil {
			return err
		}
	}
	if err := b.user(unitID, "hospital-admin", accounts.RoleUnitAdmin, party, 0, 0); err != nil {
		return err
	}
	if err := b.user(unitID, "hospital-secretary", accounts.RoleBranchSecretary, clinic, branches[outpatientBranch], 0); err != nil {
		return err
	}
	return b.user(unitID, "hospital-staff", accounts.RoleStaff, register[1], 0, 0)
}
