package web

import (
	"net/http"

	"wuliang/internal/org"
)

type windowEntry struct {
	Department org.Department
	Staff      []org.Staff
}

// windowList shows every active window and department with who serves
// there: the inside view of 亮职责.
func (s *Server) windowList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	depts, err := s.org.Departments(r.Context(), st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	active := true
	staff, _, err := s.org.StaffList(r.Context(), st.unit.ID, org.StaffFilter{Active: &active})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byDept := map[int64][]org.Staff{}
	for _, p := range staff {
		byDept[p.DepartmentID] = append(byDept[p.DepartmentID], p)
	}
	var list []windowEntry
	for _, d := range depts {
		if d.Active {
			list = append(list, windowEntry{Department: d, Staff: byDept[d.ID]})
		}
	}
	s.render(w, r, http.StatusOK, "windows", "title.windows", list, nil)
}
