package web

import (
	"net/http"
	"slices"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/followup"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
)

type followupData struct {
	Lagging   []followup.Lagging
	Weak      []followup.WeakBranch
	Overdue   []followup.Overdue
	Visits    []followup.Visit
	Branches  []org.Branch
	Windows   []org.Department
	Newest    string // the newest published period
	Today     string
	Talk      followup.TalkInput // a refused form, as typed
	Plan      followup.PlanInput
	Visit     followup.VisitInput
	StepRows  []int
	VisitKind []string
	// TalkAside and PlanAside: a refused form for someone not on the
	// list, shown on its own so that nothing typed is lost.
	TalkAside, PlanAside bool
}

// followupPage is the office's follow-up list: the lagging with their
// talks and plans, the weak branches with their visits, every step past
// its date, and the visits and inspections. Office only: it names people.
func (s *Server) followupPage(w http.ResponseWriter, r *http.Request) {
	s.showFollowup(w, r, http.StatusOK, followupData{}, nil)
}

// lagPeriods reads, with their results, the two published periods the
// lagging list compares: the newest, and the one before it of its kind.
// Only those two are decoded: a frozen period with its facts is large.
func (s *Server) lagPeriods(r *http.Request) ([]scoring.Frozen, error) {
	st := current(r)
	list, err := s.schemes.PublishedPeriods(r.Context(), st.unit.ID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	codes := []string{list[0].Period}
	kindOf := func(code string) string {
		p, _ := period.Parse(code, time.UTC)
		return p.Kind
	}
	for _, f := range list[1:] {
		if kindOf(f.Period) == kindOf(codes[0]) {
			codes = append(codes, f.Period)
			break
		}
	}
	var out []scoring.Frozen
	for _, code := range codes {
		full, err := s.schemes.Published(r.Context(), st.unit.ID, code)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

func (s *Server) showFollowup(w http.ResponseWriter, r *http.Request, status int, d followupData, ps locale.Problems) {
	st := current(r)
	ctx := r.Context()
	now := database.Now().In(org.Location(st.unit.Timezone))
	d.Today, d.StepRows, d.VisitKind = now.Format("2006-01-02"), []int{0, 1, 2}, followup.VisitKinds
	published, err := s.lagPeriods(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var newest *scoring.Frozen
	if len(published) > 0 {
		newest, d.Newest = &published[0], published[0].Period
	}
	if d.Lagging, err = s.followup.LaggingList(ctx, st.unit.ID, published); err == nil {
		if d.Branches, err = s.org.Branches(ctx, st.unit.ID); err == nil {
			if d.Weak, err = s.followup.WeakBranches(ctx, st.unit.ID, d.Branches, newest, now.Year(), d.Today); err == nil {
				if d.Overdue, err = s.followup.Overdue(ctx, st.unit.ID, d.Today); err == nil {
					if d.Visits, err = s.followup.Visits(ctx, st.unit.ID, 0); err == nil {
						d.Windows, err = s.org.Departments(ctx, st.unit.ID)
					}
				}
			}
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	listed := func(subject string, id int64) bool {
		return slices.ContainsFunc(d.Lagging, func(l followup.Lagging) bool { return l.Subject == subject && l.SubjectID == id })
	}
	d.TalkAside = d.Talk.Subject != "" && !listed(d.Talk.Subject, d.Talk.SubjectID)
	d.PlanAside = d.Plan.Subject != "" && !listed(d.Plan.Subject, d.Plan.SubjectID)
	s.render(w, r, status, "followup", "title.followup", d, ps)
}

// stepsOf reads the dated rows of a form.
func stepsOf(r *http.Request) []followup.StepInput {
	what, who, due := r.PostForm["step_what"], r.PostForm["step_who"], r.PostForm["step_due"]
	var out []followup.StepInput
	for i := range what {
		st := followup.StepInput{What: what[i]}
		if i < len(who) {
			st.Who = who[i]
		}
		if i < len(due) {
			st.DueOn = due[i]
		}
		out = append(out, st)
	}
	return out
}

// followupTalk records a 约谈.
func (s *Server) followupTalk(w http.ResponseWriter, r *http.Request) {
	in := followup.TalkInput{Subject: r.PostFormValue("subject"), SubjectID: formID(r, "subject_id"), Period: r.PostFormValue("period"),
		HeldOn: r.PostFormValue("held_on"), HeldBy: r.PostFormValue("held_by"), Agreed: r.PostFormValue("agreed")}
	_, err := s.followup.AddTalk(r.Context(), actorOf(r), current(r).unit.ID, in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showFollowup(w, r, statusOf(err), followupData{Talk: in}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/followup", "flash.saved")
}

// followupPlanOpen writes an improvement plan.
func (s *Server) followupPlanOpen(w http.ResponseWriter, r *http.Request) {
	in := followup.PlanInput{Subject: r.PostFormValue("subject"), SubjectID: formID(r, "subject_id"), TalkID: formID(r, "talk"),
		Goal: r.PostFormValue("goal"), Steps: stepsOf(r)}
	id, err := s.followup.OpenPlan(r.Context(), actorOf(r), current(r).unit.ID, in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showFollowup(w, r, statusOf(err), followupData{Plan: in}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/followup/plans/"+itoa(id), "flash.saved")
}

// followupVisit records a guidance visit or an inspection.
func (s *Server) followupVisit(w http.ResponseWriter, r *http.Request) {
	in := followup.VisitInput{Kind: r.PostFormValue("kind"), BranchID: formID(r, "branch"), DepartmentID: formID(r, "department"),
		VisitedOn: r.PostFormValue("visited_on"), Visitors: r.PostFormValue("visitors"), Found: r.PostFormValue("found"), Fixes: stepsOf(r)}
	id, err := s.followup.AddVisit(r.Context(), actorOf(r), current(r).unit.ID, in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showFollowup(w, r, statusOf(err), followupData{Visit: in}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/followup/visits/"+itoa(id), "flash.saved")
}

// mayFollow says whether the user may see and act on a plan: the office,
// the person it concerns, the lead of the window it concerns. Nobody
// else learns it exists.
func mayFollow(u accounts.User, p followup.Plan) bool {
	switch {
	case u.IsAdmin():
		return true
	case p.Subject == followup.SubjectPerson:
		return u.StaffID != 0 && u.StaffID == p.SubjectID
	case p.Subject == followup.SubjectWindow:
		return u.Is(accounts.RoleWindowLead) && u.DepartmentID == p.SubjectID
	}
	return false
}

type planData struct {
	Plan     followup.Plan
	Talks    []followup.Talk
	Admin    bool
	Today    string
	StepRows []int
}

// followupPlan is one improvement plan, for the office and whom it concerns.
func (s *Server) followupPlan(w http.ResponseWriter, r *http.Request) {
	s.showPlan(w, r, http.StatusOK, nil)
}

func (s *Server) showPlan(w http.ResponseWriter, r *http.Request, status int, ps locale.Problems) {
	st := current(r)
	id, _ := pathID(r, "id")
	p, err := s.followup.Plan(r.Context(), st.unit.ID, id)
	if err == nil && !mayFollow(st.user, p) {
		err = followup.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := planData{Plan: p, Admin: st.user.IsAdmin(), Today: org.Today(st.unit.Timezone), StepRows: []int{0, 1}}
	if d.Talks, err = s.followup.Talks(r.Context(), st.unit.ID, p.Subject, p.SubjectID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "followup_plan", "title.followup_plan", d, ps)
}

// followupPlanSteps adds steps to a plan.
func (s *Server) followupPlanSteps(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	err := s.followup.AddSteps(r.Context(), actorOf(r), current(r).unit.ID, followup.OwnerPlan, id, stepsOf(r))
	s.afterPlan(w, r, id, err)
}

// followupPlanClose closes a plan whose steps are all done.
func (s *Server) followupPlanClose(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	err := s.followup.ClosePlan(r.Context(), actorOf(r), current(r).unit.ID, id, r.PostFormValue("note"))
	s.afterPlan(w, r, id, err)
}

func (s *Server) afterPlan(w http.ResponseWriter, r *http.Request, id int64, err error) {
	if ps, ok := locale.AsProblems(err); ok {
		s.showPlan(w, r, statusOf(err), ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/followup/plans/"+itoa(id), "flash.saved")
}

// stepPage is where a step is shown and who may mark it done, by owner.
func (s *Server) stepPage(r *http.Request, st followup.Step) (string, bool, error) {
	u := current(r).user
	unit := current(r).unit.ID
	switch st.Owner {
	case followup.OwnerPlan:
		p, err := s.followup.Plan(r.Context(), unit, st.OwnerID)
		return "/followup/plans/" + itoa(p.ID), err == nil && mayFollow(u, p), err
	case followup.OwnerBranchPlan:
		p, err := s.followup.BranchPlan(r.Context(), unit, st.OwnerID)
		return "/followup/branch-plans/" + itoa(p.ID), err == nil && mayBranch(u, p.BranchID), err
	case followup.OwnerVisit:
		v, err := s.followup.Visit(r.Context(), unit, st.OwnerID)
		return "/followup/visits/" + itoa(v.ID), err == nil && mayVisit(u, v), err
	}
	return "", false, followup.ErrNotFound
}

// followupStepDone marks a step done, by whoever it is for.
func (s *Server) followupStepDone(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	step, err := s.followup.Step(r.Context(), st.unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	back, ok, err := s.stepPage(r, step)
	if err == nil && !ok {
		err = followup.ErrNotFound
	}
	if err == nil {
		err = s.followup.DoneStep(r.Context(), actorOf(r), st.unit.ID, id, r.PostFormValue("done_on"), r.PostFormValue("note"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, back, "flash.saved")
}
