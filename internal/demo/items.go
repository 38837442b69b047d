package demo

import (
	"fmt"
	"strings"

	"wuliang/internal/items"
)

// demoItem is a service item in short form: name | days | fee | materials,
// where each material is "名称" (original), "名称*" (copy) or "名称+" (both).
type demoItem struct {
	name      string
	days      int
	fee       string
	materials string
}

type windowItems struct {
	window, basis, unit string
	steps               string
	items               []demoItem
}

// centerItems are the service items of the demo centre's windows, with the
// materials people bring; policy bases name the real laws and regulations.
var centerItems = []windowItems{
	{window: "市场监管窗口", basis: "《中华人民共和国市场主体登记管理条例》及其实施细则", unit: "县市场监督管理局", steps: "申请\n受理\n审核\n决定\n发照", items: []demoItem{
		{"有限责任公司设立登记", 1, "", "公司登记(备案)申请书、公司章程、股东身份证明+、法定代表人身份证+、住所使用证明*"},
		{"个体工商户设立登记", 0, "", "个体工商户登记申请书、经营者身份证+、经营场所使用证明*"},
		{"营业执照变更登记", 1, "", "变更登记申请书、营业执照正副本、变更事项相关证明*、股东会决议"},
		{"营业执照注销登记", 1, "", "注销登记申请书、营业执照正副本、清税证明、清算报告"},
		{"食品经营许可证核发", 10, "", "食品经营许可申请书、营业执照*、经营场所平面图、食品安全管理制度、负责人身份证+"},
		{"营业执照遗失补领", 1, "", "补领申请书、营业执照遗失声明、法定代表人身份证+"},
		{"股权出质设立登记", 1, "", "股权出质登记申请书、质押合同*、出质人和质权人身份证明+"},
	}},
	{window: "税务窗口", basis: "《中华人民共和国税收征收管理法》及其实施细则", unit: "国家税务总局某县税务局", steps: "申请\n受理\n审核\n办结", items: []demoItem{
		{"新办纳税人套餐式服务", 0, "", "营业执照*、法定代表人身份证+、经营场所证明*、财务负责人身份证*"},
		{"增值税专用发票领用", 0, "", "发票领用簿、经办人身份证+、税控设备"},
		{"增值税普通发票代开", 0, "按规定缴纳税款", "代开发票申请表、合同或协议*、经办人身份证+"},
		{"个人所得税综合所得汇算清缴", 0, "", "纳税人身份证+、收入及扣除证明*"},
		{"清税证明开具", 0, "", "清税申报表、营业执照*、经办人身份证+"},
		{"城乡居民社会保险费缴纳", 0, "按当年缴费档次", "缴费人身份证+、社保卡"},
		{"车辆购置税申报", 0, "按车辆计税价格的10%", "机动车销售统一发票、车辆合格证*、车主身份证+"},
	}},
	{window: "公安户政窗口", basis: "《中华人民共和国户口登记条例》《中华人民共和国居民身份证法》", unit: "县公安局户政大队", steps: "申请\n受理\n审核\n审批\n办结", items: []demoItem{
		{"居民身份证首次申领", 20, "20元/证", "居民户口簿、近期免冠照片(现场采集)"},
		{"居民身份证换领", 20, "20元/证", "原居民身份证、居民户口簿"},
		{"居民身份证挂失补领", 20, "40元/证", "居民户口簿、挂失申报表"},
		{"出生登记", 0, "", "出生医学证明+、父母户口簿、父母身份证+、结婚证*"},
		{"户口迁入(投靠)", 5, "", "迁入申请表、身份证+、户口簿、亲属关系证明*"},
		{"居住证申领", 15, "", "居住证申领登记表、身份证+、居住证明*、近期免冠照片"},
		{"临时居民身份证办理", 3, "10元/证", "居民户口簿、近期免冠照片"},
	}},
	{window: "社保窗口", basis: "《中华人民共和国社会保险法》", unit: "县人力资源和社会保障局", steps: "申请\n受理\n审核\n办结", items: []demoItem{
		{"城乡居民养老保险参保登记", 0, "", "参保登记表、身份证+、户口簿*"},
		{"企业职工基本养老保险待遇申领", 10, "", "待遇申领表、身份证+、社保卡、档案材料*"},
		{"社会保障卡申领", 5, "", "身份证+、近期免冠照片"},
		{"社会保障卡挂失补办", 5, "", "身份证+、挂失申请表"},
		{"失业保险金申领", 5, "", "失业登记证明、身份证+、解除劳动合同证明*、银行卡*"},
		{"就业登记", 0, "", "就业登记表、身份证+、劳动合同*"},
	}},
	{window: "医保窗口", basis: "《中华人民共和国社会保险法》《医疗保障基金使用监督管理条例》", unit: "县医疗保障局", steps: "申请\n受理\n审核\n办结", items: []demoItem{
		{"城乡居民基本医疗保险参保登记", 0, "按当年筹资标准", "身份证+、户口簿*"},
		{"异地就医备案", 0, "", "异地就医备案表、身份证+、社保卡"},
		{"门诊慢特病待遇认定", 15, "", "认定申请表、身份证+、病历资料*、检查报告*"},
		{"医疗费用零星报销", 20, "", "报销申请表、医疗费用发票、费用清单、病历*、银行卡*"},
		{"医保关系转移接续", 15, "", "转移申请表、身份证+、参保凭证"},
		{"生育医疗费用报销", 20, "", "生育医疗费用发票、出生医学证明*、结婚证*、身份证+"},
	}},
	{window: "不动产登记窗口", basis: "《不动产登记暂行条例》及其实施细则", unit: "县自然资源和规划局不动产登记中心", steps: "申请\n受理\n审核\n登簿\n发证", items: []demoItem{
		{"国有建设用地使用权及房屋所有权首次登记", 5, "住宅80元/件,非住宅550元/件", "不动产登记申请书、身份证明+、土地出让合同*、竣工验收备案表*、房屋测绘报告"},
		{"二手房转移登记", 5, "住宅80元/件", "不动产登记申请书、买卖双方身份证+、不动产权证书、买卖合同、完税凭证*"},
		{"抵押权首次登记", 3, "80元/件", "不动产登记申请书、抵押合同、主债权合同*、不动产权证书、身份证明+"},
		{"抵押权注销登记", 1, "", "注销申请书、抵押权人同意注销证明、不动产登记证明"},
		{"不动产登记资料查询", 0, "", "查询申请书、身份证+、利害关系证明*"},
		{"不动产权证书换证、补证", 5, "住宅80元/件", "申请书、身份证+、遗失声明(补证)、原证书(换证)"},
		{"预告登记", 3, "", "预告登记申请书、商品房预售合同+、身份证明+"},
	}},
	{window: "公积金窗口", basis: "《住房公积金管理条例》", unit: "市住房公积金中心某县管理部", steps: "申请\n受理\n审核\n办结", items: []demoItem{
		{"单位住房公积金缴存登记", 1, "", "缴存登记表、营业执照*、经办人身份证+"},
		{"个人住房公积金账户设立", 0, "", "个人账户设立清册、职工身份证*"},
		{"购房提取住房公积金", 3, "", "提取申请表、身份证+、购房合同*、购房发票*、银行卡*"},
		{"租房提取住房公积金", 3, "", "提取申请表、身份证+、无房证明、租赁合同*"},
		{"住房公积金个人住房贷款申请", 10, "", "借款申请表、身份证+、婚姻证明*、购房合同*、收入证明"},
		{"离退休提取住房公积金", 1, "", "提取申请表、身份证+、退休证明*、银行卡*"},
	}},
	{window: "交通运输窗口", basis: "《中华人民共和国道路运输条例》", unit: "县交通运输局", steps: "申请\n受理\n审核\n决定\n发证", items: []demoItem{
		{"道路普通货物运输经营许可", 20, "", "申请表、营业执照*、负责人身份证+、车辆行驶证*、安全生产管理制度"},
		{"道路运输证配发", 5, "", "申请表、车辆行驶证+、车辆技术等级评定证明"},
		{"道路运输从业人员从业资格证核发", 10, "", "申请表、身份证+、机动车驾驶证+、近期免冠照片"},
		{"巡游出租汽车车辆营运证核发", 10, "", "申请表、车辆行驶证+、经营权证明*"},
		{"机动车维修经营备案", 5, "", "备案表、营业执照*、维修场地证明*、技术人员资格证明*"},
		{"超限运输车辆行驶公路许可", 5, "", "申请表、车辆行驶证*、货物说明、通行路线图"},
	}},
	{window: "住建窗口", basis: "《中华人民共和国建筑法》《城市房地产开发经营管理条例》", unit: "县住房和城乡建设局", steps: "申请\n受理\n审核\n决定\n发证", items: []demoItem{
		{"建筑工程施工许可证核发", 3, "", "申请表、建设工程规划许可证*、中标通知书*、施工合同*、安全措施资料"},
		{"商品房预售许可", 10, "", "申请表、营业执照*、土地使用权证*、建设工程规划许可证*、施工许可证*、预售方案"},
		{"房屋建筑和市政基础设施工程竣工验收备案", 5, "", "竣工验收备案表、竣工验收报告、规划验收意见*、消防验收意见*"},
		{"建设工程消防验收", 15, "", "消防验收申请表、工程竣工验收报告、消防设施检测报告*"},
		{"房屋租赁登记备案", 3, "", "租赁合同+、出租人和承租人身份证+、房屋权属证明*"},
		{"物业服务企业项目备案", 5, "", "备案表、物业服务合同*、营业执照*"},
	}},
	{window: "综合受理窗口", basis: "《国务院关于加快推进“互联网+政务服务”工作的指导意见》", unit: "县行政服务中心", steps: "咨询\n收件\n分办\n反馈", items: []demoItem{
		{"“一件事一次办”综合收件", 0, "", "身份证+、所办事项要求的材料"},
		{"企业开办全程帮办代办", 1, "", "经办人身份证+、授权委托书"},
		{"政务服务“好差评”咨询受理", 0, "", "身份证(实名评价时)*"},
		{"证照免费邮寄送达", 1, "", "邮寄地址、收件人电话"},
		{"老年人、残疾人上门帮办预约", 3, "", "预约人身份证*、联系电话"},
		{"跨省通办业务收件", 0, "", "身份证+、所办事项要求的材料"},
	}},
}

