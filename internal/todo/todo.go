// Package todo is the office's list of everything overdue or waiting
// (办公室待办): red and yellow cases, overdue rectifications, follow-up
// steps and commitments, claims and commitments waiting for approval,
// unanswered feedback and honour objections, windows and branches that held
// no review meeting last month, and appraisals closing with answers still
// missing. It keeps no table: every line is read from the package that owns
// the fact, when the list is asked for, so a thing handled is gone from it.
// A branch secretary and a window lead get the same list for their people.
package todo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/appraisal"
	"wuliang/internal/cases"
	"wuliang/internal/commitments"
	"wuliang/internal/database"
	"wuliang/internal/feedback"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/followup"
	"wuliang/internal/org"
	"wuliang/internal/rectification"
	"wuliang/internal/reviews"
)

// Kinds of line, in the order the list shows them.
const (
	CaseRed              = "case_red"
	CaseYellow           = "case_yellow"
	RectificationOverdue = "rectification_overdue"
	FollowupOverdue      = "followup_overdue"
	CommitmentOverdue    = "commitment_overdue"
	CommitmentApproval   = "commitment_approval"
	ClaimApproval        = "claim_approval"
	FeedbackUnanswered   = "feedback_unanswered"
	ObjectionUnanswered  = "objection_unanswered"
	ReviewMissing        = "review_missing"
	FiveClosing          = "five_closing"
	AppraisalOpen        = "appraisal_open"
)

// Kinds lists them in order.
var Kinds = []string{CaseRed, CaseYellow, RectificationOverdue, FollowupOverdue, CommitmentOverdue, CommitmentApproval,
	ClaimApproval, FeedbackUnanswered, ObjectionUnanswered, ReviewMissing, FiveClosing, AppraisalOpen}

// Urgency of a line.
const (
	Red    = "red"    // past its date
	Yellow = "yellow" // waiting, or close to its date
)

// FeedbackDays is how long a message may wait for its answer before it is
// red: the 5 working days the 12345 hotline rules give, as calendar days.
const FeedbackDays = 7

// FiveClosingDays is how close to its end a 五评 round lists who has not
// yet given their parts.
const FiveClosingDays = 3

// Item is one line: what, whose, since or until when, and where it is
// handled.
type Item struct {
	Kind    string    `json:"kind"`
	Urgency string    `json:"urgency"`
	Title   string    `json:"title"`
	Who     string    `json:"who,omitempty"`
	At      time.Time `json:"at"` // the deadline, or when it started waiting
	// Day: At is a date (a step's or a commitment's due day), no time.
	Day  bool   `json:"-"`
	Link string `json:"link"`
}

// List is the viewer's lines with their count per kind.
type List struct {
	Items  []Item
	Counts map[string]int
	Red    int
}

// Sources are the stores the list reads.
type Sources struct {
	Cases          *cases.Store
	Rectifications *rectification.Store
	Followup       *followup.Store
	Commitments    *commitments.Store
	Activities     *activities.Store
	Feedback       *feedback.Store
	Reviews        *reviews.Store
	Five           *fiveappraisal.Store
	Appraisals     *appraisal.Store
	Org            *org.Store
	Accounts       *accounts.Store
	DB             *database.DB
}

// Of lists what waits on u. The office sees the unit; a branch secretary
// their branch's people and what they approve; a window lead their
// window's; staff get nothing here (their own work is on their home page).
func (s Sources) Of(ctx context.Context, unit org.Unit, u accounts.User, now time.Time) (List, error) {
	l := List{Counts: map[string]int{}}
	if !Sees(u) {
		return l, nil
	}
	loc := org.Location(unit.Timezone)
	v := viewer{u: u, unit: unit.ID, today: org.Today(unit.Timezone), now: now, loc: loc}
	if u.Role == accounts.RoleBranchSecretary {
		staff, _, err := s.Org.StaffList(ctx, unit.ID, org.StaffFilter{BranchID: u.BranchID})
		if err != nil {
			return l, err
		}
		v.members = map[int64]bool{}
		for _, p := range staff {
			v.members[p.ID] = true
		}
	}
	steps := []func(context.Context, viewer) ([]Item, error){
		s.cases, s.rectifications, s.followups, s.commitments, s.claims, s.feedback, s.reviews, s.five, s.appraisals,
	}
	for _, step := range steps {
		items, err := step(ctx, v)
		if err != nil {
			return l, err
		}
		l.Items = append(l.Items, items...)
	}
	sort.SliceStable(l.Items, func(i, j int) bool {
		a, b := l.Items[i], l.Items[j]
		if a.Kind != b.Kind {
			return slices.Index(Kinds, a.Kind) < slices.Index(Kinds, b.Kind)
		}
		return a.At.Before(b.At)
	})
	for _, it := range l.Items {
		l.Counts[it.Kind]++
		if it.Urgency == Red {
			l.Red++
		}
	}
	return l, nil
}

