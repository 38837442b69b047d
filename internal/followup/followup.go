// Package followup is 五创's care for those behind: the lagging list
// (后进 two periods running, or vetoed) with each one's 约谈 record and
// improvement plan, the weak branches (分类指导) with the office's guidance
// visits, each branch's implementation plan for the campaign year, and the
// leading group's inspections (督促检查). Everything here that names a
// person is for the office and that person only; none of it is public.
package followup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// Who a talk or plan concerns.
const (
	SubjectPerson = "person"
	SubjectWindow = "window"
)

// What owns a step.
const (
	OwnerPlan       = "plan"        // an improvement plan's step
	OwnerBranchPlan = "branch_plan" // a branch plan's measure (措施)
	OwnerVisit      = "visit"       // a visit's fix or follow-up action
)

// Limits of what people write.
const (
	MaxTextLen  = 2000
	MaxShortLen = 200
	MaxSteps    = 30
)

// Errors.
var (
	ErrNotFound = failure.Wrap("followup", failure.NotFound)
	ErrState    = locale.NewError("followup.state_moved").Of(failure.Conflict)
)

// Store keeps the follow-up records.
type Store struct {
	db  *database.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db, now: database.Now} }

// WithClock returns a store whose "now" is clock, for loading history.
func (s *Store) WithClock(clock func() time.Time) *Store {
	return &Store{db: s.db, now: database.Moved(clock)}
}

// Step is one dated thing to do.
type Step struct {
	ID      int64  `json:"id"`
	Owner   string `json:"owner"`
	OwnerID int64  `json:"owner_id"`
	What    string `json:"what"`
	Who     string `json:"who,omitempty"`
	DueOn   string `json:"due_on"`
	DoneOn  string `json:"done_on,omitempty"`
	Note    string `json:"note,omitempty"`
}

// Link is the page of what the step belongs to, where it is done.
func (s Step) Link() string {
	switch s.Owner {
	case OwnerPlan:
		return fmt.Sprintf("/followup/plans/%d", s.OwnerID)
	case OwnerBranchPlan:
		return fmt.Sprintf("/followup/branch-plans/%d", s.OwnerID)
	}
	return fmt.Sprintf("/followup/visits/%d", s.OwnerID)
}

// Overdue reports whether the step is past its date and not done; today
// is a date in the unit's zone.
func (s Step) Overdue(today string) bool { return s.DoneOn == "" && s.DueOn < today }

// StepInput is a step as written.
type StepInput struct {
	What, Who, DueOn string
}

// checkDate accepts a date people can mean: YYYY-MM-DD between 2000 and 2100.
func checkDate(ps *locale.Problems, field, v string) {
	d, err := time.Parse(time.DateOnly, v)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		ps.Add(field, "followup.date_invalid")
	}
}

// checkSteps cleans the steps, dropping rows left wholly empty.
func checkSteps(ps *locale.Problems, in []StepInput, required bool) []StepInput {
	var out []StepInput
	for i, st := range in {
		st.What, st.Who, st.DueOn = textnorm.CleanText(st.What), textnorm.CleanText(st.Who), textnorm.FoldWidth(textnorm.CleanText(st.DueOn))
		if st.What == "" && st.Who == "" && st.DueOn == "" {
			continue
		}
		field := fmt.Sprintf("steps.%d", i)
		textnorm.CheckLength(ps, field, "followup.step_what", st.What, MaxShortLen, true)
		textnorm.CheckLength(ps, field, "followup.step_who", st.Who, 40, false)
		checkDate(ps, field, st.DueOn)
		out = append(out, st)
	}
	if required && len(out) == 0 {
		ps.Add("steps", "followup.steps_required")
	}
	if len(out) > MaxSteps {
		ps.Add("steps", "followup.steps_many", MaxSteps)
	}
	return out
}

