package web

import (
	"html/template"
	"net/http"
	"slices"
	"strings"

	"wuliang/internal/accounts"

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
	keep := func(facts []scoring.FactRef) {
		for i := range facts {
			facts[i].Link = factLink(st.user, level, id, facts[i].Link)
		}
	}
	for _, p := range d.Parts {
		keep(p.Facts)
	}
	for _, a := range d.Adjustments {
		keep(a.Facts)
	}
	for i := range res.Vetoes {
		res.Vetoes[i].Fact.Link = factLink(st.user, level, id, res.Vetoes[i].Fact.Link)
	}
	d.Chart = s.indicatorsChart(s.printerOf(current(r).unit), d.Parts)
	s.render(w, r, http.StatusOK, "score_explain", "title.score_explain", d, nil)
}

// factLink is a fact's link if the viewer may open the record it leads to,
// else "" and the fact shows without one. The office opens every record; a
// person the records of their own score; a window lead the cases of their
// window's score. Lists every account reads (ratings,
// rankings, commitments, 五评) stay linked for anyone who sees the score.
func factLink(u accounts.User, level scoring.Level, id int64, link string) string {
	if u.IsAdmin() || link == "" {
		return link
	}
	own := level == scoring.Person && u.StaffID != 0 && id == u.StaffID
	ownWindow := level == scoring.Window && u.Is(accounts.RoleWindowLead) && id == u.DepartmentID
	switch {
	case strings.HasPrefix(link, "/cases/"):
		return keepIf(own || ownWindow, link)
	case strings.HasPrefix(link, "/spot-checks/"), strings.HasPrefix(link, "/accountability/"):
		return keepIf(own, link)
	case strings.HasPrefix(link, "/appraisals/"), strings.HasPrefix(link, "/reviews/"):
		// A review line may come from a branch's meeting as well as the
		// window's, and a meeting holds everyone's grades: the office's.
		return ""
	}
	return link
}

func keepIf(ok bool, link string) string {
	if ok {
		return link
	}
	return ""
}
