package items

import (
	"slices"
	"strings"
	"unicode/utf8"

	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Limits on an item.
const (
	MaxTimeLimitDays = 365
	MaxMaterials     = 60
	MaxSteps         = 30
	maxText          = 2000
)

// Input creates or changes an item.
type Input struct {
	Code          string
	Name          string
	PolicyBasis   string
	Preconditions string
	Procedure     string // one step per line, in order
	FeeBasis      string
	FeeStandard   string
	TimeLimitDays int
	HandlingUnit  string
	Contact       string
	DepartmentID  int64
	Materials     []Material
	HandlerIDs    []int64
}

// Steps splits the procedure into its non-empty lines.
func (in Input) Steps() []string {
	var out []string
	for _, l := range strings.Split(in.Procedure, "\n") {
		if l = textnorm.CleanText(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Normalize trims the input in place, drops empty material rows and
// repeated handlers, and writes an empty fee standard as 不收费.
func (in *Input) Normalize() {
	in.Code = textnorm.CleanText(textnorm.FoldWidth(in.Code))
	in.Name = textnorm.CleanText(in.Name)
	in.PolicyBasis = textnorm.CleanMultiline(in.PolicyBasis)
	in.Preconditions = textnorm.CleanMultiline(in.Preconditions)
	in.Procedure = strings.Join(in.Steps(), "\n")
	in.FeeBasis = textnorm.CleanMultiline(in.FeeBasis)
	in.FeeStandard = textnorm.CleanMultiline(in.FeeStandard)
	if in.FeeStandard == "" {
		in.FeeStandard = FreeOfCharge
	}
	in.HandlingUnit = textnorm.CleanText(in.HandlingUnit)
	in.Contact = textnorm.CleanText(in.Contact)
	var ms []Material
	for _, m := range in.Materials {
		m.Name, m.Note = textnorm.CleanText(m.Name), textnorm.CleanText(m.Note)
		if m.Name == "" && m.Note == "" {
			continue
		}
		if m.Form == "" {
			m.Form = FormOriginal
		}
		ms = append(ms, m)
	}
	in.Materials = ms
	slices.Sort(in.HandlerIDs)
	in.HandlerIDs = slices.Compact(in.HandlerIDs)
}

// Validate lists every problem that can be seen without the database.
func (in Input) Validate() locale.Problems {
	var ps locale.Problems
	textnorm.CheckLength(&ps, "name", "item.name", in.Name, 100, true)
	textnorm.CheckLength(&ps, "code", "item.code", in.Code, 50, false)
	textnorm.CheckLength(&ps, "policy_basis", "item.policy_basis", in.PolicyBasis, maxText, false)
	textnorm.CheckLength(&ps, "preconditions", "item.preconditions", in.Preconditions, maxText, false)
	textnorm.CheckLength(&ps, "procedure", "item.procedure", in.Procedure, maxText, false)
	textnorm.CheckLength(&ps, "fee_basis", "item.fee_basis", in.FeeBasis, maxText, false)
	textnorm.CheckLength(&ps, "fee_standard", "item.fee_standard", in.FeeStandard, 500, false)
	textnorm.CheckLength(&ps, "handling_unit", "item.handling_unit", in.HandlingUnit, 100, false)
	textnorm.CheckLength(&ps, "contact", "item.contact", in.Contact, 100, false)
	if len(in.Steps()) > MaxSteps {
		ps.Add("procedure", "item.too_many_steps", MaxSteps)
	}
	switch {
	case in.TimeLimitDays < 0:
		ps.Add("time_limit", "item.time_limit_negative")
	case in.TimeLimitDays > MaxTimeLimitDays:
		ps.Add("time_limit", "item.time_limit_too_long", MaxTimeLimitDays)
	}
	if len(in.Materials) > MaxMaterials {
		ps.Add("materials", "item.too_many_materials", MaxMaterials)
	}
	seen := map[string]bool{}
	for i, m := range in.Materials {
		switch {
		case m.Name == "":
			ps.Add("materials", "item.material_name_required", i+1)
		case utf8.RuneCountInString(m.Name) > 100 || utf8.RuneCountInString(m.Note) > 200:
			ps.Add("materials", "item.material_too_long", i+1)
		case seen[m.Name]:
			ps.Add("materials", "item.material_duplicate", m.Name)
		}
		seen[m.Name] = true
		if !slices.Contains(MaterialForms, m.Form) {
			ps.Add("materials", "item.material_form_invalid", i+1)
		}
		if m.Copies < 1 || m.Copies > 99 {
			ps.Add("materials", "item.material_copies_invalid", i+1)
		}
	}
	return ps
}
