package todo

import (
	"testing"

	"wuliang/internal/accounts"
)

// The list is the office's, a branch secretary's for their branch and a
// window lead's for their window; staff have none.
func TestScope(t *testing.T) {
	office := accounts.User{Role: accounts.RoleUnitAdmin}
	secretary := accounts.User{Role: accounts.RoleBranchSecretary, BranchID: 7}
	lead := accounts.User{Role: accounts.RoleWindowLead, DepartmentID: 3}
	tests := []struct {
		name          string
		u             accounts.User
		sees          bool
		staff, window int64
		theirs        bool
	}{
		{"the office: anyone's", office, true, 11, 9, true},
		{"a secretary: a member of the branch", secretary, true, 11, 9, true},
		{"a secretary: someone else", secretary, true, 12, 3, false},
		{"a secretary: a window's own", secretary, true, 0, 3, false},
		{"a lead: their window", lead, true, 12, 3, true},
		{"a lead: another window", lead, true, 11, 9, false},
		{"a lead without a window", accounts.User{Role: accounts.RoleWindowLead}, false, 0, 0, false},
		{"staff", accounts.User{Role: accounts.RoleStaff, StaffID: 11}, false, 11, 9, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sees(tt.u); got != tt.sees {
				t.Errorf("Sees = %v", got)
			}
			v := viewer{u: tt.u, members: map[int64]bool{11: true}}
			if got := v.inPeople(tt.staff, tt.window); got != tt.theirs {
				t.Errorf("inPeople(%d, %d) = %v", tt.staff, tt.window, got)
			}
		})
	}
}
