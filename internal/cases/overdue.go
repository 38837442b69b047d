package cases

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/notifications"
)

// markOverdue records, once, that case c passed its deadline: the
// conditional update lets exactly one transaction through however many
// servers try, and only that one writes the timeline entry, opens the
// accountability record and notifies the handler and the window lead.
func markOverdue(ctx context.Context, tx *database.Tx, actor audit.Actor, c Case, now time.Time, loc *time.Location) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE cases SET overdue_at = $1 WHERE unit_id = $2 AND id = $3 AND overdue_at IS NULL`, now, c.UnitID, c.ID)
	if err != nil {
		return false, fmt.Errorf("cases: mark overdue %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	facts := printer.Get("case.overdue_facts", c.No, c.Title(), c.Deadline.In(loc).Format("2006-01-02 15:04"), c.HandlerName)
	if err := event(ctx, tx, actor, c.UnitID, c.ID, now, "overdue", c.HandlerID, facts); err != nil {
		return false, err
	}
	if _, _, err := accountability.Open(ctx, tx, actor, c.UnitID, c.HandlerID, accountability.RuleOverdue, fmt.Sprintf("case:%d", c.ID), facts, *c.Deadline); err != nil {
		return false, err
	}
	users, err := notifications.Recipients(ctx, tx, c.UnitID, c.HandlerID, c.DepartmentID)
	if err != nil {
		return false, err
	}
	if err := notifications.Send(ctx, tx, c.UnitID, users, printer.Get("case.notify_overdue", c.No, c.Title(), c.HandlerName), fmt.Sprintf("/cases/%d", c.ID)); err != nil {
		return false, err
	}
	return true, audit.Append(ctx, tx, actor, audit.Entry{UnitID: c.UnitID, Action: "overdue", Entity: "case", EntityID: c.ID,
		Before: map[string]any{"overdue_at": nil}, After: map[string]any{"overdue_at": now, "deadline": c.Deadline}})
}

// MarkOverdue marks every running case of every unit whose deadline has
// passed, and returns how many it marked. Paused cases (补正) wait.
func (s *Store) MarkOverdue(ctx context.Context) (int, error) {
	now := s.now()
	rows, err := s.db.QueryContext(ctx, `SELECT unit_id, id FROM cases WHERE state = $1 AND paused_at IS NULL AND overdue_at IS NULL
		AND deadline < $2 ORDER BY deadline LIMIT 1000`, StateAccepted, now)
	if err != nil {
		return 0, fmt.Errorf("cases: due cases: %w", err)
	}
	due, err := database.Collect(rows, func(r database.Scanner) ([2]int64, error) {
		var k [2]int64
		err := r.Scan(&k[0], &k[1])
		return k, err
	})
	if err != nil {
		return 0, err
	}
	marked := 0
	zones := map[int64]*time.Location{}
	for _, k := range due {
		if zones[k[0]] == nil {
			sc, err := s.Schedule(ctx, k[0])
			if err != nil {
				return marked, err
			}
			zones[k[0]] = sc.Location
		}
		err := s.db.Tx(ctx, func(tx *database.Tx) error {
			c, err := get(ctx, tx, k[0], k[1])
			if err != nil || c.State != StateAccepted || c.PausedAt != nil || c.Deadline == nil || !now.After(*c.Deadline) {
				return err
			}
			ok, err := markOverdue(ctx, tx, audit.System, c, now, zones[k[0]])
			if ok {
				marked++
			}
			return err
		})
		if err != nil {
			return marked, err
		}
	}
	return marked, nil
}

// RunOverdue runs MarkOverdue every interval until ctx ends. Every server
// runs it; markOverdue makes sure each case is marked once.
func (s *Store) RunOverdue(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.MarkOverdue(ctx); err != nil && ctx.Err() == nil {
			log.Error("overdue job", "err", err)
		} else if n > 0 {
			log.Info("overdue job", "marked", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
