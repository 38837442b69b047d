// Package org holds a unit's organisation: the unit itself, its party
// branches, departments and windows, its staff with photos and A/B backups,
// and the campaign's leading group.
package org

import (
	"sync"
	"time"
)

// Unit is a tenant: one hospital, one service centre.
type Unit struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Timezone  string    `json:"timezone"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// Unit kinds.
var UnitKinds = []string{"center", "hospital", "tax", "other"}

// Branch is a party branch (党支部).
type Branch struct {
	ID            int64  `json:"id"`
	UnitID        int64  `json:"unit_id"`
	Name          string `json:"name"`
	SecretaryID   int64  `json:"secretary_id,omitempty"`
	SecretaryName string `json:"secretary_name,omitempty"`
	Active        bool   `json:"active"`
	MemberCount   int    `json:"member_count"`
}

// Department is an organisational place where staff serve; a window is a
// department of kind "window".
type Department struct {
	ID         int64  `json:"id"`
	UnitID     int64  `json:"unit_id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	WindowNo   string `json:"window_no"`
	Duties     string `json:"duties"`
	SortOrder  int    `json:"sort_order"`
	Active     bool   `json:"active"`
	StaffCount int    `json:"staff_count"`
}

// Department kinds.
const KindWindow = "window"

var DepartmentKinds = []string{KindWindow, "office", "clinical", "ward", "other"}

// Political statuses.
const (
	StatusMember       = "member"
	StatusProbationary = "probationary"
	StatusLeague       = "league"
	StatusMasses       = "masses"
)

var PoliticalStatuses = []string{StatusMember, StatusProbationary, StatusLeague, StatusMasses}

// Genders; the empty string means not recorded.
var Genders = []string{"male", "female"}

// Staff is a person who works for a unit.
type Staff struct {
	ID              int64     `json:"id"`
	UnitID          int64     `json:"unit_id"`
	Name            string    `json:"name"`
	Gender          string    `json:"gender"`
	Post            string    `json:"post"`
	EmployeeNo      string    `json:"employee_no"`
	Phone           string    `json:"phone"`
	DepartmentID    int64     `json:"department_id,omitempty"`
	DepartmentName  string    `json:"department,omitempty"`
	BranchID        int64     `json:"branch_id,omitempty"`
	BranchName      string    `json:"branch,omitempty"`
	PoliticalStatus string    `json:"political_status"`
	BackupID        int64     `json:"backup_id,omitempty"`
	BackupName      string    `json:"backup,omitempty"`
	Duties          string    `json:"duties"`
	Active          bool      `json:"active"`
	HasPhoto        bool      `json:"has_photo"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Input is the person as a form to change.
func (s Staff) Input() StaffInput {
	return StaffInput{Name: s.Name, Gender: s.Gender, Post: s.Post, EmployeeNo: s.EmployeeNo, Phone: s.Phone, DepartmentID: s.DepartmentID,
		BranchID: s.BranchID, PoliticalStatus: s.PoliticalStatus, BackupID: s.BackupID, Duties: s.Duties}
}

// IsPartyMember is true for full and probationary members, who wear the
// party emblem and stand on the notice board.
func (s Staff) IsPartyMember() bool {
	return s.PoliticalStatus == StatusMember || s.PoliticalStatus == StatusProbationary
}

// Surname is the first character of the name, for the photo placeholder.
func (s Staff) Surname() string {
	for _, r := range s.Name {
		return string(r)
	}
	return "?"
}

// Leading group roles.
var LeaderRoles = []string{"leader", "deputy", "member", "office_director"}

// Leader is a member of the campaign's leading group.
type Leader struct {
	ID        int64  `json:"id"`
	UnitID    int64  `json:"unit_id"`
	StaffID   int64  `json:"staff_id"`
	StaffName string `json:"staff_name"`
	Post      string `json:"post"`
	Role      string `json:"role"`
	Duty      string `json:"duty"`
}

// Today is the date now in a unit's time zone, as YYYY-MM-DD: the day
// every due date, 公示期 and step is compared with.
func Today(tz string) string { return time.Now().In(Location(tz)).Format(time.DateOnly) }

// locations caches time zones: time.LoadLocation reads the zone file on
// every call, and a list page formats a hundred times.
var locations sync.Map

// beijing is the zone when a unit's name cannot be loaded: every unit of
// the campaign keeps Beijing time.
var beijing = time.FixedZone("CST", 8*3600)

// Location is the time zone of that name, Beijing time if it cannot be
// loaded. Times are stored in UTC and shown in the unit's zone.
func Location(name string) *time.Location {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = beijing
	}
	locations.Store(name, loc)
	return loc
}
