package org

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"wuliang/internal/locale"
)

// CleanText trims white space, including the full-width space (U+3000) that
// Chinese input methods type, and folds runs of white space into one.
func CleanText(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// CleanMultiline trims each line and drops control characters other than
// line breaks, for duties and other free text.
func CleanMultiline(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimFunc(strings.Map(dropControl, l), unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func dropControl(r rune) rune {
	if unicode.IsControl(r) {
		return -1
	}
	return r
}

// FoldWidth turns full-width ASCII (０-９, Ａ-Ｚ, －…) into its half-width
// form, as typed on Chinese keyboards, and removes all white space. It is
// for codes: employee numbers and phone numbers.
func FoldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case unicode.IsSpace(r):
			return -1
		}
		return r
	}, s)
}

var (
	employeeNoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$`)
	mobilePattern     = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlinePattern   = regexp.MustCompile(`^0[0-9]{2,3}-?[0-9]{7,8}$`)
	unitCodePattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,31}$`)
)

// Limits on free text, in characters.
const (
	MaxNameLen   = 50
	MaxShortLen  = 100
	MaxDutiesLen = 2000
)

// NormalizePhone folds width and strips the separators people type between
// digit groups. A landline keeps one hyphen after the area code.
func NormalizePhone(s string) string {
	s = FoldWidth(s)
	s = strings.NewReplacer("(", "", ")", "", "（", "", "）", "", "+86", "").Replace(s)
	if strings.HasPrefix(s, "0") {
		return s
	}
	return strings.ReplaceAll(s, "-", "")
}

// ValidPhone accepts an empty phone, a mainland mobile number or a landline.
func ValidPhone(s string) bool {
	return s == "" || mobilePattern.MatchString(s) || landlinePattern.MatchString(s)
}

// CheckLength adds a problem when a required value is empty or a value is
// longer than max characters. label is the catalogue key of the field's name.
func CheckLength(ps *locale.Problems, field, label, value string, max int, required bool) {
	n := utf8.RuneCountInString(value)
	name := locale.NewPrinter(locale.Default).Get(label)
	switch {
	case required && n == 0:
		ps.Add(field, "error.required", name)
	case n > max:
		ps.Add(field, "error.too_long", name, max)
	}
}

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
	in.Name = CleanText(in.Name)
	in.Post = CleanText(in.Post)
	in.EmployeeNo = FoldWidth(in.EmployeeNo)
	in.Phone = NormalizePhone(in.Phone)
	in.Duties = CleanMultiline(in.Duties)
	if in.PoliticalStatus == "" {
		in.PoliticalStatus = StatusMasses
	}
}

// Validate lists every problem of a normalised input that can be seen
// without the database.
func (in StaffInput) Validate() locale.Problems {
	var ps locale.Problems
	CheckLength(&ps, "name", "field.person_name", in.Name, MaxNameLen, true)
	CheckLength(&ps, "post", "field.post", in.Post, MaxNameLen, false)
	CheckLength(&ps, "duties", "field.duties", in.Duties, MaxDutiesLen, false)
	switch {
	case in.EmployeeNo == "":
		ps.Add("employee_no", "error.employee_no_required")
	case !employeeNoPattern.MatchString(in.EmployeeNo):
		ps.Add("employee_no", "error.employee_no_invalid")
	}
	if !ValidPhone(in.Phone) {
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
	in.Name = CleanText(in.Name)
	in.WindowNo = CleanText(in.WindowNo)
	in.Duties = CleanMultiline(in.Duties)
}

// Validate lists the problems of a normalised input.
func (in DepartmentInput) Validate() locale.Problems {
	var ps locale.Problems
	CheckLength(&ps, "name", "field.name", in.Name, MaxShortLen, true)
	CheckLength(&ps, "window_no", "field.window_no", in.WindowNo, 20, false)
	CheckLength(&ps, "duties", "field.duties", in.Duties, MaxDutiesLen, false)
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
func (in *BranchInput) Normalize() { in.Name = CleanText(in.Name) }

// Validate lists the problems of a normalised input.
func (in BranchInput) Validate() locale.Problems {
	var ps locale.Problems
	CheckLength(&ps, "name", "field.name", in.Name, MaxShortLen, true)
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
	in.Code = strings.ToLower(FoldWidth(in.Code))
	in.Name = CleanText(in.Name)
}

// Validate lists the problems of a normalised input.
func (in UnitInput) Validate() locale.Problems {
	var ps locale.Problems
	if !unitCodePattern.MatchString(in.Code) {
		ps.Add("code", "error.unit_code_invalid")
	}
	CheckLength(&ps, "name", "field.name", in.Name, MaxShortLen, true)
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
		if no := FoldWidth(f); no != "" {
			out = append(out, no)
		}
	}
	return out
}

// Abbreviate shortens s to n characters and an ellipsis, for repeating what
// someone typed in a message without repeating all of it.
func Abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// MaskPhone keeps the first three and last four digits of a phone number,
// the way public pages and lists in China show them.
func MaskPhone(s string) string {
	r := []rune(s)
	if len(r) < 8 {
		return s
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}
