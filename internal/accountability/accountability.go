// Package accountability keeps the records of 责任追究: a fault (a case
// gone overdue, a breach of the one-time notice rule, an upheld complaint,
// an absence without a whereabouts note), the person, the rule broken, and
// the campaign office's decision on it.
package accountability

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Rules a record can name.
const (
	RuleOverdue      = "overdue"       // 限时办结: a case passed its deadline
	RuleNoticeBreach = "notice_breach" // 一次性告知: asked for a material the first notice did not list
	RuleAbsence      = "absence"       // 考勤: absent from post without a whereabouts note
	RuleComplaint    = "complaint"     // an upheld complaint
)

// Rules lists them in the order pages show them.
var Rules = []string{RuleOverdue, RuleNoticeBreach, RuleAbsence, RuleComplaint}

// States of a record.
const (
	StateOpen       = "open"
	StateDismissed  = "dismissed"
	StateSanctioned = "sanctioned"
)

// Sanctions the office can decide (the usual ladder of 责任追究).
var Sanctions = []string{"reminder_talk", "criticism", "circular", "points", "other"}

// Record is one fault and its decision.
type Record struct {
	ID             int64      `json:"id"`
	StaffID        int64      `json:"staff_id"`
	StaffName      string     `json:"staff_name"`
	DepartmentName string     `json:"window"`
	Rule           string     `json:"rule"`
	Source         string     `json:"source"`
	Facts          string     `json:"facts"`
	OccurredAt     time.Time  `json:"occurred_at"`
	State          string     `json:"state"`
	Sanction       string     `json:"sanction,omitempty"`
	Points         int        `json:"points,omitempty"`
	Decision       string     `json:"decision,omitempty"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
}

// Link is the page of the fact the record was opened on.
func (r Record) Link() string {
	kind, id, _ := strings.Cut(r.Source, ":")
	id, _, _ = strings.Cut(id, "/")
	switch kind {
	case "case", "notice":
		return "/cases/" + id
	case "spot_check":
		return "/spot-checks/" + id
	case "feedback":
		return "/feedback/" + id
	}
	return ""
}

// Open records a fault in the caller's transaction. The same fault (rule,
// source, person) is recorded once however often it is reported, so a job
// running on several servers opens one record. created is false when the
// record already existed.
func Open(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID, staffID int64, rule, source, facts string, at time.Time) (int64, bool, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO accountability (unit_id, staff_id, rule, source, facts, occurred_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (unit_id, rule, source, staff_id) DO NOTHING RETURNING id`,
		unitID, staffID, rule, source, facts, at.UTC(), database.Now()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("accountability: open: %w", err)
	}
	after := map[string]any{"staff_id": staffID, "rule": rule, "source": source, "facts": facts}
	err = audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "open", Entity: "accountability", EntityID: id, After: after})
	return id, err == nil, err
}

// Store reads records and records decisions.
type Store struct{ db *database.DB }

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

// ErrNotFound is returned for a record not in the unit or not visible.
var ErrNotFound = failure.Wrap("accountability", failure.NotFound)

const recordQuery = `SELECT a.id, a.staff_id, s.name, COALESCE(d.name, ''), a.rule, a.source, a.facts, a.occurred_at, a.state,
	a.sanction, a.points, a.decision, a.decided_at
	FROM accountability a JOIN staff s ON s.id = a.staff_id AND s.unit_id = a.unit_id
	LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = a.unit_id`

func scan(r database.Scanner) (Record, error) {
	var rec Record
	var decided sql.NullTime
	err := r.Scan(&rec.ID, &rec.StaffID, &rec.StaffName, &rec.DepartmentName, &rec.Rule, &rec.Source, &rec.Facts, &rec.OccurredAt,
		&rec.State, &rec.Sanction, &rec.Points, &rec.Decision, &decided)
	if decided.Valid {
		rec.DecidedAt = &decided.Time
	}
	return rec, err
}

// Filter narrows a list.
type Filter struct {
	StaffID  int64
	State    string
	Rule     string
	From, To time.Time // occurred in [From, To); zero means open-ended
}

