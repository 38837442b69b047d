package database

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

var createTable = regexp.MustCompile(`(?i)CREATE TABLE (?:IF NOT EXISTS )?([a-z_0-9]+)`)

// Tables lists the schema's tables in the order the migrations create
// them, so that a table comes after those it refers to.
func Tables() ([]string, error) {
	list, err := loadMigrations(Postgres)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range list {
		for _, g := range createTable.FindAllStringSubmatch(m.sql, -1) {
			if !slices.Contains(out, g[1]) {
				out = append(out, g[1])
			}
		}
	}
	return out, nil
}

// Copy copies every row of every table of src into dst, which must be
// migrated to the same version and hold no unit yet: the move from the
// embedded SQLite to PostgreSQL when a unit outgrows one machine, and
// back. Ids are kept, so links, the audit chain and its hashes are the
// same; it returns how many rows each table got.
func Copy(ctx context.Context, src, dst *DB) (map[string]int, error) {
	v1, err := src.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	v2, err := dst.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if v1 != v2 {
		return nil, fmt.Errorf("database: the source is at schema version %d, the target at %d; migrate both first", v1, v2)
	}
	var units int
	if err := dst.QueryRowContext(ctx, `SELECT count(*) FROM units`).Scan(&units); err != nil {
		return nil, fmt.Errorf("database: target: %w", err)
	}
	if units > 0 {
		return nil, fmt.Errorf("database: the target already holds %d units; copy into an empty database", units)
	}
	tables, err := Tables()
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	err = dst.Tx(ctx, func(tx *Tx) error {
		// Rows of a table may refer to later rows of itself; the checks
		// run at the commit (SQLite) or not while copying (PostgreSQL,
		// which needs a superuser for it; every row comes from a database
		// that held them).
		relax := `PRAGMA defer_foreign_keys = ON`
		if dst.Engine == Postgres {
			relax = `SET LOCAL session_replication_role = replica`
		}
		if _, err := tx.ExecContext(ctx, relax); err != nil {
			return fmt.Errorf("database: copy: %w", err)
		}
		// The demo and a fresh target both seed rows (the audit head);
		// the source's replace them.
		for _, t := range slices.Backward(tables) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
				return fmt.Errorf("database: empty %s: %w", t, err)
			}
		}
		for _, t := range tables {
			n, err := copyTable(ctx, src, tx, t)
			if err != nil {
				return err
			}
			counts[t] = n
		}
		if dst.Engine == Postgres {
			return resetIdentities(ctx, tx, tables)
		}
		return nil
	})
	return counts, err
}

func copyTable(ctx context.Context, src *DB, tx *Tx, table string) (int, error) {
	kinds, err := columnKinds(ctx, tx, table)
	if err != nil {
		return 0, err
	}
	rows, err := src.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return 0, fmt.Errorf("database: read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	per := max(1, BatchRows*10/len(cols)) // well under both engines' parameter limits
	var batch []any
	n, pending := 0, 0
	flush := func() error {
		if pending == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES `+tx.Values(pending, len(cols), 1), batch...)
		if err != nil {
			return fmt.Errorf("database: write %s: %w", table, err)
		}
		n += pending
		batch, pending = batch[:0], 0
		return nil
	}
	for rows.Next() {
		vals, err := ScanValues(rows, len(cols))
		if err != nil {
			return n, fmt.Errorf("database: read %s: %w", table, err)
		}
		for i, c := range cols {
			vals[i] = convert(vals[i], kinds[c])
		}
		batch = append(batch, vals...)
		if pending++; pending == per {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("database: read %s: %w", table, err)
	}
	return n, flush()
}

// columnKinds reads the target's column types: what a value from the
// other engine must become (SQLite keeps booleans as integers).
func columnKinds(ctx context.Context, tx *Tx, table string) (map[string]string, error) {
	q := `SELECT name, type FROM pragma_table_info($1)`
	if tx.Engine == Postgres {
		q = `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`
	}
	rows, err := tx.QueryContext(ctx, q, table)
	if err != nil {
		return nil, fmt.Errorf("database: columns of %s: %w", table, err)
	}
	defer rows.Close()
	kinds := map[string]string{}
	for rows.Next() {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			return nil, err
		}
		kinds[name] = strings.ToLower(kind)
	}
	return kinds, rows.Err()
}

func convert(v any, kind string) any {
	switch x := v.(type) {
	case int64:
		if kind == "boolean" {
			return x != 0
		}
	case string:
		if strings.HasPrefix(kind, "timestamp") {
			for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
				if t, err := time.Parse(layout, x); err == nil {
					return t.UTC()
				}
			}
		}
	case time.Time:
		return x.UTC()
	}
	return v
}

// resetIdentities moves each id sequence past the copied ids.
func resetIdentities(ctx context.Context, tx *Tx, tables []string) error {
	for _, t := range tables {
		kinds, err := columnKinds(ctx, tx, t)
		if err != nil {
			return err
		}
		if _, ok := kinds["id"]; !ok {
			continue
		}
		var seq *string
		if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, t).Scan(&seq); err != nil {
			return fmt.Errorf("database: id sequence of %s: %w", t, err)
		}
		if seq == nil {
			continue // an id that is not generated
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval($1, COALESCE((SELECT max(id) FROM `+t+`), 0) + 1, false)`, *seq); err != nil {
			return fmt.Errorf("database: id sequence of %s: %w", t, err)
		}
	}
	return nil
}
