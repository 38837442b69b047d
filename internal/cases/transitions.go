package cases

import (
	"context"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/notifications"
	"wuliang/internal/textnorm"
)

var printer = locale.NewPrinter(locale.Default)

func wrongState(c Case) error {
	return locale.NewError("case.wrong_state", printer.Get("case.state."+c.State)).Of(failure.Conflict)
}

// step runs one change of a case in a transaction: fn checks and applies
// it (through update, which refuses when someone else changed the case
// since it was read), then the audit record is written.
func (s *Store) step(ctx context.Context, actor audit.Actor, unitID, id int64, action string, fn func(tx *database.Tx, c Case, now time.Time) error) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		c, err := get(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if err := fn(tx, c, s.now()); err != nil {
			return err
		}
		after, err := get(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "case", EntityID: id, Before: c.audited(), After: after.audited()})
	})
}

// update changes the case as read: when another change came first (two
// handlers completing at once), it changes nothing and says so. sets uses
// $1… for args.
func update(ctx context.Context, tx *database.Tx, c Case, now time.Time, sets string, args ...any) error {
	n := len(args)
	q := fmt.Sprintf(`UPDATE cases SET %s, version = version + 1, updated_at = $%d WHERE unit_id = $%d AND id = $%d AND version = $%d`,
		sets, n+1, n+2, n+3, n+4)
	res, err := tx.ExecContext(ctx, q, append(args, now, c.UnitID, c.ID, c.Version)...)
	if err != nil {
		return fmt.Errorf("cases: update %d: %w", c.ID, err)
	}
	if rows, _ := res.RowsAffected(); rows != 1 {
		return locale.NewError("case.changed").Of(failure.Conflict)
	}
	return nil
}

func requireReason(field, key, reason string) (string, error) {
	reason = textnorm.CleanMultiline(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0 && key != "":
		return "", locale.FieldProblem(field, key)
	case n > 500:
		return "", locale.FieldProblem(field, "error.too_long", "理由", 500)
	}
	return reason, nil
}

func (sc Schedule) format(t time.Time) string { return t.In(sc.Location).Format("2006-01-02 15:04") }

// Acceptance is what a handler records on accepting a case.
type Acceptance struct {
	At        string // when it was accepted, in the unit's zone; empty means now
	LimitDays *int   // the time limit of a matter without an item
}

// Accept records acceptance (受理) and sets the deadline: the item's time
// limit in working days, counted on the unit's calendar and office hours.
func (s *Store) Accept(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, in Acceptance) error {
	sc, err := s.Schedule(ctx, unitID)
	if err != nil {
		return err
	}
	return s.step(ctx, actor, unitID, id, "accept", func(tx *database.Tx, c Case, now time.Time) error {
		if !CanHandle(u, c) {
			return ErrForbidden
		}
		if c.State != StateRegistered && c.State != StateWaiting || c.Accepted() {
			return wrongState(c)
		}
		at := now
		if in.At != "" {
			t, ok := calendar.ParseMoment(in.At, sc.Location)
			switch {
			case !ok:
				return locale.FieldProblem("accepted_at", "whereabouts.time_invalid", textnorm.Abbreviate(in.At, 20))
			case t.After(now.Add(time.Minute)):
				return locale.FieldProblem("accepted_at", "case.accept_in_future")
			case t.Before(c.CreatedAt.Add(-time.Minute)):
				return locale.FieldProblem("accepted_at", "case.accept_before_registration", sc.format(c.CreatedAt))
			}
			at = t.UTC()
		}
		limit, err := timeLimit(ctx, tx, c, in.LimitDays)
		if err != nil {
			return err
		}
		deadline := sc.Calendar.Deadline(at.In(sc.Location), limit, sc.Hours).UTC()
		if err := update(ctx, tx, c, now, `state = $1, accepted_at = $2, deadline = $3, time_limit_days = $4, paused_at = NULL`,
			StateAccepted, at, deadline, limit); err != nil {
			return err
		}
		body := printer.Get("case.event_accepted", limit, sc.format(deadline))
		return event(ctx, tx, actor, unitID, id, at, "accepted", c.HandlerID, body)
	})
}

