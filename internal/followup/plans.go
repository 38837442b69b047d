package followup

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

// Talk is a 约谈 record: who talked with whom, when, and what was agreed.
type Talk struct {
	ID        int64     `json:"id"`
	Subject   string    `json:"subject"`
	SubjectID int64     `json:"subject_id"`
	Name      string    `json:"name"`
	Period    string    `json:"period,omitempty"`
	HeldOn    string    `json:"held_on"`
	HeldBy    string    `json:"held_by"`
	Agreed    string    `json:"agreed"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// TalkInput is a talk as recorded.
type TalkInput struct {
	Subject   string
	SubjectID int64
	Period    string
	HeldOn    string
	HeldBy    string
	Agreed    string
}

const talkQuery = `SELECT id, subject, subject_id, name, period, held_on, held_by, agreed, created_by, created_at FROM talks`

func scanTalk(r database.Scanner) (Talk, error) {
	var t Talk
	return t, r.Scan(&t.ID, &t.Subject, &t.SubjectID, &t.Name, &t.Period, &t.HeldOn, &t.HeldBy, &t.Agreed, &t.CreatedBy, &t.CreatedAt)
}

// AddTalk records a 约谈.
func (s *Store) AddTalk(ctx context.Context, actor audit.Actor, unitID int64, in TalkInput) (int64, error) {
	in.HeldOn, in.HeldBy, in.Agreed, in.Period = textnorm.FoldWidth(textnorm.CleanText(in.HeldOn)), textnorm.CleanText(in.HeldBy),
		textnorm.CleanMultiline(in.Agreed), textnorm.CleanText(in.Period)
	var ps locale.Problems
	validSubject(&ps, in.Subject)
	checkDate(&ps, "held_on", in.HeldOn)
	textnorm.CheckLength(&ps, "held_by", "followup.held_by", in.HeldBy, MaxShortLen, true)
	textnorm.CheckLength(&ps, "agreed", "followup.agreed", in.Agreed, MaxTextLen, true)
	textnorm.CheckLength(&ps, "period", "followup.period", in.Period, 30, false)
	if len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		name, err := subjectName(ctx, tx, unitID, in.Subject, in.SubjectID)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO talks (unit_id, subject, subject_id, name, period, held_on, held_by, agreed, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, unitID, in.Subject, in.SubjectID, name, in.Period, in.HeldOn, in.HeldBy,
			in.Agreed, actor.Name, s.now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("followup: add talk: %w", err)
		}
		after, err := scanTalk(tx.QueryRowContext(ctx, talkQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "talk", EntityID: id, After: after})
	})
	return id, err
}

// Talks lists the unit's talks, newest first; a subject narrows them.
func (s *Store) Talks(ctx context.Context, unitID int64, subject string, subjectID int64) ([]Talk, error) {
	w := database.NewWhere(` WHERE unit_id = ?`, unitID)
	if subject != "" {
		w.Add(` AND subject = ? AND subject_id = ?`, subject, subjectID)
	}
	rows, err := s.db.QueryContext(ctx, talkQuery+w.SQL()+` ORDER BY held_on DESC, id DESC`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("followup: talks: %w", err)
	}
	return database.Collect(rows, scanTalk)
}

// States of an improvement plan.
const (
	PlanOpen   = "open"
	PlanClosed = "closed"
)

// Plan is an improvement plan (整改提升计划) with dated steps, followed up
// until the office closes it.
type Plan struct {
	ID         int64      `json:"id"`
	Subject    string     `json:"subject"`
	SubjectID  int64      `json:"subject_id"`
	Name       string     `json:"name"`
	TalkID     int64      `json:"talk_id,omitempty"`
	Goal       string     `json:"goal"`
	State      string     `json:"state"`
	ClosedNote string     `json:"closed_note,omitempty"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	Steps      []Step     `json:"steps"`
}

// PlanInput is a plan as written.
type PlanInput struct {
	Subject   string
	SubjectID int64
	TalkID    int64
	Goal      string
	Steps     []StepInput
}

const planQuery = `SELECT id, subject, subject_id, name, COALESCE(talk_id, 0), goal, state, closed_note, closed_at, created_by, created_at FROM improvement_plans`

