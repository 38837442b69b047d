// Package textnorm cleans and checks text as people type it on Chinese
// keyboards and phones: white space including the full-width space,
// full-width digits and letters in codes, phone numbers with their
// separators, lengths counted in characters. Every form of every domain
// package passes its input through it before validating.
package textnorm

import (
	"reflect"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"wuliang/internal/locale"
)

var (
	mobilePattern   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlinePattern = regexp.MustCompile(`^0[0-9]{2,3}-?[0-9]{7,8}$`)
)

// CleanText trims white space, including the full-width space (U+3000) that
// Chinese input methods type, folds runs of white space into one, and drops
// the characters StripHostile drops.
func CleanText(s string) string {
	return strings.Join(strings.FieldsFunc(StripHostile(s), unicode.IsSpace), " ")
}

// Hostile reports whether r is a character no typed text carries and that
// does harm where it goes: NUL (which PostgreSQL refuses and C code takes
// for the end), the other C0 controls and DEL (a BEL, an escape that a
// terminal obeys), and the bidirectional embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069), which make a name display
// reversed in a list. Tab, line feed and carriage return are text.
func Hostile(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// StripHostile drops every Hostile character, and turns bytes that are not
// UTF-8 into U+FFFD, so that what reaches SQL is the same text on both
// engines. It returns s itself when there is nothing to drop, which is
// nearly always.
func StripHostile(s string) string {
	if !HasHostile(s) && utf8.ValidString(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if Hostile(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// HasHostile reports whether s holds a Hostile character.
func HasHostile(s string) bool { return strings.IndexFunc(s, Hostile) >= 0 }

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

// StripHostileIn applies StripHostile to every string that v points to,
// however deep in structs, slices and pointers: what a JSON decoder fills.
func StripHostileIn(v any) { stripValue(reflect.ValueOf(v)) }

func stripValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			stripValue(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				stripValue(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			stripValue(v.Index(i))
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(StripHostile(v.String()))
		}
	}
}
