package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"

	"wuliang/internal/audit"
	"wuliang/internal/database"
)

// SetEmblem stores the unit's party emblem, checked and re-encoded like a
// photo, for the badges of its members.
func (s *Store) SetEmblem(ctx context.Context, actor audit.Actor, unitID int64, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxPhotoBytes+1))
	if err != nil {
		return fmt.Errorf("org: read emblem: %w", err)
	}
	jpg, err := PrepareImage(data, 300, MaxPhotoBytes)
	if err != nil {
		return err
	}
	return s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO unit_emblems (unit_id, data, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (unit_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`, unitID, jpg, database.Now())
		if err != nil {
			return audit.Entry{}, fmt.Errorf("org: store emblem: %w", err)
		}
		return audit.Entry{UnitID: unitID, Action: "update", Entity: "emblem", EntityID: unitID,
			After: map[string]any{"bytes": len(jpg), "sha256": sha256Hex(jpg)}}, nil
	})
}

// Emblem returns the unit's emblem as JPEG, or ErrNotFound.
func (s *Store) Emblem(ctx context.Context, unitID int64) ([]byte, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM unit_emblems WHERE unit_id = $1`, unitID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("org: read emblem: %w", err)
	}
	return data, nil
}
