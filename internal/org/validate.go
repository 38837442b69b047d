package org

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

var (
	employeeNoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$`)
	unitCodePattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,31}$`)
)

// Limits on free text, in characters.
const (
	MaxNameLen   = 50
	MaxShortLen  = 100
	MaxDutiesLen = 2000
)

// StaffInput is what a form, the roster importer or the demo gives to create
// or change a staff member.
type StaffInput struct {
	Name            string
	Gender          string
	Post            string
	EmployeeNo      string
	Phone           string
	DepartmentID    int64
	BranchID        int64
	PoliticalStatus string
	BackupID        int64
	Duties          string
}

// Normalize trims and folds the input in place.
func (in *StaffInput) Normalize() {
	in.Name = textnorm.CleanText(in.Name)
	in.Post = textnorm.CleanText(in.Post)
	in.EmployeeNo = textnorm.FoldWidth(in.EmployeeNo)
	in.Phone = textnorm.NormalizePhone(in.Phone)
	in.Duties = textnorm.CleanMultiline(in.Duties)
	if in.PoliticalStatus == "" {
		in.PoliticalStatus = StatusMasses
	}
}

// Validate lists every problem of a normalised input that can be seen
// without the database.
func (in StaffInput) Validate() locale.Problems {
	var ps locale.Problems
	textnorm.CheckLength(&ps, "name", "field.person_name", in.Name, MaxNameLen, true)
	textnorm.CheckLength(&ps, "post", "field.post", in.Post, MaxNameLen, false)
	textnorm.CheckLength(&ps, "duties", "field.duties", in.Duties, MaxDutiesLen, false)
	switch {
	case in.EmployeeNo == "":
		ps.Add("employee_no", "error.employee_no_required")
	case !employeeNoPattern.MatchString(in.EmployeeNo):
		ps.Add("employee_no", "error.employee_no_invalid")
	}
	if !textnorm.ValidPhone(in.Phone) {
		ps.Add("phone", "error.phone_invalid")
	}
	if in.Gender != "" && !slices.Contains(Genders, in.Gender) {
		ps.Add("gender", "error.gender_invalid")
	}
	if !slices.Contains(PoliticalStatuses, in.PoliticalStatus) {
		ps.Add("political_status", "error.political_status_invalid")
	}
	if in.DepartmentID == 0 {
		ps.Add("department", "error.department_required")
	}
	return ps
}

// DepartmentInput creates or changes a department or window.
type DepartmentInput struct {
	Name      string
	Kind      string
	WindowNo  string
	Duties    string
	SortOrder int
}

// Normalize trims the input in place.
func (in *DepartmentInput) Normalize() {
	in.Name = textnorm.CleanText(in.Name)
	in.WindowNo = textnorm.CleanText(in.WindowNo)
	in.Duties = textnorm.CleanMultiline(in.Duties)
}

// Validate lists the problems of a normalised input.
func (in DepartmentInput) Validate() locale.Problems {
	var ps locale.Problems
	textnorm.CheckLength(&ps, "name", "field.name", in.Name, MaxShortLen, true)
	textnorm.CheckLength(&ps, "window_no", "field.window_no", in.WindowNo, 20, false)
	textnorm.CheckLength(&ps, "duties", "field.duties", in.Duties, MaxDutiesLen, false)
	if !slices.Contains(DepartmentKinds, in.Kind) {
		ps.Add("kind", "error.department_kind_invalid")
	}
	if in.SortOrder < 0 || in.SortOrder > 9999 {
		ps.Add("sort_order", "error.sort_order_invalid")
	}
	return ps
}

// BranchInput creates or changes a party branch.
type BranchInput struct {
	Name        string
	SecretaryID int64
}

// Normalize trims the input in place.
func (in *BranchInput) Normalize() { in.Name = textnorm.CleanText(in.Name) }

// Validate lists the problems of a normalised input.
func (in BranchInput) Validate() locale.Problems {
	var ps locale.Problems
	textnorm.CheckLength(&ps, "name", "field.name", in.Name, MaxShortLen, true)
	return ps
}

// UnitInput creates a unit.
type UnitInput struct {
	Code string
	Name string
	Kind string
}

// Normalize trims the input in place.
func (in *UnitInput) Normalize() {
	in.Code = strings.ToLower(textnorm.FoldWidth(in.Code))
	in.Name = textnorm.CleanText(in.Name)
}

// Validate lists the problems of a normalised input.
func (in UnitInput) Validate() locale.Problems {
	var ps locale.Problems
	if !unitCodePattern.MatchString(in.Code) {
		ps.Add("code", "error.unit_code_invalid")
	}
	textnorm.CheckLength(&ps, "name", "field.name", in.Name, MaxShortLen, true)
	if !slices.Contains(UnitKinds, in.Kind) {
		ps.Add("kind", "error.unit_kind_invalid")
	}
	return ps
}

// EmployeeNos splits a list of employee numbers as people type it — with
// spaces, commas, 、 or semicolons, half- or full-width — and folds each.
func EmployeeNos(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",，、;；", r)
	}) {
		if no := textnorm.FoldWidth(f); no != "" {
			out = append(out, no)
		}
	}
	return out
}
