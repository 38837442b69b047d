package web

import (
	"net/http"
	"strconv"
	"strings"

	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

func (s *Server) departmentList(w http.ResponseWriter, r *http.Request) {
	list, err := s.org.Departments(r.Context(), current(r).unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "departments", "title.departments", list, nil)
}

type departmentForm struct {
	ID int64
	org.DepartmentInput
	SortOrderText string
	Kinds         []string
}

func readDepartmentForm(r *http.Request) (departmentForm, locale.Problems) {
	f := departmentForm{DepartmentInput: org.DepartmentInput{Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"),
		WindowNo: r.PostFormValue("window_no"), Duties: r.PostFormValue("duties")},
		SortOrderText: strings.TrimSpace(textnorm.FoldWidth(r.PostFormValue("sort_order")))}
	var ps locale.Problems
	if f.SortOrderText != "" {
		n, err := strconv.Atoi(f.SortOrderText)
		if err != nil {
			ps.Add("sort_order", "error.sort_order_invalid")
		}
		f.SortOrder = n
	}
	return f, ps
}

func (s *Server) showDepartmentForm(w http.ResponseWriter, r *http.Request, status int, f departmentForm, ps locale.Problems) {
	f.Kinds = org.DepartmentKinds
	title := "title.department_new"
	if f.ID != 0 {
		title = "title.department_edit"
	}
	s.render(w, r, status, "department_form", title, f, ps)
}

func (s *Server) departmentNew(w http.ResponseWriter, r *http.Request) {
	s.showDepartmentForm(w, r, http.StatusOK, departmentForm{DepartmentInput: org.DepartmentInput{Kind: org.KindWindow}}, nil)
}

func (s *Server) departmentCreate(w http.ResponseWriter, r *http.Request) { s.saveDepartment(w, r, 0) }

// saveDepartment creates (id 0) or updates a department from the form.
func (s *Server) saveDepartment(w http.ResponseWriter, r *http.Request, id int64) {
	f, ps := readDepartmentForm(r)
	f.ID = id
	if len(ps) == 0 {
		unitID := current(r).unit.ID
		var err error
		if id == 0 {
			_, err = s.org.CreateDepartment(r.Context(), actorOf(r), unitID, f.DepartmentInput)
		} else {
			err = s.org.UpdateDepartment(r.Context(), actorOf(r), unitID, id, f.DepartmentInput)
		}
		if ps, _ = locale.AsProblems(err); err != nil && ps == nil {
			s.fail(w, r, err)
			return
		}
	}
	if len(ps) > 0 {
		s.showDepartmentForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	s.redirect(w, r, "/departments", "flash.saved")
}

func (s *Server) departmentEdit(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	d, err := s.org.Department(r.Context(), current(r).unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := departmentForm{ID: d.ID, DepartmentInput: org.DepartmentInput{Name: d.Name, Kind: d.Kind, WindowNo: d.WindowNo,
		Duties: d.Duties, SortOrder: d.SortOrder}, SortOrderText: strconv.Itoa(d.SortOrder)}
	s.showDepartmentForm(w, r, http.StatusOK, f, nil)
}

func (s *Server) departmentUpdate(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	s.saveDepartment(w, r, id)
}

func (s *Server) departmentSetActive(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	if err := s.org.SetDepartmentActive(r.Context(), actorOf(r), current(r).unit.ID, id, r.PostFormValue("active") == "1"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/departments", "flash.saved")
}
