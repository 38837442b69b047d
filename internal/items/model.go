// Package items holds a unit's service items (服务事项): what the public can
// ask for, with the eight disclosures of the 明白卡 (八公开) — item, policy
// basis, preconditions, procedure, fee basis, fee standard, time limit, and
// handling unit with handler and contact — plus the checklist of materials
// that the one-time notice (一次性告知) is built from.
package items

import "time"

// Material forms: the original, a copy, or both.
const (
	FormOriginal = "original"
	FormCopy     = "copy"
	FormBoth     = "both"
)

// MaterialForms lists the forms a material may be asked in.
var MaterialForms = []string{FormOriginal, FormCopy, FormBoth}

// Material is one entry of an item's checklist.
type Material struct {
	Name   string `json:"name"`
	Form   string `json:"form"`
	Copies int    `json:"copies"`
	Note   string `json:"note,omitempty"`
}

// Handler is a person who handles an item.
type Handler struct {
	StaffID    int64  `json:"staff_id"`
	Name       string `json:"name"`
	Post       string `json:"post"`
	EmployeeNo string `json:"-"`
	Active     bool   `json:"-"`
}

// Item is a service item with its eight disclosures.
type Item struct {
	ID             int64      `json:"id"`
	UnitID         int64      `json:"unit_id"`
	Code           string     `json:"code,omitempty"`
	Name           string     `json:"name"`
	PolicyBasis    string     `json:"policy_basis"`
	Preconditions  string     `json:"preconditions"`
	Procedure      []string   `json:"procedure"`
	FeeBasis       string     `json:"fee_basis"`
	FeeStandard    string     `json:"fee_standard"`
	TimeLimitDays  int        `json:"time_limit_days"` // working days; 0 means on the spot (即办)
	HandlingUnit   string     `json:"handling_unit"`
	Contact        string     `json:"contact"`
	DepartmentID   int64      `json:"window_id,omitempty"`
	DepartmentName string     `json:"window,omitempty"`
	Active         bool       `json:"active"`
	Materials      []Material `json:"materials"`
	Handlers       []Handler  `json:"handlers"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Free reports whether the item costs nothing.
func (it Item) Free() bool { return it.FeeStandard == "" || it.FeeStandard == FreeOfCharge }

// FreeOfCharge is how a free item's fee standard reads.
const FreeOfCharge = "不收费"
