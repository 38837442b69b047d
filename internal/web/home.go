package web

import (
	"net/http"

	"wuliang/internal/org"
)

type homeData struct {
	Staff, Members, Windows, Departments, Branches int
	Leaders                                        []org.Leader
	Me                                             *org.Staff
}

// home is the unit's front page: what the organisation looks like now.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	ctx := r.Context()
	var d homeData
	depts, err := s.org.Departments(ctx, st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, dep := range depts {
		if !dep.Active {
			continue
		}
		d.Departments++
		if dep.Kind == org.KindWindow {
			d.Windows++
		}
		d.Staff += dep.StaffCount
	}
	branches, err := s.org.Branches(ctx, st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, b := range branches {
		if b.Active {
			d.Branches++
			d.Members += b.MemberCount
		}
	}
	if d.Leaders, err = s.org.LeadingGroup(ctx, st.unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if st.user.StaffID != 0 {
		if me, err := s.org.Staff(ctx, st.unit.ID, st.user.StaffID); err == nil {
			d.Me = &me
		}
	}
	s.render(w, r, http.StatusOK, "home", "title.home", d, nil)
}

// me shows the logged-in person's own record.
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	if st.user.StaffID == 0 {
		s.errorPage(w, r, http.StatusNotFound, "error.no_staff_record")
		return
	}
	http.Redirect(w, r, "/staff/"+itoa(st.user.StaffID), http.StatusSeeOther)
}
