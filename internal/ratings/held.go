package ratings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/rectification"
	"wuliang/internal/textnorm"
)

// Held lists the unit's ratings held as part of a burst and not yet
// reviewed, oldest first: the office's queue.
func (s *Store) Held(ctx context.Context, unitID int64) ([]Rating, error) {
	rows, err := s.db.QueryContext(ctx, ratingQuery+` WHERE r.unit_id = $1 AND r.held = $2 AND r.held <> '' ORDER BY r.created_at, r.id`, unitID, HoldHeld)
	if err != nil {
		return nil, fmt.Errorf("ratings: held: %w", err)
	}
	return database.Collect(rows, scan)
}

// CountHeld is how many ratings wait for the office's review.
func (s *Store) CountHeld(ctx context.Context, unitID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM ratings WHERE unit_id = $1 AND held = $2 AND held <> ''`, unitID, HoldHeld).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("ratings: count held: %w", err)
	}
	return n, nil
}

// MaxReviewNote bounds the reason the office gives for a review.
const MaxReviewNote = 200

// ErrReviewed refuses a second review of a held rating.
var ErrReviewed = locale.NewError("rating.already_reviewed")

// Review decides a held rating: released, it counts from now on like any
// other (and a bad one opens its 整改); rejected, it never counts. The
// office says why, and both are audited.
func (s *Store) Review(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, release bool, note string) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	note = textnorm.CleanText(note)
	if note == "" || utf8.RuneCountInString(note) > MaxReviewNote {
		return locale.FieldProblem("note", "rating.review_note", MaxReviewNote)
	}
	var r Rating
	err := s.db.QueryRowContext(ctx, `SELECT level, COALESCE(staff_id, 0), COALESCE(department_id, 0), held FROM ratings WHERE unit_id = $1 AND id = $2`,
		unitID, id).Scan(&r.Level, &r.StaffID, &r.DepartmentID, &r.Held)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("ratings: review %d: %w", id, err)
	}
	state := HoldRejected
	if release {
		state = HoldReleased
	}
	now := s.now()
	var due = now
	if release && Bad(r.Level) {
		if due, err = rectification.FirstDue(ctx, s.db, unitID, now); err != nil {
			return err
		}
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE ratings SET held = $1, valid = $2 WHERE unit_id = $3 AND id = $4 AND held = $5`,
			state, release, unitID, id, HoldHeld)
		if err != nil {
			return fmt.Errorf("ratings: review %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrReviewed
		}
		entries := []audit.Entry{{UnitID: unitID, Action: "review_held", Entity: "rating", EntityID: id,
			Before: map[string]any{"held": HoldHeld, "valid": false}, After: map[string]any{"held": state, "valid": release, "note": note}}}
		if release && Bad(r.Level) {
			xid, err := rectification.OpenForRating(ctx, tx, rectification.BadRating{UnitID: unitID, RatingID: id,
				StaffID: r.StaffID, DepartmentID: r.DepartmentID, Anonymous: true, Due: due}, now)
			if err != nil {
				return err
			}
			entries = append(entries, audit.Entry{UnitID: unitID, Action: "open", Entity: "rectification", EntityID: xid,
				After: map[string]any{"rating_id": id, "state": rectification.StepVerify, "due_at": due}})
		}
		return audit.AppendBatch(ctx, tx, actor, entries)
	})
}
