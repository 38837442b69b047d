// Package roster reads and writes a unit's staff roster as an Excel
// workbook with Chinese headers: the template offered for download, the
// import (preview first, then all or nothing) and the export, in one layout.
package roster

import (
	"wuliang/internal/org"
)

// column is one column of the roster sheet.
type column struct {
	Header   string   // as written in the template and the export
	Aliases  []string // other headers people use for the same thing
	Field    string   // the org input field whose problems belong here
	Required bool
	Width    float64
}

var columns = []column{
	{Header: "姓名", Field: "name", Required: true, Width: 12},
	{Header: "性别", Field: "gender", Width: 6},
	{Header: "工号", Aliases: []string{"员工编号", "编号", "职工号"}, Field: "employee_no", Required: true, Width: 12},
	{Header: "职务", Aliases: []string{"岗位", "职务/岗位"}, Field: "post", Width: 16},
	{Header: "科室/窗口", Aliases: []string{"科室", "窗口", "部门", "所在窗口", "所在科室"}, Field: "department", Required: true, Width: 18},
	{Header: "党支部", Aliases: []string{"所在支部", "支部"}, Field: "branch", Width: 14},
	{Header: "政治面貌", Field: "political_status", Width: 12},
	{Header: "手机号码", Aliases: []string{"手机", "电话", "联系电话", "手机号"}, Field: "phone", Width: 16},
	{Header: "B岗工号", Aliases: []string{"B岗", "AB岗工号", "备岗工号"}, Field: "backup", Width: 12},
	{Header: "状态", Aliases: []string{"在岗状态"}, Field: "active", Width: 8},
	{Header: "岗位职责", Aliases: []string{"职责"}, Field: "duties", Width: 30},
}

const (
	dataSheet  = "人员名册"
	helpSheet  = "填写说明"
	listSheet  = "科室列表"
	maxRows    = 20000
	MaxFileMiB = 20
)

var (
	genderNames = map[string]string{"男": "male", "女": "female", "": ""}
	genderLabel = map[string]string{"male": "男", "female": "女"}
	statusNames = map[string]string{
		"中共党员": org.StatusMember, "党员": org.StatusMember, "正式党员": org.StatusMember,
		"预备党员": org.StatusProbationary, "中共预备党员": org.StatusProbationary,
		"共青团员": org.StatusLeague, "团员": org.StatusLeague,
		"群众": org.StatusMasses, "": org.StatusMasses,
	}
	statusLabel = map[string]string{
		org.StatusMember: "中共党员", org.StatusProbationary: "预备党员",
		org.StatusLeague: "共青团员", org.StatusMasses: "群众",
	}
	activeNames = map[string]bool{"在岗": true, "在职": true, "": true, "离职": false, "调离": false, "退休": false, "离岗": false}
)
