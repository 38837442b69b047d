// Package sitetest runs the whole HTTP surface (pages and API) on the demo
// data set for tests, with a logged-in client per demo user and an API key
// per unit, and checks scenarios: who asks for what, and what the answer
// must and must not hold.
package sitetest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/api"
	"wuliang/internal/apikeys"
	"wuliang/internal/audit"
	"wuliang/internal/casetest"
	"wuliang/internal/database"
	"wuliang/internal/org"
	"wuliang/internal/stores"
	"wuliang/internal/testdb"
	"wuliang/internal/web"
)

var ctx = context.Background()

// Site is a running server on the demo data set, as one test sees it.
type Site struct {
	t testing.TB
	*server
}

// server is the running part of a site, which the tests that only read
// share.
type server struct {
	DB     *database.DB
	Stores *stores.Set
	Srv    *httptest.Server
	Units  map[string]org.Unit // by code
	// Keys holds a plain API key per unit code, with every scope but a
	// rating device's; DeviceKey adds a device's under its own name.
	Keys    map[string]string
	mu      sync.Mutex
	clients map[string]*http.Client // by demo username; "" is a guest
}

// Demo is the moment the site tests' demo stands at. Pages, stores and
// jobs run on the wall clock, so the demo leads up to the moment the test
// binary started, as a freshly started server's would.
var Demo = time.Now()

// DemoTemplate is the demo data set, built once per engine and test
// binary and copied for every site.
var DemoTemplate = DemoAt(Demo)

// DemoAt is the demo as it stands at a moment, built once per engine and
// test binary when a test first asks for a copy. It is built by the
// wuliang command (wuliang demo --at), compiled without the race detector:
// loading the demo in a race-instrumented binary takes twenty times as
// long, and the demo's own test loads it in process, under the detector.
func DemoAt(at time.Time) *testdb.Template {
	moment := at.In(org.Location("Asia/Shanghai")).Format("2006-01-02T15:04")
	return testdb.NewTemplate("demo", func(ctx context.Context, dsn string) error {
		bin, err := wuliangCommand()
		if err != nil {
			return err
		}
		out, err := exec.CommandContext(ctx, bin, "demo", "--db", dsn, "--at", moment).CombinedOutput()
		if err != nil {
			return fmt.Errorf("wuliang demo: %w\n%s", err, out)
		}
		return nil
	})
}

// Command is the wuliang command built for this test binary (without the
// race detector), for tests that run real serve processes.
func Command() (string, error) { return wuliangCommand() }

// wuliangCommand builds cmd/wuliang once per test binary.
var wuliangCommand = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "wuliang-bin-")
	if err != nil {
		return "", err
	}
	testdb.AtExit(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "wuliang")
	if out, err := exec.Command("go", "build", "-o", bin, "wuliang/cmd/wuliang").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build wuliang: %w\n%s", err, out)
	}
	return bin, nil
})

// Each runs fn on a site of its own on each engine, as the parallel
// subtests "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, s *Site)) {
	t.Helper()
	DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		t.Parallel()
		fn(t, serve(t, db))
	})
}

// SQLite is a site of its own on a copy of the SQLite demo.
func SQLite(t testing.TB) *Site { return serve(t, DemoTemplate.SQLite(t)) }

// Shared runs fn, on each engine as the parallel subtests "sqlite" and
// "postgres", on one site per engine that every caller in the test binary
// shares: for scenario tables that only read. A test that writes, even a
// setting, takes a site of its own with Each.
func Shared(t *testing.T, fn func(t *testing.T, s *Site)) {
	t.Helper()
	for _, e := range []database.Engine{database.SQLite, database.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			dsn := DemoTemplate.SharedDSN(t, e)
			one := shared[e]
			one.once.Do(func() { one.srv, one.err = sharedServer(dsn) })
			srv, err := one.srv, one.err
			if err != nil {
				t.Fatal(err)
			}
			fn(t, &Site{t: t, server: srv})
		})
	}
}

// shared starts each engine's shared site once, and stops it when the
// test binary ends.
var shared = map[database.Engine]*sharedSite{database.SQLite: {}, database.Postgres: {}}

type sharedSite struct {
	once sync.Once
	srv  *server
	err  error
}

