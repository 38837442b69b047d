// Package notifications keeps the messages wuliang leaves for a user in
// the app: a case gone overdue, a referral waiting, a record to read.
package notifications

import (
	"context"
	"fmt"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
)

// Notification is one message to one user.
type Notification struct {
	ID        int64
	Body      string
	Link      string
	CreatedAt time.Time
	Read      bool
}

// Recipients are the active users acting as a staff member, and the window
// leads of a department: who must hear of a case's trouble.
func Recipients(ctx context.Context, tx *database.Tx, unitID, staffID, deptID int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE unit_id = $1 AND active = TRUE
		AND ((staff_id = $2 AND staff_id > 0) OR (role = $3 AND department_id = $4 AND department_id > 0)) ORDER BY id`,
		unitID, staffID, accounts.RoleWindowLead, deptID)
	if err != nil {
		return nil, fmt.Errorf("notifications: recipients: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
}

// Send leaves body for each user, in the caller's transaction so that the
// message exists exactly when the fact it reports does.
func Send(ctx context.Context, tx *database.Tx, unitID int64, userIDs []int64, body, link string) error {
	now := database.Now()
	for _, id := range userIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (unit_id, user_id, body, link, created_at) VALUES ($1, $2, $3, $4, $5)`,
			unitID, id, body, link, now); err != nil {
			return fmt.Errorf("notifications: send: %w", err)
		}
	}
	return nil
}

// Store reads and marks a user's notifications.
type Store struct{ db *database.DB }

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

// List returns the user's latest notifications, newest first.
func (s *Store) List(ctx context.Context, unitID, userID int64, limit int) ([]Notification, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, body, link, created_at, read_at IS NOT NULL FROM notifications
		WHERE unit_id = $1 AND user_id = $2 ORDER BY id DESC LIMIT $3`, unitID, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("notifications: list: %w", err)
	}
	return database.Collect(rows, scanNotification)
}

// Unread counts the user's unread notifications.
func (s *Store) Unread(ctx context.Context, unitID, userID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE unit_id = $1 AND user_id = $2 AND read_at IS NULL`,
		unitID, userID).Scan(&n)
	return n, err
}

// MarkRead marks all of the user's notifications read.
func (s *Store) MarkRead(ctx context.Context, unitID, userID int64) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE unit_id = $2 AND user_id = $3 AND read_at IS NULL`,
			database.Now(), unitID, userID)
		return err
	})
}

// Unsettled are the unit's unread notifications, for deciding which have
// been dealt with.
func (s *Store) Unsettled(ctx context.Context, unitID int64) ([]Notification, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, body, link, created_at, FALSE FROM notifications
		WHERE unit_id = $1 AND read_at IS NULL ORDER BY id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("notifications: unsettled: %w", err)
	}
	return database.Collect(rows, scanNotification)
}

// MarkReadAt marks the listed notifications of the unit read at t.
func (s *Store) MarkReadAt(ctx context.Context, unitID int64, ids []int64, t time.Time) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE unit_id = $2 AND id = $3 AND read_at IS NULL`,
				t.UTC(), unitID, id); err != nil {
				return fmt.Errorf("notifications: mark %d read: %w", id, err)
			}
		}
		return nil
	})
}

func scanNotification(r database.Scanner) (Notification, error) {
	var n Notification
	err := r.Scan(&n.ID, &n.Body, &n.Link, &n.CreatedAt, &n.Read)
	return n, err
}
