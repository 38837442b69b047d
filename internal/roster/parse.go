package roster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
	"wuliang/internal/workbook"
)

// Row is one person read from the roster.
type Row struct {
	Line       int // the sheet's row number, as Excel shows it
	Department string
	Branch     string
	org.ImportRow
	State  string // the 状态 cell as written
	Exists bool   // the employee number is already in the unit: an update
}

// Problem is one thing wrong at a row and column of the roster.
type Problem struct {
	Line   int
	Column string
	Err    *locale.Error
}

// Preview is what the user sees before confirming an import.
type Preview struct {
	Rows     []Row
	Problems []Problem
	New      int
	Updated  int
}

// OK is true when the roster can be imported.
func (p *Preview) OK() bool { return len(p.Problems) == 0 }

// Lookups are the unit's names that roster cells refer to.
type Lookups struct {
	Departments map[string]int64 // active department name → id
	Branches    map[string]int64 // active branch name → id
	Staff       map[string]bool  // employee numbers already in the unit
}

// LoadLookups reads what a roster of the unit may refer to.
func LoadLookups(ctx context.Context, store *org.Store, unitID int64) (Lookups, error) {
	lk := Lookups{Departments: map[string]int64{}, Branches: map[string]int64{}, Staff: map[string]bool{}}
	depts, err := store.Departments(ctx, unitID)
	if err != nil {
		return lk, err
	}
	for _, d := range depts {
		if d.Active {
			lk.Departments[d.Name] = d.ID
		}
	}
	branches, err := store.Branches(ctx, unitID)
	if err != nil {
		return lk, err
	}
	for _, b := range branches {
		if b.Active {
			lk.Branches[b.Name] = b.ID
		}
	}
	staff, _, err := store.StaffList(ctx, unitID, org.StaffFilter{})
	if err != nil {
		return lk, err
	}
	for _, s := range staff {
		lk.Staff[s.EmployeeNo] = true
	}
	return lk, nil
}

// Parse reads a roster workbook and checks every row against lk. A file that
// cannot be read at all returns a *locale.Error; problems with rows and
// cells are collected in the preview, all of them, so the user fixes the
// sheet once.
func Parse(data []byte, lk Lookups) (*Preview, error) {
	f, err := workbook.Open(data, workbook.Uploads)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheet := dataSheet
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		sheet = f.GetSheetName(f.GetActiveSheetIndex())
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, locale.NewError("roster.not_excel")
	}
	defer rows.Close()

	p := &Preview{}
	var index map[string]int // header → column position
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns()
		if err != nil {
			return nil, locale.NewError("roster.not_excel")
		}
		if err := workbook.Uploads.CheckRow(line, cells); err != nil {
			return nil, err
		}
		if index == nil {
			if blank(cells) {
				continue
			}
			if index, err = headerIndex(cells); err != nil {
				return nil, err
			}
			continue
		}
		if blank(cells) {
			continue
		}
		if len(p.Rows) >= maxRows {
			return nil, locale.NewError("roster.too_many_rows", maxRows)
		}
		p.Rows = append(p.Rows, readRow(line, cells, index))
	}
	if err := rows.Error(); err != nil {
		return nil, locale.NewError("roster.not_excel")
	}
	if index == nil {
		return nil, locale.NewError("roster.no_header")
	}
	if len(p.Rows) == 0 {
		return nil, locale.NewError("roster.no_rows")
	}
	p.check(lk)
	return p, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if textnorm.CleanText(c) != "" {
			return false
		}
	}
	return true
}

// headerIndex maps each known column to its position in the header row.
func headerIndex(cells []string) (map[string]int, error) {
	index := map[string]int{}
	for i, c := range cells {
		h := textnorm.CleanText(strings.TrimSuffix(textnorm.CleanText(c), "*"))
		for _, col := range columns {
			if h == col.Header || slices.Contains(col.Aliases, h) {
				if _, dup := index[col.Header]; !dup {
					index[col.Header] = i
				}
			}
		}
	}
	var missing []string
	for _, col := range columns {
		if _, ok := index[col.Header]; col.Required && !ok {
			missing = append(missing, col.Header)
		}
	}
	if len(missing) > 0 {
		return nil, locale.NewError("roster.missing_columns", strings.Join(missing, "、"))
	}
	return index, nil
}

