package web

import (
	"net/http"
	"slices"
	"strings"

	"wuliang/internal/honours"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/scoring"
)

type honourData struct {
	Kinds      []honours.Kind
	Kind       honours.Kind
	Periods    []scoring.Frozen // the published periods, newest first
	Period     string
	Shortlist  *honours.Shortlist
	Selections []honours.Selection
	Current    []honours.Award
	Awards     []honours.Award
	Votes      []string
	Plan       honours.Plan
	Admin      bool
}

// honourList is 五创's honours: the selections under way and done, the
// honours that stand, and for the office the kinds it awards and, for one
// kind and a published period, the shortlist its rule draws, with
// everyone it left out and why.
func (s *Server) honourList(w http.ResponseWriter, r *http.Request) {
	s.showHonours(w, r, http.StatusOK, honours.Plan{Vote: honours.VoteNone, PublicityDays: honours.DefaultPublicity}, nil)
}

func (s *Server) showHonours(w http.ResponseWriter, r *http.Request, status int, plan honours.Plan, ps locale.Problems) {
	st := current(r)
	ctx := r.Context()
	d := honourData{Admin: st.user.IsAdmin(), Votes: honours.Votes, Plan: plan}
	var err error
	if d.Selections, err = s.honours.Selections(ctx, st.unit.ID, ""); err == nil {
		if d.Current, err = s.honours.Current(ctx, st.unit.ID); err == nil {
			d.Awards, err = s.honours.Awards(ctx, st.unit.ID, honours.AwardFilter{})
		}
	}
	if err == nil && d.Admin {
		if d.Kinds, err = s.honours.Kinds(ctx, st.unit.ID); err == nil {
			d.Periods, err = s.schemes.PublishedPeriods(ctx, st.unit.ID)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Admin {
		d.Kind = d.Kinds[0]
		if id := formID(r, "kind"); id != 0 {
			if d.Kind, err = s.honours.Kind(ctx, st.unit.ID, id); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		d.Period = r.FormValue("period")
		if d.Period == "" && len(d.Periods) > 0 {
			d.Period = d.Periods[0].Period
		}
		if d.Period != "" {
			// A kind whose period or indicator does not fit the scores
			// shows why beside the page, not instead of it.
			sl, err := s.honours.Shortlist(ctx, st.unit.ID, d.Kind.ID, d.Period)
			if why, ok := locale.AsProblems(err); ok {
				ps = append(ps, why...)
			} else if err != nil {
				s.fail(w, r, err)
				return
			} else {
				d.Shortlist = &sl
			}
		}
	}
	s.render(w, r, status, "honours", "title.honours", d, ps)
}

// selectionOpen starts a kind's selection for a published period.
func (s *Server) selectionOpen(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	plan := honours.Plan{Vote: r.PostFormValue("vote"), PublicityDays: formInt(r, "publicity_days")}
	if strings.TrimSpace(r.PostFormValue("min_voters")) != "" {
		plan.MinVoters = formInt(r, "min_voters") // left empty: no minimum
	}
	sel, err := s.honours.Open(r.Context(), actorOf(r), st.unit.ID, formID(r, "kind"), strings.TrimSpace(r.PostFormValue("period")), plan)
	if ps, ok := locale.AsProblems(err); ok {
		s.showHonours(w, r, statusOf(err), plan, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/honours/selections/"+itoa(sel.ID), "flash.selection_opened")
}

// honourKinds is the office's editor of the kinds it awards.
func (s *Server) honourKinds(w http.ResponseWriter, r *http.Request) {
	s.showKinds(w, r, http.StatusOK, honours.Kind{Subject: honours.SubjectPerson, Places: 1, Shortlist: 3, PeriodKind: "quarter", Active: true}, nil)
}

type kindsData struct {
	Kinds       []honours.Kind
	New         honours.Kind
	Subjects    []string
	PeriodKinds []string
	Indicators  []string
}

func (s *Server) showKinds(w http.ResponseWriter, r *http.Request, status int, k honours.Kind, ps locale.Problems) {
	st := current(r)
	list, err := s.honours.Kinds(r.Context(), st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := kindsData{Kinds: list, New: k, Subjects: honours.Subjects, PeriodKinds: honours.PeriodKinds}
	for id := range scoring.Indicators {
		d.Indicators = append(d.Indicators, id)
	}
	slices.Sort(d.Indicators)
	for i := range d.Kinds {
		if d.Kinds[i].ID == k.ID && k.ID != 0 {
			d.Kinds[i] = k // the refused change, as typed
		}
	}
	s.render(w, r, status, "honour_kinds", "title.honour_kinds", d, ps)
}

// honourKindSave changes a kind, or adds one.
func (s *Server) honourKindSave(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	k := honours.Kind{ID: id, Name: r.PostFormValue("name"), Subject: r.PostFormValue("subject"), Places: formInt(r, "places"),
		Shortlist: formInt(r, "shortlist"), PeriodKind: r.PostFormValue("period_kind"), Indicator: r.PostFormValue("indicator"),
		Moves: r.PostFormValue("moves") == "on", Nominated: r.PostFormValue("nominated") == "on", Active: r.PostFormValue("active") == "on"}
	if id == 0 {
		k.Active = true
	}
	_, err := s.honours.SaveKind(r.Context(), actorOf(r), st.unit.ID, k)
	if ps, ok := locale.AsProblems(err); ok {
		s.showKinds(w, r, statusOf(err), k, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/honours/kinds", "flash.saved")
}

// subjectOptions lists whom a selection may take and the user may
// nominate: windows, or serving people the kind admits within the
// nominator's branch or window.
func (s *Server) subjectOptions(r *http.Request, sel honours.Selection, by honours.Nominator) ([]option, error) {
	st := current(r)
	var out []option
	if sel.Subject() == honours.SubjectWindow {
		deps, err := s.org.Departments(r.Context(), st.unit.ID)
		for _, d := range deps {
			if d.Active && (by.Source != honours.SourceWindow || d.ID == by.DepartmentID) && by.Source != honours.SourceBranch {
				out = append(out, option{ID: d.ID, Name: d.Name})
			}
		}
		return out, err
	}
	active := true
	f := org.StaffFilter{Active: &active}
	switch by.Source {
	case honours.SourceBranch:
		f.BranchID = by.BranchID
	case honours.SourceWindow:
		f.DepartmentID = by.DepartmentID
	}
	people, _, err := s.org.StaffList(r.Context(), st.unit.ID, f)
	for _, p := range people {
		if honours.Eligible(sel.Kind.Subject, p) {
			out = append(out, option{ID: p.ID, Name: p.Name + " · " + p.DepartmentName})
		}
	}
	return out, err
}

// option is one choice of a select.
type option struct {
	ID   int64
	Name string
}
