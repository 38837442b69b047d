package web

import (
	"net/http"

	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type unitsData struct {
	Units []org.Unit
	Kinds []string
	Form  org.UnitInput
}

func (s *Server) showUnits(w http.ResponseWriter, r *http.Request, status int, d unitsData, ps locale.Problems) {
	var err error
	if d.Units, err = s.org.Units(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Kinds = org.UnitKinds
	s.render(w, r, status, "units", "title.units", d, ps)
}

// unitList is the system administrator's list of tenants.
func (s *Server) unitList(w http.ResponseWriter, r *http.Request) {
	s.showUnits(w, r, http.StatusOK, unitsData{Form: org.UnitInput{Kind: "center"}}, nil)
}

func (s *Server) unitCreate(w http.ResponseWriter, r *http.Request) {
	d := unitsData{Form: org.UnitInput{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind")}}
	_, err := s.org.CreateUnit(r.Context(), actorOf(r), d.Form)
	if ps, ok := locale.AsProblems(err); ok {
		s.showUnits(w, r, http.StatusBadRequest, d, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/admin/units", "flash.saved")
}

// unitEnter makes the system administrator act in a unit, to set it up.
func (s *Server) unitEnter(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	if _, err := s.org.Unit(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.accounts.SetSessionUnit(r.Context(), current(r).token, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/", "")
}