func sharedServer(dsn string) (*server, error) {
	db, err := database.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	srv, stop, err := start(db)
	if err != nil {
		db.Close()
		return nil, err
	}
	testdb.AtExit(func() {
		stop()
		db.Close()
	})
	return srv, nil
}

// serve serves the demo in db for one test.
func serve(t testing.TB, db *database.DB) *Site {
	t.Helper()
	srv, stop, err := start(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return &Site{t: t, server: srv}
}

// start serves the demo in db, with an API key per unit; stop closes the
// server, then the stores.
func start(db *database.DB) (*server, func(), error) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	set := stores.New(db)
	w, err := web.New(set, log)
	if err != nil {
		set.Close()
		return nil, nil, err
	}
	s := &server{DB: db, Stores: set, Srv: httptest.NewServer(w.Handler(api.New(set, log).Handler())),
		Units: map[string]org.Unit{}, Keys: map[string]string{}, clients: map[string]*http.Client{}}
	stop := func() {
		set.Events.Close() // ends the hall screens' streams, which the server would wait for
		s.Srv.Close()
		set.Close()
	}
	for _, code := range []string{"demo-center", "demo-hospital"} {
		u, err := org.NewStore(db).UnitByCode(ctx, code)
		if err == nil {
			s.Units[code] = u
			var plain string
			plain, _, err = apikeys.NewStore(db).Create(ctx, audit.Actor{Name: "test"}, u.ID,
				apikeys.Spec{Name: "test", Scopes: []string{apikeys.ScopeRead, apikeys.ScopeCases, apikeys.ScopeExchange}})
			s.Keys[code] = plain
		}
		if err != nil {
			stop()
			return nil, nil, fmt.Errorf("site for %s: %w", code, err)
		}
	}
	return s, stop, nil
}

// NewClient is a browser-like client: it keeps cookies and does not follow
// redirects, so tests see the 303s.
func NewClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// As returns a client logged in as a demo user; "" is a guest who has
// only fetched the login page. The session is opened in the database, as
// a login would open it: the tests about logging in use the form, the
// others need not pay for the password hash.
func (s *Site) As(username string) *http.Client {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[username]; ok {
		return c
	}
	c := NewClient()
	s.Get(c, "/login")
	if username != "" {
		var id int64
		if err := s.DB.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, username).Scan(&id); err != nil {
			s.t.Fatalf("login as %s: %v", username, err)
		}
		token, err := accounts.NewStore(s.DB).OpenSession(ctx, id, "127.0.0.1", "sitetest")
		if err != nil {
			s.t.Fatalf("login as %s: %v", username, err)
		}
		u, _ := url.Parse(s.Srv.URL)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: SessionCookie, Value: token, Path: "/"}})
	}
	s.clients[username] = c
	return c
}

// LoginForm returns a client logged in through the login form, as a
// person logs in.
func (s *Site) LoginForm(username, password string) (*http.Client, Response) {
	s.t.Helper()
	c := NewClient()
	s.Get(c, "/login")
	return c, s.Post(c, "/login", url.Values{"username": {username}, "password": {password}})
}

// SessionCookie is the name of the web's session cookie.
const SessionCookie = "wl_session"

// Response is what came back.
type Response struct {
	Status int
	Body   string
	Header http.Header
}

// Do sends req with c.
func (s *Site) Do(c *http.Client, req *http.Request) Response {
	s.t.Helper()
	res, err := c.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return Response{Status: res.StatusCode, Body: string(body), Header: res.Header}
}

// Get fetches a path.
func (s *Site) Get(c *http.Client, path string) Response {
	req, _ := http.NewRequest("GET", s.Srv.URL+path, nil)
	return s.Do(c, req)
}

// CSRF is the client's CSRF cookie, which every form repeats.
func (s *Site) CSRF(c *http.Client) string {
	u, _ := url.Parse(s.Srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "wl_csrf" {
			return ck.Value
		}
	}
	return ""
}

