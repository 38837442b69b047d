package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"wuliang/internal/locale"
	"wuliang/internal/scoring"
	"wuliang/internal/textnorm"
)

type whatIfData struct {
	scoreView
	Weights []string // as typed, one per part of the level
	Rows    []whatIfRow
	Sum     float64
}

type whatIfRow struct {
	Subject       scoring.Subject
	Before, Tried scoring.Result
	Move          int // places up (positive) or down
}

// scoreWhatIf tries other weights on a frozen period's figures and shows
// who would move, side by side; nothing is saved or published.
func (s *Server) scoreWhatIf(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	v, err := s.loadScores(r, st.unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Frozen == nil {
		s.errorPage(w, r, http.StatusBadRequest, "scoring.whatif_needs_frozen")
		return
	}
	d := whatIfData{scoreView: v}
	tried := v.Scores.Scheme
	tried.Levels = slices.Clone(tried.Levels)
	var ps locale.Problems
	for i, ls := range tried.Levels {
		if ls.Level != v.Level {
			continue
		}
		parts := slices.Clone(ls.Parts)
		for j := range parts {
			field := "w" + strconv.Itoa(j)
			raw := strings.TrimSpace(textnorm.FoldWidth(r.URL.Query().Get(field)))
			if raw != "" {
				f, err := strconv.ParseFloat(raw, 64)
				if err != nil || !(f >= 0 && f <= 100) {
					ps.Add(field, "scoring.weight_invalid")
				} else {
					parts[j].Weight = f
				}
			}
			d.Weights = append(d.Weights, num(parts[j].Weight))
			d.Sum += parts[j].Weight
		}
		ls.Parts = parts
		tried.Levels[i] = ls
	}
	if len(ps) == 0 {
		after := scoring.Recompute(v.Scores, tried)
		before := map[int64]scoring.Result{}
		for _, x := range v.Scores.Levels[v.Level] {
			before[x.Subject.ID] = x
		}
		for _, x := range after.Levels[v.Level] {
			b := before[x.Subject.ID]
			row := whatIfRow{Subject: x.Subject, Before: b, Tried: x}
			if b.Rank > 0 && x.Rank > 0 {
				row.Move = b.Rank - x.Rank
			}
			d.Rows = append(d.Rows, row)
		}
		sortByRank(d.Rows)
	}
	s.render(w, r, http.StatusOK, "score_whatif", "title.score_whatif", d, ps)
}

// sortByRank puts the tried ranking first to last, the unranked after.
func sortByRank(rows []whatIfRow) {
	key := func(x whatIfRow) int {
		if x.Tried.Rank == 0 {
			return 1 << 30
		}
		return x.Tried.Rank
	}
	slices.SortStableFunc(rows, func(a, b whatIfRow) int { return key(a) - key(b) })
}
