package database_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

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
