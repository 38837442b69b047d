package demo

import (
	"wuliang/internal/accounts"
	"wuliang/internal/org"
)

const centerBranch = "中心党支部"

func windowPosts(n int) []string {
	posts := []string{"窗口负责人", "首席代表"}
	for len(posts) < n {
		posts = append(posts, "窗口工作人员")
	}
	return posts[:n]
}

var centerDepts = []dept{
	{name: "中心办公室", kind: "office", duties: "负责中心日常运转、综合协调和“五亮五比五创”活动领导小组办公室日常工作", branch: centerBranch,
		posts: []string{"主任", "副主任", "办公室科员", "办公室科员"}},
	{name: "督查科", kind: "office", duties: "负责窗口效能督查、考勤抽查、投诉受理和责任追究", branch: centerBranch,
		posts: []string{"科长", "督查员", "督查员"}},
	{name: "市场监管窗口", kind: "window", windowNo: "1号", duties: "企业开办、营业执照设立变更注销登记、食品经营许可", branch: centerBranch, posts: windowPosts(5)},
	{name: "税务窗口", kind: "window", windowNo: "2号", duties: "税务登记、发票领用、纳税申报、社保费征收、个税汇算辅导", branch: centerBranch, posts: windowPosts(6)},
	{name: "公安户政窗口", kind: "window", windowNo: "3号", duties: "户口迁移、居民身份证申领、居住证办理、出入境证件受理", branch: centerBranch, posts: windowPosts(5)},
	{name: "社保窗口", kind: "window", windowNo: "4号", duties: "社会保险参保登记、待遇核定、社保卡业务、就业登记", branch: centerBranch, posts: windowPosts(5)},
	{name: "医保窗口", kind: "window", windowNo: "5号", duties: "城乡居民医保参保、异地就医备案、门诊慢特病认定、零星报销", branch: centerBranch, posts: windowPosts(4)},
	{name: "不动产登记窗口", kind: "window", windowNo: "6号", duties: "不动产首次登记、转移登记、抵押登记、登记资料查询", branch: centerBranch, posts: windowPosts(6)},
	{name: "公积金窗口", kind: "window", windowNo: "7号", duties: "住房公积金缴存、提取、个人住房贷款受理", branch: centerBranch, posts: windowPosts(4)},
	{name: "交通运输窗口", kind: "window", windowNo: "8号", duties: "道路运输经营许可、从业资格证、车辆营运证办理", branch: centerBranch, posts: windowPosts(4)},
	{name: "住建窗口", kind: "window", windowNo: "9号", duties: "建筑工程施工许可、商品房预售许可、竣工验收备案", branch: centerBranch, posts: windowPosts(4)},
	{name: "综合受理窗口", kind: "window", windowNo: "10号", duties: "“一窗受理”综合收件、帮办代办、咨询导办", branch: centerBranch, posts: windowPosts(4)},
}

// center builds the county service centre of the second plan: the 中心党支部,
// twelve departments of which ten are windows, and the leading group the plan
// names (组长 李祥生, 办公室主任 马先军).
func (b *builder) center(unitID int64) error {
	people, branches, err := b.build(unitID, "ZX", []string{centerBranch}, centerDepts)
	if err != nil {
		return err
	}
	branchID := branches[centerBranch]
	office := people["中心办公室"]
	li, ma := &office[0], &office[1]
	if err := b.rename(unitID, li, "李祥生", "中心党支部书记、主任", org.StatusMember, branchID); err != nil {
		return err
	}
	if err := b.rename(unitID, ma, "马先军", "中心党支部委员、副主任", org.StatusMember, branchID); err != nil {
		return err
	}
	if err := b.org.UpdateBranch(b.ctx, actor, unitID, branchID, org.BranchInput{Name: centerBranch, SecretaryID: li.id}); err != nil {
		return err
	}
	leaders := []struct {
		p          person
		role, duty string
	}{
		{*li, "leader", "全面负责“五亮五比五创”活动"},
		{*ma, "office_director", "兼任领导小组办公室主任,负责活动日常工作;带队下基层驻白沙镇公和村"},
		{people["督查科"][0], "member", "负责考勤抽查、效能督查和责任追究"},
		{people["税务窗口"][0], "member", "负责窗口服务承诺和岗位技能竞赛"},
		{people["社保窗口"][0], "member", "负责学习型党组织建设"},
	}
	for _, l := range leaders {
		if _, err := b.org.AddLeader(b.ctx, actor, unitID, l.p.id, l.role, l.duty); err != nil {
			return err
		}
	}
	if err := b.addItems(unitID, people, centerItems); err != nil {
		return err
	}
	tax := people["税务窗口"]
	// The staff login is a member of the branch, so the secretary approves
	// their commitments.
	if err := b.joinBranch(unitID, tax[2], branchID); err != nil {
		return err
	}
	if err := b.user(unitID, "center-admin", accounts.RoleUnitAdmin, *ma, 0, 0); err != nil {
		return err
	}
	if err := b.user(unitID, "center-secretary", accounts.RoleBranchSecretary, *li, branchID, 0); err != nil {
		return err
	}
	if err := b.user(unitID, "center-lead", accounts.RoleWindowLead, tax[0], 0, tax[0].dept); err != nil {
		return err
	}
	return b.user(unitID, "center-staff", accounts.RoleStaff, tax[2], 0, 0)
}
