package web

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"wuliang/internal/locale"
	"wuliang/internal/scoring"
	"wuliang/internal/textnorm"
)

// blankRows are the empty rows the editor offers under each list, to add
// a part, a bonus or a deduction.
const blankRows = 2

type schemeLevel struct {
	Level      scoring.Level
	On         bool
	Missing    string
	Parts      []schemeRow
	Bonuses    []schemeRow
	Deductions []schemeRow
}

// schemeRow is one row of the editor as typed, so a refused form comes
// back exactly as it was sent.
type schemeRow struct {
	Field                              string // the form name's prefix: window.parts.0
	Indicator, Weight, Normalise, Full string
	MinSample, PerUnit, Cap            string
	Calibrated                         bool
}

type schemeData struct {
	Levels     []schemeLevel
	Vetoes     []string
	Rules      []scoring.VetoRule
	Leading    string
	Lagging    string
	Note       string
	Current    scoring.Version
	Versions   []scoring.Version
	Indicators []scoring.Indicator
}

// blank reports whether nothing was typed into the row.
func (r schemeRow) blank() bool {
	return r.Indicator == "" && r.Weight == "" && r.Full == "" && r.MinSample == "" && r.PerUnit == "" && r.Cap == ""
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// schemeForm lays a scheme out as the editor's rows.
func schemeForm(sc scoring.Scheme) schemeData {
	d := schemeData{Vetoes: sc.Vetoes, Leading: strconv.Itoa(sc.Tiers.Leading), Lagging: strconv.Itoa(sc.Tiers.Lagging)}
	for _, level := range scoring.Levels {
		sl := schemeLevel{Level: level, Missing: scoring.MissingZero}
		if i := slices.IndexFunc(sc.Levels, func(ls scoring.LevelScheme) bool { return ls.Level == level }); i >= 0 {
			ls := sc.Levels[i]
			sl.On, sl.Missing = true, ls.Missing
			for _, p := range ls.Parts {
				sl.Parts = append(sl.Parts, schemeRow{Indicator: p.Indicator, Weight: num(p.Weight), Normalise: p.Normalise,
					Full: blankZero(p.Full), MinSample: strconv.Itoa(p.MinSample), Calibrated: p.Calibrated})
			}
			for _, a := range ls.Bonuses {
				sl.Bonuses = append(sl.Bonuses, schemeRow{Indicator: a.Indicator, PerUnit: num(a.PerUnit), Cap: num(a.Cap)})
			}
			for _, a := range ls.Deductions {
				sl.Deductions = append(sl.Deductions, schemeRow{Indicator: a.Indicator, PerUnit: num(a.PerUnit), Cap: num(a.Cap)})
			}
		}
		d.Levels = append(d.Levels, sl)
	}
	d.numberRows()
	return d
}

// numberRows gives each list its blank rows (once: a refused form sent
// back keeps its count) and names every row's fields.
func (d *schemeData) numberRows() {
	for i := range d.Levels {
		l := &d.Levels[i]
		for kind, rows := range map[string]*[]schemeRow{"parts": &l.Parts, "bonuses": &l.Bonuses, "deductions": &l.Deductions} {
			for n := len(*rows); n > 0 && (*rows)[n-1].blank(); n-- {
				*rows = (*rows)[:n-1]
			}
			for range blankRows {
				*rows = append(*rows, schemeRow{Normalise: scoring.NormaliseScale})
			}
			for j := range *rows {
				(*rows)[j].Field = fmt.Sprintf("%s.%s.%d", l.Level, kind, j)
			}
		}
	}
}

// readScheme reads the editor's form. Rows left without an indicator are
// dropped; the problems of the rest are named by the rows as the form
// numbered them.
func readScheme(r *http.Request) (schemeData, scoring.Scheme, locale.Problems) {
	var ps locale.Problems
	number := func(field string) (float64, string) {
		raw := strings.TrimSpace(textnorm.FoldWidth(r.PostFormValue(field)))
		if raw == "" {
			return 0, raw
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || f != f {
			ps.Add(field, "scoring.number_invalid")
		}
		return f, raw
	}
	d := schemeData{Vetoes: r.PostForm["vetoes"], Note: r.PostFormValue("note")}
	var sc scoring.Scheme
	sc.Vetoes = d.Vetoes
	var renames = map[string]string{}
	for _, level := range scoring.Levels {
		l := string(level)
		sl := schemeLevel{Level: level, On: r.PostFormValue(l+".on") != "", Missing: r.PostFormValue(l + ".missing")}
		ls := scoring.LevelScheme{Level: level, Missing: sl.Missing}
		for j := 0; j < 40; j++ {
			f := fmt.Sprintf("%s.parts.%d", l, j)
			if _, sent := r.PostForm[f+".indicator"]; !sent {
				break
			}
			row := schemeRow{Field: f, Indicator: r.PostFormValue(f + ".indicator"), Normalise: r.PostFormValue(f + ".normalise"),
				Calibrated: r.PostFormValue(f+".calibrated") != ""}
			var p scoring.Part
			p.Weight, row.Weight = number(f + ".weight")
			p.Full, row.Full = number(f + ".full")
			var ms float64
			ms, row.MinSample = number(f + ".min_sample")
			if ms != float64(int(ms)) {
				ps.Add(f+".min_sample", "scoring.min_sample_invalid")
			}
			sl.Parts = append(sl.Parts, row)
			if row.Indicator == "" {
				continue
			}
			p.Indicator, p.Normalise, p.MinSample, p.Calibrated = row.Indicator, row.Normalise, int(ms), row.Calibrated
			renames[fmt.Sprintf("%s.parts.%d.", l, len(ls.Parts))] = f + "."
			ls.Parts = append(ls.Parts, p)
		}
		for _, kind := range []string{"bonuses", "deductions"} {
			var list []scoring.Adjustment
			for j := 0; j < 20; j++ {
				f := fmt.Sprintf("%s.%s.%d", l, kind, j)
				if _, sent := r.PostForm[f+".indicator"]; !sent {
					break
				}
				row := schemeRow{Field: f, Indicator: r.PostFormValue(f + ".indicator")}
				var a scoring.Adjustment
				a.PerUnit, row.PerUnit = number(f + ".per_unit")
				a.Cap, row.Cap = number(f + ".cap")
				if kind == "bonuses" {
					sl.Bonuses = append(sl.Bonuses, row)
				} else {
					sl.Deductions = append(sl.Deductions, row)
				}
				if row.Indicator == "" {
					continue
				}
				a.Indicator = row.Indicator
				renames[fmt.Sprintf("%s.%s.%d.", l, kind, len(list))] = f + "."
				list = append(list, a)
			}
			if kind == "bonuses" {
				ls.Bonuses = list
			} else {
				ls.Deductions = list
			}
		}
		d.Levels = append(d.Levels, sl)
		if sl.On {
			sc.Levels = append(sc.Levels, ls)
		}
	}
	lead, raw := number("tiers.leading")
	d.Leading = raw
	lag, raw := number("tiers.lagging")
	d.Lagging = raw
	sc.Tiers = scoring.Tiers{Leading: int(lead), Lagging: int(lag)}
	if lead != float64(int(lead)) || lag != float64(int(lag)) {
		ps.Add("tiers", "scoring.tiers_invalid")
	}
	if len(ps) == 0 {
		for _, p := range sc.Check(scoring.Indicators) {
			for from, to := range renames {
				if strings.HasPrefix(p.Field, from) {
					p.Field = to + strings.TrimPrefix(p.Field, from)
					break
				}
			}
			ps = append(ps, p)
		}
	}
	return d, sc, ps
}

func (s *Server) schemePage(w http.ResponseWriter, r *http.Request, status int, d *schemeData, ps locale.Problems) {
	st := current(r)
	cur, err := s.schemes.Current(r.Context(), st.unit.ID)
	var versions []scoring.Version
	if err == nil {
		versions, err = s.schemes.Versions(r.Context(), st.unit.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d == nil {
		form := schemeForm(cur.Scheme)
		d = &form
	}
	d.Current, d.Versions, d.Rules = cur, versions, scoring.VetoRules
	for _, key := range slices.Sorted(maps.Keys(scoring.Indicators)) {
		d.Indicators = append(d.Indicators, scoring.Indicators[key])
	}
	s.render(w, r, status, "score_scheme", "title.score_scheme", d, ps)
}

// schemeShow is the scheme editor with the version in force.
func (s *Server) schemeShow(w http.ResponseWriter, r *http.Request) {
	s.schemePage(w, r, http.StatusOK, nil, nil)
}

// schemeSave checks the edited scheme and saves it as the next version;
// a refused one comes back as typed, the version in force unchanged.
func (s *Server) schemeSave(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	d, sc, ps := readScheme(r)
	if len(ps) == 0 {
		_, err := s.schemes.Save(r.Context(), actorOf(r), st.unit.ID, sc, d.Note)
		if err == nil {
			s.redirect(w, r, "/scores/scheme", "flash.saved")
			return
		}
		var ok bool
		if ps, ok = locale.AsProblems(err); !ok {
			s.fail(w, r, err)
			return
		}
	}
	d.numberRows()
	s.schemePage(w, r, http.StatusBadRequest, &d, ps)
}

// blankZero leaves a field empty where the scheme has no value.
func blankZero(f float64) string {
	if f == 0 {
		return ""
	}
	return num(f)
}
