package web

import (
	"net/http"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/followup"
	"wuliang/internal/org"
	"wuliang/internal/todo"
)

type homeData struct {
	Staff, Members, Windows, Departments, Branches int
	Leaders                                        []org.Leader
	Me                                             *org.Staff
	Work                                           homeWork
}

// homeWork is what waits for the user today: red and yellow cards among
// the cases they may see, referrals to acknowledge, open accountability.
type homeWork struct {
	Red, Yellow, Referred, Records int
	Overdue                        int        // the office: follow-up steps past their date
	Plans                          int        // a person: their open improvement plans
	Todo                           *todo.List // the office, secretaries and leads: 办公室待办
	// Approvals are the commitments and claims waiting for the user's
	// decision, the first few: a secretary's daily work, on the home page.
	Approvals     []todo.Item
	MoreApprovals int
}

// homeApprovals is how many waiting approvals the home page lists.
const homeApprovals = 5

func (s *Server) homeWork(r *http.Request) (homeWork, error) {
	st := current(r)
	var w homeWork
	var err error
	if _, w.Red, err = s.cases.List(r.Context(), st.unit.ID, cases.Filter{Signal: cases.SignalRed, ScopeOf: &st.user, Limit: 1}); err != nil {
		return w, err
	}
	if _, w.Yellow, err = s.cases.List(r.Context(), st.unit.ID, cases.Filter{Signal: cases.SignalYellow, ScopeOf: &st.user, Limit: 1}); err != nil {
		return w, err
	}
	if st.user.StaffID != 0 {
		referred, _, err := s.cases.List(r.Context(), st.unit.ID, cases.Filter{State: cases.StateReferred, StaffID: st.user.StaffID, Limit: 100})
		if err != nil {
			return w, err
		}
		for _, c := range referred {
			if c.ReferredTo == st.user.StaffID {
				w.Referred++
			}
		}
	}
	if todo.Sees(st.user) {
		l, err := s.todo.Of(r.Context(), st.unit, st.user, database.Now())
		if err != nil {
			return w, err
		}
		w.Todo = &l
		for _, it := range l.Items {
			if it.Kind != todo.CommitmentApproval && it.Kind != todo.ClaimApproval {
				continue
			}
			if len(w.Approvals) < homeApprovals {
				w.Approvals = append(w.Approvals, it)
			} else {
				w.MoreApprovals++
			}
		}
	}
	today := org.Today(st.unit.Timezone)
	if st.user.IsAdmin() {
		over, err := s.followup.Overdue(r.Context(), st.unit.ID, today)
		if err != nil {
			return w, err
		}
		w.Overdue = len(over)
	} else if st.user.StaffID != 0 {
		plans, err := s.followup.Plans(r.Context(), st.unit.ID, followup.SubjectPerson, st.user.StaffID)
		if err != nil {
			return w, err
		}
		for _, p := range plans {
			if p.State == followup.PlanOpen {
				w.Plans++
			}
		}
	}
	f := accountability.Filter{State: accountability.StateOpen}
	if !st.user.IsAdmin() {
		if st.user.StaffID == 0 {
			return w, nil
		}
		f.StaffID = st.user.StaffID
	}
	records, err := s.faults.List(r.Context(), st.unit.ID, f)
	w.Records = len(records)
	return w, err
}

// home is the unit's front page: what the organisation looks like now.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	if st.user.Role == accounts.RoleSupervisor {
		http.Redirect(w, r, "/observations", http.StatusSeeOther) // their only page
		return
	}
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
	if d.Work, err = s.homeWork(r); err != nil {
		s.fail(w, r, err)
		return
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
