package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/audit"
	"wuliang/internal/failure/failurehttp"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/followup"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/scoring"
	"wuliang/internal/textnorm"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages holds one parsed template set per page, each with the layout and
// the partials, and one such set per kind of unit with wording of its own
// (a hospital's pages say 科室 where a centre's say 窗口), each with its
// printer. The kind "" is every other unit's.
//
// Every page is parsed once when the process starts, so that a broken
// template stops it there, but a kind's set of a page is kept from its
// first use: all of them, parsed ahead, were 73 MB of the heap (130 pages
// × 5 kinds × every partial), which each collection of the garbage walks;
// a server of centres uses one kind and the pages its people open.
type pages struct {
	byKind  map[string]*wording
	files   map[string][]string // a page's files: its layout, itself, the partials
	printer *locale.Printer     // the default wording, for what belongs to no unit
	assets  *assets
}

// wording is one kind of unit's printer and the templates parsed for it.
type wording struct {
	printer *locale.Printer
	mu      sync.RWMutex
	set     map[string]*template.Template
}

func loadPages(a *assets) (*pages, error) {
	p := &pages{printer: locale.NewPrinter(locale.Default), assets: a, byKind: map[string]*wording{}}
	for _, kind := range append([]string{""}, locale.UnitKinds()...) {
		printer := p.printer
		if kind != "" {
			printer = p.printer.As(kind)
		}
		p.byKind[kind] = &wording{printer: printer, set: map[string]*template.Template{}}
	}
	files, err := pageFiles()
	if err != nil {
		return nil, err
	}
	p.files = files
	for name := range files {
		if _, err := p.parse(name, p.printer); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// printerOf is the printer speaking as the unit's kind.
func (s *Server) printerOf(unit org.Unit) *locale.Printer {
	return s.pages.wordingOf(unit).printer
}

// wordingOf is the wording of a unit's kind.
func (p *pages) wordingOf(unit org.Unit) *wording {
	w, ok := p.byKind[unit.Kind]
	if !ok {
		w = p.byKind[""]
	}
	return w
}

// page is the template of the page name in the wording of unit's kind,
// parsed at its first use; false for no such page.
func (p *pages) page(unit org.Unit, name string) (*template.Template, bool) {
	if _, ok := p.files[name]; !ok {
		return nil, false
	}
	w := p.wordingOf(unit)
	w.mu.RLock()
	t, ok := w.set[name]
	w.mu.RUnlock()
	if ok {
		return t, true
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if t, ok := w.set[name]; ok { // parsed meanwhile
		return t, true
	}
	t, err := p.parse(name, w.printer)
	if err != nil { // parsed once already when the process started
		panic(err)
	}
	w.set[name] = t
	return t, true
}

// pageFiles lists every page with the files that make it.
func pageFiles() (map[string][]string, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list templates: %w", err)
	}
	// Partials (_name.html) define blocks that any page may use.
	partials, err := fs.Glob(templateFiles, "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list partials: %w", err)
	}
	files := map[string][]string{}
	for _, path := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(path, "templates/"), ".html")
		if name == "layout" || name == "print_layout" || name == "screen_layout" || strings.HasPrefix(name, "_") {
			continue
		}
		layout := "templates/layout.html"
		if strings.HasPrefix(name, "print_") {
			layout = "templates/print_layout.html"
		}
		if name == "screen" { // the hall screen: a kiosk, none of the site's frame
			layout = "templates/screen_layout.html"
		}
		files[name] = append([]string{layout, path}, partials...)
	}
	return files, nil
}

func (p *pages) parse(name string, printer *locale.Printer) (*template.Template, error) {
	t, err := template.New("layout").Funcs(p.funcs(printer)).ParseFS(templateFiles, p.files[name]...)
	if err != nil {
		return nil, fmt.Errorf("web: parse %s: %w", name, err)
	}
	return t, nil
}

func (p *pages) funcs(printer *locale.Printer) template.FuncMap {
	return template.FuncMap{
		"t":         printer.Get,
		"asset":     p.assets.URL,
		"political": func(s string) string { return printer.Get("political." + s) },
		"gender":    func(s string) string { return printer.Get("gender." + s) },
		"role":      func(s string) string { return printer.Get("role." + s) },
		"deptKind":  func(s string) string { return printer.Get("department_kind." + s) },
		"deptWord":  func(s string) string { return printer.Get("department_word." + s) },
		"unitKind":  func(s string) string { return printer.Get("unit_kind." + s) },
		"leaderRole": func(s string) string {
			return printer.Get("leader_role." + s)
		},
		"maskPhone": textnorm.MaskPhone,
		"fiveGrade": func(v any) string {
			key, _ := v.(string)
			if g, ok := v.(int); ok {
				key = fiveappraisal.GradeKeys[g]
			}
			if key == "" {
				return "—"
			}
			return printer.Get("five.grade_" + key)
		},
		"centi":   fiveappraisal.Points,
		"pts":     activities.Centi,
		"fiveKey": func(g int) string { return fiveappraisal.GradeKeys[g] },
		"timeLimit": func(days int) string {
			if days == 0 {
				return printer.Get("item.on_the_spot")
			}
			return printer.Get("item.days", days)
		},
		"materialForm": func(f string) string { return printer.Get("item.form." + f) },
		"lines":        func(s string) []string { return strings.Split(s, "\n") },
		"add":          func(a, b int) int { return a + b },
		"abbrev":       textnorm.Abbreviate,
		"deref":        func(p *int) int { return *p },
		"list":         func(v ...string) []string { return v },
		"scoreRaw":     func(ind string, raw float64) string { return scoring.Indicators[ind].Format(raw) },
		"scoreInput":   func(v scoring.Values, ind string, id int64) scoring.Value { return v[ind][id] },
		"num":          num,
		"deref64":      func(p *float64) float64 { return *p },
		"neg":          func(n int) int { return -n },
		"known":        func(key string) bool { _, ok := scoring.Indicators[key]; return ok },
		"has":          func(list []string, v string) bool { return slices.Contains(list, v) },
		"adjRows": func(l schemeLevel, kind string) []schemeRow {
			if kind == "bonuses" {
				return l.Bonuses
			}
			return l.Deductions
		},
		"stepRows": func(in []followup.StepInput, n int) []followup.StepInput {
			out := slices.Clone(in)
			for len(out) < n {
				out = append(out, followup.StepInput{})
			}
			return out
		},
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
	}
}

