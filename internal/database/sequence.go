package database

import (
	"context"
	"fmt"
)

// Next returns the next number of a unit's named sequence (1, 2, …), for
// documents people cite by number: case numbers, notice numbers. The upsert
// takes the row lock, so two transactions never get the same number.
func Next(ctx context.Context, tx *Tx, unitID int64, name string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO sequences (unit_id, name, last) VALUES ($1, $2, 1)
		ON CONFLICT (unit_id, name) DO UPDATE SET last = sequences.last + 1 RETURNING last`, unitID, name).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("database: sequence %s: %w", name, err)
	}
	return n, nil
}
