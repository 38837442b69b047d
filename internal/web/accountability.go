package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"wuliang/internal/accountability"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

type accountabilityData struct {
	Records   []accountability.Record
	State     string
	Rule      string
	Rules     []string
	Office    bool
	Record    accountability.Record
	Sanctions []string
	Form      accountability.Decision
	CanDecide bool
}

// accountabilityList shows the office every record and everyone else
// their own.
func (s *Server) accountabilityList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	q := r.URL.Query()
	d := accountabilityData{State: q.Get("state"), Rule: q.Get("rule"), Rules: accountability.Rules, Office: st.user.IsAdmin()}
	f := accountability.Filter{State: d.State, Rule: d.Rule}
	if !slices.Contains([]string{accountability.StateOpen, accountability.StateDismissed, accountability.StateSanctioned}, f.State) {
		f.State, d.State = "", ""
	}
	if !slices.Contains(accountability.Rules, f.Rule) {
		f.Rule, d.Rule = "", ""
	}
	if !d.Office {
		if st.user.StaffID == 0 {
			s.render(w, r, http.StatusOK, "accountability", "title.accountability", d, nil)
			return
		}
		f.StaffID = st.user.StaffID
	}
	var err error
	if d.Records, err = s.faults.List(r.Context(), st.unit.ID, f); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "accountability", "title.accountability", d, nil)
}

func (s *Server) showAccountability(w http.ResponseWriter, r *http.Request, status int, form accountability.Decision, ps locale.Problems) {
	st := current(r)
	id, _ := pathID(r, "id")
	rec, err := s.faults.Get(r.Context(), st.unit.ID, id)
	if errors.Is(err, accountability.ErrNotFound) || (err == nil && !accountability.CanSee(st.user, rec)) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := accountabilityData{Record: rec, Sanctions: accountability.Sanctions, Form: form,
		CanDecide: st.user.IsAdmin() && rec.State == accountability.StateOpen && rec.StaffID != st.user.StaffID}
	s.render(w, r, status, "accountability_show", "title.accountability_record", d, ps)
}

func (s *Server) accountabilityShow(w http.ResponseWriter, r *http.Request) {
	s.showAccountability(w, r, http.StatusOK, accountability.Decision{}, nil)
}

// accountabilityDecide records the office's decision.
func (s *Server) accountabilityDecide(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	points, _ := strconv.Atoi(strings.TrimSpace(textnorm.FoldWidth(r.PostFormValue("points"))))
	d := accountability.Decision{Outcome: r.PostFormValue("outcome"), Points: points, Reason: r.PostFormValue("reason")}
	err := s.faults.Decide(r.Context(), actorOf(r), st.user, st.unit.ID, id, d)
	switch {
	case err == nil:
		s.redirect(w, r, "/accountability/"+itoa(id), "flash.saved")
	case errors.Is(err, accountability.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case errors.Is(err, accountability.ErrForbidden):
		s.showAccountability(w, r, http.StatusForbidden, d, locale.FieldProblem("", "accountability.not_yours"))
	default:
		if ps, ok := locale.AsProblems(err); ok {
			s.showAccountability(w, r, http.StatusBadRequest, d, ps)
			return
		}
		s.fail(w, r, err)
	}
}
