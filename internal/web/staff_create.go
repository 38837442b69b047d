package web

import (
	"net/http"

	"wuliang/internal/locale"
	"wuliang/internal/org"
)

func (s *Server) staffNew(w http.ResponseWriter, r *http.Request) {
	s.showStaffForm(w, r, http.StatusOK, staffForm{PoliticalStatus: org.StatusMasses, DepartmentID: formID(r, "department")}, nil)
}

func (s *Server) staffCreate(w http.ResponseWriter, r *http.Request) {
	f := readStaffForm(r)
	in, ps := s.staffInput(r, f)
	if len(ps) > 0 {
		s.showStaffForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	id, err := s.org.CreateStaff(r.Context(), actorOf(r), current(r).unit.ID, in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showStaffForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/staff/"+itoa(id), "flash.saved")
}
