package web

import (
	"errors"
	"net/http"

	"wuliang/internal/accounts"
	"wuliang/internal/commitments"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// commitmentForm is the form as typed. The owner is a person (by employee
// number), a window or a branch; which of them a user may choose follows
// their role.
type commitmentForm struct {
	ID          int64
	OwnerKind   string
	EmployeeNo  string
	WindowID    int64
	BranchID    int64
	Category    string
	Body        string
	PeriodStart string
	PeriodEnd   string
	DueOn       string

	Kinds       []string
	Categories  []string
	Departments []org.Department
	Branches    []org.Branch
	FixedOwner  string // shown instead of the owner fields when editing
}

// ownerKinds lists whose commitment a user may write.
func ownerKinds(u accounts.User) []string {
	switch u.Role {
	case accounts.RoleUnitAdmin, accounts.RoleSystemAdmin:
		return []string{commitments.OwnerStaff, commitments.OwnerWindow, commitments.OwnerBranch}
	case accounts.RoleWindowLead:
		return []string{commitments.OwnerStaff, commitments.OwnerWindow}
	case accounts.RoleBranchSecretary:
		return []string{commitments.OwnerStaff, commitments.OwnerBranch}
	}
	return []string{commitments.OwnerStaff}
}

func readCommitmentForm(r *http.Request) commitmentForm {
	return commitmentForm{OwnerKind: r.PostFormValue("owner_kind"), EmployeeNo: textnorm.FoldWidth(r.PostFormValue("employee_no")),
		WindowID: formID(r, "window"), BranchID: formID(r, "branch"), Category: r.PostFormValue("category"), Body: r.PostFormValue("body"),
		PeriodStart: r.PostFormValue("period_start"), PeriodEnd: r.PostFormValue("period_end"), DueOn: r.PostFormValue("due_on")}
}

// input resolves the owner fields to an owner id.
func (s *Server) commitmentInput(r *http.Request, f commitmentForm) (commitments.Input, locale.Problems) {
	in := commitments.Input{OwnerKind: f.OwnerKind, Category: f.Category, Body: f.Body, PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd, DueOn: f.DueOn}
	var ps locale.Problems
	switch f.OwnerKind {
	case commitments.OwnerStaff:
		p, ok := s.personByNo(r, f.EmployeeNo)
		if !ok {
			ps.Add("owner", "error.staff_no_unknown", f.EmployeeNo)
		}
		in.OwnerID = p.ID
	case commitments.OwnerWindow:
		in.OwnerID = f.WindowID
	case commitments.OwnerBranch:
		in.OwnerID = f.BranchID
	}
	return in, ps
}

func (s *Server) showCommitmentForm(w http.ResponseWriter, r *http.Request, status int, f commitmentForm, ps locale.Problems) {
	st := current(r)
	var err error
	if f.Departments, f.Branches, err = s.unitLists(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f.Kinds, f.Categories = ownerKinds(st.user), commitments.Categories
	title := "title.commitment_new"
	if f.ID != 0 {
		title = "title.commitment_edit"
	}
	s.render(w, r, status, "commitment_form", title, f, ps)
}

func (s *Server) commitmentNew(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	f := commitmentForm{OwnerKind: commitments.OwnerStaff, Category: "personal", WindowID: st.user.DepartmentID, BranchID: st.user.BranchID}
	if st.user.StaffID != 0 {
		if me, err := s.org.Staff(r.Context(), st.unit.ID, st.user.StaffID); err == nil {
			f.EmployeeNo = me.EmployeeNo
		}
	}
	s.showCommitmentForm(w, r, http.StatusOK, f, nil)
}

func (s *Server) commitmentCreate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	f := readCommitmentForm(r)
	in, ps := s.commitmentInput(r, f)
	if len(ps) == 0 {
		id, err := s.commitments.Create(r.Context(), actorOf(r), st.user, st.unit.ID, in)
		if errors.Is(err, commitments.ErrForbidden) {
			ps = locale.FieldProblem("owner", "commitment.owner_not_yours")
		} else if ps, _ = locale.AsProblems(err); err != nil && ps == nil {
			s.fail(w, r, err)
			return
		}
		if len(ps) == 0 {
			s.redirect(w, r, "/commitments/"+itoa(id), "flash.saved")
			return
		}
	}
	s.showCommitmentForm(w, r, http.StatusBadRequest, f, ps)
}

func (s *Server) commitmentEdit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.visibleCommitment(w, r)
	if !ok {
		return
	}
	if !commitments.CanEdit(current(r).user, c) {
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		return
	}
	s.showCommitmentForm(w, r, http.StatusOK, commitmentForm{ID: c.ID, Category: c.Category, Body: c.Body, PeriodStart: c.PeriodStart,
		PeriodEnd: c.PeriodEnd, DueOn: c.DueOn, FixedOwner: c.OwnerName}, nil)
}

func (s *Server) commitmentUpdate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	c, ok := s.visibleCommitment(w, r)
	if !ok {
		return
	}
	f := readCommitmentForm(r)
	f.ID, f.FixedOwner = c.ID, c.OwnerName
	in := commitments.Input{OwnerKind: c.OwnerKind, OwnerID: 1, Category: f.Category, Body: f.Body, PeriodStart: f.PeriodStart, PeriodEnd: f.PeriodEnd, DueOn: f.DueOn}
	err := s.commitments.Update(r.Context(), actorOf(r), st.user, st.unit.ID, c.ID, in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showCommitmentForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	if err != nil {
		s.commitmentFailed(w, r, err)
		return
	}
	s.redirect(w, r, "/commitments/"+itoa(c.ID), "flash.saved")
}

// commitmentFailed maps the store's refusals to pages.
func (s *Server) commitmentFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, commitments.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case errors.Is(err, commitments.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
	default:
		s.fail(w, r, err)
	}
}
