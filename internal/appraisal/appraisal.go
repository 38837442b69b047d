// Package appraisal runs appraisal rounds for outside evaluators (亮评议 /
// 民主评议): the office builds a questionnaire about its people, its
// windows or the unit, names evaluator groups (人大代表, 政协委员, 服务对象,
// 形象监督员, 群众代表), and issues single-use invitations. Results are
// counted per target and per group from the answers given: an invitation
// not answered, or a question answered 不了解, counts nowhere.
package appraisal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// What a round appraises.
const (
	SubjectPerson = "person"
	SubjectWindow = "window"
	SubjectUnit   = "unit"
)

// Subjects lists them.
var Subjects = []string{SubjectPerson, SubjectWindow, SubjectUnit}

// Kinds of question.
const (
	KindLevel = "level" // five levels, 非常满意 (5) … 非常不满意 (1)
	KindScore = "score" // a score from 0 to MaxScore
	KindText  = "text"  // an open comment
)

// Kinds lists them.
var Kinds = []string{KindLevel, KindScore, KindText}

// States of a round.
const (
	StateDraft  = "draft"  // being built; invitations can be issued
	StateOpen   = "open"   // invitations answer
	StateClosed = "closed" // results are final and may be published
)

// Groups are the evaluator groups the plans name.
var Groups = []string{"npc", "cppcc", "client", "supervisor", "public"}

// DefaultQuestions are the plan's topics: 兑现服务承诺、规范审批、提供优质服务,
// and a free comment.
var DefaultQuestions = []Question{
	{Text: "兑现服务承诺", Kind: KindLevel},
	{Text: "规范审批", Kind: KindLevel},
	{Text: "提供优质服务", Kind: KindLevel},
	{Text: "意见和建议", Kind: KindText},
}

// Limits on what a round holds.
const (
	MaxQuestions   = 20
	MaxTargets     = 200
	MaxInvitesOnce = 500
	MaxText        = 500
)

// Round is one appraisal round.
type Round struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Subject   string     `json:"subject"`
	Intro     string     `json:"intro"`
	State     string     `json:"state"`
	Published bool       `json:"published"`
	CreatedAt time.Time  `json:"created_at"`
	OpenedAt  *time.Time `json:"opened_at,omitempty"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
	Questions []Question `json:"questions,omitempty"`
	Targets   []Target   `json:"targets,omitempty"`
}

// Question is one question, asked about every target.
type Question struct {
	ID       int64  `json:"id"`
	Text     string `json:"text"`
	Kind     string `json:"kind"`
	MaxScore int    `json:"max_score,omitempty"`
}

// Target is what is appraised: a person, a window, or the unit.
type Target struct {
	ID           int64  `json:"id"`
	StaffID      int64  `json:"staff_id,omitempty"`
	DepartmentID int64  `json:"window_id,omitempty"`
	Name         string `json:"name"`
	Window       string `json:"window,omitempty"`
}

// Invite is one evaluator's single-use invitation.
type Invite struct {
	ID         int64      `json:"id"`
	Group      string     `json:"group"`
	Label      string     `json:"label,omitempty"`
	Token      string     `json:"-"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// Store keeps rounds.
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

// Errors.
var (
	ErrNotFound      = failure.Wrap("appraisal", failure.NotFound)
	ErrInviteUnknown = locale.NewError("appraisal.invite_unknown")
	ErrInviteUsed    = locale.NewError("appraisal.invite_used")
	ErrNotOpen       = locale.NewError("appraisal.not_open")
)

// Draft is a new round as the office writes it. With no people or windows
// chosen, every active one is appraised.
type Draft struct {
	Title         string
	Subject       string
	Intro         string
	Questions     []Question
	StaffIDs      []int64
	DepartmentIDs []int64
}

