// Package orgtest builds small organisations for tests: a unit with a
// window, an office, a branch and a few staff.
package orgtest

import (
	"context"
	"testing"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/org"
)

// Actor is the audit actor of fixtures.
var Actor = audit.Actor{Name: "test"}

// Unit is a unit built for a test.
type Unit struct {
	org.Unit
	Window, Office int64 // department ids
	Branch         int64
	Staff          []int64 // ZZ01, ZZ02, ZZ03 (member, masses, league)
}

// New creates a unit with code, a window 税务窗口, an office 办公室, a branch
// 中心党支部 and three staff.
func New(t testing.TB, db *database.DB, code string) Unit {
	t.Helper()
	ctx := context.Background()
	s := org.NewStore(db)
	id, err := s.CreateUnit(ctx, Actor, org.UnitInput{Code: code, Name: code + " 服务中心", Kind: "center"})
	must(t, err)
	u := Unit{}
	u.Unit, err = s.Unit(ctx, id)
	must(t, err)
	u.Window, err = s.CreateDepartment(ctx, Actor, id, org.DepartmentInput{Name: "税务窗口", Kind: org.KindWindow, WindowNo: "2号"})
	must(t, err)
	u.Office, err = s.CreateDepartment(ctx, Actor, id, org.DepartmentInput{Name: "办公室", Kind: "office"})
	must(t, err)
	u.Branch, err = s.CreateBranch(ctx, Actor, id, org.BranchInput{Name: "中心党支部"})
	must(t, err)
	people := []org.StaffInput{
		{Name: "张三", EmployeeNo: "ZZ01", DepartmentID: u.Window, BranchID: u.Branch, PoliticalStatus: org.StatusMember, Phone: "13800000001"},
		{Name: "李四", EmployeeNo: "ZZ02", DepartmentID: u.Window, PoliticalStatus: org.StatusMasses, Phone: "13800000002"},
		{Name: "王五", EmployeeNo: "ZZ03", DepartmentID: u.Office, PoliticalStatus: org.StatusLeague},
	}
	for _, in := range people {
		sid, err := s.CreateStaff(ctx, Actor, id, in)
		must(t, err)
		u.Staff = append(u.Staff, sid)
	}
	return u
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// User creates a login of the unit acting as staff (0 for none) in a role,
// scoped to a department for a window lead.
func User(t testing.TB, db *database.DB, unitID int64, username, role string, staffID, deptID int64) accounts.User {
	t.Helper()
	return Login(t, db, accounts.NewUser{UnitID: unitID, Username: username, Role: role, StaffID: staffID, DepartmentID: deptID})
}

// Login creates any login, a branch secretary's say, with the fixtures'
// password, and returns it as stored.
func Login(t testing.TB, db *database.DB, in accounts.NewUser) accounts.User {
	t.Helper()
	s := accounts.NewStore(db)
	in.Password = "password1"
	id, err := s.CreateUser(context.Background(), Actor, in)
	must(t, err)
	u, err := s.User(context.Background(), in.UnitID, id)
	must(t, err)
	return u
}
