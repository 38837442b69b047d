// Package cases keeps the first-contact register (首问登记): every matter a
// member of the public brings, from registration through the one-time
// notice of missing materials (一次性告知), acceptance (受理) with a deadline
// in working days (限时办结), to completion (办结), referral (转办),
// withdrawal or refusal, each step a dated entry on the case's timeline.
package cases

import (
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// States of a case.
const (
	StateRegistered = "registered" // 已登记
	StateWaiting    = "waiting"    // 待补正: waiting for the recipient's materials
	StateAccepted   = "accepted"   // 已受理: the clock runs
	StateCompleted  = "completed"  // 已办结
	StateReferred   = "referred"   // 转办中: until the receiver acknowledges
	StateWithdrawn  = "withdrawn"  // 已撤回
	StateRefused    = "refused"    // 不予受理, with a written reason
)

// States lists them in the order filters show them.
var States = []string{StateRegistered, StateWaiting, StateAccepted, StateReferred, StateCompleted, StateWithdrawn, StateRefused}

// Channels a matter arrives by.
var Channels = []string{"counter", "phone", "online"}

// Signals of electronic supervision (红黄牌).
const (
	SignalGreen  = "green"  // on time
	SignalYellow = "yellow" // one working day or less left
	SignalRed    = "red"    // overdue
	SignalPaused = "paused" // the clock stands while materials are awaited (补正)
)

// Case is one registered matter.
type Case struct {
	ID               int64      `json:"id"`
	UnitID           int64      `json:"-"`
	No               string     `json:"no"`
	ItemID           int64      `json:"item_id,omitempty"`
	ItemName         string     `json:"item,omitempty"`
	Matter           string     `json:"matter,omitempty"`
	RecipientName    string     `json:"recipient_name"`
	RecipientPhone   string     `json:"recipient_phone"`
	Channel          string     `json:"channel"`
	Notes            string     `json:"notes,omitempty"`
	FirstContactID   int64      `json:"first_contact_id"`
	FirstContactName string     `json:"first_contact"`
	HandlerID        int64      `json:"handler_id"`
	HandlerName      string     `json:"handler"`
	DepartmentID     int64      `json:"window_id,omitempty"`
	DepartmentName   string     `json:"window,omitempty"`
	ReferredTo       int64      `json:"referred_to,omitempty"`
	ReferredToName   string     `json:"referred_to_name,omitempty"`
	ReferredFrom     string     `json:"-"`
	State            string     `json:"status"`
	TimeLimitDays    *int       `json:"time_limit_days,omitempty"`
	AcceptedAt       *time.Time `json:"accepted_at,omitempty"`
	Deadline         *time.Time `json:"deadline,omitempty"`
	PausedAt         *time.Time `json:"paused_at,omitempty"`
	PausedDays       int        `json:"paused_working_days"`
	CompletedAt      *time.Time `json:"completed_at,omitempty"`
	OverdueAt        *time.Time `json:"overdue_at,omitempty"`
	ClosingReason    string     `json:"reason,omitempty"`
	Ticket
	RatingToken string    `json:"rating_token"`
	Version     int       `json:"-"`
	CreatedBy   int64     `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Signal      string    `json:"signal,omitempty"`
	DaysLeft    *int      `json:"working_days_left,omitempty"`
}

// Ticket is the queue machine's ticket (排队叫号) the case came from.
type Ticket struct {
	TicketNo   string     `json:"ticket_no,omitempty"`
	TicketAt   *time.Time `json:"ticket_at,omitempty"`   // drawn
	CalledAt   *time.Time `json:"called_at,omitempty"`   // called to the counter
	FinishedAt *time.Time `json:"finished_at,omitempty"` // served, when the machine knows it
}

// maxWait is the longest wait a ticket may claim: a queue machine's ticket
// is for the day it was drawn.
const maxWait = 24 * time.Hour

// validate checks the ticket's times follow each other and are not in the
// future (a minute of clock drift between machines allowed).
func (t *Ticket) validate(ps *locale.Problems, now time.Time) {
	t.TicketNo = textnorm.CleanText(t.TicketNo)
	textnorm.CheckLength(ps, "ticket_no", "case.ticket_no", t.TicketNo, 32, false)
	if t.TicketAt == nil && t.TicketNo == "" && t.CalledAt == nil && t.FinishedAt == nil {
		return
	}
	if t.TicketAt == nil || t.CalledAt == nil {
		ps.Add("ticket_at", "case.ticket_times_required")
		return
	}
	drift := now.Add(time.Minute)
	switch {
	case t.CalledAt.Before(*t.TicketAt):
		ps.Add("called_at", "case.ticket_called_before_drawn")
	case t.CalledAt.Sub(*t.TicketAt) > maxWait:
		ps.Add("called_at", "case.ticket_wait_too_long")
	case t.FinishedAt != nil && t.FinishedAt.Before(*t.CalledAt):
		ps.Add("finished_at", "case.ticket_finished_before_called")
	case t.FinishedAt != nil && t.FinishedAt.Sub(*t.CalledAt) > maxWait:
		ps.Add("finished_at", "case.ticket_wait_too_long")
	case t.CalledAt.After(drift) || (t.FinishedAt != nil && t.FinishedAt.After(drift)):
		ps.Add("called_at", "case.ticket_in_future")
	}
}

// audited is the case as the audit trail keeps it: without the rating
// token, which is the recipient's alone (staff must never rate a case).
func (c Case) audited() Case {
	c.RatingToken = ""
	return c
}

// Mirror is how the audit trail sees the cases table: what audit verify
// compares each case's row with. It holds what the efficiency figures and
// the score are made of: who served, at which window, and the case's
// times and state.
var Mirror = audit.Mirror{Table: "cases", Entity: "case", Fields: map[string]audit.Field{
	"status":              {Column: "state", Kind: audit.Text},
	"item_id":             {Column: "COALESCE(item_id, 0)", Kind: audit.Number},
	"first_contact_id":    {Column: "first_contact_id", Kind: audit.Number},
	"handler_id":          {Column: "handler_id", Kind: audit.Number},
	"window_id":           {Column: "COALESCE(department_id, 0)", Kind: audit.Number},
	"referred_to":         {Column: "COALESCE(referred_to, 0)", Kind: audit.Number},
	"channel":             {Column: "channel", Kind: audit.Text},
	"recipient_name":      {Column: "recipient_name", Kind: audit.Text},
	"time_limit_days":     {Column: "COALESCE(time_limit_days, 0)", Kind: audit.Number},
	"accepted_at":         {Column: "accepted_at", Kind: audit.Moment},
	"deadline":            {Column: "deadline", Kind: audit.Moment},
	"paused_at":           {Column: "paused_at", Kind: audit.Moment},
	"paused_working_days": {Column: "paused_days", Kind: audit.Number},
	"completed_at":        {Column: "completed_at", Kind: audit.Moment},
	"overdue_at":          {Column: "overdue_at", Kind: audit.Moment},
	"reason":              {Column: "closing_reason", Kind: audit.Text},
}}

// Title is the item's name, or the matter in the recipient's words.
func (c Case) Title() string {
	if c.ItemName != "" {
		return c.ItemName
	}
	return c.Matter
}

// Open reports whether the case still needs work.
func (c Case) Open() bool {
	switch c.State {
	case StateRegistered, StateWaiting, StateAccepted, StateReferred:
		return true
	}
	return false
}

// Accepted reports whether the case was accepted and so has a deadline.
func (c Case) Accepted() bool { return c.AcceptedAt != nil }

// OnTime reports whether a completed case was completed by its deadline.
func (c Case) OnTime() bool {
	return c.CompletedAt != nil && c.OverdueAt == nil && (c.Deadline == nil || !c.CompletedAt.After(*c.Deadline))
}

// Event is one entry of a case's timeline.
type Event struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Action    string    `json:"action"`
	Actor     string    `json:"actor"`
	StaffID   int64     `json:"staff_id,omitempty"`
	StaffName string    `json:"staff,omitempty"`
	Body      string    `json:"body,omitempty"`
}

// Notice is a one-time notice of missing materials (一次性告知书).
type Notice struct {
	ID          int64             `json:"id"`
	CaseID      int64             `json:"case_id"`
	No          string            `json:"no"`
	Seq         int               `json:"seq"`
	HandlerID   int64             `json:"handler_id"`
	HandlerName string            `json:"handler"`
	Materials   []MissingMaterial `json:"materials"`
	Place       string            `json:"place"`
	Contact     string            `json:"contact"`
	Unlisted    []string          `json:"unlisted,omitempty"` // asked for now, absent from the first notice
	ReasonKind  string            `json:"reason_kind,omitempty"`
	Reason      string            `json:"reason,omitempty"`
	Breach      bool              `json:"breach"`
	CreatedAt   time.Time         `json:"created_at"`
}

// MissingMaterial is one line of a notice: what is missing and why.
type MissingMaterial struct {
	Name string `json:"name"`
	Why  string `json:"why,omitempty"`
}

// Reasons a later notice may ask for something the first did not list.
var ReasonKinds = []string{"new_policy", "request_changed"}
