package web

import (
	"net/http"

	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

type leadersData struct {
	Leaders []org.Leader
	Roles   []string
	Form    struct{ EmployeeNo, Role, Duty string }
}

func (s *Server) showLeaders(w http.ResponseWriter, r *http.Request, status int, d leadersData, ps locale.Problems) {
	var err error
	if d.Leaders, err = s.org.LeadingGroup(r.Context(), current(r).unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Roles = org.LeaderRoles
	s.render(w, r, status, "leaders", "title.leading_group", d, ps)
}

// leaderList shows the campaign's leading group (领导小组) and its office.
func (s *Server) leaderList(w http.ResponseWriter, r *http.Request) {
	s.showLeaders(w, r, http.StatusOK, leadersData{}, nil)
}

func (s *Server) leaderAdd(w http.ResponseWriter, r *http.Request) {
	unitID := current(r).unit.ID
	var d leadersData
	d.Form.EmployeeNo, d.Form.Role, d.Form.Duty = textnorm.FoldWidth(r.PostFormValue("employee_no")), r.PostFormValue("role"), r.PostFormValue("duty")
	person, ok := s.personByNo(r, d.Form.EmployeeNo)
	if !ok {
		var ps locale.Problems
		ps.Add("employee_no", "error.staff_no_unknown", d.Form.EmployeeNo)
		s.showLeaders(w, r, http.StatusBadRequest, d, ps)
		return
	}
	_, err := s.org.AddLeader(r.Context(), actorOf(r), unitID, person.ID, d.Form.Role, d.Form.Duty)
	if ps, ok := locale.AsProblems(err); ok {
		s.showLeaders(w, r, http.StatusBadRequest, d, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/leading-group", "flash.saved")
}

func (s *Server) leaderRemove(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	if err := s.org.RemoveLeader(r.Context(), actorOf(r), current(r).unit.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/leading-group", "flash.saved")
}