func (d *Draft) clean() locale.Problems {
	var ps locale.Problems
	d.Title, d.Intro = textnorm.CleanText(d.Title), textnorm.CleanMultiline(d.Intro)
	switch n := utf8.RuneCountInString(d.Title); {
	case n == 0:
		ps.Add("title", "error.required", "名称")
	case n > 100:
		ps.Add("title", "error.too_long", "名称", 100)
	}
	if utf8.RuneCountInString(d.Intro) > 1000 {
		ps.Add("intro", "error.too_long", "说明", 1000)
	}
	if !slices.Contains(Subjects, d.Subject) {
		ps.Add("subject", "appraisal.subject_invalid")
	}
	var qs []Question
	for _, q := range d.Questions {
		q.Text = textnorm.CleanText(q.Text)
		if q.Text == "" {
			continue
		}
		switch {
		case utf8.RuneCountInString(q.Text) > 100:
			ps.Add("questions", "error.too_long", "问题", 100)
		case !slices.Contains(Kinds, q.Kind):
			ps.Add("questions", "appraisal.kind_invalid")
		case q.Kind == KindScore && (q.MaxScore < 1 || q.MaxScore > 100):
			ps.Add("questions", "appraisal.max_score_invalid")
		}
		if q.Kind != KindScore {
			q.MaxScore = 0
		}
		qs = append(qs, q)
	}
	d.Questions = qs
	switch {
	case len(qs) == 0:
		ps.Add("questions", "appraisal.questions_required")
	case len(qs) > MaxQuestions:
		ps.Add("questions", "appraisal.too_many_questions", MaxQuestions)
	}
	return ps
}

