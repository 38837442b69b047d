package rectification

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
)

// BadRating is a bad rating as it is stored, to be handled.
type BadRating struct {
	UnitID, RatingID      int64
	StaffID, DepartmentID int64
	Anonymous             bool      // nobody to follow up with
	Due                   time.Time // from FirstDue, read before the transaction
}

// OpenForRating starts the handling of a bad rating in the transaction
// that stores it, so it exists exactly when the rating does. The rating
// writer audits it with the rating, in one batch.
func OpenForRating(ctx context.Context, tx *database.Tx, b BadRating, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO rectifications (unit_id, rating_id, source, source_id, staff_id, department_id, anonymous, state, due_at, created_at)
		VALUES ($1, $2, $3, $2, $4, $5, $6, $7, $8, $9) RETURNING id`, b.UnitID, b.RatingID, SourceRating, database.NullID(b.StaffID),
		database.NullID(b.DepartmentID), b.Anonymous, StepVerify, b.Due.UTC(), now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("rectification: open for rating %d: %w", b.RatingID, err)
	}
	return id, nil
}

// Origin is a problem other than a rating that needs the same handling.
type Origin struct {
	Source       string // SourceComplaint or SourceObservation
	SourceID     int64
	StaffID      int64
	DepartmentID int64
	Summary      string
	Anonymous    bool // nobody to follow up with
}

// OpenFrom starts the rectification of an upheld complaint or a bad
// observation in the caller's transaction on db, found at now. A second
// call for the same origin returns the first one's id.
func OpenFrom(ctx context.Context, db *database.DB, tx *database.Tx, actor audit.Actor, unitID int64, o Origin, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM rectifications WHERE unit_id = $1 AND source = $2 AND source_id = $3`,
		unitID, o.Source, o.SourceID).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("rectification: find: %w", err)
	}
	due, err := FirstDue(ctx, db, unitID, now)
	if err != nil {
		return 0, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO rectifications (unit_id, source, source_id, summary, staff_id, department_id, anonymous, state, due_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, unitID, o.Source, o.SourceID, o.Summary, database.NullID(o.StaffID),
		database.NullID(o.DepartmentID), o.Anonymous, StepVerify, due, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("rectification: open from %s: %w", o.Source, err)
	}
	return id, audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "rectification", EntityID: id,
		After: map[string]any{"source": o.Source, "source_id": o.SourceID, "state": StepVerify, "due_at": due}})
}
