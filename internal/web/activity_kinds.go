package web

import (
	"net/http"

	"wuliang/internal/activities"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

type kindData struct {
	Kinds      []activities.Kind
	Settings   activities.Settings
	Dimensions []string
	Forms      []string
	RulesOf    map[string][]string
}

// kindList: the office's activity kinds with their rules, and the tier shares.
func (s *Server) kindList(w http.ResponseWriter, r *http.Request) {
	s.kindListPage(w, r, http.StatusOK, nil)
}

func (s *Server) kindListPage(w http.ResponseWriter, r *http.Request, status int, ps locale.Problems) {
	st := current(r)
	d := kindData{Dimensions: activities.Dimensions, Forms: activities.Forms[:len(activities.Forms)-1], RulesOf: activities.RulesOf}
	var err error
	if d.Kinds, err = s.activities.Kinds(r.Context(), st.unit.ID); err == nil {
		d.Settings, err = s.activities.Settings(r.Context(), st.unit.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "activity_kinds", "title.activity_kinds", d, ps)
}

// kindSave adds a kind (no id) or changes one.
func (s *Server) kindSave(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	in := activities.KindInput{Name: r.PostFormValue("name"), Dimension: r.PostFormValue("dimension"), Form: r.PostFormValue("form"), Rule: r.PostFormValue("rule"),
		Points: r.PostFormValue("points"), Extra: r.PostFormValue("extra"), RankPoints: r.PostFormValue("rank_points"),
		MonthCap: r.PostFormValue("month_cap"), YearCap: r.PostFormValue("year_cap"), Active: r.PostFormValue("active") == "on"}
	if id == 0 {
		in.Active = true
	}
	if _, err := s.activities.SaveKind(r.Context(), actorOf(r), st.unit.ID, id, in); err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) {
			for i := range ps {
				ps[i].Field = itoa(id) + "_" + ps[i].Field
			}
			s.kindListPage(w, r, http.StatusBadRequest, ps)
		})
		return
	}
	s.redirect(w, r, "/activities/kinds", "flash.saved")
}

func (s *Server) activitySettings(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	pct := func(name string) int {
		v, ok := activities.ParseCenti(textnorm.FoldWidth(r.PostFormValue(name)))
		if !ok || v%100 != 0 {
			return -1
		}
		return v / 100
	}
	err := s.activities.SaveSettings(r.Context(), actorOf(r), st.unit.ID, activities.Settings{LeadingPct: pct("leading_pct"), LaggingPct: pct("lagging_pct")})
	if err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.kindListPage(w, r, http.StatusBadRequest, ps) })
		return
	}
	s.redirect(w, r, "/activities/kinds", "flash.saved")
}
