package appraisal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"unicode/utf8"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Invitation is what a token opens: the round, the unit and the invite.
type Invitation struct {
	UnitID   int64
	UnitName string
	Round    Round
	Invite   Invite
}

// ByToken opens an invitation of any unit. A used invitation or a round
// that is not open answers with its own error, for the evaluator to read.
func (s *Store) ByToken(ctx context.Context, token string) (Invitation, error) {
	var in Invitation
	var roundID int64
	var answered sql.NullTime
	if token == "" || len(token) > 64 {
		return in, ErrInviteUnknown
	}
	err := s.db.QueryRowContext(ctx, `SELECT i.unit_id, u.name, i.round_id, i.id, i.group_key, i.label, i.answered_at
		FROM appraisal_invites i JOIN units u ON u.id = i.unit_id WHERE i.token = $1`, token).
		Scan(&in.UnitID, &in.UnitName, &roundID, &in.Invite.ID, &in.Invite.Group, &in.Invite.Label, &answered)
	if errors.Is(err, sql.ErrNoRows) {
		return in, ErrInviteUnknown
	}
	if err != nil {
		return in, fmt.Errorf("appraisal: invite: %w", err)
	}
	if in.Round, err = s.Get(ctx, in.UnitID, roundID); err != nil {
		return in, err
	}
	switch {
	case answered.Valid:
		return in, ErrInviteUsed
	case in.Round.State != StateOpen:
		return in, ErrNotOpen
	}
	return in, nil
}

// Key names one answer: a question about a target.
type Key struct {
	TargetID, QuestionID int64
}

// Answers are an evaluator's answers as given: the raw text of each box.
// An empty box, or 0 for a level question (不了解), is no answer.
type Answers map[Key]string

type answer struct {
	Key
	value *int
	text  string
}

// check turns the boxes into answers against the round's questions and
// targets; a key the round does not have is refused.
func check(r Round, given Answers) ([]answer, error) {
	questions := map[int64]Question{}
	for _, q := range r.Questions {
		questions[q.ID] = q
	}
	targets := map[int64]bool{}
	for _, t := range r.Targets {
		targets[t.ID] = true
	}
	var out []answer
	for k, raw := range given {
		q, ok := questions[k.QuestionID]
		if !ok || !targets[k.TargetID] {
			return nil, locale.FieldProblem("", "appraisal.answer_unknown")
		}
		a := answer{Key: k}
		if q.Kind == KindText {
			a.text = textnorm.CleanMultiline(raw)
			if utf8.RuneCountInString(a.text) > MaxText {
				return nil, locale.FieldProblem("", "error.too_long", q.Text, MaxText)
			}
			if a.text != "" {
				out = append(out, a)
			}
			continue
		}
		raw = textnorm.CleanText(textnorm.FoldWidth(raw))
		if raw == "" {
			continue
		}
		var v int
		if _, err := fmt.Sscanf(raw, "%d", &v); err != nil || fmt.Sprint(v) != raw {
			return nil, locale.FieldProblem("", "appraisal.value_invalid", q.Text)
		}
		switch {
		case q.Kind == KindLevel && v == 0:
			continue // 不了解
		case q.Kind == KindLevel && (v < 1 || v > 5), q.Kind == KindScore && (v < 0 || v > q.MaxScore):
			return nil, locale.FieldProblem("", "appraisal.value_invalid", q.Text)
		}
		a.value = &v
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, locale.FieldProblem("", "appraisal.nothing_answered")
	}
	return out, nil
}

// Answer records an evaluator's answers once: of two submissions of one
// invitation, the second is refused with ErrInviteUsed.
func (s *Store) Answer(ctx context.Context, token string, given Answers) error {
	in, err := s.ByToken(ctx, token)
	if err != nil {
		return err
	}
	list, err := check(in.Round, given)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE appraisal_invites SET answered_at = $1 WHERE unit_id = $2 AND id = $3 AND answered_at IS NULL
			AND EXISTS (SELECT 1 FROM appraisal_rounds r WHERE r.unit_id = $2 AND r.id = appraisal_invites.round_id AND r.state = $4)`,
			now, in.UnitID, in.Invite.ID, StateOpen)
		if err != nil {
			return fmt.Errorf("appraisal: take invite: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrInviteUsed
		}
		for _, a := range list {
			var v any
			if a.value != nil {
				v = *a.value
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO appraisal_answers (unit_id, round_id, invite_id, target_id, question_id, value, text)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, in.UnitID, in.Round.ID, in.Invite.ID, a.TargetID, a.QuestionID, v, a.text); err != nil {
				return fmt.Errorf("appraisal: answer: %w", err)
			}
		}
		return audit.Append(ctx, tx, audit.Actor{Name: "evaluator"}, audit.Entry{UnitID: in.UnitID, Action: "answer", Entity: "appraisal_invite",
			EntityID: in.Invite.ID, After: map[string]any{"round_id": in.Round.ID, "group": in.Invite.Group, "answers": len(list)}})
	})
}