// addItems creates the windows' service items, handled by each window's
// lead and first two staff.
func (b *builder) addItems(unitID int64, people map[string][]person) error {
	store := items.NewStore(b.db)
	for _, w := range centerItems {
		staff := people[w.window]
		var handlers []int64
		for _, p := range staff[:min(3, len(staff))] {
			handlers = append(handlers, p.id)
		}
		contact := "0713-" + strings.Repeat(string(rune('1'+len(w.window)%8)), 3) + "6688"
		for i, it := range w.items {
			_, err := store.Create(b.ctx, actor, unitID, items.Input{
				Code: fmt.Sprintf("%s-%02d", strings.TrimSuffix(w.window, "窗口"), i+1), Name: it.name, PolicyBasis: w.basis,
				Preconditions: "申请人符合法律法规规定的条件", Procedure: w.steps, FeeBasis: feeBasis(it.fee), FeeStandard: it.fee,
				TimeLimitDays: it.days, HandlingUnit: w.unit, Contact: contact, DepartmentID: staff[0].dept,
				Materials: parseMaterials(it.materials), HandlerIDs: handlers,
			})
			if err != nil {
				return fmt.Errorf("item %s: %w", it.name, err)
			}
		}
	}
	return nil
}

func feeBasis(fee string) string {
	if fee == "" {
		return ""
	}
	return "国家和省有关收费标准文件"
}

// parseMaterials reads the short form of a materials list.
func parseMaterials(s string) []items.Material {
	var out []items.Material
	for _, name := range strings.Split(s, "、") {
		m := items.Material{Form: items.FormOriginal, Copies: 1}
		switch {
		case strings.HasSuffix(name, "*"):
			m.Form, name = items.FormCopy, strings.TrimSuffix(name, "*")
		case strings.HasSuffix(name, "+"):
			m.Form, name = items.FormBoth, strings.TrimSuffix(name, "+")
		}
		m.Name = name
		out = append(out, m)
	}
	return out
}