// List returns the unit's records, newest first.
func (s *Store) List(ctx context.Context, unitID int64, f Filter) ([]Record, error) {
	w := database.NewWhere(` WHERE a.unit_id = ?`, unitID)
	add := w.Add
	if f.StaffID != 0 {
		add(` AND a.staff_id = ?`, f.StaffID)
	}
	if f.State != "" {
		add(` AND a.state = ?`, f.State)
	}
	if f.Rule != "" {
		add(` AND a.rule = ?`, f.Rule)
	}
	if !f.From.IsZero() {
		add(` AND a.occurred_at >= ?`, f.From.UTC())
	}
	if !f.To.IsZero() {
		add(` AND a.occurred_at < ?`, f.To.UTC())
	}
	rows, err := s.db.QueryContext(ctx, recordQuery+w.SQL()+` ORDER BY a.occurred_at DESC, a.id DESC`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("accountability: list: %w", err)
	}
	return database.Collect(rows, scan)
}

// Get returns one record.
func (s *Store) Get(ctx context.Context, unitID, id int64) (Record, error) {
	rec, err := scan(s.db.QueryRowContext(ctx, recordQuery+` WHERE a.unit_id = $1 AND a.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return rec, ErrNotFound
	}
	return rec, err
}

// CanSee: the office sees every record, everyone else their own.
func CanSee(u accounts.User, rec Record) bool {
	return u.IsAdmin() || (u.StaffID != 0 && u.StaffID == rec.StaffID)
}

// Decision is the office's word on a record: dismissed (with the reason),
// or one of Sanctions (扣分 with its points).
type Decision struct {
	Outcome string // "dismissed" or a sanction
	Points  int
	Reason  string
}

func (d *Decision) validate() locale.Problems {
	var ps locale.Problems
	d.Reason = textnorm.CleanMultiline(d.Reason)
	switch {
	case d.Outcome == StateDismissed:
		if d.Reason == "" {
			ps.Add("reason", "accountability.reason_required")
		}
	case !slices.Contains(Sanctions, d.Outcome):
		ps.Add("outcome", "accountability.outcome_invalid")
	case d.Outcome == "points" && (d.Points < 1 || d.Points > 100):
		ps.Add("points", "accountability.points_invalid")
	case d.Outcome == "other" && d.Reason == "":
		ps.Add("reason", "accountability.reason_required")
	}
	if d.Outcome != "points" {
		d.Points = 0
	}
	if utf8.RuneCountInString(d.Reason) > 1000 {
		ps.Add("reason", "error.too_long", "理由", 1000)
	}
	return ps
}

// ErrForbidden is returned when the user may not decide.
var ErrForbidden = failure.Wrap("accountability", failure.Forbidden)

// Decide records the office's decision on an open record, once: a second
// decision, also a concurrent one, is refused.
func (s *Store) Decide(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, d Decision) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	if ps := d.validate(); len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := scan(tx.QueryRowContext(ctx, recordQuery+` WHERE a.unit_id = $1 AND a.id = $2`, unitID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if u.StaffID != 0 && u.StaffID == before.StaffID {
			return ErrForbidden // nobody decides on their own record
		}
		state, sanction := StateSanctioned, d.Outcome
		if d.Outcome == StateDismissed {
			state, sanction = StateDismissed, ""
		}
		res, err := tx.ExecContext(ctx, `UPDATE accountability SET state = $1, sanction = $2, points = $3, decision = $4, decided_by = $5, decided_at = $6
			WHERE unit_id = $7 AND id = $8 AND state = $9`, state, sanction, d.Points, d.Reason, u.ID, database.Now(), unitID, id, StateOpen)
		if err != nil {
			return fmt.Errorf("accountability: decide: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return locale.NewError("accountability.already_decided")
		}
		after := map[string]any{"state": state, "sanction": sanction, "points": d.Points, "decision": d.Reason}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "decide", Entity: "accountability", EntityID: id, Before: before, After: after})
	})
}
