// Package commitments holds public commitments (公开承诺): promises made by a
// person, a window or a party branch, approved before they go public, and
// their fulfilment (兑现) recorded as dated entries with evidence.
package commitments

import "time"

// Owner kinds.
const (
	OwnerStaff  = "staff"
	OwnerWindow = "window"
	OwnerBranch = "branch"
)

// Categories: the six service promises of the plan, or a personal promise.
var Categories = []string{"first_contact", "one_time_notice", "standard_approval", "sunshine", "lawful_fees", "on_time", "personal"}

// States of a commitment's approval.
const (
	StateDraft     = "draft"     // written, not yet sent for approval
	StateSubmitted = "submitted" // waiting for the branch secretary or the office
	StateReturned  = "returned"  // sent back with a reason; may be edited and sent again
	StatePublic    = "public"    // approved: shown to the public, fulfilment recorded
	StateClosed    = "closed"    // judged: kept, partly kept or broken
)

// Outcomes of a closed commitment.
var Outcomes = []string{"kept", "partly", "broken"}

// Fulfilment reviews.
const (
	ReviewPending  = "pending"
	ReviewAccepted = "accepted"
	ReviewRejected = "rejected"
)

// Commitment is a public promise.
type Commitment struct {
	ID           int64     `json:"id"`
	UnitID       int64     `json:"unit_id"`
	OwnerKind    string    `json:"owner_kind"`
	StaffID      int64     `json:"person_id,omitempty"`
	DepartmentID int64     `json:"window_id,omitempty"`
	BranchID     int64     `json:"branch_id,omitempty"`
	OwnerName    string    `json:"owner"`
	OwnerBranch  int64     `json:"-"` // the branch that approves: the person's or the branch itself
	ownerDept    int64     // the window: the person's or the window itself
	Category     string    `json:"category"`
	Body         string    `json:"text"`
	PeriodStart  string    `json:"period_start"`
	PeriodEnd    string    `json:"period_end"`
	DueOn        string    `json:"due_on,omitempty"`
	State        string    `json:"state"`
	Outcome      string    `json:"outcome,omitempty"`
	ReturnReason string    `json:"-"`
	CreatedBy    int64     `json:"-"`
	Late         bool      `json:"late"`
	Fulfilments  int       `json:"fulfilments"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Status is what the public and the API see: open, kept, partly, broken.
func (c Commitment) Status() string {
	if c.State == StateClosed {
		return c.Outcome
	}
	return "open"
}

// Editable reports whether the text may still change.
func (c Commitment) Editable() bool {
	return c.State == StateDraft || c.State == StateReturned
}

// Fulfilment is a dated record of keeping a commitment.
type Fulfilment struct {
	ID           int64     `json:"id"`
	CommitmentID int64     `json:"commitment_id"`
	OnDate       string    `json:"date"`
	Body         string    `json:"text"`
	FileName     string    `json:"file_name,omitempty"`
	FileType     string    `json:"-"`
	Review       string    `json:"review"`
	ReviewNote   string    `json:"review_note,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}