func scanPlan(r database.Scanner) (Plan, error) {
	var p Plan
	var closed sql.NullTime
	err := r.Scan(&p.ID, &p.Subject, &p.SubjectID, &p.Name, &p.TalkID, &p.Goal, &p.State, &p.ClosedNote, &closed, &p.CreatedBy, &p.CreatedAt)
	if closed.Valid {
		p.ClosedAt = &closed.Time
	}
	return p, err
}

// OpenPlan writes an improvement plan with at least one dated step.
func (s *Store) OpenPlan(ctx context.Context, actor audit.Actor, unitID int64, in PlanInput) (int64, error) {
	in.Goal = textnorm.CleanMultiline(in.Goal)
	var ps locale.Problems
	validSubject(&ps, in.Subject)
	textnorm.CheckLength(&ps, "goal", "followup.goal", in.Goal, MaxTextLen, true)
	steps := checkSteps(&ps, in.Steps, true)
	if len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		name, err := subjectName(ctx, tx, unitID, in.Subject, in.SubjectID)
		if err != nil {
			return err
		}
		if in.TalkID != 0 {
			t, err := scanTalk(tx.QueryRowContext(ctx, talkQuery+` WHERE unit_id = $1 AND id = $2`, unitID, in.TalkID))
			if err != nil || t.Subject != in.Subject || t.SubjectID != in.SubjectID {
				return locale.FieldProblem("talk", "followup.talk_unknown")
			}
		}
		now := s.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO improvement_plans (unit_id, subject, subject_id, name, talk_id, goal, state, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, unitID, in.Subject, in.SubjectID, name, database.NullID(in.TalkID), in.Goal,
			PlanOpen, actor.Name, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("followup: open plan: %w", err)
		}
		if err := addSteps(ctx, tx, unitID, OwnerPlan, id, steps, now); err != nil {
			return err
		}
		return s.planAudit(ctx, tx, actor, unitID, id, "create", nil)
	})
	return id, err
}

func (s *Store) planAudit(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID, id int64, action string, before any) error {
	after, err := s.plan(ctx, tx, unitID, id)
	if err != nil {
		return err
	}
	return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "improvement_plan", EntityID: id, Before: before, After: after})
}

func (s *Store) plan(ctx context.Context, q database.Querier, unitID, id int64) (Plan, error) {
	p, err := scanPlan(q.QueryRowContext(ctx, planQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("followup: plan %d: %w", id, err)
	}
	steps, err := s.steps(ctx, q, unitID, OwnerPlan)
	p.Steps = steps[id]
	return p, err
}

// Plan returns one improvement plan with its steps.
func (s *Store) Plan(ctx context.Context, unitID, id int64) (Plan, error) {
	return s.plan(ctx, s.db, unitID, id)
}

// Plans lists the unit's improvement plans, newest first; a subject
// narrows them (a person's own plans on their page).
func (s *Store) Plans(ctx context.Context, unitID int64, subject string, subjectID int64) ([]Plan, error) {
	w := database.NewWhere(` WHERE unit_id = ?`, unitID)
	if subject != "" {
		w.Add(` AND subject = ? AND subject_id = ?`, subject, subjectID)
	}
	rows, err := s.db.QueryContext(ctx, planQuery+w.SQL()+` ORDER BY id DESC`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("followup: plans: %w", err)
	}
	list, err := database.Collect(rows, scanPlan)
	if err != nil {
		return nil, err
	}
	steps, err := s.steps(ctx, s.db, unitID, OwnerPlan)
	for i := range list {
		list[i].Steps = steps[list[i].ID]
	}
	return list, err
}

// ClosePlan closes a plan once every step is done, with the office's
// judgement of the result.
func (s *Store) ClosePlan(ctx context.Context, actor audit.Actor, unitID, id int64, note string) error {
	note = textnorm.CleanMultiline(note)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "note", "followup.closed_note", note, MaxTextLen, true)
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := s.plan(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if before.State != PlanOpen {
			return ErrState
		}
		for _, st := range before.Steps {
			if st.DoneOn == "" {
				return locale.FieldProblem("note", "followup.steps_open", st.What)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE improvement_plans SET state = $1, closed_note = $2, closed_at = $3 WHERE unit_id = $4 AND id = $5`,
			PlanClosed, note, s.now(), unitID, id); err != nil {
			return fmt.Errorf("followup: close plan: %w", err)
		}
		return s.planAudit(ctx, tx, actor, unitID, id, "close", before)
	})
}
