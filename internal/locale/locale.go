// Package locale holds wuliang's message catalogues: one flat JSON file per
// language, Simplified Chinese first. Validation and domain errors carry a
// message key, never user-facing text, so every language can show them.
package locale

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"wuliang/internal/failure"
)

//go:embed translations/*.json
var files embed.FS

// Default is the language every page speaks unless told otherwise.
const Default = "zh_CN"

var catalogues = mustLoad()

func mustLoad() map[string]map[string]string {
	out := map[string]map[string]string{}
	entries, err := fs.ReadDir(files, "translations")
	if err != nil {
		panic(err) // embedded at build time: a failure is a build defect
	}
	for _, e := range entries {
		body, err := files.ReadFile("translations/" + e.Name())
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(body, &m); err != nil {
			panic(fmt.Sprintf("locale: %s: %v", e.Name(), err))
		}
		out[strings.TrimSuffix(e.Name(), ".json")] = m
	}
	return out
}

// Languages lists the catalogues, sorted.
func Languages() []string {
	var l []string
	for k := range catalogues {
		l = append(l, k)
	}
	sort.Strings(l)
	return l
}

// Keys lists the keys of one catalogue, for the completeness test.
func Keys(lang string) []string {
	var l []string
	for k := range catalogues[lang] {
		l = append(l, k)
	}
	sort.Strings(l)
	return l
}

// Printer translates message keys into one language, as one kind of unit
// speaks it: a hospital says 科室 where a service centre says 窗口. A
// kind's own wording of a key is the key with "@kind" appended; keys it
// does not reword read as everyone's.
type Printer struct{ lang, kind string }

// NewPrinter returns a printer for lang, falling back to Default.
func NewPrinter(lang string) *Printer {
	if _, ok := catalogues[lang]; !ok {
		lang = Default
	}
	return &Printer{lang: lang}
}

// Lang names the printer's language.
func (p *Printer) Lang() string { return p.lang }

// As returns the printer speaking as a unit of the given kind.
func (p *Printer) As(kind string) *Printer { return &Printer{lang: p.lang, kind: kind} }

// UnitKinds lists the unit kinds with wording of their own, sorted.
func UnitKinds() []string {
	seen := map[string]bool{}
	for _, cat := range catalogues {
		for k := range cat {
			if _, kind, ok := strings.Cut(k, "@"); ok {
				seen[kind] = true
			}
		}
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (p *Printer) lookup(key string) (string, bool) {
	if p.kind != "" {
		if msg, ok := p.find(key + "@" + p.kind); ok {
			return msg, true
		}
	}
	return p.find(key)
}

func (p *Printer) find(key string) (string, bool) {
	msg, ok := catalogues[p.lang][key]
	if !ok {
		msg, ok = catalogues[Default][key]
	}
	return msg, ok
}

// Get returns the message for key, formatted with args. An unknown key is
// returned as it is, so a missing translation shows up instead of vanishing.
func (p *Printer) Get(key string, args ...any) string {
	msg, ok := p.lookup(key)
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Has reports whether key has a message, in the printer's language or the
// default one.
func (p *Printer) Has(key string) bool {
	_, ok := p.lookup(key)
	return ok
}

// Error is a failure the user can fix; it carries a message key and its
// arguments.
type Error struct {
	Key  string
	Args []any
	kind *failure.Kind
}

// NewError returns an error that shows the message key with args. It is
// of the kind failure.Invalid unless Of says otherwise.
func NewError(key string, args ...any) *Error { return &Error{Key: key, Args: args} }

// Of sets the kind of refusal e is, and returns e: a message for a state
// that moved on is failure.Conflict, for an expired token failure.Gone.
func (e *Error) Of(k *failure.Kind) *Error {
	e.kind = k
	return e
}

// Unwrap gives e's kind to errors.Is.
func (e *Error) Unwrap() error {
	if e.kind == nil {
		return failure.Invalid
	}
	return e.kind
}

// Error returns the message in the default language, for the command line
// and for logs.
func (e *Error) Error() string { return NewPrinter(Default).Get(e.Key, e.Args...) }

// Message returns the message in the printer's language.
func (p *Printer) Message(e *Error) string { return p.Get(e.Key, e.Args...) }

// AsError finds a *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var le *Error
	ok := errors.As(err, &le)
	return le, ok
}

// Problem is one thing wrong with one field of an input.
type Problem struct {
	Field string
	Err   *Error
}

// Problems lists everything wrong with an input at once, so a form or an
// import preview can show it all in one go.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Err.Error())
	}
	return b.String()
}

// Unwrap gives each problem to errors.Is, and so their kinds.
func (ps Problems) Unwrap() []error {
	out := make([]error, len(ps))
	for i, p := range ps {
		out[i] = p.Err
	}
	return out
}

// Add appends a problem for field.
func (ps *Problems) Add(field, key string, args ...any) {
	*ps = append(*ps, Problem{Field: field, Err: NewError(key, args...)})
}

// Err returns ps as an error, or nil when there is nothing wrong.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// AsProblems finds Problems in err's chain; a lone *Error becomes one
// problem without a field.
func AsProblems(err error) (Problems, bool) {
	var ps Problems
	if errors.As(err, &ps) {
		return ps, true
	}
	if le, ok := AsError(err); ok {
		return Problems{{Err: le}}, true
	}
	return nil, false
}

// Key is the message key of err's first problem, or "" when err carries
// none: callers choose a status by it, tests assert it.
func Key(err error) string {
	if ps, ok := AsProblems(err); ok && len(ps) > 0 {
		return ps[0].Err.Key
	}
	return ""
}

// FieldProblem returns a single problem with field as an error.
func FieldProblem(field, key string, args ...any) Problems {
	var ps Problems
	ps.Add(field, key, args...)
	return ps
}

// Percent writes n ÷ d as a percentage with one decimal, the way every
// published rate is shown; "—" when there is nothing to divide by.
func Percent(n, d int) string {
	if d == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)*100/float64(d), 'f', 1, 64) + "%"
}

// Mean writes sum ÷ n with one decimal; "—" when n is 0.
func Mean(sum float64, n int) string {
	if n == 0 {
		return "—"
	}
	return strconv.FormatFloat(sum/float64(n), 'f', 1, 64)
}

// HasKey reports whether err, or any of its problems, carries the message
// key: tests of forms ask it of every refused input.
func HasKey(err error, key string) bool {
	if ps, ok := AsProblems(err); ok {
		for _, p := range ps {
			if p.Err.Key == key {
				return true
			}
		}
	}
	return false
}
