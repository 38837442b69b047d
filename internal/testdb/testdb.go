// Package testdb gives tests a fresh, migrated database on every engine:
// SQLite always, and PostgreSQL when WULIANG_TEST_POSTGRES holds a DSN.
//
// Nothing is built twice in one test binary. A Template is prepared once
// per engine — migrated, and filled by its build function — and every
// test gets its own copy: on SQLite a copy of the prepared file, on
// PostgreSQL a database created with CREATE DATABASE … TEMPLATE and
// dropped WITH (FORCE) when the test ends.
package testdb

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"wuliang/internal/database"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for tests.
const EnvPostgres = "WULIANG_TEST_POSTGRES"

// EnvOnlyPostgres, when set beside EnvPostgres, skips the SQLite half of
// every test: .ci/run sets it for its PostgreSQL step, whose SQLite halves
// have just run in the step before.
const EnvOnlyPostgres = "WULIANG_TEST_ONLY_POSTGRES"

var ctx = context.Background()

// Template is a database prepared once per engine and test binary, copied
// for each test that asks for it.
type Template struct {
	name   string
	build  func(ctx context.Context, dsn string) error
	mu     sync.Mutex
	ready  map[database.Engine]*prepared
	shared map[database.Engine]*prepared // one copy per engine for the tests that only read
}

type prepared struct {
	once sync.Once
	ref  string // SQLite: the file; PostgreSQL: the database name
	err  error
}

// NewTemplate declares a template; build fills the migrated database at
// dsn (nobody else connected to it) and may be nil. Nothing is built until
// a test asks for a copy.
func NewTemplate(name string, build func(ctx context.Context, dsn string) error) *Template {
	return &Template{name: name, build: build, ready: map[database.Engine]*prepared{}, shared: map[database.Engine]*prepared{}}
}

// migrated is the empty schema at the newest migration.
var migrated = NewTemplate("migrated", nil)

// Each runs fn as a subtest on a fresh SQLite database and on a fresh
// PostgreSQL database. The PostgreSQL run is skipped, with a message, when
// WULIANG_TEST_POSTGRES is not set.
func Each(t *testing.T, fn func(t *testing.T, db *database.DB)) { migrated.Each(t, fn) }

// SQLite opens a migrated database in a temporary directory.
func SQLite(t testing.TB) *database.DB { return migrated.SQLite(t) }

// Postgres opens a migrated database of its own on the test server,
// dropped when the test ends.
func Postgres(t testing.TB) *database.DB { return migrated.Postgres(t) }

// Each runs fn on a copy of the template on each engine, as subtests
// named "sqlite" and "postgres".
func (tp *Template) Each(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, tp.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, tp.Postgres(t)) })
}

// SQLite opens a copy of the template's SQLite file.
func (tp *Template) SQLite(t testing.TB) *database.DB { return open(t, tp.SQLiteDSN(t)) }

// Postgres opens a database cloned from the template's PostgreSQL
// database, dropped when the test ends.
func (tp *Template) Postgres(t testing.TB) *database.DB { return open(t, tp.PostgresDSN(t)) }

// EachDSN runs fn with the DSN of a copy of the template on each engine,
// for tests that open the database themselves, as a command does.
func (tp *Template) EachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, tp.SQLiteDSN(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, tp.PostgresDSN(t)) })
}

