package efficiency

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

var header = []any{"登记件数", "受理件数", "办结件数", "按时办结率", "平均办结用时(工作日)", "超期件数", "期末超期未办结", "一次性告知违规", "考勤抽查缺岗"}

func (f Figures) cells() []any {
	return []any{f.Registered, f.Accepted, f.Completed, f.OnTimeRate(), f.AverageDays(), f.Overdue, f.OpenOverdue, f.Breaches, f.Absences}
}

// Excel writes the report as a workbook: one sheet of windows, one of people.
func (r Report) Excel(w io.Writer, unitName string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "窗口"); err != nil {
		return fmt.Errorf("efficiency: sheet: %w", err)
	}
	if _, err := f.NewSheet("个人"); err != nil {
		return fmt.Errorf("efficiency: sheet: %w", err)
	}
	title := []any{unitName + " 效能公示 " + r.Period.Label()}
	windows := [][]any{title, append([]any{"窗口号", "窗口"}, header...)}
	for _, w := range r.Windows {
		windows = append(windows, append([]any{w.WindowNo, w.Name}, w.cells()...))
	}
	windows = append(windows, append([]any{"", "合计"}, r.Total.cells()...))
	people := [][]any{title, append([]any{"姓名", "窗口"}, header...)}
	for _, p := range r.People {
		people = append(people, append([]any{p.Name, p.Window}, p.cells()...))
	}
	for sheet, rows := range map[string][][]any{"窗口": windows, "个人": people} {
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				return fmt.Errorf("efficiency: row %d: %w", i+1, err)
			}
		}
		f.SetColWidth(sheet, "B", "B", 22)
		f.SetColWidth(sheet, "C", "K", 12)
	}
	return f.Write(w)
}
