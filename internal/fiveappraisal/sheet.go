package fiveappraisal

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/locale"
)

// Excel writes the result table: per person each part's score, the total,
// the proposed and the confirmed grade. withNotes adds the office's
// override reasons and follow-up plans; the hall's copy has none. Peer
// grades appear only as the part's score and the number of votes.
func Excel(w io.Writer, unitName string, r Round, list []Result, withNotes bool) error {
	p := locale.NewPrinter(locale.Default)
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "五评结果"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("fiveappraisal: sheet: %w", err)
	}
	header := []any{"名次", "姓名", "支部"}
	for i, part := range Parts {
		header = append(header, fmt.Sprintf("%s(%d%%)", p.Get("five.part_"+part), r.Weights[i]))
	}
	header = append(header, "互评票数", "加权总分", "建议等次", "确定等次")
	if withNotes {
		header = append(header, "调整理由", "帮扶计划", "群众测评来源")
	}
	rows := [][]any{{unitName + " " + r.Title + "(" + r.PeriodFrom + " 至 " + r.PeriodTo + ")"}, header}
	for _, x := range list {
		rank := any(x.Rank)
		if x.Rank == 0 {
			rank = "—"
		}
		row := []any{rank, x.Name, x.Branch}
		for _, s := range x.Scores {
			row = append(row, cell(s))
		}
		row = append(row, x.PeerVotes, cell(x.Total), gradeName(p, x.Proposed), gradeName(p, x.Grade))
		if withNotes {
			row = append(row, x.OverrideReason, x.FollowupPlan, x.PublicSource)
		}
		rows = append(rows, row)
	}
	for i, row := range rows {
		at, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, at, &row); err != nil {
			return fmt.Errorf("fiveappraisal: row %d: %w", i+1, err)
		}
	}
	f.SetColWidth(sheet, "B", "C", 16)
	f.SetColWidth(sheet, "D", "L", 12)
	return f.Write(w)
}

// cell is a score as a number in the sheet, empty when not given.
func cell(centi *int) any {
	if centi == nil {
		return ""
	}
	return float64(*centi) / 100
}

func gradeName(p *locale.Printer, key string) string {
	if key == "" {
		return ""
	}
	return p.Get("five.grade_" + key)
}
