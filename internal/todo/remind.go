package todo

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/notifications"
	"wuliang/internal/org"
)

// SummaryLink is the summary notification's link; a new summary replaces
// the one before it, read or not, so reminders never pile up.
const SummaryLink = "/todo"

// SummaryHour is when, in the unit's zone, the day's summary goes out.
const SummaryHour = 8

// Remind sends each unit's daily summary once a day from SummaryHour: to
// every active user with a list, the number of lines and of red ones,
// replacing yesterday's; a user with nothing waiting gets none, and
// yesterday's is removed. It returns the summaries sent.
func (s Sources) Remind(ctx context.Context, now time.Time) (int, error) {
	units, err := s.Org.Units(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, unit := range units {
		local := now.In(org.Location(unit.Timezone))
		if local.Hour() < SummaryHour {
			continue
		}
		n, err := s.remindUnit(ctx, unit, local.Format(time.DateOnly), now)
		if err != nil {
			return sent, fmt.Errorf("todo: remind %s: %w", unit.Code, err)
		}
		sent += n
	}
	return sent, nil
}

func (s Sources) remindUnit(ctx context.Context, unit org.Unit, day string, now time.Time) (int, error) {
	users, err := s.Accounts.Users(ctx, unit.ID)
	if err != nil {
		return 0, err
	}
	type summary struct {
		user       int64
		items, red int
	}
	var out []summary
	for _, u := range users {
		if !u.Active || !Sees(u) {
			continue
		}
		l, err := s.Of(ctx, unit, u, now)
		if err != nil {
			return 0, err
		}
		out = append(out, summary{u.ID, len(l.Items), l.Red})
	}
	sent := 0
	err = s.DB.Tx(ctx, func(tx *database.Tx) error {
		// The day's row first: a second server, or a second run, stops here.
		_, err := tx.ExecContext(ctx, `INSERT INTO todo_reminders (unit_id, day, sent_at) VALUES ($1, $2, $3)`, unit.ID, day, now)
		if database.IsUniqueViolation(err) {
			return errSent
		}
		if err != nil {
			return err
		}
		for _, x := range out {
			if _, err := tx.ExecContext(ctx, `DELETE FROM notifications WHERE unit_id = $1 AND user_id = $2 AND link = $3`, unit.ID, x.user, SummaryLink); err != nil {
				return err
			}
			if x.items == 0 {
				continue
			}
			body := fmt.Sprintf("今日待办:%d 项,其中 %d 项已超期。", x.items, x.red)
			if err := notifications.Send(ctx, tx, unit.ID, []int64{x.user}, body, SummaryLink); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	if err == errSent {
		return 0, nil
	}
	return sent, err
}

var errSent = fmt.Errorf("todo: summary already sent")

// RunReminders runs Remind every interval until ctx ends.
func (s Sources) RunReminders(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.Remind(ctx, database.Now()); err != nil {
			log.Error("to-do reminders", "err", err)
		} else if n > 0 {
			log.Info("to-do reminders sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
