package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"wuliang/internal/events"

	"wuliang/internal/accounts"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/feedback"
	"wuliang/internal/honours"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type selectionData struct {
	Sel        honours.Selection
	Nominees   []honours.Nominee
	Drawn      honours.Shortlist
	Tally      honours.Tally
	Objections []feedback.Message
	Awards     []honours.Award
	Options    []option // whom the user may nominate
	Nominator  honours.Nominator
	CanVote    bool
	Voted      bool
	CanPropose bool // the office, while nominations or the vote are on and the user is not voting
	Admin      bool
	Today      string
	Form       honours.Nomination
	VoteUntil  string // the form's default close of the vote
}

// nominatorOf is who the user nominates as: the office anyone, a branch
// secretary their branch's members, a window lead their window and its
// people, and for a kind chosen by nomination any colleague.
func nominatorOf(u accounts.User, k honours.Kind) (honours.Nominator, bool) {
	name := u.DisplayName
	if name == "" {
		name = u.Username
	}
	switch {
	case u.IsAdmin():
		return honours.Nominator{Source: honours.SourceOffice, Name: name}, true
	case u.Is(accounts.RoleBranchSecretary):
		return honours.Nominator{Source: honours.SourceBranch, Name: name, BranchID: u.BranchID}, true
	case u.Is(accounts.RoleWindowLead):
		return honours.Nominator{Source: honours.SourceWindow, Name: name, DepartmentID: u.DepartmentID}, true
	case k.Nominated && u.StaffID != 0:
		return honours.Nominator{Source: honours.SourceColleague, Name: name}, true
	}
	return honours.Nominator{}, false
}

// voterOf is the user's ballot key in an internal vote, if they vote in it.
func (s *Server) voterOf(r *http.Request, sel honours.Selection) (string, bool) {
	u := current(r).user
	switch sel.Vote {
	case honours.VoteLeadingGroup:
		if u.StaffID == 0 {
			return "", false
		}
		leaders, err := s.org.LeadingGroup(r.Context(), u.UnitID)
		if err != nil || !slices.ContainsFunc(leaders, func(l org.Leader) bool { return l.StaffID == u.StaffID }) {
			return "", false
		}
		return "staff:" + itoa(u.StaffID), true
	case honours.VoteWindowLeads:
		return "user:" + itoa(u.ID), u.Is(accounts.RoleWindowLead)
	}
	return "", false
}

func (s *Server) loadSelection(w http.ResponseWriter, r *http.Request) (honours.Selection, bool) {
	id, _ := pathID(r, "id")
	sel, err := s.honours.Selection(r.Context(), current(r).unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return sel, false
	}
	return sel, true
}

// selectionShow is one selection, open to everyone of the unit: the
// rule's shortlist with who was left out and why, every nomination with
// its reason, the vote, the proposal, the 公示期 and its objections, and
// the honours confirmed.
func (s *Server) selectionShow(w http.ResponseWriter, r *http.Request) {
	sel, ok := s.loadSelection(w, r)
	if !ok {
		return
	}
	s.showSelection(w, r, http.StatusOK, sel, honours.Nomination{}, nil)
}

