package demo

import "wuliang/internal/feedback"

// unitTexts are the words a unit's simulated work is written in: the
// counter simulation is the same for a service centre and a hospital, but
// a hospital's refusals, meetings, visits and letters of thanks are its
// own.
type unitTexts struct {
	promises       map[string][]string // commitment texts by category
	fulfilments    map[string]string   // a fulfilment's text by category
	consults       []string            // matters asked at the counter under no item
	refusal        string              // why a case is not this unit's to handle
	extraMaterials []string            // what a review may find missing later
	newRule        string              // the reason a further notice is justified
	away           map[string][]string // whereabouts by kind of absence
	awayNow        string              // where one person of the review window is right now
	checker        string              // who spot-checks the windows
	messages       []boxMessage        // the suggestion box
	appraisal      [2]string           // the 民主评议 round's title prefix and intro
	supervisors    bool                // whether the unit has 形象监督员 in the demo
	review         reviewTexts
	meetingPlace   string // of the study sessions
	visitPlace     string
	visitTeam      string // %s is the team leader
	visitWork      []string
	volunteer      []string // places of volunteer service
	volunteerWork  string
	commendations  []string
	commendedBy    string
	proposals      []proposal
	nextSession    string
}

// reviewTexts are a unit's review meetings: the window that met on its own
// two months ago and the summaries.
type reviewTexts struct {
	window                           string
	windowSummary, unitSummary, last string
}

// boxMessage is one message to the suggestion box, days before the demo's
// moment; for names a person of that department (the nth) when set.
type boxMessage struct {
	daysAgo int
	in      feedback.Input
	reply   string
	upheld  string
	forDept string
	nth     int
}

type proposal struct {
	title, body string
	outcome     string // result, adopt, return or pending
	returned    string // the reason when returned
	result      string // what came of it
}

var centreTexts = unitTexts{
	promises:       centrePromises,
	fulfilments:    centreFulfilments,
	consults:       []string{"咨询医保关系转移接续", "咨询公积金异地提取", "开具无犯罪记录证明咨询", "咨询个人养老金开户"},
	refusal:        "不属于本中心受理范围,已告知到县人社局办理",
	extraMaterials: []string{"租赁合同原件", "近三个月水电费缴费凭证", "村(居)委会证明"},
	newRule:        "按市局11月新规,需补充该材料",
	away: map[string][]string{
		"business": {"县不动产登记中心送件", "县市场监管局核对材料", "县税务局业务对接", "县社保局报送材料"},
		"meeting":  {"中心三楼会议室参加周例会", "县政府参加业务协调会"},
		"training": {"县委党校参加业务培训", "市政务服务中心跟班学习"},
		"leave":    {"事假", "病假", "年休假"},
	},
	awayNow: "县政务服务数据管理局参加“一网通办”业务培训",
	checker: "中心效能督查组",
	messages: []boxMessage{
		{daysAgo: 50, in: feedback.Input{Kind: "suggestion", Body: "建议大厅增加老年人休息座椅和老花镜"}, reply: "已在大厅东侧增设爱心座椅 12 个,各窗口配备老花镜。感谢您的建议!"},
		{daysAgo: 35, in: feedback.Input{Kind: "praise", Name: "王女士", Body: "税务窗口的工作人员耐心指导我在手机上申报个税,非常感谢"}, reply: "感谢您的表扬,我们将继续做好帮办服务。", forDept: "税务窗口"},
		{daysAgo: 20, in: feedback.Input{Kind: "complaint", Body: "办理公积金提取时被要求补交了两次材料"}, reply: "经核实,工作人员未一次性告知所需材料,已对当事人批评教育并纳入考核。", upheld: "yes", forDept: "公积金窗口", nth: 1},
		{daysAgo: 8, in: feedback.Input{Kind: "suggestion", Body: "希望周六上午也能办理不动产登记"}},
		{daysAgo: 2, in: feedback.Input{Kind: "complaint", Body: "叫号后等了很久窗口没人"}},
	},
	appraisal:   [2]string{"窗口服务民主评议", "请您对各窗口兑现服务承诺、规范审批和提供优质服务的情况作出评价。评议结果将在服务大厅公示。"},
	supervisors: true,
	review: reviewTexts{
		window:        "税务窗口",
		windowSummary: "税务窗口上月受理业务量较大,全员坚持延时服务,未发生超时办结。个别同志在窗口接听私人电话,群众有意见,需立即整改。",
		unitSummary:   "上月中心各窗口共受理办件一千余件,按时办结率保持高位。群众好评率稳中有升;差评均已核实整改。本月重点:压缩即办件等候时间,规范首问负责登记。",
		last:          "上月中心各窗口业务运行平稳,按时办结率保持高位;个别窗口仍有接听私人电话、离岗未挂牌的现象,请各窗口负责人加强日常管理。",
	},
	meetingPlace:  "中心三楼会议室",
	visitPlace:    "白沙镇公和村",
	visitTeam:     "中心驻村工作队(队长%s)",
	visitWork:     []string{"同吃同住同劳动,走访农户 12 户,了解生产生活困难", "帮助村两委修订村发展规划,落实产业发展措施", "开展结对帮扶,为困难户联系就业岗位", "宣传计划生育政策,协助计划生育示范村建设"},
	volunteer:     []string{"城关社区", "县人民医院门诊大厅", "汽车站", "敬老院"},
	volunteerWork: "带领团员青年和群众开展志愿服务:帮办代办、政策宣传",
	commendations: []string{"表扬信:感谢耐心帮老人办理社保转移", "锦旗:“热情服务 办事高效”", "表扬信:感谢延时服务办结不动产登记"},
	commendedBy:   "办事群众送来,已在中心公示栏公示",
	proposals: []proposal{
		{title: "叫号系统与网上预约合并排队", body: "预约群众到厅后取号优先,减少重复排队。", outcome: "result", result: "实施后平均等候时间由 25 分钟降到 12 分钟"},
		{title: "一次性告知单改为二维码", body: "告知单附材料清单二维码,群众扫码即可查看样表。", outcome: "adopt"},
		{title: "午间轮岗不停办", body: "各窗口 AB 岗午间轮换,保证中午有人办理。", outcome: "return", returned: "与现行午间值班制度重复,暂不采纳"},
		{title: "社保窗口增设老年人绿色通道", body: "70 岁以上老人优先叫号,设帮办代办员。", outcome: "pending"},
	},
	nextSession: "学习优化营商环境条例",
}