// timeLimit is the item's limit, or the one given for a matter without one.
func timeLimit(ctx context.Context, tx *database.Tx, c Case, given *int) (int, error) {
	if c.ItemID != 0 {
		var days int
		err := tx.QueryRowContext(ctx, `SELECT time_limit_days FROM items WHERE unit_id = $1 AND id = $2`, c.UnitID, c.ItemID).Scan(&days)
		return days, err
	}
	if given == nil || *given < 0 || *given > 365 {
		return 0, locale.FieldProblem("time_limit_days", "case.limit_required")
	}
	return *given, nil
}

// Complete records completion (办结). A case completed after its deadline
// is overdue, whether or not the job marked it yet.
func (s *Store) Complete(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, note string) error {
	note, err := requireReason("note", "", note)
	if err != nil {
		return err
	}
	sc, err := s.Schedule(ctx, unitID)
	if err != nil {
		return err
	}
	return s.step(ctx, actor, unitID, id, "complete", func(tx *database.Tx, c Case, now time.Time) error {
		if !CanHandle(u, c) {
			return ErrForbidden
		}
		if c.State != StateAccepted {
			return wrongState(c)
		}
		if err := update(ctx, tx, c, now, `state = $1, completed_at = $2`, StateCompleted, now); err != nil {
			return err
		}
		if err := event(ctx, tx, actor, unitID, id, now, "completed", c.HandlerID, note); err != nil {
			return err
		}
		if c.Deadline != nil && now.After(*c.Deadline) {
			_, err := markOverdue(ctx, tx, actor, c, now, sc.Location)
			return err
		}
		return nil
	})
}

// Resume restarts the clock when the materials asked for after acceptance
// (补正) arrive; the deadline moves on by the working days it stood.
func (s *Store) Resume(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64) error {
	sc, err := s.Schedule(ctx, unitID)
	if err != nil {
		return err
	}
	return s.step(ctx, actor, unitID, id, "resume", func(tx *database.Tx, c Case, now time.Time) error {
		if !CanHandle(u, c) {
			return ErrForbidden
		}
		if c.State != StateWaiting || c.PausedAt == nil || c.Deadline == nil {
			return wrongState(c)
		}
		stood := max(sc.Calendar.Between(c.PausedAt.In(sc.Location), now.In(sc.Location)), 0)
		due := c.Deadline.In(sc.Location)
		moved := sc.Calendar.AddWorkdays(due, stood)
		deadline := time.Date(moved.Year(), moved.Month(), moved.Day(), due.Hour(), due.Minute(), 0, 0, sc.Location).UTC()
		if err := update(ctx, tx, c, now, `state = $1, paused_at = NULL, paused_days = $2, deadline = $3`,
			StateAccepted, c.PausedDays+stood, deadline); err != nil {
			return err
		}
		return event(ctx, tx, actor, unitID, id, now, "resumed", c.HandlerID, printer.Get("case.event_resumed", stood, sc.format(deadline)))
	})
}

// Refer hands the case to another person (转办). The handler stays
// responsible until the receiver acknowledges.
func (s *Store) Refer(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id, to int64, reason string) error {
	reason, err := requireReason("reason", "case.refer_reason_required", reason)
	if err != nil {
		return err
	}
	return s.step(ctx, actor, unitID, id, "refer", func(tx *database.Tx, c Case, now time.Time) error {
		if !CanHandle(u, c) {
			return ErrForbidden
		}
		if !slices.Contains([]string{StateRegistered, StateWaiting, StateAccepted}, c.State) {
			return wrongState(c)
		}
		if to == c.HandlerID {
			return locale.FieldProblem("to", "case.refer_self")
		}
		if _, _, err := activeStaff(ctx, tx, unitID, to, "to"); err != nil {
			return err
		}
		if err := update(ctx, tx, c, now, `state = $1, referred_to = $2, referred_from = $3`, StateReferred, to, c.State); err != nil {
			return err
		}
		if err := event(ctx, tx, actor, unitID, id, now, "referred", to, reason); err != nil {
			return err
		}
		users, err := notifications.Recipients(ctx, tx, unitID, to, 0)
		if err != nil {
			return err
		}
		return notifications.Send(ctx, tx, unitID, users, printer.Get("case.notify_referred", c.No, c.HandlerName, c.Title()), fmt.Sprintf("/cases/%d", id))
	})
}

