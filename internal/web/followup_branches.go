package web

import (
	"net/http"
	"strconv"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/followup"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// mayBranch: the office, or the secretary of that branch.
func mayBranch(u accounts.User, branchID int64) bool {
	return u.IsAdmin() || u.Is(accounts.RoleBranchSecretary) && u.BranchID == branchID
}

// mayVisit: the office, the secretary of the visited branch, the lead of
// the visited window.
func mayVisit(u accounts.User, v followup.Visit) bool {
	return u.IsAdmin() || v.BranchID != 0 && u.Is(accounts.RoleBranchSecretary) && u.BranchID == v.BranchID ||
		v.DepartmentID != 0 && u.Is(accounts.RoleWindowLead) && u.DepartmentID == v.DepartmentID
}

type branchPlansData struct {
	Year     int
	Plans    []followup.BranchPlan
	Branches []org.Branch // those the user may write for
	Plan     followup.BranchPlan
	Form     followup.BranchPlanInput
	Admin    bool
	Today    string
	StepRows []int
}

// branchPlanList is the year's branch plans: the office sees every branch
// and which measures are overdue; a secretary sees and writes their own.
func (s *Server) branchPlanList(w http.ResponseWriter, r *http.Request) {
	s.showBranchPlans(w, r, http.StatusOK, followup.BranchPlanInput{}, nil)
}

func (s *Server) showBranchPlans(w http.ResponseWriter, r *http.Request, status int, form followup.BranchPlanInput, ps locale.Problems) {
	st := current(r)
	if !st.user.IsAdmin() && !st.user.Is(accounts.RoleBranchSecretary) {
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		return
	}
	now := database.Now().In(org.Location(st.unit.Timezone))
	d := branchPlansData{Year: now.Year(), Admin: st.user.IsAdmin(), Today: now.Format("2006-01-02"), Form: form, StepRows: []int{0, 1, 2, 3}}
	if y, err := strconv.Atoi(r.FormValue("year")); err == nil && y >= 2000 && y <= 2100 {
		d.Year = y
	}
	if form.Year == 0 {
		d.Form.Year = d.Year
	}
	plans, err := s.followup.BranchPlans(r.Context(), st.unit.ID, d.Year)
	if err == nil {
		var branches []org.Branch
		branches, err = s.org.Branches(r.Context(), st.unit.ID)
		for _, b := range branches {
			if b.Active && mayBranch(st.user, b.ID) {
				d.Branches = append(d.Branches, b)
			}
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range plans {
		if mayBranch(st.user, p.BranchID) {
			d.Plans = append(d.Plans, p)
		}
	}
	s.render(w, r, status, "branch_plans", "title.branch_plans", d, ps)
}

// branchPlanSave writes a branch's plan, or changes a draft or returned one.
func (s *Server) branchPlanSave(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	in := followup.BranchPlanInput{BranchID: formID(r, "branch"), Year: year, Standards: r.PostFormValue("standards"),
		Carriers: r.PostFormValue("carriers"), Measures: stepsOf(r)}
	if !mayBranch(st.user, in.BranchID) {
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		return
	}
	id, err := s.followup.SaveBranchPlan(r.Context(), actorOf(r), st.unit.ID, in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showBranchPlans(w, r, statusOf(err), in, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/followup/branch-plans/"+itoa(id), "flash.saved")
}

func (s *Server) loadBranchPlan(w http.ResponseWriter, r *http.Request) (followup.BranchPlan, bool) {
	st := current(r)
	id, _ := pathID(r, "id")
	p, err := s.followup.BranchPlan(r.Context(), st.unit.ID, id)
	if err == nil && !mayBranch(st.user, p.BranchID) {
		err = followup.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return p, false
	}
	return p, true
}

// branchPlanShow is one branch plan with its measures.
func (s *Server) branchPlanShow(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadBranchPlan(w, r)
	if !ok {
		return
	}
	s.showBranchPlan(w, r, http.StatusOK, p, nil)
}

func (s *Server) showBranchPlan(w http.ResponseWriter, r *http.Request, status int, p followup.BranchPlan, ps locale.Problems) {
	st := current(r)
	d := branchPlansData{Plan: p, Admin: st.user.IsAdmin(), Today: org.Today(st.unit.Timezone),
		StepRows: []int{0, 1}, Form: followup.BranchPlanInput{BranchID: p.BranchID, Year: p.Year, Standards: p.Standards, Carriers: p.Carriers}}
	s.render(w, r, status, "branch_plan", "title.branch_plan", d, ps)
}

// branchPlanMove submits a plan, or the office approves or returns it.
func (s *Server) branchPlanMove(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadBranchPlan(w, r)
	if !ok {
		return
	}
	to := r.PostFormValue("to")
	if to != followup.BranchSubmitted && !current(r).user.IsAdmin() {
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		return
	}
	err := s.followup.MoveBranchPlan(r.Context(), actorOf(r), current(r).unit.ID, p.ID, to, r.PostFormValue("note"))
	s.afterBranchPlan(w, r, p, err)
}

// branchPlanMeasures adds measures to a plan.
func (s *Server) branchPlanMeasures(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadBranchPlan(w, r)
	if !ok {
		return
	}
	err := s.followup.AddSteps(r.Context(), actorOf(r), current(r).unit.ID, followup.OwnerBranchPlan, p.ID, stepsOf(r))
	s.afterBranchPlan(w, r, p, err)
}

func (s *Server) afterBranchPlan(w http.ResponseWriter, r *http.Request, p followup.BranchPlan, err error) {
	if ps, ok := locale.AsProblems(err); ok {
		s.showBranchPlan(w, r, statusOf(err), p, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/followup/branch-plans/"+itoa(p.ID), "flash.saved")
}

// followupVisitShow is one visit with its fixes, for the office and the
// visited branch or window.
func (s *Server) followupVisitShow(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	v, err := s.followup.Visit(r.Context(), st.unit.ID, id)
	if err == nil && !mayVisit(st.user, v) {
		err = followup.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := struct {
		Visit followup.Visit
		Today string
		Admin bool
	}{v, org.Today(st.unit.Timezone), st.user.IsAdmin()}
	s.render(w, r, http.StatusOK, "followup_visit", "title.followup_visit", d, nil)
}
