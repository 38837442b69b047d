package database_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/testdb"
)

func TestMigrateIsIdempotent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("schema version %d, %v", v, err)
		}
		var rows int
		db.QueryRowContext(ctx, `SELECT count(*) FROM schema_version`).Scan(&rows)
		if rows != v {
			t.Fatalf("schema_version has %d rows for version %d: a migration ran twice", rows, v)
		}
	})
}

// Several instances starting at once against one empty database must all
// come up, with the schema applied once.
func TestConcurrentMigrate(t *testing.T) {
	run := func(t *testing.T, dsn string) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := database.Open(ctx, dsn)
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				errs[i] = db.Migrate(ctx)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("instance %d: %v", i, err)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, testdb.SQLiteDSN(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, testdb.PostgresDSN(t)) })
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"", "mysql://x", "wuliang.db", "sqlite:"} {
		if db, err := database.Open(context.Background(), dsn); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
}

func TestSQLiteBackupIsUsable(t *testing.T) {
	db := testdb.SQLite(t)
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, file); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, file); err == nil {
		t.Fatal("backup over an existing file must be refused")
	}
	copyDB, err := database.Open(ctx, "sqlite:"+file)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if v, err := copyDB.SchemaVersion(ctx); err != nil || v < 1 {
		t.Fatalf("backup schema version %d, %v", v, err)
	}
}

// The periods of rectification moved from rating_settings to a table of
// their own (0012): a unit's periods set before the move are kept.
func TestRectificationPeriodsMove(t *testing.T) {
	run := func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := database.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := database.MigrateTo(db, ctx, 11); err != nil {
			t.Fatal(err)
		}
		err = db.Tx(ctx, func(tx *database.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO units (code, name, created_at, updated_at) VALUES ('u', '单位', $1, $1)`, time.Now().UTC())
			if err == nil {
				_, err = tx.ExecContext(ctx, `INSERT INTO rating_settings (unit_id, token_days, verify_days, rectify_days, ledger_days, followup_days, area_code)
					SELECT id, 20, 2, 7, 30, 4, '421102' FROM units`)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var token, verify, rectify, ledger, followup int
		var area string
		if err := db.QueryRowContext(ctx, `SELECT r.token_days, r.area_code, x.verify_days, x.rectify_days, x.ledger_days, x.followup_days
			FROM rating_settings r JOIN rectification_settings x ON x.unit_id = r.unit_id`).Scan(&token, &area, &verify, &rectify, &ledger, &followup); err != nil {
			t.Fatal(err)
		}
		if token != 20 || area != "421102" || verify != 2 || rectify != 7 || ledger != 30 || followup != 4 {
			t.Fatalf("after the move: token %d area %s, periods %d %d %d %d", token, area, verify, rectify, ledger, followup)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, testdb.SQLiteDSN(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, testdb.PostgresDSN(t)) })
}

// Loading the demo without a wait per commit leaves the file as durable as
// before: the writer is back to synchronous FULL, and what was written is
// there.
func TestUnsyncedRestoresDurability(t *testing.T) {
	testdb.OnSQLite(t)
	ctx := context.Background()
	db, err := database.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "real.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	level := func() (n int) {
		db.Tx(ctx, func(tx *database.Tx) error { return tx.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&n) })
		return n
	}
	var inside int
	err = db.Unsynced(ctx, func() error {
		inside = level()
		return db.Tx(ctx, func(tx *database.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO units (code, name, kind, created_at, updated_at) VALUES ('u1', '单位', 'center', $1, $1)`, database.Now())
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if inside != 0 || level() != 2 {
		t.Errorf("synchronous %d inside, %d after; want 0 and 2 (FULL)", inside, level())
	}
	var n int
	db.QueryRowContext(ctx, `SELECT count(*) FROM units`).Scan(&n)
	if n != 1 {
		t.Errorf("%d units after the load", n)
	}
}
