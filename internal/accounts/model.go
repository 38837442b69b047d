// Package accounts holds users, their roles and scope, passwords, login
// sessions and the login rate limit.
package accounts

import (
	"slices"
	"time"
)

// Roles, from the widest to the narrowest scope.
const (
	RoleSystemAdmin     = "system_admin"     // all units; creates units
	RoleUnitAdmin       = "unit_admin"       // the campaign office of one unit
	RoleBranchSecretary = "branch_secretary" // one party branch
	RoleWindowLead      = "window_lead"      // one department or window
	RoleStaff           = "staff"            // one person: themself
	// RoleSupervisor is a public supervisor (形象监督员) appointed from
	// outside: files observations and sees only their own.
	RoleSupervisor = "supervisor"
)

// Roles lists the roles a unit admin may give.
var Roles = []string{RoleUnitAdmin, RoleBranchSecretary, RoleWindowLead, RoleStaff, RoleSupervisor}

// User is an account.
type User struct {
	ID           int64  `json:"id"`
	UnitID       int64  `json:"unit_id"`
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Role         string `json:"role"`
	StaffID      int64  `json:"staff_id,omitempty"`
	BranchID     int64  `json:"branch_id,omitempty"`
	DepartmentID int64  `json:"department_id,omitempty"`
	Active       bool   `json:"active"`
	// MustChange: the password was set by the office (a slip or a reset),
	// so every page but the password form is closed until the user picks one.
	MustChange bool      `json:"must_change_password"`
	CreatedAt  time.Time `json:"created_at"`
}

// Is reports whether the user holds one of roles.
func (u User) Is(roles ...string) bool { return slices.Contains(roles, u.Role) }

// IsAdmin is true for the campaign office and the system administrator.
func (u User) IsAdmin() bool { return u.Is(RoleUnitAdmin, RoleSystemAdmin) }

// Session is a login.
type Session struct {
	UserID    int64
	UnitID    int64 // the unit the user acts in; a system admin chooses it
	ExpiresAt time.Time
}
