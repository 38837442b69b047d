package roster

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/audit"
	"wuliang/internal/org"
)

// Import parses data and, when the roster has no problem, writes it all in
// one transaction. With problems it returns ErrProblems and the preview, and
// writes nothing.
func Import(ctx context.Context, store *org.Store, actor audit.Actor, unitID int64, data []byte) (*Preview, org.ImportResult, error) {
	lk, err := LoadLookups(ctx, store, unitID)
	if err != nil {
		return nil, org.ImportResult{}, err
	}
	p, err := Parse(data, lk)
	if err != nil {
		return nil, org.ImportResult{}, err
	}
	if !p.OK() {
		return p, org.ImportResult{}, ErrProblems
	}
	rows := make([]org.ImportRow, len(p.Rows))
	for i, r := range p.Rows {
		rows[i] = r.ImportRow
	}
	res, err := store.ImportStaff(ctx, actor, unitID, rows)
	return p, res, err
}

// newBook starts a workbook whose first sheet is the roster with its header.
func newBook() (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", dataSheet); err != nil {
		return nil, fmt.Errorf("roster: name sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"F2DCDB"}, Pattern: 1}})
	if err != nil {
		return nil, fmt.Errorf("roster: style: %w", err)
	}
	for i, c := range columns {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(dataSheet, name, name, c.Width); err != nil {
			return nil, fmt.Errorf("roster: width: %w", err)
		}
	}
	if err := f.SetCellStyle(dataSheet, "A1", cellName(len(columns), 1), bold); err != nil {
		return nil, fmt.Errorf("roster: header style: %w", err)
	}
	if err := f.SetPanes(dataSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("roster: freeze header: %w", err)
	}
	return f, nil
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

func headerRow() []any {
	row := make([]any, len(columns))
	for i, c := range columns {
		row[i] = c.Header
		if c.Required {
			row[i] = c.Header + "*"
		}
	}
	return row
}

// Template writes an empty roster with the unit's departments and branches
// offered as drop-down lists, and a sheet explaining each column.
func Template(w io.Writer, depts []org.Department, branches []org.Branch) error {
	f, err := newBook()
	if err != nil {
		return err
	}
	defer f.Close()
	header := headerRow()
	if err := f.SetSheetRow(dataSheet, "A1", &header); err != nil {
		return fmt.Errorf("roster: header: %w", err)
	}
	example := []any{"张三", "男", "A0001", "窗口工作人员", "", "", "中共党员", "13800000000", "", "在岗", "受理、审核本窗口业务"}
	if len(depts) > 0 {
		example[4] = depts[0].Name
	}
	if err := f.SetSheetRow(dataSheet, "A2", &example); err != nil {
		return fmt.Errorf("roster: example: %w", err)
	}
	if _, err := f.NewSheet(listSheet); err != nil {
		return fmt.Errorf("roster: list sheet: %w", err)
	}
	for i, d := range activeDepartments(depts) {
		f.SetCellValue(listSheet, cellName(1, i+1), d)
	}
	for i, b := range activeBranches(branches) {
		f.SetCellValue(listSheet, cellName(2, i+1), b)
	}
	lists := []struct {
		col  int
		list []string
		ref  string
	}{
		{col: 2, list: []string{"男", "女"}},
		{col: 5, ref: fmt.Sprintf("'%s'!$A$1:$A$%d", listSheet, max(1, len(activeDepartments(depts))))},
		{col: 6, ref: fmt.Sprintf("'%s'!$B$1:$B$%d", listSheet, max(1, len(activeBranches(branches))))},
		{col: 7, list: []string{"中共党员", "预备党员", "共青团员", "群众"}},
		{col: 10, list: []string{"在岗", "离职"}},
	}
	for _, l := range lists {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = cellName(l.col, 2) + ":" + cellName(l.col, maxRows+1)
		if l.ref != "" {
			dv.SetSqrefDropList(l.ref)
		} else if err := dv.SetDropList(l.list); err != nil {
			return fmt.Errorf("roster: drop list: %w", err)
		}
		if err := f.AddDataValidation(dataSheet, dv); err != nil {
			return fmt.Errorf("roster: validation: %w", err)
		}
	}
	if err := f.SetSheetVisible(listSheet, false); err != nil {
		return fmt.Errorf("roster: hide list: %w", err)
	}
	if _, err := f.NewSheet(helpSheet); err != nil {
		return fmt.Errorf("roster: help sheet: %w", err)
	}
	help := [][]any{
		{"列", "说明"},
		{"姓名*", "必填,最多 50 字"},
		{"性别", "男 或 女,可空"},
		{"工号*", "必填,本单位内唯一,字母、数字、- _ .;全角数字会自动转为半角。已有工号的人员会被更新"},
		{"职务", "最多 50 字"},
		{"科室/窗口*", "必填,须是系统中已有的科室或窗口名称(见下拉列表)"},
		{"党支部", "可空,须是系统中已有的支部名称"},
		{"政治面貌", "中共党员、预备党员、共青团员、群众;空白视为群众"},
		{"手机号码", "11 位手机号或带区号的固定电话,可空"},
		{"B岗工号", "该岗位备岗人员的工号,可以是本表中的人员"},
		{"状态", "在岗 或 离职;空白视为在岗"},
		{"岗位职责", "台签上显示的主要职责"},
		{"", "导入前会先预览并列出所有问题;有任何问题时不会导入任何一行。"},
	}
	for i, row := range help {
		if err := f.SetSheetRow(helpSheet, cellName(1, i+1), &row); err != nil {
			return fmt.Errorf("roster: help: %w", err)
		}
	}
	f.SetColWidth(helpSheet, "A", "A", 14)
	f.SetColWidth(helpSheet, "B", "B", 80)
	return f.Write(w)
}

func activeDepartments(depts []org.Department) []string {
	var out []string
	for _, d := range depts {
		if d.Active {
			out = append(out, d.Name)
		}
	}
	return out
}

func activeBranches(branches []org.Branch) []string {
	var out []string
	for _, b := range branches {
		if b.Active {
			out = append(out, b.Name)
		}
	}
	return out
}

// Export writes every staff member of the unit, active and former, in the
// import layout, so an exported file can be edited and imported back. Rows
// are streamed to keep memory flat for large units.
func Export(ctx context.Context, store *org.Store, unitID int64, w io.Writer) error {
	staff, _, err := store.StaffList(ctx, unitID, org.StaffFilter{})
	if err != nil {
		return err
	}
	byID := map[int64]string{}
	for _, s := range staff {
		byID[s.ID] = s.EmployeeNo
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", dataSheet); err != nil {
		return fmt.Errorf("roster: name sheet: %w", err)
	}
	sw, err := f.NewStreamWriter(dataSheet)
	if err != nil {
		return fmt.Errorf("roster: stream: %w", err)
	}
	for i, c := range columns {
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return fmt.Errorf("roster: width: %w", err)
		}
	}
	if err := sw.SetRow("A1", headerRow()); err != nil {
		return fmt.Errorf("roster: header: %w", err)
	}
	for i, s := range staff {
		state := "在岗"
		if !s.Active {
			state = "离职"
		}
		row := []any{s.Name, genderLabel[s.Gender], s.EmployeeNo, s.Post, s.DepartmentName, s.BranchName,
			statusLabel[s.PoliticalStatus], s.Phone, byID[s.BackupID], state, s.Duties}
		if err := sw.SetRow(cellName(1, i+2), row); err != nil {
			return fmt.Errorf("roster: row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("roster: flush: %w", err)
	}
	return f.Write(w)
}
