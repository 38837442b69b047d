package web

import (
	"net/http"

	"wuliang/internal/accounts"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

type usersData struct {
	Users       []accounts.User
	Roles       []string
	Departments []org.Department
	Branches    []org.Branch
	// WithoutAccount counts the active people who cannot log in yet.
	WithoutAccount int
	Form           struct {
		Username, DisplayName, Role, StaffNo string
		BranchID, DepartmentID               int64
	}
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, status int, d usersData, ps locale.Problems) {
	unitID := current(r).unit.ID
	var err error
	if d.Users, err = s.accounts.Users(r.Context(), unitID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Departments, d.Branches, err = s.unitLists(r); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Roles = accounts.Roles
	if d.Form.Role == "" {
		d.Form.Role = accounts.RoleStaff
	}
	active := true
	people, _, err := s.org.StaffList(r.Context(), unitID, org.StaffFilter{Active: &active, Limit: 5000})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	has := map[int64]bool{}
	for _, u := range d.Users {
		has[u.StaffID] = true
	}
	for _, p := range people {
		if !has[p.ID] {
			d.WithoutAccount++
		}
	}
	s.render(w, r, status, "users", "title.users", d, ps)
}

// userList shows the unit's accounts and the form to add one.
// The role defaults to staff: most accounts are, and a slip of the hand
// must not make a unit admin.
func (s *Server) userList(w http.ResponseWriter, r *http.Request) {
	var d usersData
	d.Form.Role = accounts.RoleStaff
	s.showUsers(w, r, http.StatusOK, d, nil)
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	unitID := current(r).unit.ID
	var d usersData
	f := &d.Form
	f.Username, f.DisplayName, f.Role = textnorm.CleanText(r.PostFormValue("username")), textnorm.CleanText(r.PostFormValue("display_name")), r.PostFormValue("role")
	f.StaffNo, f.BranchID, f.DepartmentID = textnorm.FoldWidth(r.PostFormValue("staff_no")), formID(r, "branch"), formID(r, "department")
	in := accounts.NewUser{UnitID: unitID, Username: f.Username, DisplayName: f.DisplayName, Password: r.PostFormValue("password"),
		Role: f.Role, BranchID: f.BranchID, DepartmentID: f.DepartmentID}
	if f.StaffNo != "" {
		person, ok := s.personByNo(r, f.StaffNo)
		if !ok {
			var ps locale.Problems
			ps.Add("staff", "error.staff_no_unknown", f.StaffNo)
			s.showUsers(w, r, http.StatusBadRequest, d, ps)
			return
		}
		in.StaffID = person.ID
		if in.DisplayName == "" {
			in.DisplayName = person.Name
		}
	}
	_, err := s.accounts.CreateUser(r.Context(), actorOf(r), in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showUsers(w, r, http.StatusBadRequest, d, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/users", "flash.user_created")
}

func (s *Server) userSetActive(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	err := s.accounts.SetUserActive(r.Context(), actorOf(r), current(r).unit.ID, id, r.PostFormValue("active") == "1")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/users", "flash.saved")
}

// userResetPassword sets a new password chosen by the office, who tells it
// to the user; the user's sessions end.
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	err := s.accounts.SetPassword(r.Context(), actorOf(r), current(r).unit.ID, id, r.PostFormValue("password"))
	if ps, ok := locale.AsProblems(err); ok {
		s.showUsers(w, r, http.StatusBadRequest, usersData{}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/users", "flash.password_reset")
}
