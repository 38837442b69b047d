// Package database opens wuliang's storage (embedded SQLite or PostgreSQL),
// applies the embedded migrations and keeps every difference between the two
// engines in this one package.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Engine names a storage engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is the application's handle on storage. The embedded *sql.DB is for
// reads. Writes go through Tx, which on SQLite uses a pool of exactly one
// connection so that writers queue in Go instead of spinning on SQLITE_BUSY.
type DB struct {
	*sql.DB
	write  *sql.DB
	Engine Engine
	dsn    string
	// Prepared statements of SQLite's two pools (nil on PostgreSQL).
	reads, writes *statements
}

// DefaultDSN is used when neither --db nor WULIANG_DB is given.
const DefaultDSN = "sqlite:wuliang.db"

// Open connects to the database named by dsn: "sqlite:PATH" or a
// "postgres://" URL. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	default:
		return nil, fmt.Errorf("database: unknown DSN %q: use sqlite:PATH or postgres://…", redact(dsn))
	}
}

// NoSync ends the DSN of a SQLite database whose commits need not reach
// the disk before they return — a test's throwaway file — as in
// "sqlite:/tmp/x.db?nosync". Never for real data.
const NoSync = "?nosync"

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("database: sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("database: create directory for %s: %w", path, err)
		}
	}
	// synchronous(FULL): a write acknowledged to a user survives power loss.
	// Tests' throwaway files ask for OFF (NoSync), since waiting for the
	// disk on every commit is most of what building their data costs.
	sync := "FULL"
	if p, ok := strings.CutSuffix(path, NoSync); ok {
		path, sync = p, "OFF"
	}
	// busy_timeout comes first: the pragmas run in order, and switching a
	// new file to WAL takes a lock that another instance starting at the
	// same moment must wait for, not fail on.
	// A report over a big unit's quarter reads its facts by index, row by
	// row: mapped pages and a 32 MB page cache per connection spare it a
	// system call per row (the defaults are no mapping and 2 MB).
	base := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(" + sync + ")&_pragma=mmap_size(268435456)&_pragma=cache_size(-32768)&_pragma=temp_store(MEMORY)&_time_format=sqlite"
	write, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("database: open sqlite writer: %w", err)
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("database: open sqlite reader: %w", err)
	}
	// Keep every reader open: opening one runs the pragmas again, and under
	// load the default of two idle connections made the pool open and close
	// readers all the time.
	readers := max(4, runtime.NumCPU()*2)
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	db := &DB{DB: read, write: write, Engine: SQLite, dsn: "sqlite:" + path,
		reads: newStatements(read), writes: newStatements(write)}
	if err := pingSQLite(ctx, write); err != nil {
		db.Close()
		return nil, fmt.Errorf("database: sqlite %s: %w", path, err)
	}
	return db, nil
}

// pingSQLite opens the first connection, which turns a new file to WAL.
// That change is refused at once, whatever the busy timeout, while another
// instance starting at the same moment holds the file, so it is tried
// again for as long as the busy timeout would have waited.
func pingSQLite(ctx context.Context, write *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		err := write.PingContext(ctx)
		var coded interface{ Code() int }
		if err == nil || !errors.As(err, &coded) || coded.Code()&0xff != 5 || time.Now().After(deadline) { // 5: SQLITE_BUSY
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("database: open postgres: %w", err)
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database: postgres %s: %w", redact(dsn), err)
	}
	return &DB{DB: pool, write: pool, Engine: Postgres, dsn: dsn}, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.reads.close()
	db.writes.close()
	err := db.DB.Close()
	if db.write != db.DB {
		err = errors.Join(err, db.write.Close())
	}
	return err
}

// Tx is a write transaction that knows its engine, for the few statements
// whose text differs between engines (see Values).
type Tx struct {
	*sql.Tx
	Engine Engine
	writes *statements
}

// Tx runs fn in a write transaction and commits when fn returns nil.
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	tx := &Tx{Tx: stx, Engine: db.Engine, writes: db.writes}
	// Once the transaction has let the writer's connection go, prepare the
	// statements it met for the first time.
	defer db.writes.preparePending(ctx)
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: commit: %w", err)
	}
	return nil
}

// Unsynced runs fn with SQLite's commits not waiting for the disk, and
// waits once at the end: for loading data that can be made again, the
// demo, where a wait per commit is most of the time it takes. A crash
// during fn can lose what fn wrote, never the file's integrity (WAL).
// Other engines run fn as it is.
func (db *DB) Unsynced(ctx context.Context, fn func() error) error {
	if db.Engine != SQLite {
		return fn()
	}
	var level int
	if err := db.write.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&level); err != nil {
		return fmt.Errorf("database: read synchronous: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return fmt.Errorf("database: synchronous off: %w", err)
	}
	err := fn()
	if _, e := db.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA synchronous = %d`, level)); e != nil && err == nil {
		err = fmt.Errorf("database: synchronous back to %d: %w", level, e)
	}
	if _, e := db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(FULL)`); e != nil && err == nil {
		err = fmt.Errorf("database: checkpoint: %w", e)
	}
	return err
}

// Lock serialises transactions that take the same key, across processes.
// SQLite write transactions are already exclusive (BEGIN IMMEDIATE), so only
// PostgreSQL needs an advisory lock; it is released at commit or rollback.
func (db *DB) Lock(ctx context.Context, tx *Tx, key int64) error {
	if tx.Engine != Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, key); err != nil {
		return fmt.Errorf("database: advisory lock %d: %w", key, err)
	}
	return nil
}

// Lock keys used across the code base, kept together so none collide.
const (
	LockMigrate int64 = 0x77756c69616e6701 + iota
	LockDemo
	LockUnverifiedRatings // serialises the limits on ratings without a case, across servers
	LockActivityClaims    // serialises the duplicate check of 五比 claims, across servers
	LockStaffAccounts     // serialises slip accounts, so a double submit makes one set
)

// Backup writes a consistent copy of the database to file while the server
// may be running. SQLite uses VACUUM INTO (a snapshot in one read
// transaction); PostgreSQL uses pg_dump's custom format.
func (db *DB) Backup(ctx context.Context, file string) error {
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("database: backup: %s already exists", file)
	}
	switch db.Engine {
	case SQLite:
		if _, err := db.write.ExecContext(ctx, `VACUUM INTO $1`, file); err != nil {
			return fmt.Errorf("database: backup to %s: %w", file, err)
		}
		return nil
	default:
		out, err := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--file="+file, "--dbname="+db.dsn).CombinedOutput()
		if err != nil {
			return fmt.Errorf("database: pg_dump: %w: %s", err, strings.TrimSpace(string(out)))
		}
		return nil
	}
}

// redact hides a password in a DSN for messages and logs.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Redacted returns the DSN without its password, for logs.
func (db *DB) Redacted() string { return redact(db.dsn) }

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine, so callers can turn it into a message for the user.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}