func readRow(line int, cells []string, index map[string]int) Row {
	cell := func(header string) string {
		i, ok := index[header]
		if !ok || i >= len(cells) {
			return ""
		}
		return cells[i]
	}
	r := Row{Line: line}
	r.Name = cell("姓名")
	r.Gender = textnorm.CleanText(cell("性别"))
	r.EmployeeNo = cell("工号")
	r.Post = cell("职务")
	r.Department = textnorm.CleanText(cell("科室/窗口"))
	r.Branch = textnorm.CleanText(cell("党支部"))
	r.PoliticalStatus = textnorm.CleanText(cell("政治面貌"))
	r.Phone = cell("手机号码")
	r.BackupEmployeeNo = textnorm.FoldWidth(cell("B岗工号"))
	r.Duties = cell("岗位职责")
	r.State = textnorm.CleanText(cell("状态"))
	return r
}

// check normalises every row and collects its problems.
func (p *Preview) check(lk Lookups) {
	seen := map[string]int{} // employee number → first line
	for i := range p.Rows {
		seen[textnorm.FoldWidth(p.Rows[i].EmployeeNo)] = 0
	}
	for i := range p.Rows {
		r := &p.Rows[i]
		add := func(field, key string, args ...any) {
			p.Problems = append(p.Problems, Problem{Line: r.Line, Column: headerOf(field), Err: locale.NewError(key, args...)})
		}
		gender, okGender := genderNames[r.Gender]
		status, okStatus := statusNames[r.PoliticalStatus]
		rawGender, rawStatus := r.Gender, r.PoliticalStatus
		r.Gender, r.PoliticalStatus = gender, status
		r.DepartmentID = lk.Departments[r.Department]
		r.BranchID = lk.Branches[r.Branch]
		r.Normalize()
		for _, pr := range r.Validate() {
			if pr.Field == "department" || pr.Field == "gender" || pr.Field == "political_status" {
				continue // reported below with the cell's own value
			}
			add(pr.Field, pr.Err.Key, pr.Err.Args...)
		}
		if !okGender {
			add("gender", "roster.gender_invalid", textnorm.Abbreviate(rawGender, 20))
		}
		active, okActive := activeNames[r.State]
		r.Active = active || !okActive
		if !okActive {
			add("active", "roster.state_invalid", textnorm.Abbreviate(r.State, 20))
		}
		if !okStatus {
			add("political_status", "roster.status_invalid", textnorm.Abbreviate(rawStatus, 20))
		}
		switch {
		case r.Department == "":
			add("department", "error.department_required")
		case r.DepartmentID == 0:
			add("department", "roster.department_unknown", textnorm.Abbreviate(r.Department, 30))
		}
		if r.Branch != "" && r.BranchID == 0 {
			add("branch", "roster.branch_unknown", textnorm.Abbreviate(r.Branch, 30))
		}
		if r.EmployeeNo != "" {
			if first := seen[r.EmployeeNo]; first != 0 {
				add("employee_no", "roster.employee_no_duplicate", r.EmployeeNo, first)
			} else {
				seen[r.EmployeeNo] = r.Line
			}
		}
		if b := r.BackupEmployeeNo; b != "" {
			_, inFile := seen[b]
			switch {
			case b == r.EmployeeNo:
				add("backup", "error.backup_self")
			case !inFile && !lk.Staff[b]:
				add("backup", "roster.backup_unknown", textnorm.Abbreviate(b, 32))
			}
		}
		r.Exists = lk.Staff[r.EmployeeNo]
		if r.Exists {
			p.Updated++
		} else {
			p.New++
		}
	}
}

func headerOf(field string) string {
	for _, c := range columns {
		if c.Field == field {
			return c.Header
		}
	}
	return ""
}

// ErrProblems is returned by Import when the roster has problems; the
// preview holds them.
var ErrProblems = errors.New("roster: the roster has problems")

// FormatProblem renders a problem for the command line.
func FormatProblem(pr Problem) string {
	where := "第 " + strconv.Itoa(pr.Line) + " 行"
	if pr.Column != "" {
		where += "「" + pr.Column + "」"
	}
	return fmt.Sprintf("%s:%s", where, pr.Err.Error())
}
