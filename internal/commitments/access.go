package commitments

import "wuliang/internal/accounts"

// owner is what the rules need to know of whose commitment it is.
type owner struct {
	kind             string
	staffID          int64
	branchID, deptID int64 // the approving branch and the window, for people as for places
}

func ownerOf(c Commitment) owner {
	return owner{kind: c.OwnerKind, staffID: c.StaffID, branchID: c.OwnerBranch, deptID: c.ownerDept}
}

// inScope: the office sees all; a branch secretary their branch and its
// people; a window lead their window and its people; staff themselves.
func inScope(u accounts.User, o owner) bool {
	switch u.Role {
	case accounts.RoleUnitAdmin, accounts.RoleSystemAdmin:
		return true
	case accounts.RoleBranchSecretary:
		return (u.BranchID != 0 && o.branchID == u.BranchID) || (o.kind == OwnerStaff && o.staffID == u.StaffID)
	case accounts.RoleWindowLead:
		return (u.DepartmentID != 0 && o.deptID == u.DepartmentID && o.kind != OwnerBranch) || (o.kind == OwnerStaff && o.staffID == u.StaffID)
	}
	return o.kind == OwnerStaff && o.staffID == u.StaffID
}

// CanSee says whether u may read a commitment before it is public.
func CanSee(u accounts.User, c Commitment) bool { return inScope(u, ownerOf(c)) }

// CanDraft says whether u may write (and later record the fulfilment of) a
// commitment for this owner. Staff write their own; a window lead also the
// window's; a branch secretary also the branch's.
func canDraft(u accounts.User, o owner) bool { return inScope(u, o) }

// CanApprove says whether u may approve, return or judge c: the office, or
// the secretary of the branch the owner belongs to. Nobody judges a
// commitment that is their own (as its owner, or, below the office, as its
// author), and a branch's own commitments go to the office.
func CanApprove(u accounts.User, c Commitment) bool {
	switch {
	case u.StaffID != 0 && c.OwnerKind == OwnerStaff && c.StaffID == u.StaffID:
		return false
	case u.IsAdmin():
		return true
	case u.Role != accounts.RoleBranchSecretary || u.BranchID == 0:
		return false
	case c.CreatedBy == u.ID, c.OwnerKind == OwnerBranch:
		return false
	}
	return c.OwnerBranch == u.BranchID
}

// CanEdit says whether u may change or submit c.
func CanEdit(u accounts.User, c Commitment) bool {
	return c.Editable() && (c.CreatedBy == u.ID || u.IsAdmin())
}

// CanFulfil says whether u may record the fulfilment of c.
func CanFulfil(u accounts.User, c Commitment) bool {
	return c.State == StatePublic && canDraft(u, ownerOf(c))
}