func addSteps(ctx context.Context, tx *database.Tx, unitID int64, owner string, ownerID int64, steps []StepInput, now time.Time) error {
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, `INSERT INTO followup_steps (unit_id, owner, owner_id, what, who, due_on, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, unitID, owner, ownerID, st.What, st.Who, st.DueOn, now); err != nil {
			return fmt.Errorf("followup: add step: %w", err)
		}
	}
	return nil
}

const stepQuery = `SELECT id, owner, owner_id, what, who, due_on, done_on, note FROM followup_steps`

func scanStep(r database.Scanner) (Step, error) {
	var s Step
	return s, r.Scan(&s.ID, &s.Owner, &s.OwnerID, &s.What, &s.Who, &s.DueOn, &s.DoneOn, &s.Note)
}

// steps lists the steps of one owner kind, by owner id, in date order.
func (s *Store) steps(ctx context.Context, q database.Querier, unitID int64, owner string) (map[int64][]Step, error) {
	rows, err := q.QueryContext(ctx, stepQuery+` WHERE unit_id = $1 AND owner = $2 ORDER BY due_on, id`, unitID, owner)
	if err != nil {
		return nil, fmt.Errorf("followup: steps: %w", err)
	}
	list, err := database.Collect(rows, scanStep)
	out := map[int64][]Step{}
	for _, st := range list {
		out[st.OwnerID] = append(out[st.OwnerID], st)
	}
	return out, err
}

// Step returns one step of the unit, so that a handler can see whose it is.
func (s *Store) Step(ctx context.Context, unitID, id int64) (Step, error) {
	st, err := scanStep(s.db.QueryRowContext(ctx, stepQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return st, ErrNotFound
	}
	return st, err
}

// AddSteps adds steps to an owner that is still open.
func (s *Store) AddSteps(ctx context.Context, actor audit.Actor, unitID int64, owner string, ownerID int64, in []StepInput) error {
	var ps locale.Problems
	steps := checkSteps(&ps, in, true)
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if err := s.ownerOpen(ctx, tx, unitID, owner, ownerID); err != nil {
			return err
		}
		if err := addSteps(ctx, tx, unitID, owner, ownerID, steps, s.now()); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "add_steps", Entity: owner, EntityID: ownerID, After: steps})
	})
}

// ownerOpen checks that the owner exists in the unit and takes changes.
func (s *Store) ownerOpen(ctx context.Context, q database.Querier, unitID int64, owner string, id int64) error {
	var state string
	var err error
	switch owner {
	case OwnerPlan:
		err = q.QueryRowContext(ctx, `SELECT state FROM improvement_plans WHERE unit_id = $1 AND id = $2`, unitID, id).Scan(&state)
	case OwnerBranchPlan:
		err = q.QueryRowContext(ctx, `SELECT state FROM branch_plans WHERE unit_id = $1 AND id = $2`, unitID, id).Scan(&state)
	case OwnerVisit:
		err = q.QueryRowContext(ctx, `SELECT 'open' FROM visits WHERE unit_id = $1 AND id = $2`, unitID, id).Scan(&state)
	default:
		return ErrNotFound
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("followup: %s %d: %w", owner, id, err)
	}
	if state == PlanClosed {
		return ErrState
	}
	return nil
}

// DoneStep marks a step done on a date with a note of what was done.
func (s *Store) DoneStep(ctx context.Context, actor audit.Actor, unitID, id int64, doneOn, note string) error {
	doneOn, note = textnorm.FoldWidth(textnorm.CleanText(doneOn)), textnorm.CleanMultiline(note)
	var ps locale.Problems
	checkDate(&ps, "done_on", doneOn)
	textnorm.CheckLength(&ps, "note", "followup.step_note", note, MaxShortLen, true)
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := scanStep(tx.QueryRowContext(ctx, stepQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if before.DoneOn != "" {
			return ErrState
		}
		if err := s.ownerOpen(ctx, tx, unitID, before.Owner, before.OwnerID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE followup_steps SET done_on = $1, note = $2 WHERE unit_id = $3 AND id = $4`, doneOn, note, unitID, id); err != nil {
			return fmt.Errorf("followup: step done: %w", err)
		}
		after := before
		after.DoneOn, after.Note = doneOn, note
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "done", Entity: "followup_step", EntityID: id, Before: before, After: after})
	})
}

// subjectName checks that a person or window serves in the unit.
func subjectName(ctx context.Context, q database.Querier, unitID int64, subject string, id int64) (string, error) {
	var name string
	var ok bool
	var err error
	switch subject {
	case SubjectPerson:
		var p org.Post
		p, ok, err = org.ServingPost(ctx, q, unitID, id)
		name = p.Name
	case SubjectWindow:
		name, ok, err = org.ActiveDepartment(ctx, q, unitID, id)
	}
	if err != nil {
		return "", err
	}
	if !ok {
		return "", locale.FieldProblem("subject", "followup.subject_unknown")
	}
	return name, nil
}

var subjects = []string{SubjectPerson, SubjectWindow}

func validSubject(ps *locale.Problems, subject string) {
	if !slices.Contains(subjects, subject) {
		ps.Add("subject", "followup.subject_unknown")
	}
}
