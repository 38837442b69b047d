package web

import (
	"net/http"

	"wuliang/internal/locale"
)

func (s *Server) staffEdit(w http.ResponseWriter, r *http.Request) {
	person, ok := s.visibleStaff(w, r)
	if !ok {
		return
	}
	backupNo := ""
	if person.BackupID != 0 {
		if b, err := s.org.Staff(r.Context(), current(r).unit.ID, person.BackupID); err == nil {
			backupNo = b.EmployeeNo
		}
	}
	s.showStaffForm(w, r, http.StatusOK, staffFormFrom(person, backupNo), nil)
}

func (s *Server) staffUpdate(w http.ResponseWriter, r *http.Request) {
	person, ok := s.visibleStaff(w, r)
	if !ok {
		return
	}
	f := readStaffForm(r)
	f.ID = person.ID
	in, ps := s.staffInput(r, f)
	if len(ps) > 0 {
		s.showStaffForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	err := s.org.UpdateStaff(r.Context(), actorOf(r), current(r).unit.ID, person.ID, in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showStaffForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/staff/"+itoa(person.ID), "flash.saved")
}

// staffSetActive records that a person left, or came back.
func (s *Server) staffSetActive(w http.ResponseWriter, r *http.Request) {
	person, ok := s.visibleStaff(w, r)
	if !ok {
		return
	}
	active := r.PostFormValue("active") == "1"
	if err := s.org.SetStaffActive(r.Context(), actorOf(r), current(r).unit.ID, person.ID, active); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/staff/"+itoa(person.ID), "flash.saved")
}
