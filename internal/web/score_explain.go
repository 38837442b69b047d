package web

import (
	"html/template"
	"net/http"
	"slices"

	"wuliang/internal/scoring"
)

type scoreExplainData struct {
	scoreView
	Explain scoring.Explanation
	// Parts pairs each part of the formula with the facts behind it.
	Parts       []explainedPart
	Adjustments []explainedAdjustment
	Of          int // how many were ranked at the level
	Chart       template.HTML
}

type explainedPart struct {
	Part   scoring.Part
	Result scoring.PartResult
	Def    scoring.Indicator
	Facts  []scoring.FactRef
}

type explainedAdjustment struct {
	Bonus      bool
	Adjustment scoring.Adjustment
	Result     *scoring.AdjustmentResult
	Facts      []scoring.FactRef
}

// scoreExplain opens one total to its parts, each part to its dated facts.
func (s *Server) scoreExplain(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	level := scoring.Level(r.PathValue("level"))
	id, ok := pathID(r, "id")
	if !ok || !slices.Contains(scoring.Levels, level) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	staff, err := s.staffByID(r, st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !mayOpenScore(st.user, level, id, staff) {
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		return
	}
	q := r.URL.Query()
	q.Set("level", string(level))
	r.URL.RawQuery = q.Encode()
	v, err := s.loadScores(r, st.unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := scoreExplainData{scoreView: v}
	if d.Explain, err = s.scoring.Explain(r.Context(), st.unit.ID, v.Scores, level, id, v.Frozen != nil); err != nil {
		s.fail(w, r, err)
		return
	}
	res := d.Explain.Result
	for i, p := range v.Scheme.Parts {
		d.Parts = append(d.Parts, explainedPart{Part: p, Result: res.Parts[i], Def: scoring.Indicators[p.Indicator], Facts: d.Explain.Facts[p.Indicator]})
	}
	find := func(list []scoring.AdjustmentResult, ind string) *scoring.AdjustmentResult {
		for i := range list {
			if list[i].Indicator == ind {
				return &list[i]
			}
		}
		return nil
	}
	for _, a := range v.Scheme.Bonuses {
		d.Adjustments = append(d.Adjustments, explainedAdjustment{Bonus: true, Adjustment: a, Result: find(res.Bonuses, a.Indicator), Facts: d.Explain.Facts[a.Indicator]})
	}
	for _, a := range v.Scheme.Deductions {
		d.Adjustments = append(d.Adjustments, explainedAdjustment{Adjustment: a, Result: find(res.Deductions, a.Indicator), Facts: d.Explain.Facts[a.Indicator]})
	}
	for _, x := range v.Scores.Levels[level] {
		if x.Rank > 0 {
			d.Of++
		}
	}
	d.Office = st.user.IsAdmin()
	d.Chart = s.indicatorsChart(d.Parts)
	s.render(w, r, http.StatusOK, "score_explain", "title.score_explain", d, nil)
}