// Sees says whether u has a list: the office, branch secretaries and
// window leads.
func Sees(u accounts.User) bool {
	return u.IsAdmin() || (u.Role == accounts.RoleBranchSecretary && u.BranchID != 0) || (u.Role == accounts.RoleWindowLead && u.DepartmentID != 0)
}

func (s Sources) cases(ctx context.Context, v viewer) ([]Item, error) {
	var out []Item
	for _, sig := range []struct{ signal, kind, urgency string }{{cases.SignalRed, CaseRed, Red}, {cases.SignalYellow, CaseYellow, Yellow}} {
		list, _, err := s.Cases.List(ctx, v.unit, cases.Filter{Signal: sig.signal, ScopeOf: &v.u, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, c := range list {
			if !v.inPeople(c.HandlerID, c.DepartmentID) {
				continue
			}
			at := c.CreatedAt
			if c.Deadline != nil {
				at = *c.Deadline
			}
			out = append(out, Item{Kind: sig.kind, Urgency: sig.urgency, Title: c.No + " " + c.Title(), Who: c.HandlerName, At: at,
				Link: fmt.Sprintf("/cases/%d", c.ID)})
		}
	}
	return out, nil
}

func (s Sources) rectifications(ctx context.Context, v viewer) ([]Item, error) {
	list, err := s.Rectifications.List(ctx, v.unit, &v.u, true)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, x := range list {
		if !x.DueAt.Before(v.now) || !v.inPeople(x.StaffID, x.DepartmentID) {
			continue
		}
		who := x.StaffName
		if who == "" {
			who = x.DepartmentName
		}
		out = append(out, Item{Kind: RectificationOverdue, Urgency: Red, Title: rectificationTitle(x), Who: who, At: x.DueAt,
			Link: fmt.Sprintf("/rectifications/%d", x.ID)})
	}
	return out, nil
}

func rectificationTitle(x rectification.Rectification) string {
	if x.Summary != "" {
		return x.Summary
	}
	return "差评整改"
}

func (s Sources) followups(ctx context.Context, v viewer) ([]Item, error) {
	if !v.u.IsAdmin() {
		return nil, nil // the office sets and follows these steps
	}
	list, err := s.Followup.Overdue(ctx, v.unit, v.today)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, o := range list {
		due, _ := time.ParseInLocation(time.DateOnly, o.Step.DueOn, v.loc)
		out = append(out, Item{Kind: FollowupOverdue, Urgency: Red, Title: o.Step.What, Who: o.Label, At: due, Day: true, Link: o.Step.Link()})
	}
	return out, nil
}

func (s Sources) commitments(ctx context.Context, v viewer) ([]Item, error) {
	today := v.today
	list, err := s.Commitments.List(ctx, v.unit, commitments.Filter{States: []string{commitments.StatePublic, commitments.StateSubmitted}, ScopeOf: &v.u, Today: today})
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, c := range list {
		link := fmt.Sprintf("/commitments/%d", c.ID)
		switch {
		case c.State == commitments.StateSubmitted && commitments.CanApprove(v.u, c):
			out = append(out, Item{Kind: CommitmentApproval, Urgency: Yellow, Title: c.Body, Who: c.OwnerName, At: c.UpdatedAt, Link: link})
		case c.State == commitments.StatePublic && c.DueOn != "" && c.DueOn < today:
			due, _ := time.ParseInLocation(time.DateOnly, c.DueOn, v.loc)
			out = append(out, Item{Kind: CommitmentOverdue, Urgency: Red, Title: c.Body, Who: c.OwnerName, At: due, Day: true, Link: link})
		}
	}
	return out, nil
}

func (s Sources) claims(ctx context.Context, v viewer) ([]Item, error) {
	list, err := s.Activities.ToReview(ctx, v.unit, v.u)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, c := range list {
		out = append(out, Item{Kind: ClaimApproval, Urgency: Yellow, Title: c.KindName, Who: c.Name, At: c.CreatedAt,
			Link: fmt.Sprintf("/activities/claims/%d", c.ID)})
	}
	return out, nil
}

func (s Sources) feedback(ctx context.Context, v viewer) ([]Item, error) {
	if !v.u.IsAdmin() {
		return nil, nil // the mailbox is the office's
	}
	list, err := s.Feedback.List(ctx, v.unit, false)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, m := range list {
		if m.State == feedback.StateReplied {
			continue
		}
		kind := FeedbackUnanswered
		if m.Kind == feedback.KindObjection {
			kind = ObjectionUnanswered
		}
		urgency := Yellow
		if v.now.Sub(m.CreatedAt) > FeedbackDays*24*time.Hour {
			urgency = Red
		}
		out = append(out, Item{Kind: kind, Urgency: urgency, Title: clip(m.Body, 40), Who: m.Code, At: m.CreatedAt,
			Link: fmt.Sprintf("/feedback/%d", m.ID)})
	}
	return out, nil
}

// reviews: plan 2's monthly review meeting (每月一次点评). A window or
// branch without a published meeting of its own last month is listed,
// unless the unit held one meeting for everyone.
func (s Sources) reviews(ctx context.Context, v viewer) ([]Item, error) {
	first := time.Date(v.now.In(v.loc).Year(), v.now.In(v.loc).Month(), 1, 0, 0, 0, 0, v.loc)
	month := first.AddDate(0, -1, 0).Format("2006-01")
	held, err := s.Reviews.Month(ctx, v.unit, month)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, m := range held {
		if m.Scope == reviews.ScopeUnit {
			return nil, nil
		}
		done[fmt.Sprintf("%s:%d", m.Scope, m.ScopeID)] = true
	}
	var out []Item
	missing := func(scope string, id int64, name string) {
		if !done[fmt.Sprintf("%s:%d", scope, id)] {
			out = append(out, Item{Kind: ReviewMissing, Urgency: Yellow, Title: name, Who: month, At: first, Day: true,
				Link: "/reviews"})
		}
	}
	if v.u.IsAdmin() || v.u.Role == accounts.RoleWindowLead {
		windows, err := org.Windows(ctx, s.DB, v.unit)
		if err != nil {
			return nil, err
		}
		for _, w := range windows {
			if v.u.IsAdmin() || w.ID == v.u.DepartmentID {
				missing(reviews.ScopeWindow, w.ID, w.Name)
			}
		}
	}
	if v.u.IsAdmin() || v.u.Role == accounts.RoleBranchSecretary {
		branches, err := s.Org.Branches(ctx, v.unit)
		if err != nil {
			return nil, err
		}
		for _, b := range branches {
			if b.Active && (v.u.IsAdmin() || b.ID == v.u.BranchID) {
				missing(reviews.ScopeBranch, b.ID, b.Name)
			}
		}
	}
	return out, nil
}

// five: a 五评 round closing within FiveClosingDays, each person whose
// parts are still missing, for the office and their branch's secretary.
func (s Sources) five(ctx context.Context, v viewer) ([]Item, error) {
	rounds, err := s.Five.List(ctx, v.unit, false)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, r := range rounds {
		if r.State(v.now) != fiveappraisal.StateOpen || r.ClosesAt.Sub(v.now) > FiveClosingDays*24*time.Hour {
			continue
		}
		progress, err := s.Five.Progress(ctx, v.unit, r.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range progress {
			if len(p.Missing()) == 0 || !(v.u.IsAdmin() || (v.u.Role == accounts.RoleBranchSecretary && p.BranchID == v.u.BranchID)) {
				continue
			}
			out = append(out, Item{Kind: FiveClosing, Urgency: Yellow, Title: r.Title, Who: p.Name, At: r.ClosesAt,
				Link: fmt.Sprintf("/five-appraisals/%d", r.ID)})
		}
	}
	return out, nil
}

// appraisals: an open 民主评议 round with invitations still unanswered.
func (s Sources) appraisals(ctx context.Context, v viewer) ([]Item, error) {
	if !v.u.IsAdmin() {
		return nil, nil
	}
	rounds, err := s.Appraisals.List(ctx, v.unit, false)
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, r := range rounds {
		if r.State != appraisal.StateOpen {
			continue
		}
		invites, err := s.Appraisals.Invites(ctx, v.unit, r.ID)
		if err != nil {
			return nil, err
		}
		waiting := 0
		for _, in := range invites {
			if in.AnsweredAt == nil {
				waiting++
			}
		}
		if waiting > 0 {
			at := r.CreatedAt
			if r.OpenedAt != nil {
				at = *r.OpenedAt
			}
			out = append(out, Item{Kind: AppraisalOpen, Urgency: Yellow, Title: r.Title, Who: fmt.Sprintf("%d / %d 份未答", waiting, len(invites)), At: at,
				Link: fmt.Sprintf("/appraisals/%d", r.ID)})
		}
	}
	return out, nil
}

// viewer is who asks, in which unit, when.
type viewer struct {
	u       accounts.User
	unit    int64
	today   string
	now     time.Time
	loc     *time.Location
	members map[int64]bool // a branch secretary's branch
}

// inPeople says whether a fact of a person or a window is the viewer's:
// the office's all, a window lead's their window, a branch secretary's
// their branch's members.
func (v viewer) inPeople(staffID, deptID int64) bool {
	switch {
	case v.u.IsAdmin():
		return true
	case v.u.Role == accounts.RoleWindowLead:
		return deptID != 0 && deptID == v.u.DepartmentID
	case v.u.Role == accounts.RoleBranchSecretary:
		return v.members[staffID]
	}
	return false
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
