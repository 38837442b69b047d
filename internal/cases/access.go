package cases

import "wuliang/internal/accounts"

// RoleMachine marks a queue machine or other system acting through the
// unit's API key: it acts for the unit's counters, so it may work any case.
const RoleMachine = "machine"

// Machine is the user an API request acts as.
var Machine = accounts.User{Role: RoleMachine, Username: "api"}

func isOffice(u accounts.User) bool { return u.IsAdmin() || u.Role == RoleMachine }

func leads(u accounts.User, deptID int64) bool {
	return u.Role == accounts.RoleWindowLead && u.DepartmentID != 0 && u.DepartmentID == deptID
}

func involved(u accounts.User, c Case) bool {
	return u.StaffID != 0 && (u.StaffID == c.FirstContactID || u.StaffID == c.HandlerID || u.StaffID == c.ReferredTo)
}

// CanSee: the office sees every case, a window lead the window's, everyone
// the cases they took, handle or were referred.
func CanSee(u accounts.User, c Case) bool {
	return isOffice(u) || leads(u, c.DepartmentID) || involved(u, c)
}

// CanHandle says whether u may move the case on: its handler (the first
// contact until a referral is acknowledged), the window lead, the office.
func CanHandle(u accounts.User, c Case) bool {
	return isOffice(u) || leads(u, c.DepartmentID) || (u.StaffID != 0 && u.StaffID == c.HandlerID)
}

// CanAcknowledge says whether u may take over a referred case.
func CanAcknowledge(u accounts.User, c Case) bool {
	return c.State == StateReferred && (isOffice(u) || (u.StaffID != 0 && u.StaffID == c.ReferredTo))
}

// CanChangeDeadline: the office or the window lead, never for a case they
// handle themselves.
func CanChangeDeadline(u accounts.User, c Case) bool {
	if u.StaffID != 0 && u.StaffID == c.HandlerID {
		return false
	}
	return isOffice(u) || leads(u, c.DepartmentID)
}

// canRegisterFor: people register what they were asked themselves; a window
// lead also for the window's people; the office and machines for anyone.
func canRegisterFor(u accounts.User, staffID, deptID int64) bool {
	return isOffice(u) || (u.StaffID != 0 && u.StaffID == staffID) || leads(u, deptID)
}
