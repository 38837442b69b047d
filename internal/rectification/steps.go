package rectification

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Step is one step taken on a rectification.
type Step struct {
	Action string // verify, rectify, followup, appeal, uphold, reject
	Note   string
	Method string
	Answer string
}

// Take applies a step: verify → rectify → follow up (real-name ratings) →
// closed; the person rated may appeal while it is verified or rectified,
// and the office upholds the appeal (the rating becomes invalid, kept and
// audited) or rejects it.
func (s *Store) Take(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, st Step) error {
	st.Note = textnorm.CleanMultiline(st.Note)
	if utf8.RuneCountInString(st.Note) > 1000 {
		return locale.FieldProblem("note", "error.too_long", "说明", 1000)
	}
	periods, err := s.Periods(ctx, unitID)
	if err != nil {
		return err
	}
	sc, err := calendar.NewStore(s.db).Schedule(ctx, unitID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		x, err := scan(tx.QueryRowContext(ctx, selectQuery+` WHERE x.unit_id = $1 AND x.id = $2`, unitID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("rectification: %w", err)
		}
		now := s.now()
		set, args, err := plan(u, x, st, now, sc, periods)
		if err != nil {
			return err
		}
		n := len(args)
		res, err := tx.ExecContext(ctx, `UPDATE rectifications SET `+set+`, version = version + 1 WHERE unit_id = $`+strconv.Itoa(n+1)+
			` AND id = $`+strconv.Itoa(n+2)+` AND version = $`+strconv.Itoa(n+3), append(args, unitID, id, x.Version)...)
		if err != nil {
			return fmt.Errorf("rectification: step: %w", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return locale.NewError("rectification.changed").Of(failure.Conflict)
		}
		if st.Action == "uphold" && x.Rating.ID != 0 {
			if err := s.ratings.SetAside(ctx, tx, unitID, x.Rating.ID); err != nil {
				return err
			}
		}
		after, err := scan(tx.QueryRowContext(ctx, selectQuery+` WHERE x.unit_id = $1 AND x.id = $2`, unitID, id))
		if err != nil {
			return fmt.Errorf("rectification: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: st.Action, Entity: "rectification", EntityID: id, Before: x, After: after})
	})
}

// plan checks a step against the state and the user, and returns the
// columns to set.
func plan(u accounts.User, x Rectification, st Step, now time.Time, sc calendar.Schedule, p Periods) (string, []any, error) {
	wrong := locale.NewError("rectification.wrong_state").Of(failure.Conflict)
	due := func(n int) time.Time { return sc.Deadline(now, n) }
	switch st.Action {
	case "verify", "rectify", "followup":
		if !CanHandle(u, x) {
			return "", nil, ErrForbidden
		}
	case "appeal":
		if u.StaffID == 0 || u.StaffID != x.StaffID {
			return "", nil, ErrForbidden
		}
	case "uphold", "reject":
		if !u.IsAdmin() || (u.StaffID != 0 && u.StaffID == x.StaffID) {
			return "", nil, ErrForbidden
		}
	default:
		return "", nil, wrong
	}
	switch st.Action {
	case "verify":
		if x.State != StepVerify {
			return "", nil, wrong
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.note_required")
		}
		return `state = $1, verify_note = $2, verified_at = $3, due_at = $4`, []any{StepRectify, st.Note, now, due(p.Rectify)}, nil
	case "rectify":
		if x.State != StepRectify {
			return "", nil, wrong
		}
		if !slices.Contains(Methods, st.Method) {
			return "", nil, locale.FieldProblem("method", "rectification.method_invalid")
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.note_required")
		}
		ledger := ""
		if st.Method == "ledger" {
			ledger = due(p.Ledger).In(sc.Location).Format(time.DateOnly)
		}
		if x.Anonymous {
			return `state = $1, method = $2, rectify_note = $3, ledger_due = $4, rectified_at = $5, closed_at = $5, followup_answer = 'anonymous'`,
				[]any{StepClosed, st.Method, st.Note, ledger, now}, nil
		}
		return `state = $1, method = $2, rectify_note = $3, ledger_due = $4, rectified_at = $5, due_at = $6`,
			[]any{StepFollowup, st.Method, st.Note, ledger, now, due(p.Followup)}, nil
	case "followup":
		if x.State != StepFollowup {
			return "", nil, wrong
		}
		if !slices.Contains(Answers, st.Answer) {
			return "", nil, locale.FieldProblem("answer", "rectification.answer_invalid")
		}
		return `state = $1, followup_answer = $2, followup_note = $3, followed_at = $4, closed_at = $4`,
			[]any{StepClosed, st.Answer, st.Note, now}, nil
	case "appeal":
		if x.Source != SourceRating || (x.State != StepVerify && x.State != StepRectify) {
			return "", nil, wrong
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.appeal_required")
		}
		return `state = $1, appeal_reason = $2`, []any{StepAppeal, st.Note}, nil
	case "uphold":
		if x.State != StepAppeal {
			return "", nil, wrong
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.note_required")
		}
		return `state = $1, appeal_decision = $2, closed_at = $3`, []any{StepInvalid, st.Note, now}, nil
	default: // reject: back to verification, with a fresh period
		if x.State != StepAppeal {
			return "", nil, wrong
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.note_required")
		}
		return `state = $1, appeal_decision = $2, due_at = $3`, []any{StepVerify, st.Note, due(p.Verify)}, nil
	}
}