// Post submits a form, adding the client's CSRF token unless the form sets
// csrf_token itself.
func (s *Site) Post(c *http.Client, path string, form url.Values) Response {
	form = cloneForm(form) // callers may post one form from several goroutines
	if _, set := form["csrf_token"]; !set {
		form.Set("csrf_token", s.CSRF(c))
	}
	req, _ := http.NewRequest("POST", s.Srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.Do(c, req)
}

// API sends a GET to the JSON API with the key of unit code ("" for none).
func (s *Site) API(code, path string) Response {
	req, _ := http.NewRequest("GET", s.Srv.URL+path, nil)
	if code != "" {
		req.Header.Set("Authorization", "Bearer "+s.key(code))
	}
	return s.Do(http.DefaultClient, req)
}

// APIPost sends a JSON body to the API with the key of unit code.
func (s *Site) APIPost(code, path, body string) Response {
	req, _ := http.NewRequest("POST", s.Srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if code != "" {
		req.Header.Set("Authorization", "Bearer "+s.key(code))
	}
	return s.Do(http.DefaultClient, req)
}

func (s *Site) key(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Keys[name]
}

// DeviceKey registers a rating device at the window of a unit's person
// (by employee number) and returns the name APIPost knows its key by.
func (s *Site) DeviceKey(code, no string) string {
	st, err := org.NewStore(s.DB).StaffByEmployeeNo(ctx, s.Units[code].ID, no)
	if err != nil || st.DepartmentID == 0 {
		s.t.Fatalf("%s %s: %v (department %d)", code, no, err, st.DepartmentID)
	}
	plain, k, err := apikeys.NewStore(s.DB).Create(ctx, audit.Actor{Name: "test"}, s.Units[code].ID,
		apikeys.Spec{Name: "评价器 " + no, Scopes: []string{apikeys.ScopeDevice}, WindowID: st.DepartmentID})
	if err != nil {
		s.t.Fatal(err)
	}
	name := fmt.Sprintf("%s/device-%d", code, k.ID)
	s.mu.Lock()
	s.Keys[name] = plain
	s.mu.Unlock()
	return name
}

// Tokens makes n cases handled by a unit's person (by employee number) and
// returns their rating tokens.
func (s *Site) Tokens(code, no string, n int) []string {
	st, err := org.NewStore(s.DB).StaffByEmployeeNo(ctx, s.Units[code].ID, no)
	if err != nil {
		s.t.Fatal(err)
	}
	tokens, err := casetest.Tokens(ctx, s.DB, s.Units[code].ID, st.ID, n)
	if err != nil {
		s.t.Fatal(err)
	}
	return tokens
}

// StaffID finds a demo person's id by unit and employee number.
func (s *Site) StaffID(code, no string) string {
	st, err := org.NewStore(s.DB).StaffByEmployeeNo(ctx, s.Units[code].ID, no)
	if err != nil {
		s.t.Fatalf("%s %s: %v", code, no, err)
	}
	return strconv.FormatInt(st.ID, 10)
}

// Scenario is one request and what its answer must and must not hold.
type Scenario struct {
	Name        string
	As          string // demo username; "" is a guest; "key:CODE" is that unit's API key
	Method      string
	Path        string
	Form        url.Values
	Status      int
	Contains    []string
	NotContains []string
}

// Run checks every scenario as a subtest.
func (s *Site) Run(t *testing.T, list []Scenario) {
	for _, sc := range list {
		t.Run(sc.Name, func(t *testing.T) {
			var res Response
			switch {
			case strings.HasPrefix(sc.As, "key:"):
				res = s.API(strings.TrimPrefix(sc.As, "key:"), sc.Path)
			case sc.Method == "POST":
				res = s.Post(s.As(sc.As), sc.Path, sc.Form)
			default:
				res = s.Get(s.As(sc.As), sc.Path)
			}
			if res.Status != sc.Status {
				t.Fatalf("%s %s as %q: status %d, want %d\n%s", sc.Method, sc.Path, sc.As, res.Status, sc.Status, Snippet(res.Body))
			}
			for _, want := range sc.Contains {
				if !strings.Contains(res.Body, want) {
					t.Errorf("answer lacks %q\n%s", want, Snippet(res.Body))
				}
			}
			for _, bad := range sc.NotContains {
				if strings.Contains(res.Body, bad) {
					t.Errorf("answer holds %q", bad)
				}
			}
		})
	}
}

// Snippet is the main part of a page, short enough for a failure message.
func Snippet(s string) string {
	if i := strings.Index(s, "<main>"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1500 {
		s = s[:1500]
	}
	return s
}

func cloneForm(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = append([]string(nil), v...)
	}
	return out
}
