package web

import (
	"context"
	"net/http"
	"strconv"

	"wuliang/internal/accounts"
	"wuliang/internal/org"
)

// canSeeStaff says whether a user may open a staff member's record: the
// campaign office sees everyone in the unit, a branch secretary their
// branch, a window lead their window, everyone else only themself.
func canSeeStaff(u accounts.User, s org.Staff) bool {
	switch u.Role {
	case accounts.RoleSystemAdmin, accounts.RoleUnitAdmin:
		return true
	case accounts.RoleBranchSecretary:
		return s.ID == u.StaffID || (u.BranchID != 0 && s.BranchID == u.BranchID)
	case accounts.RoleWindowLead:
		return s.ID == u.StaffID || (u.DepartmentID != 0 && s.DepartmentID == u.DepartmentID)
	}
	return s.ID == u.StaffID
}

// scopeStaffFilter narrows a staff list to what the user may see.
func scopeStaffFilter(u accounts.User, f *org.StaffFilter) {
	switch u.Role {
	case accounts.RoleBranchSecretary:
		f.BranchID = u.BranchID
	case accounts.RoleWindowLead:
		f.DepartmentID = u.DepartmentID
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// personByNo finds an active person of the user's unit by employee number,
// as typed in a form.
func (s *Server) personByNo(r *http.Request, no string) (org.Staff, bool) {
	p, err := s.org.StaffByEmployeeNo(r.Context(), current(r).unit.ID, no)
	return p, err == nil && p.Active
}

// unitLists loads the unit's departments and branches, which many forms
// offer as choices.
func (s *Server) unitLists(r *http.Request) ([]org.Department, []org.Branch, error) {
	return s.unitListsOf(r.Context(), current(r).unit.ID)
}

func (s *Server) unitListsOf(ctx context.Context, unitID int64) ([]org.Department, []org.Branch, error) {
	depts, err := s.org.Departments(ctx, unitID)
	if err != nil {
		return nil, nil, err
	}
	branches, err := s.org.Branches(ctx, unitID)
	return depts, branches, err
}

// formChoices are the unit's active windows and active people, which the
// forms that name a window or a person offer.
func (s *Server) formChoices(r *http.Request) ([]org.Department, []org.Staff, error) {
	unitID := current(r).unit.ID
	depts, err := s.org.Departments(r.Context(), unitID)
	if err != nil {
		return nil, nil, err
	}
	var windows []org.Department
	for _, d := range depts {
		if d.Active && d.Kind == org.KindWindow {
			windows = append(windows, d)
		}
	}
	active := true
	people, _, err := s.org.StaffList(r.Context(), unitID, org.StaffFilter{Active: &active, Limit: 2000})
	return windows, people, err
}
