package scoring

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Excel writes a period's results: one sheet per level (rank, total,
// tier, vetoes, then each part's raw value, normalised value, weight and
// points, then bonuses and deductions) and a sheet of the formula. name
// turns a catalogue key into the reader's words.
func Excel(w io.Writer, title string, sc Scores, name func(key string, args ...any) string) error {
	f := excelize.NewFile()
	defer f.Close()
	first := true
	write := func(sheet string, rows [][]any) error {
		if first {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return err
			}
			first = false
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(sheet, cell, &row); err != nil {
				return fmt.Errorf("row %d: %w", i+1, err)
			}
		}
		f.SetColWidth(sheet, "B", "B", 20)
		return nil
	}
	for _, ls := range sc.Scheme.Levels {
		header := []any{name("scoring.rank"), name("scoring.level." + string(ls.Level)), name("scoring.total"), name("scoring.tier"), name("scoring.vetoes")}
		for _, p := range ls.Parts {
			ind := name("scoring.indicator." + p.Indicator)
			header = append(header, ind+" "+name("scoring.raw"), ind+" "+name("scoring.normalised"), ind+" "+name("scoring.points"))
		}
		for _, a := range append(append([]Adjustment{}, ls.Bonuses...), ls.Deductions...) {
			header = append(header, name("scoring.indicator."+a.Indicator))
		}
		rows := [][]any{{title + " " + sc.Period.Label() + " " + name("scoring.scheme_version", sc.SchemeVersion)}, header}
		for _, r := range sc.Levels[ls.Level] {
			tier, rank := "", any("")
			if r.Rank > 0 {
				rank, tier = r.Rank, name("activities.tier."+r.Tier)
			}
			var vetoes []string
			for _, v := range r.Vetoes {
				vetoes = append(vetoes, name("scoring.veto."+v.Rule))
			}
			row := []any{rank, r.Subject.Name, r.Total, tier, strings.Join(vetoes, "、")}
			for _, p := range r.Parts {
				raw := any(Indicators[p.Indicator].Format(p.Raw))
				if p.Gap != "" {
					raw = name("scoring.gap." + p.Gap)
				}
				row = append(row, raw, p.Normalised, p.Points)
			}
			for _, pair := range []struct {
				scheme []Adjustment
				got    []AdjustmentResult
			}{{ls.Bonuses, r.Bonuses}, {ls.Deductions, r.Deductions}} {
				for _, a := range pair.scheme {
					pts := 0.0
					for _, x := range pair.got {
						if x.Indicator == a.Indicator {
							pts = x.Points
						}
					}
					row = append(row, pts)
				}
			}
			rows = append(rows, row)
		}
		if err := write(name("scoring.level."+string(ls.Level)), rows); err != nil {
			return fmt.Errorf("scoring: sheet: %w", err)
		}
	}
	if err := write(name("scoring.formula"), formulaRows(sc.Scheme, name)); err != nil {
		return fmt.Errorf("scoring: formula sheet: %w", err)
	}
	return f.Write(w)
}

// formulaRows is the scheme as a reader recomputes it.
func formulaRows(sc Scheme, name func(string, ...any) string) [][]any {
	rows := [][]any{{name("scoring.formula_help")}}
	for _, ls := range sc.Levels {
		rows = append(rows, []any{}, []any{name("scoring.level." + string(ls.Level))},
			[]any{name("scoring.indicator"), name("scoring.weight"), name("scoring.normalise"), name("scoring.full"), name("scoring.min_sample"), name("scoring.calibrated")})
		for _, p := range ls.Parts {
			full := any("")
			if p.Normalise == NormaliseScale {
				full = p.Full
			}
			cal := ""
			if p.Calibrated {
				cal = "✓"
			}
			rows = append(rows, []any{name("scoring.indicator." + p.Indicator), p.Weight, name("scoring.normalise." + p.Normalise), full, p.MinSample, cal})
		}
		for _, a := range ls.Bonuses {
			rows = append(rows, []any{name("scoring.bonus") + ":" + name("scoring.indicator."+a.Indicator), name("scoring.per_unit_cap", a.PerUnit, a.Cap)})
		}
		for _, a := range ls.Deductions {
			rows = append(rows, []any{name("scoring.deduction") + ":" + name("scoring.indicator."+a.Indicator), name("scoring.per_unit_cap", a.PerUnit, a.Cap)})
		}
		rows = append(rows, []any{name("scoring.missing." + ls.Missing)})
	}
	var vetoes []string
	for _, v := range sc.Vetoes {
		vetoes = append(vetoes, name("scoring.veto."+v))
	}
	rows = append(rows, []any{}, []any{name("scoring.vetoes"), strings.Join(vetoes, "、")},
		[]any{name("scoring.tiers_are", sc.Tiers.Leading, sc.Tiers.Lagging)})
	return rows
}
