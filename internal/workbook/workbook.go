// Package workbook writes one-sheet Excel files: a title row, a header and
// the rows, which is what most of the office's exports are.
package workbook

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Sheet is one sheet's content. Widths are column widths in characters,
// from column A on; a missing width leaves Excel's default.
type Sheet struct {
	Name   string
	Title  string // the first row, left out when empty
	Header []string
	Rows   [][]any
	Widths []float64
}

// Write writes the sheet as an .xlsx file.
func (s Sheet) Write(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", s.Name); err != nil {
		return fmt.Errorf("workbook: sheet name: %w", err)
	}
	var rows [][]any
	if s.Title != "" {
		rows = append(rows, []any{s.Title})
	}
	header := make([]any, len(s.Header))
	for i, h := range s.Header {
		header[i] = h
	}
	rows = append(append(rows, header), s.Rows...)
	for i, row := range rows {
		at, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(s.Name, at, &row); err != nil {
			return fmt.Errorf("workbook: row %d: %w", i+1, err)
		}
	}
	for i, width := range s.Widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(s.Name, col, col, width)
	}
	return f.Write(w)
}