func (s *Server) showSelection(w http.ResponseWriter, r *http.Request, status int, sel honours.Selection, form honours.Nomination, ps locale.Problems) {
	st := current(r)
	ctx := r.Context()
	loc := org.Location(st.unit.Timezone)
	d := selectionData{Sel: sel, Admin: st.user.IsAdmin(), Form: form, Today: org.Today(st.unit.Timezone),
		VoteUntil: database.Now().In(loc).Add(72 * time.Hour).Format("2006-01-02T15:04")}
	var err error
	if d.Nominees, err = s.honours.Nominees(ctx, st.unit.ID, sel.ID); err == nil {
		if d.Drawn, err = s.honours.Drawn(ctx, st.unit.ID, sel); err == nil {
			if d.Tally, err = s.honours.Tally(ctx, st.unit.ID, sel); err == nil {
				if d.Objections, err = s.feedback.Objections(ctx, st.unit.ID, sel.ID); err == nil {
					d.Awards, err = s.honours.Awards(ctx, st.unit.ID, honours.AwardFilter{SelectionID: sel.ID})
				}
			}
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if by, ok := nominatorOf(st.user, sel.Kind); ok && sel.Stage == honours.StageNominating {
		d.Nominator = by
		if d.Options, err = s.subjectOptions(r, sel, by); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	open := sel.Stage == honours.StageVoting && sel.VoteUntil != nil && database.Now().Before(*sel.VoteUntil)
	if voter, ok := s.voterOf(r, sel); ok && open {
		d.CanVote = true
		if d.Voted, err = s.honours.Voted(ctx, st.unit.ID, sel.ID, voter); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.CanPropose = d.Admin && !d.CanVote && (sel.Stage == honours.StageNominating || sel.Stage == honours.StageVoting)
	s.render(w, r, status, "honour_selection", "title.honour_selection", d, ps)
}

// after sends the user back to the selection, or shows it again with
// what was refused and what they typed.
func (s *Server) after(w http.ResponseWriter, r *http.Request, sel honours.Selection, form honours.Nomination, err error, flash string) {
	if ps, ok := locale.AsProblems(err); ok {
		if fresh, err := s.honours.Selection(r.Context(), current(r).unit.ID, sel.ID); err == nil {
			sel = fresh
		}
		s.showSelection(w, r, statusOf(err), sel, form, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// An honour confirmed or revoked changes what the hall screens show.
	s.events.Publish(events.Event{Unit: current(r).unit.ID, Kind: events.Facts})
	s.redirect(w, r, "/honours/selections/"+itoa(sel.ID), flash)
}

// selectionNominate puts a candidate forward with a reason.
func (s *Server) selectionNominate(w http.ResponseWriter, r *http.Request) {
	sel, ok := s.loadSelection(w, r)
	if !ok {
		return
	}
	by, ok := nominatorOf(current(r).user, sel.Kind)
	if !ok {
		s.errorPage(w, r, http.StatusForbidden, "honours.not_nominator")
		return
	}
	n := honours.Nomination{SubjectID: formID(r, "subject"), Reason: r.PostFormValue("reason")}
	err := s.honours.Nominate(r.Context(), actorOf(r), current(r).unit.ID, sel.ID, by, n)
	s.after(w, r, sel, n, err, "flash.nominated")
}

// selectionVoteStart closes nominations and opens the vote.
func (s *Server) selectionVoteStart(w http.ResponseWriter, r *http.Request) {
	sel, ok := s.loadSelection(w, r)
	if !ok {
		return
	}
	st := current(r)
	until, ok := calendar.ParseMoment(r.PostFormValue("until"), org.Location(st.unit.Timezone))
	var err error = locale.FieldProblem("until", "honours.vote_until_invalid")
	if ok {
		err = s.honours.StartVote(r.Context(), actorOf(r), st.unit.ID, sel.ID, until)
	}
	s.after(w, r, sel, honours.Nomination{}, err, "flash.vote_started")
}

// choices reads the ticked candidates of a ballot or proposal.
func choices(r *http.Request, name string) []int64 {
	var out []int64
	for _, v := range r.PostForm[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

// selectionVote casts a leading-group member's or window lead's ballot.
func (s *Server) selectionVote(w http.ResponseWriter, r *http.Request) {
	sel, ok := s.loadSelection(w, r)
	if !ok {
		return
	}
	voter, ok := s.voterOf(r, sel)
	if !ok {
		s.errorPage(w, r, http.StatusForbidden, "honours.not_voter")
		return
	}
	err := s.honours.Vote(r.Context(), actorOf(r), current(r).unit.ID, sel.ID, voter, choices(r, "choice"))
	s.after(w, r, sel, honours.Nomination{}, err, "flash.voted")
}

// selectionPropose is the office's proposal; it opens the 公示期.
func (s *Server) selectionPropose(w http.ResponseWriter, r *http.Request) {
	sel, ok := s.loadSelection(w, r)
	if !ok {
		return
	}
	st := current(r)
	cal, err := s.calendar.ForUnit(r.Context(), st.unit.ID)
	if err == nil {
		err = s.honours.Propose(r.Context(), actorOf(r), st.unit.ID, sel.ID, choices(r, "chosen"), r.PostFormValue("proposal"), cal, org.Location(st.unit.Timezone))
	}
	s.after(w, r, sel, honours.Nomination{}, err, "flash.proposed")
}

// selectionConfirm confirms once the 公示期 is over and every objection answered.
func (s *Server) selectionConfirm(w http.ResponseWriter, r *http.Request) {
	sel, ok := s.loadSelection(w, r)
	if !ok {
		return
	}
	st := current(r)
	err := s.honours.Confirm(r.Context(), actorOf(r), st.unit.ID, sel.ID, s.feedback, org.Location(st.unit.Timezone))
	s.after(w, r, sel, honours.Nomination{}, err, "flash.confirmed")
}

// awardRevoke takes a confirmed honour back with a reason.
func (s *Server) awardRevoke(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	a, err := s.honours.Award(r.Context(), st.unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sel, err := s.honours.Selection(r.Context(), st.unit.ID, a.SelectionID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.honours.Revoke(r.Context(), actorOf(r), st.unit.ID, id, r.PostFormValue("reason"))
	s.after(w, r, sel, honours.Nomination{}, err, "flash.revoked")
}