// page is what every template receives: the common frame and the page's own
// data in D.
type page struct {
	Public   bool // a portal page: the unit's public header, nobody's account
	Title    string
	User     accounts.User
	Unit     org.Unit
	LoggedIn bool
	CSRF     string
	Flash    string
	Nav      navBar
	Path     string
	RawQuery string
	Problems locale.Problems
	Unread   int // the user's unread notifications
	// Posted: the page answers a form (slips with passwords); it cannot be
	// fetched again, so it offers no link to itself as a PDF.
	Posted  bool
	D       any
	printer *locale.Printer
}

// ScoreLevel names a level of 五创's scores as the unit speaks: a
// hospital's "windows" are its 科室 and 病区.
func (p page) ScoreLevel(level scoring.Level) string {
	return p.printer.Get("scoring.level." + string(level))
}

// Query is the page's query string, for links that add to it.
func (p page) Query() string { return p.RawQuery }

// Time shows t in the unit's time zone.
func (p page) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(org.Location(p.Unit.Timezone)).Format("2006-01-02 15:04")
}

// At shows a time or a time pointer in the unit's time zone.
func (p page) At(v any) string {
	switch t := v.(type) {
	case time.Time:
		return p.Time(t)
	case *time.Time:
		if t != nil {
			return p.Time(*t)
		}
	}
	return ""
}

// FieldError returns the message of the first problem of a field.
func (p page) FieldError(field string) string {
	for _, pr := range p.Problems {
		if pr.Field == field {
			return p.printer.Message(pr.Err)
		}
	}
	return ""
}

// HasProblems reports whether a field whose name starts with prefix has a
// problem: one person's part of a long form, say.
func (p page) HasProblems(prefix string) bool {
	for _, pr := range p.Problems {
		if strings.HasPrefix(pr.Field, prefix) {
			return true
		}
	}
	return false
}

// Messages returns every problem's message, for the box atop a form.
func (p page) Messages() []string {
	var out []string
	for _, pr := range p.Problems {
		out = append(out, p.printer.Message(pr.Err))
	}
	return out
}

// render fills the common frame and writes the page. Rendering goes to a
// buffer first so that a template error becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, titleKey string, data any, problems locale.Problems) {
	st := current(r)
	printer := s.printerOf(st.unit)
	p := page{
		Title: printer.Get(titleKey), User: st.user, Unit: st.unit, LoggedIn: st.loggedIn,
		CSRF: st.csrf, Flash: s.takeFlash(w, r), Path: r.URL.Path, Problems: problems, D: data,
		printer: printer,
	}
	if st.loggedIn {
		p.Nav = navFor(st.user, st.unit.ID != 0)
		if st.unit.ID != 0 {
			p.Unread, _ = s.notices.Unread(r.Context(), st.unit.ID, st.user.ID)
		}
	}
	s.write(w, r, status, name, p)
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := s.pages.page(p.Unit, name)
	if !ok {
		s.log.Error("unknown template", "name", name)
		http.Error(w, "服务器内部错误", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render", "template", name, "err", err)
		http.Error(w, "服务器内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderPublic writes a portal page of unit: no login, no navigation of the
// office, the unit's name in the header.
func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, unit org.Unit, name, title string, data any) {
	p := page{Public: true, Title: title, Unit: unit, Path: r.URL.Path, D: data, printer: s.printerOf(unit)}
	s.write(w, r, http.StatusOK, name, p)
}

// errorPage shows a message with a status.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	s.render(w, r, status, "error", "title.error", s.printerOf(current(r).unit).Get(key, args...), nil)
}

// statusOf is the status of a refusal, by its kind.
func statusOf(err error) int { return failurehttp.Status(err) }

// fail turns an error from a domain package into the right page: 404 for
// what does not exist in the user's unit, the message with its status for
// what the user can fix or meets (a state that moved on, an expired link),
// and a generic 500 (with the detail only in the log) for the rest.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	ps, explained := locale.AsProblems(err)
	switch {
	case status == http.StatusNotFound && !explained:
		s.errorPage(w, r, status, "error.not_found")
	case status == http.StatusForbidden && !explained:
		s.errorPage(w, r, status, "error.forbidden")
	case explained:
		s.render(w, r, status, "error", "title.error", "", ps)
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, "error.internal")
	}
}

const flashCookie = "wl_flash"

// flash shows a message (a catalogue key, never user text) on the next page.
func (s *Server) flash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: key, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	if !strings.HasPrefix(c.Value, "flash.") {
		return ""
	}
	return s.printerOf(current(r).unit).Get(c.Value)
}

// redirect sends the browser on after a successful POST, with a message.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flashKey string) {
	if flashKey != "" {
		s.flash(w, flashKey)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// pathID reads a numeric path value; anything else is a 404.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// formID reads an optional numeric form or query value; 0 when absent or bad.
func formID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// actorOf names the logged-in user for the audit trail.
func actorOf(r *http.Request) audit.Actor {
	st := current(r)
	return audit.Actor{UserID: st.user.ID, Name: st.user.Username}
}
