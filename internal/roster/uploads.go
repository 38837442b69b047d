package roster

import (
	"context"

	"fmt"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/locale"
)

// Uploads keeps an uploaded roster between its preview and the user's
// confirmation, so the file is sent once and the import applies exactly the
// file that was previewed.
type Uploads struct{ db *database.DB }

// NewUploads returns the upload store on db.
func NewUploads(db *database.DB) *Uploads { return &Uploads{db: db} }

// Stage keeps data for the user and returns its id.
func (u *Uploads) Stage(ctx context.Context, unitID, userID int64, filename string, data []byte) (int64, error) {
	var id int64
	err := u.db.Tx(ctx, func(tx *database.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO roster_uploads (unit_id, user_id, filename, data, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, unitID, userID, filename, data, database.Now()).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("roster: stage upload: %w", err)
	}
	return id, nil
}

// Claim marks a staged roster as being imported and returns its content. A
// second claim of the same upload (a double click, two tabs) is refused, so
// one confirmation imports once.
func (u *Uploads) Claim(ctx context.Context, unitID, userID, id int64) ([]byte, error) {
	var data []byte
	err := u.db.Tx(ctx, func(tx *database.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE roster_uploads SET applied_at = $1
			WHERE unit_id = $2 AND user_id = $3 AND id = $4 AND applied_at IS NULL`, database.Now(), unitID, userID, id)
		if err != nil {
			return fmt.Errorf("roster: claim upload: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return locale.NewError("roster.upload_gone")
		}
		return tx.QueryRowContext(ctx, `SELECT data FROM roster_uploads WHERE unit_id = $1 AND id = $2`, unitID, id).Scan(&data)
	})
	return data, err
}

// Release makes a claimed upload importable again after a failed import.
func (u *Uploads) Release(ctx context.Context, unitID, id int64) error {
	return u.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE roster_uploads SET applied_at = NULL WHERE unit_id = $1 AND id = $2`, unitID, id)
		return err
	})
}

// Purge drops uploads older than a day; they were only ever kept for the
// preview.
func (u *Uploads) Purge(ctx context.Context) error {
	return u.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM roster_uploads WHERE created_at < $1`, database.Now().Add(-24*time.Hour))
		return err
	})
}