var hospitalTexts = unitTexts{
	promises:       hospitalPromises,
	fulfilments:    hospitalFulfilments,
	consults:       []string{"咨询异地就医备案", "咨询门诊慢特病申报", "咨询体检报告领取", "咨询中药代煎配送"},
	refusal:        "属医保经办机构业务,已告知到县医保局办理",
	extraMaterials: []string{"转诊单原件", "出院小结", "费用明细清单"},
	newRule:        "按市医保局11月新规,需补充该材料",
	away: map[string][]string{
		"business": {"县医保局报送结算材料", "市中心血站送件", "县卫健局业务对接"},
		"meeting":  {"门诊四楼会议室参加周例会", "院办参加行风建设协调会"},
		"training": {"市中医医院进修学习", "县卫健局参加医保政策培训"},
		"leave":    {"事假", "病假", "年休假"},
	},
	awayNow: "市卫健委参加医保支付方式改革培训",
	checker: "医院行风督查组",
	messages: []boxMessage{
		{daysAgo: 48, in: feedback.Input{Kind: "suggestion", Body: "建议门诊大厅增设轮椅和自助打印机"}, reply: "已在门诊大厅增设轮椅 6 台、自助打印机 2 台。感谢您的建议!"},
		{daysAgo: 33, in: feedback.Input{Kind: "praise", Name: "陈先生", Body: "住院登记处的工作人员帮我父亲办好了异地医保备案,非常耐心"}, reply: "感谢您的表扬,我们将继续做好便民服务。", forDept: "住院登记处"},
		{daysAgo: 18, in: feedback.Input{Kind: "complaint", Body: "中药房取药时被告知处方要重新开,来回跑了两趟"}, reply: "经核实,药师未一次说明处方问题,已对当事人批评教育并纳入考核。", upheld: "yes", forDept: "中药房", nth: 1},
		{daysAgo: 6, in: feedback.Input{Kind: "suggestion", Body: "希望周末也能办理出院结算"}},
		{daysAgo: 1, in: feedback.Input{Kind: "complaint", Body: "挂号窗口中午排队时间太长"}},
	},
	appraisal: [2]string{"科室服务民主评议", "请您对各科室兑现服务承诺、规范诊疗收费和提供优质服务的情况作出评价。评议结果将在门诊大厅公示。"},
	review: reviewTexts{
		window:        "门诊挂号收费处",
		windowSummary: "门诊挂号收费处上月就诊高峰持续,全员坚持提前上岗、错峰就餐,未发生收费差错。个别同志在窗口接听私人电话,患者有意见,需立即整改。",
		unitSummary:   "上月全院门诊、住院服务运行平稳,患者好评率稳中有升;差评均已核实整改。本月重点:缩短挂号收费排队时间,规范出院结算一次性告知。",
		last:          "上月全院服务运行平稳;个别科室仍有接听私人电话、离岗未挂牌的现象,请各科室负责人加强日常管理。",
	},
	meetingPlace:  "门诊四楼会议室",
	visitPlace:    "马曹庙镇卫生院",
	visitTeam:     "医院对口帮扶医疗队(队长%s)",
	visitWork:     []string{"坐诊带教,接诊患者 40 余人次", "开展中医适宜技术培训,带教乡村医生", "入户随访慢病患者,指导用药", "开展义诊和健康讲座"},
	volunteer:     []string{"城关社区", "敬老院", "汽车站", "县实验小学"},
	volunteerWork: "带领团员青年开展志愿服务:义诊、健康宣教、就医引导",
	commendations: []string{"表扬信:感谢护理团队的悉心照料", "锦旗:“医德高尚 妙手仁心”", "表扬信:感谢帮助办理出院结算"},
	commendedBy:   "患者及家属送来,已在院务公开栏公示",
	proposals: []proposal{
		{title: "门诊缴费扫码与诊间结算", body: "医生开单后患者扫码即付,不再到窗口排队缴费。", outcome: "result", result: "实施后挂号收费处平均等候时间由 20 分钟降到 9 分钟"},
		{title: "出院结算一次性告知单", body: "入院时即告知出院结算所需材料,减少家属往返。", outcome: "adopt"},
		{title: "中药房夜间取药", body: "中药房延长至晚 8 点,方便上班族取药。", outcome: "return", returned: "夜间人员不足,先以代煎配送替代,暂不采纳"},
		{title: "老年患者挂号绿色通道", body: "70 岁以上老人优先挂号,设导医陪诊。", outcome: "pending"},
	},
	nextSession: "学习《医疗机构工作人员廉洁从业九项准则》",
}
