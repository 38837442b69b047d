package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Excel writes the report as a workbook: every part's figures, now, before
// and the change, in one sheet the office can file or forward.
func (r Report) Excel(w io.Writer, unitName string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "工作报告"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("report: sheet: %w", err)
	}
	rows := [][]any{
		{fmt.Sprintf("%s 领导小组工作报告 %s(第 %d 版)", unitName, r.Label, r.Version)},
		{"部分", "指标", "单位", r.Label, r.Previous, "变化"},
	}
	for _, s := range r.Sections {
		for _, m := range s.Metrics {
			rows = append(rows, []any{s.Title, m.Label, m.Unit, cell(m.Now), cell(m.Before), m.Change()})
		}
		if s.Note != "" {
			rows = append(rows, []any{s.Title, "说明", s.Note})
		}
	}
	for i, row := range rows {
		at, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, at, &row); err != nil {
			return fmt.Errorf("report: row %d: %w", i+1, err)
		}
	}
	f.SetColWidth(sheet, "A", "A", 18)
	f.SetColWidth(sheet, "B", "B", 22)
	f.SetColWidth(sheet, "C", "C", 8)
	f.SetColWidth(sheet, "D", "F", 16)
	return f.Write(w)
}

// cell is a figure as a number Excel can sum, or empty.
func cell(v *float64) any {
	if v == nil {
		return ""
	}
	return *v
}
