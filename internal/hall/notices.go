package hall

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Notice is one of the office's hall notices, shown on the screens from
// its publication until the end of its last day, or until withdrawn.
type Notice struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	EndsOn      string     `json:"ends_on"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
}

// Showing says whether the notice is on the screens on day today.
func (n Notice) Showing(today string) bool { return n.WithdrawnAt == nil && n.EndsOn >= today }

// NoticeInput is a notice as written.
type NoticeInput struct {
	Title  string
	Body   string
	EndsOn string
}

const noticeQuery = `SELECT id, title, body, ends_on, created_by, created_at, withdrawn_at FROM hall_notices`

func scanNotice(r database.Scanner) (Notice, error) {
	var n Notice
	var gone sql.NullTime
	err := r.Scan(&n.ID, &n.Title, &n.Body, &n.EndsOn, &n.CreatedBy, &n.CreatedAt, &gone)
	if errors.Is(err, sql.ErrNoRows) {
		return n, ErrNotFound
	}
	if gone.Valid {
		n.WithdrawnAt = &gone.Time
	}
	return n, err
}

// Publish puts a notice on the unit's screens; today is the unit's day,
// before which it may not end.
func (s *Store) Publish(ctx context.Context, actor audit.Actor, unitID int64, today string, in NoticeInput) (Notice, error) {
	in.Title, in.Body, in.EndsOn = textnorm.CleanText(in.Title), textnorm.CleanMultiline(in.Body), textnorm.FoldWidth(textnorm.CleanText(in.EndsOn))
	var ps locale.Problems
	textnorm.CheckLength(&ps, "title", "hall_notice.title", in.Title, MaxTitleLen, true)
	textnorm.CheckLength(&ps, "body", "hall_notice.body", in.Body, MaxBodyLen, false)
	if d, err := time.Parse(time.DateOnly, in.EndsOn); err != nil || d.Year() > 2100 {
		ps.Add("ends_on", "hall_notice.ends_invalid")
	} else if in.EndsOn < today {
		ps.Add("ends_on", "hall_notice.ends_past")
	}
	if len(ps) > 0 {
		return Notice{}, ps
	}
	var n Notice
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO hall_notices (unit_id, title, body, ends_on, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, unitID, in.Title, in.Body, in.EndsOn, actor.Name, s.now()).Scan(&id); err != nil {
			return fmt.Errorf("hall: publish notice: %w", err)
		}
		var err error
		if n, err = scanNotice(tx.QueryRowContext(ctx, noticeQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "publish", Entity: "hall_notice", EntityID: id, After: n})
	})
	return n, err
}

// Withdraw takes a notice off the screens.
func (s *Store) Withdraw(ctx context.Context, actor audit.Actor, unitID, id int64) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := scanNotice(tx.QueryRowContext(ctx, noticeQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
		if err != nil {
			return err
		}
		if before.WithdrawnAt != nil {
			return nil
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE hall_notices SET withdrawn_at = $1 WHERE unit_id = $2 AND id = $3`, now, unitID, id); err != nil {
			return fmt.Errorf("hall: withdraw notice: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "withdraw", Entity: "hall_notice", EntityID: id,
			Before: map[string]any{"withdrawn_at": nil}, After: map[string]any{"withdrawn_at": now}})
	})
}

// Notices lists the unit's notices, newest first: those showing on day
// today when current is set, else the last hundred.
func (s *Store) Notices(ctx context.Context, unitID int64, today string, current bool) ([]Notice, error) {
	q, args := noticeQuery+` WHERE unit_id = $1 ORDER BY id DESC LIMIT 100`, []any{unitID}
	if current {
		q, args = noticeQuery+` WHERE unit_id = $1 AND withdrawn_at IS NULL AND ends_on >= $2 ORDER BY id DESC LIMIT 20`, []any{unitID, today}
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("hall: notices: %w", err)
	}
	return database.Collect(rows, scanNotice)
}