// Acknowledge: the receiver of a referral takes the case over.
func (s *Store) Acknowledge(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64) error {
	return s.step(ctx, actor, unitID, id, "acknowledge", func(tx *database.Tx, c Case, now time.Time) error {
		if c.State != StateReferred {
			return wrongState(c)
		}
		if !CanAcknowledge(u, c) {
			return ErrForbidden
		}
		_, dept, err := activeStaff(ctx, tx, unitID, c.ReferredTo, "to")
		if err != nil {
			return err
		}
		if dept == 0 {
			dept = c.DepartmentID
		}
		if err := update(ctx, tx, c, now, `state = $1, handler_id = $2, department_id = $3, referred_to = NULL, referred_from = ''`,
			c.ReferredFrom, c.ReferredTo, database.NullID(dept)); err != nil {
			return err
		}
		return event(ctx, tx, actor, unitID, id, now, "acknowledged", c.ReferredTo, "")
	})
}

// Withdraw records that the recipient withdrew the matter.
func (s *Store) Withdraw(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, reason string) error {
	reason, err := requireReason("reason", "", reason)
	if err != nil {
		return err
	}
	return s.close(ctx, actor, u, unitID, id, "withdraw", StateWithdrawn, reason, isOpen)
}

// Refuse records that the matter is not accepted (不予受理), with the
// written reason the recipient receives.
func (s *Store) Refuse(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, reason string) error {
	reason, err := requireReason("reason", "case.refuse_reason_required", reason)
	if err != nil {
		return err
	}
	return s.close(ctx, actor, u, unitID, id, "refuse", StateRefused, reason, func(c Case) bool {
		return (c.State == StateRegistered || c.State == StateWaiting) && !c.Accepted()
	})
}

func isOpen(c Case) bool { return c.Open() }

func (s *Store) close(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, action, state, reason string, allowed func(Case) bool) error {
	return s.step(ctx, actor, unitID, id, action, func(tx *database.Tx, c Case, now time.Time) error {
		if !CanHandle(u, c) {
			return ErrForbidden
		}
		if !allowed(c) {
			return wrongState(c)
		}
		if err := update(ctx, tx, c, now, `state = $1, closing_reason = $2, referred_to = NULL, paused_at = NULL`, state, reason); err != nil {
			return err
		}
		return event(ctx, tx, actor, unitID, id, now, state, c.HandlerID, reason)
	})
}

// ChangeDeadline sets a new deadline (延期) with the reason for it. The
// office or the window lead decides; never the handler.
func (s *Store) ChangeDeadline(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, date, reason string) error {
	reason, err := requireReason("reason", "case.deadline_reason_required", reason)
	if err != nil {
		return err
	}
	day, err := time.Parse(time.DateOnly, textnorm.FoldWidth(date))
	if err != nil {
		return locale.FieldProblem("deadline", "case.date_invalid", textnorm.Abbreviate(date, 20))
	}
	sc, err := s.Schedule(ctx, unitID)
	if err != nil {
		return err
	}
	return s.step(ctx, actor, unitID, id, "change_deadline", func(tx *database.Tx, c Case, now time.Time) error {
		if !CanChangeDeadline(u, c) {
			return ErrForbidden
		}
		if !c.Accepted() || !c.Open() || c.Deadline == nil {
			return wrongState(c)
		}
		deadline := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, sc.Location).Add(sc.Hours.Close).UTC()
		if deadline.Before(*c.AcceptedAt) {
			return locale.FieldProblem("deadline", "case.deadline_before_acceptance")
		}
		if err := update(ctx, tx, c, now, `deadline = $1`, deadline); err != nil {
			return err
		}
		body := printer.Get("case.event_deadline_changed", sc.format(*c.Deadline), sc.format(deadline), reason)
		return event(ctx, tx, actor, unitID, id, now, "deadline_changed", c.HandlerID, body)
	})
}
