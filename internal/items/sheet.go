package items

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
	"wuliang/internal/workbook"
)

// Items travel through Excel as two sheets: 服务事项, one row per item with
// its eight disclosures, and 申请材料, one row per material naming its
// item. The export is also the template: fill it in and import it back.
const (
	itemSheet     = "服务事项"
	materialSheet = "申请材料"
	maxSheetRows  = 5000
)

var itemHeader = []string{"事项编码", "事项名称*", "受理窗口", "政策依据", "前置条件", "办理程序", "收费依据", "收费标准", "办理时限(工作日)", "承办单位", "联系方式", "承办人工号"}
var materialHeader = []string{"事项名称*", "材料名称*", "形式", "份数", "备注"}

var formNames = map[string]string{"原件": FormOriginal, "复印件": FormCopy, "原件和复印件": FormBoth, "": FormOriginal}
var formLabels = map[string]string{FormOriginal: "原件", FormCopy: "复印件", FormBoth: "原件和复印件"}

// Export writes the items in the sheet layout.
func Export(w io.Writer, list []Item) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", itemSheet); err != nil {
		return fmt.Errorf("items: sheet: %w", err)
	}
	if _, err := f.NewSheet(materialSheet); err != nil {
		return fmt.Errorf("items: sheet: %w", err)
	}
	rows := [][]any{toAny(itemHeader)}
	mrows := [][]any{toAny(materialHeader)}
	for _, it := range list {
		var nos []string
		for _, h := range it.Handlers {
			nos = append(nos, h.EmployeeNo)
		}
		rows = append(rows, []any{it.Code, it.Name, it.DepartmentName, it.PolicyBasis, it.Preconditions, strings.Join(it.Procedure, "\n"),
			it.FeeBasis, it.FeeStandard, it.TimeLimitDays, it.HandlingUnit, it.Contact, strings.Join(nos, " ")})
		for _, m := range it.Materials {
			mrows = append(mrows, []any{it.Name, m.Name, formLabels[m.Form], m.Copies, m.Note})
		}
	}
	for sheet, all := range map[string][][]any{itemSheet: rows, materialSheet: mrows} {
		for i, r := range all {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &r); err != nil {
				return fmt.Errorf("items: row %d: %w", i+1, err)
			}
		}
	}
	f.SetColWidth(itemSheet, "B", "B", 28)
	f.SetColWidth(itemSheet, "D", "F", 30)
	f.SetColWidth(materialSheet, "A", "B", 28)
	return f.Write(w)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// SheetProblem is one thing wrong at a sheet, row and column.
type SheetProblem struct {
	Sheet  string
	Line   int
	Column string
	Err    *locale.Error
}

// Lookups are the unit's names a sheet refers to.
type Lookups struct {
	Windows map[string]int64 // active department name → id
	Staff   map[string]int64 // active employee number → id
}