// SQLiteDSN copies the template's SQLite file for the test and returns
// the copy's DSN.
func (tp *Template) SQLiteDSN(t testing.TB) string {
	t.Helper()
	OnSQLite(t)
	file, err := tp.prepare(database.SQLite)
	if err != nil {
		t.Fatalf("template %s on SQLite: %v", tp.name, err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := copyFile(file, path); err != nil {
		t.Fatalf("copy template %s: %v", tp.name, err)
	}
	return "sqlite:" + path + database.NoSync
}

// PostgresDSN clones the template's PostgreSQL database for the test and
// returns the clone's DSN; the clone is dropped when the test ends.
func (tp *Template) PostgresDSN(t testing.TB) string {
	t.Helper()
	server := requirePostgres(t)
	name, err := tp.prepare(database.Postgres)
	if err != nil {
		t.Fatalf("template %s on PostgreSQL: %v", tp.name, err)
	}
	return server.clone(t, name)
}

// SharedDSN returns the DSN of one copy of the template on engine e for
// the whole test binary, made when first asked for and removed when the
// binary ends: for tests that only read, which need not pay for a copy
// each. A test that writes takes a copy of its own.
func (tp *Template) SharedDSN(t testing.TB, e database.Engine) string {
	t.Helper()
	var server *pgServer
	if e == database.SQLite {
		OnSQLite(t)
	} else {
		server = requirePostgres(t)
	}
	p := tp.slot(tp.shared, e)
	p.once.Do(func() {
		ref, err := tp.prepare(e)
		if err != nil {
			p.err = err
			return
		}
		if e == database.Postgres {
			name := server.newName("shared")
			AtExit(func() { server.drop(name) })
			p.ref, p.err = server.create(name, ref)
			return
		}
		dir, err := os.MkdirTemp("", "wuliang-shared-")
		if err != nil {
			p.err = err
			return
		}
		AtExit(func() { os.RemoveAll(dir) })
		path := filepath.Join(dir, "shared.db")
		p.ref, p.err = "sqlite:"+path+database.NoSync, copyFile(ref, path)
	})
	if p.err != nil {
		t.Fatalf("shared copy of %s: %v", tp.name, p.err)
	}
	return p.ref
}

// slot is engine e's entry in one of the template's maps, made on first use.
func (tp *Template) slot(m map[database.Engine]*prepared, e database.Engine) *prepared {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if m[e] == nil {
		m[e] = &prepared{}
	}
	return m[e]
}

func (tp *Template) prepare(e database.Engine) (string, error) {
	p := tp.slot(tp.ready, e)
	p.once.Do(func() {
		templatesMu.Lock()
		if !slices.Contains(templates, tp) {
			templates = append(templates, tp)
		}
		templatesMu.Unlock()
		p.ref, p.err = tp.make(e)
	})
	return p.ref, p.err
}

// make builds the template: a SQLite file in a directory of the test
// binary's own, or a PostgreSQL database nobody stays connected to (a
// template with a session open cannot be copied).
func (tp *Template) make(e database.Engine) (string, error) {
	var dsn, ref string
	if e == database.SQLite {
		dir, err := os.MkdirTemp("", "wuliang-"+tp.name+"-")
		if err != nil {
			return "", err
		}
		ref = filepath.Join(dir, "template.db")
		dsn = "sqlite:" + ref + database.NoSync
	} else {
		srv, err := postgresServer()
		if err != nil {
			return "", err
		}
		ref = srv.newName("tpl_" + tp.name)
		if dsn, err = srv.create(ref, "template0"); err != nil {
			return "", err
		}
	}
	if err := withDB(dsn, func(db *database.DB) error { return db.Migrate(ctx) }); err != nil {
		return "", fmt.Errorf("migrate: %w", err)
	}
	if tp.build != nil {
		if err := tp.build(ctx, dsn); err != nil {
			return "", fmt.Errorf("build: %w", err)
		}
	}
	if e == database.SQLite {
		// Fold the write-ahead log into the file, so that copying the file
		// alone copies everything.
		err := withDB(dsn, func(db *database.DB) error {
			_, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
			return err
		})
		if err != nil {
			return "", err
		}
	}
	return ref, nil
}

// withDB opens dsn for fn and closes it again: a template has nobody
// connected while another process builds it or a test copies it.
func withDB(dsn string, fn func(*database.DB) error) error {
	db, err := database.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// OnSQLite marks a test that runs on SQLite alone — a server started on
// its own file, say — so that the PostgreSQL step, which has just seen it
// pass, skips it.
func OnSQLite(t testing.TB) {
	t.Helper()
	if os.Getenv(EnvOnlyPostgres) != "" && os.Getenv(EnvPostgres) != "" {
		t.Skip(EnvOnlyPostgres + " is set: the SQLite run is another step's")
	}
}

// SQLiteDSN returns the DSN of a fresh, not yet migrated SQLite file.
func SQLiteDSN(t testing.TB) string {
	OnSQLite(t)
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db") + database.NoSync
}

// PostgresDSN creates an empty database, not yet migrated, and returns its
// DSN; the database is dropped when the test ends.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	return requirePostgres(t).clone(t, "template0")
}

// Open opens and migrates the database at dsn, closed when the test ends:
// a second handle on one database plays a second server.
func Open(t testing.TB, dsn string) *database.DB { return open(t, dsn) }

func open(t testing.TB, dsn string) *database.DB {
	t.Helper()
	db, err := database.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// pgServer is the test server, reached through one administrative pool.
type pgServer struct {
	base  *url.URL
	admin *sql.DB
	seq   atomic.Int64
}

var postgresServer = sync.OnceValues(func() (*pgServer, error) {
	base, err := url.Parse(os.Getenv(EnvPostgres))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", EnvPostgres, err)
	}
	admin, err := sql.Open("pgx", base.String())
	if err != nil {
		return nil, err
	}
	s := &pgServer{base: base, admin: admin}
	s.dropLeftovers()
	return s, nil
})

func requirePostgres(t testing.TB) *pgServer {
	t.Helper()
	if os.Getenv(EnvPostgres) == "" {
		t.Skip(EnvPostgres + " is not set: PostgreSQL run skipped")
	}
	s, err := postgresServer()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Test databases are named wl_<pid>_…, so that a later binary can tell the
// leftovers of one that died (its process is gone) from those of one that
// runs beside it.
const namePrefix = "wl_"

func (s *pgServer) newName(kind string) string {
	return fmt.Sprintf("%s%d_%s_%d", namePrefix, os.Getpid(), kind, s.seq.Add(1))
}

// create makes database name from template and returns its DSN.
func (s *pgServer) create(name, template string) (string, error) {
	// Names are made here from digits and the template names of this
	// package, so quoting them as identifiers is enough.
	if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE "`+name+`" TEMPLATE "`+template+`"`); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	u := *s.base
	u.Path = "/" + name
	// A test's database need not wait for the disk at every commit (pgx
	// sends unknown parameters as settings of the session).
	q := u.Query()
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// clone creates a database from template for one test and drops it, and
// whatever is still connected to it, when the test ends.
func (s *pgServer) clone(t testing.TB, template string) string {
	t.Helper()
	name := s.newName("t")
	dsn, err := s.create(name, template)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.drop(name) })
	return dsn
}

func (s *pgServer) drop(name string) {
	s.admin.ExecContext(ctx, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`)
}

// dropLeftovers drops the test databases of binaries that are no longer
// running, killed before their cleanup ran.
func (s *pgServer) dropLeftovers() {
	rows, err := s.admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'wl\_%'`)
	if err != nil {
		return
	}
	names, _ := database.Collect(rows, func(r database.Scanner) (string, error) {
		var n string
		return n, r.Scan(&n)
	})
	for _, n := range names {
		pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(n, namePrefix), "_", 2)[0])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); os.IsNotExist(err) {
			s.drop(n)
		}
	}
}

// Main runs a package's tests: every package's TestMain is
// testdb.Main(m). After the tests it drops the templates this binary
// built, then fails the binary if any goroutine outlived its test — a
// rating writer nobody closed, a server left running, a worker without a
// way to stop.
func Main(m *testing.M) {
	before := goleak.IgnoreCurrent() // those of the runtime and of init
	code := m.Run()
	// Last registered, first run, as with defer: a shared site stops
	// before the copy it serves is dropped, and both before the templates
	// and the server connection go.
	for _, fn := range slices.Backward(atExit) {
		fn()
	}
	dropTemplates()
	if code == 0 {
		if err := goleak.Find(before); err != nil {
			fmt.Fprintf(os.Stderr, "testdb: goroutines outlived their tests: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// AtExit runs fn after the package's tests, before the templates are
// dropped and the check for goroutines: the place to remove what a helper
// made once per binary. The last registered runs first.
func AtExit(fn func()) {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	atExit = append(atExit, fn)
}

var atExit []func()

// templates lists every template with a copy made, for dropTemplates.
var (
	templatesMu sync.Mutex
	templates   []*Template
)

func dropTemplates() {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	for _, tp := range templates {
		for e, p := range tp.ready {
			switch {
			case p.err != nil || p.ref == "":
			case e == database.SQLite:
				os.RemoveAll(filepath.Dir(p.ref))
			default:
				if srv, err := postgresServer(); err == nil {
					srv.drop(p.ref)
				}
			}
		}
	}
	if os.Getenv(EnvPostgres) != "" {
		if srv, err := postgresServer(); err == nil {
			srv.admin.Close()
		}
	}
}