// Create saves a draft round with its questions and targets.
func (s *Store) Create(ctx context.Context, actor audit.Actor, unitID int64, d Draft) (int64, error) {
	if ps := d.clean(); len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		targets, err := chooseTargets(ctx, tx, unitID, d)
		if err != nil {
			return err
		}
		now := s.now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO appraisal_rounds (unit_id, title, subject, intro, state, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, unitID, d.Title, d.Subject, d.Intro, StateDraft, now).Scan(&id); err != nil {
			return fmt.Errorf("appraisal: create round: %w", err)
		}
		for i, q := range d.Questions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO appraisal_questions (unit_id, round_id, position, text, kind, max_score)
				VALUES ($1, $2, $3, $4, $5, $6)`, unitID, id, i+1, q.Text, q.Kind, q.MaxScore); err != nil {
				return fmt.Errorf("appraisal: question: %w", err)
			}
		}
		for i, t := range targets {
			if _, err := tx.ExecContext(ctx, `INSERT INTO appraisal_targets (unit_id, round_id, staff_id, department_id, position)
				VALUES ($1, $2, $3, $4, $5)`, unitID, id, database.NullID(t.StaffID), database.NullID(t.DepartmentID), i+1); err != nil {
				return fmt.Errorf("appraisal: target: %w", err)
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "appraisal_round", EntityID: id,
			After: map[string]any{"title": d.Title, "subject": d.Subject, "questions": d.Questions, "targets": len(targets)}})
	})
	return id, err
}

// chooseTargets checks the chosen people or windows belong to the unit and
// are active; none chosen means all of them.
// candidates lists who or what the round may appraise, in order, and the
// ids the draft chose among them.
func candidates(ctx context.Context, tx *database.Tx, unitID int64, d Draft) (all, chosen []int64, err error) {
	if d.Subject == SubjectWindow {
		windows, err := org.Windows(ctx, tx, unitID)
		if err != nil {
			return nil, nil, fmt.Errorf("appraisal: targets: %w", err)
		}
		for _, w := range windows {
			all = append(all, w.ID)
		}
		return all, d.DepartmentIDs, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM staff WHERE unit_id = $1 AND active = TRUE ORDER BY department_id, id`, unitID)
	if err != nil {
		return nil, nil, fmt.Errorf("appraisal: targets: %w", err)
	}
	all, err = database.Collect(rows, func(r database.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	return all, d.StaffIDs, err
}

func chooseTargets(ctx context.Context, tx *database.Tx, unitID int64, d Draft) ([]Target, error) {
	if d.Subject == SubjectUnit {
		return []Target{{}}, nil
	}
	all, chosen, err := candidates(ctx, tx, unitID, d)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, id := range chosen {
		if !slices.Contains(all, id) {
			return nil, locale.FieldProblem("targets", "appraisal.target_unknown")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(chosen) == 0 {
		ids = all
	}
	switch {
	case len(ids) == 0:
		return nil, locale.FieldProblem("targets", "appraisal.targets_required")
	case len(ids) > MaxTargets:
		return nil, locale.FieldProblem("targets", "appraisal.too_many_targets", MaxTargets)
	}
	out := make([]Target, len(ids))
	for i, id := range ids {
		if d.Subject == SubjectWindow {
			out[i].DepartmentID = id
		} else {
			out[i].StaffID = id
		}
	}
	return out, nil
}

const roundQuery = `SELECT id, title, subject, intro, state, published, created_at, opened_at, closed_at FROM appraisal_rounds`

func scanRound(r database.Scanner) (Round, error) {
	var x Round
	var opened, closed sql.NullTime
	err := r.Scan(&x.ID, &x.Title, &x.Subject, &x.Intro, &x.State, &x.Published, &x.CreatedAt, &opened, &closed)
	if opened.Valid {
		x.OpenedAt = &opened.Time
	}
	if closed.Valid {
		x.ClosedAt = &closed.Time
	}
	return x, err
}

// List returns the unit's rounds, newest first.
func (s *Store) List(ctx context.Context, unitID int64, publishedOnly bool) ([]Round, error) {
	q := roundQuery + ` WHERE unit_id = $1`
	if publishedOnly {
		q += ` AND published = TRUE`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY created_at DESC, id DESC`, unitID)
	if err != nil {
		return nil, fmt.Errorf("appraisal: list: %w", err)
	}
	return database.Collect(rows, scanRound)
}

// Get returns a round of the unit with its questions and targets.
func (s *Store) Get(ctx context.Context, unitID, id int64) (Round, error) {
	x, err := scanRound(s.db.QueryRowContext(ctx, roundQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, ErrNotFound
	}
	if err != nil {
		return x, fmt.Errorf("appraisal: round: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, text, kind, max_score FROM appraisal_questions WHERE unit_id = $1 AND round_id = $2
		ORDER BY position`, unitID, id)
	if err != nil {
		return x, fmt.Errorf("appraisal: questions: %w", err)
	}
	if x.Questions, err = database.Collect(rows, func(r database.Scanner) (Question, error) {
		var q Question
		return q, r.Scan(&q.ID, &q.Text, &q.Kind, &q.MaxScore)
	}); err != nil {
		return x, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT t.id, COALESCE(t.staff_id, 0), COALESCE(t.department_id, 0), COALESCE(s.name, d.name, u.name),
		COALESCE(sd.name, '') FROM appraisal_targets t
		JOIN units u ON u.id = t.unit_id
		LEFT JOIN staff s ON s.id = t.staff_id AND s.unit_id = t.unit_id
		LEFT JOIN departments sd ON sd.id = s.department_id AND sd.unit_id = t.unit_id
		LEFT JOIN departments d ON d.id = t.department_id AND d.unit_id = t.unit_id
		WHERE t.unit_id = $1 AND t.round_id = $2 ORDER BY t.position`, unitID, id)
	if err != nil {
		return x, fmt.Errorf("appraisal: targets: %w", err)
	}
	x.Targets, err = database.Collect(rows, func(r database.Scanner) (Target, error) {
		var t Target
		return t, r.Scan(&t.ID, &t.StaffID, &t.DepartmentID, &t.Name, &t.Window)
	})
	return x, err
}

// newToken is an invitation's secret: 26 characters of base32, typed by
// nobody (it travels in a link or a QR code).
func newToken() string { return strings.ToLower(rand.Text()) }

// Issue adds invitations for a group: one per name in labels, or count
// unnamed ones. Invitations are issued until the round closes.
func (s *Store) Issue(ctx context.Context, actor audit.Actor, unitID, roundID int64, group string, labels []string, count int) (int, error) {
	if !slices.Contains(Groups, group) {
		return 0, locale.FieldProblem("group", "appraisal.group_invalid")
	}
	var names []string
	for _, l := range labels {
		if l = textnorm.CleanText(l); l != "" {
			if utf8.RuneCountInString(l) > 50 {
				return 0, locale.FieldProblem("labels", "error.too_long", "评议人", 50)
			}
			names = append(names, l)
		}
	}
	if len(names) == 0 {
		if count < 1 || count > MaxInvitesOnce {
			return 0, locale.FieldProblem("count", "appraisal.count_invalid", MaxInvitesOnce)
		}
		names = make([]string, count)
	}
	if len(names) > MaxInvitesOnce {
		return 0, locale.FieldProblem("labels", "appraisal.count_invalid", MaxInvitesOnce)
	}
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, `SELECT state FROM appraisal_rounds WHERE unit_id = $1 AND id = $2`, unitID, roundID).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("appraisal: round: %w", err)
		}
		if state == StateClosed {
			return locale.NewError("appraisal.closed").Of(failure.Conflict)
		}
		now := s.now()
		for _, l := range names {
			if _, err := tx.ExecContext(ctx, `INSERT INTO appraisal_invites (unit_id, round_id, group_key, label, token, created_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, unitID, roundID, group, l, newToken(), now); err != nil {
				return fmt.Errorf("appraisal: invite: %w", err)
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "issue", Entity: "appraisal_round", EntityID: roundID,
			After: map[string]any{"group": group, "invites": len(names)}})
	})
	return len(names), err
}

// Invites lists a round's invitations, by group.
func (s *Store) Invites(ctx context.Context, unitID, roundID int64) ([]Invite, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, group_key, label, token, answered_at FROM appraisal_invites
		WHERE unit_id = $1 AND round_id = $2 ORDER BY group_key, id`, unitID, roundID)
	if err != nil {
		return nil, fmt.Errorf("appraisal: invites: %w", err)
	}
	list, err := database.Collect(rows, func(r database.Scanner) (Invite, error) {
		var i Invite
		var at sql.NullTime
		err := r.Scan(&i.ID, &i.Group, &i.Label, &i.Token, &at)
		if at.Valid {
			i.AnsweredAt = &at.Time
		}
		return i, err
	})
	slices.SortStableFunc(list, func(a, b Invite) int { return slices.Index(Groups, a.Group) - slices.Index(Groups, b.Group) })
	return list, err
}

// Move changes a round's state: open (from draft), close (from open), or
// publish / withdraw its results (closed rounds only).
func (s *Store) Move(ctx context.Context, actor audit.Actor, unitID, roundID int64, action string) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := scanRound(tx.QueryRowContext(ctx, roundQuery+` WHERE unit_id = $1 AND id = $2`, unitID, roundID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("appraisal: round: %w", err)
		}
		now := s.now()
		var set string
		args := []any{unitID, roundID, before.State}
		switch {
		case action == "open" && before.State == StateDraft:
			set, args = `state = $4, opened_at = $5`, append(args, StateOpen, now)
		case action == "close" && before.State == StateOpen:
			set, args = `state = $4, closed_at = $5`, append(args, StateClosed, now)
		case action == "publish" && before.State == StateClosed:
			set, args = `published = $4`, append(args, true)
		case action == "withdraw" && before.State == StateClosed:
			set, args = `published = $4`, append(args, false)
		default:
			return locale.NewError("appraisal.wrong_state").Of(failure.Conflict)
		}
		res, err := tx.ExecContext(ctx, `UPDATE appraisal_rounds SET `+set+` WHERE unit_id = $1 AND id = $2 AND state = $3`, args...)
		if err != nil {
			return fmt.Errorf("appraisal: %s: %w", action, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return locale.NewError("appraisal.wrong_state").Of(failure.Conflict)
		}
		after, err := scanRound(tx.QueryRowContext(ctx, roundQuery+` WHERE unit_id = $1 AND id = $2`, unitID, roundID))
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "appraisal_round", EntityID: roundID, Before: before, After: after})
	})
}