// Parse reads an items workbook. A file that cannot be read returns a
// *locale.Error; problems in cells are all returned, with nothing imported.
func Parse(data []byte, lk Lookups) ([]Input, []SheetProblem, error) {
	f, err := workbook.Open(data, workbook.Uploads)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rows, err := f.GetRows(itemSheet)
	if err != nil || len(rows) == 0 {
		return nil, nil, locale.NewError("items.sheet_missing", itemSheet)
	}
	if len(rows) > maxSheetRows {
		return nil, nil, locale.NewError("roster.too_many_rows", maxSheetRows)
	}
	for i, r := range rows {
		if err := workbook.Uploads.CheckRow(i+1, r); err != nil {
			return nil, nil, err
		}
	}
	var ps []SheetProblem
	add := func(sheet string, line int, col string, key string, args ...any) {
		ps = append(ps, SheetProblem{Sheet: sheet, Line: line, Column: col, Err: locale.NewError(key, args...)})
	}
	var list []Input
	byName := map[string]int{} // item name → its line, for messages
	index := map[string]int{}  // item name → its place in list
	for i, r := range rows[1:] {
		line := i + 2
		cell := func(n int) string {
			if n < len(r) {
				return r[n]
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		in := Input{Code: cell(0), Name: cell(1), PolicyBasis: cell(3), Preconditions: cell(4),
			Procedure: strings.NewReplacer("；", "\n", ";", "\n").Replace(cell(5)), FeeBasis: cell(6), FeeStandard: cell(7),
			HandlingUnit: cell(9), Contact: cell(10)}
		if w := textnorm.CleanText(cell(2)); w != "" {
			if in.DepartmentID = lk.Windows[w]; in.DepartmentID == 0 {
				add(itemSheet, line, "受理窗口", "roster.department_unknown", w)
			}
		}
		days := textnorm.FoldWidth(cell(8))
		if days == "" {
			days = "0"
		}
		if in.TimeLimitDays, err = strconv.Atoi(days); err != nil {
			add(itemSheet, line, "办理时限(工作日)", "item.time_limit_number")
		}
		for _, no := range org.EmployeeNos(cell(11)) {
			if id := lk.Staff[no]; id != 0 {
				in.HandlerIDs = append(in.HandlerIDs, id)
			} else {
				add(itemSheet, line, "承办人工号", "error.staff_no_unknown", no)
			}
		}
		in.Normalize()
		for _, p := range in.Validate() {
			add(itemSheet, line, "事项名称", p.Err.Key, p.Err.Args...)
		}
		if first, dup := byName[in.Name]; dup && in.Name != "" {
			add(itemSheet, line, "事项名称", "items.name_repeated", in.Name, first)
		}
		byName[in.Name] = line
		index[in.Name] = len(list)
		list = append(list, in)
	}
	if len(list) == 0 {
		return nil, nil, locale.NewError("roster.no_rows")
	}
	mrows, _ := f.GetRows(materialSheet)
	if len(mrows) > maxSheetRows {
		return nil, nil, locale.NewError("roster.too_many_rows", maxSheetRows)
	}
	for i, r := range mrows {
		if err := workbook.Uploads.CheckRow(i+1, r); err != nil {
			return nil, nil, err
		}
		if i == 0 || strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		cell := func(n int) string {
			if n < len(r) {
				return textnorm.CleanText(r[n])
			}
			return ""
		}
		idx, ok := index[cell(0)]
		if !ok {
			add(materialSheet, i+1, "事项名称", "items.material_item_unknown", cell(0))
			continue
		}
		form, okForm := formNames[cell(2)]
		if !okForm {
			add(materialSheet, i+1, "形式", "items.material_form_unknown", cell(2))
		}
		copies := 1
		if c := textnorm.FoldWidth(cell(3)); c != "" {
			if copies, err = strconv.Atoi(c); err != nil {
				copies = 0
			}
		}
		list[idx].Materials = append(list[idx].Materials, Material{Name: cell(1), Form: form, Copies: copies, Note: cell(4)})
	}
	for _, in := range list {
		for _, p := range in.Validate() {
			if p.Field == "materials" {
				add(materialSheet, 0, in.Name, p.Err.Key, p.Err.Args...)
			}
		}
	}
	return list, ps, nil
}

// ImportResult counts what an import did.
type ImportResult struct{ Created, Updated int }

// Import writes every input, matched to existing items by name, in one
// transaction: all of them or none.
func (s *Store) Import(ctx context.Context, actor audit.Actor, unitID int64, list []Input) (ImportResult, error) {
	var res ImportResult
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		for _, in := range list {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM items WHERE unit_id = $1 AND name = $2`, unitID, in.Name).Scan(&id)
			if err == nil {
				if err := s.update(ctx, tx, actor, unitID, id, in); err != nil {
					return fmt.Errorf("%s: %w", in.Name, err)
				}
				res.Updated++
				continue
			}
			if _, err := s.create(ctx, tx, actor, unitID, in); err != nil {
				return fmt.Errorf("%s: %w", in.Name, err)
			}
			res.Created++
		}
		return nil
	})
	return res, err
}
