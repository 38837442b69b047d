package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
)

// Store reads and writes a unit's organisation. Every query names the unit,
// so an id from another unit finds nothing.
type Store struct {
	db *database.DB
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

// ErrNotFound is returned when a record does not exist in the asking unit.
var ErrNotFound = failure.Wrap("org", failure.NotFound)

// write runs fn in a transaction and appends the audit entry it returns.
func (s *Store) write(ctx context.Context, actor audit.Actor, fn func(tx *database.Tx) (audit.Entry, error)) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		entry, err := fn(tx)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, entry)
	})
}

func notFound(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("org: %s: %w", what, err)
}

// refExists reports whether table holds id for the unit. table is one of
// this package's own table names, never user input.
func refExists(ctx context.Context, q database.Querier, table string, unitID, id int64) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE unit_id = $1 AND id = $2`, unitID, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("org: check %s %d: %w", table, id, err)
	}
	return true, nil
}

// checkRef adds a problem when a non-zero id is not the unit's.
func checkRef(ctx context.Context, q database.Querier, ps *locale.Problems, table string, unitID, id int64, field, key string) error {
	if id == 0 {
		return nil
	}
	ok, err := refExists(ctx, q, table, unitID, id)
	if err != nil {
		return err
	}
	if !ok {
		ps.Add(field, key)
	}
	return nil
}
