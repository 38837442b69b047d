package database

import (
	"context"
	"errors"
	"fmt"

	"modernc.org/sqlite"
)

// RestoreSQLite replaces the whole content of a SQLite database, schema and
// rows, with that of the SQLite file at path, through SQLite's backup API.
// Tests use it to start from a prepared database instead of building the
// same one again for every test.
func (db *DB) RestoreSQLite(ctx context.Context, path string) error {
	if db.Engine != SQLite {
		return errors.New("database: restore: not a SQLite database")
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("database: restore: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		r, ok := dc.(interface {
			NewRestore(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("database: restore: the driver cannot restore")
		}
		b, err := r.NewRestore(path)
		if err != nil {
			return fmt.Errorf("database: restore from %s: %w", path, err)
		}
		for more := true; more; {
			if more, err = b.Step(-1); err != nil {
				b.Finish()
				return fmt.Errorf("database: restore from %s: %w", path, err)
			}
		}
		return b.Finish()
	})
}
