package activities

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Topics of a study session: 学理论、学党章、学政策、学法规、学业务.
var Topics = []string{"theory", "charter", "policy", "law", "business"}

// Check-in times: the QR code takes check-ins from half an hour before the
// start; later than LateAfter past the start is late.
const (
	CheckInEarly = 30 * time.Minute
	LateAfter    = 10 * time.Minute
	MaxTitle     = 100
	MaxPlace     = 100
)

// Session is a scheduled study session.
type Session struct {
	ID        int64      `json:"id"`
	KindID    int64      `json:"kind_id"`
	KindName  string     `json:"kind"`
	Topic     string     `json:"topic"`
	Title     string     `json:"title"`
	Place     string     `json:"place"`
	StartsAt  time.Time  `json:"starts_at"`
	Scope     string     `json:"scope"` // "unit" or "branch"
	ScopeID   int64      `json:"scope_id,omitempty"`
	ScopeName string     `json:"scope_name"`
	Token     string     `json:"-"`
	ClosedAt  *time.Time `json:"closed_at,omitempty"`
	// Attendance lists everyone expected, in name order; Status is "" until
	// they check in or are marked.
	Attendance []Attendee `json:"attendance,omitempty"`
}

// Attendee is one expected person and how they attended.
type Attendee struct {
	StaffID   int64      `json:"staff_id"`
	Name      string     `json:"name"`
	Status    string     `json:"status"`
	ByQR      bool       `json:"by_qr"`
	CheckedAt *time.Time `json:"checked_at,omitempty"`
}

// Count is how many attendees have a status.
func (s Session) Count(status string) int {
	n := 0
	for _, a := range s.Attendance {
		if a.Status == status {
			n++
		}
	}
	return n
}

// CanOrganise: the office organises sessions of the unit or any branch, a
// branch secretary those of their branch.
func CanOrganise(u accounts.User, scope string, scopeID int64) bool {
	return u.IsAdmin() || (u.Role == accounts.RoleBranchSecretary && scope == "branch" && scopeID == u.BranchID)
}

// SessionInput is a session as typed; StartsAt is "2006-01-02T15:04" in
// the unit's time zone.
type SessionInput struct {
	KindID   int64
	Topic    string
	Title    string
	Place    string
	StartsAt string
	Scope    string
	ScopeID  int64
}

// CreateSession schedules a session and gives it a fresh QR token.
func (s *Store) CreateSession(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, loc *time.Location, in SessionInput) (int64, error) {
	if in.Scope != "branch" {
		in.Scope, in.ScopeID = "unit", 0
	}
	if !CanOrganise(u, in.Scope, in.ScopeID) {
		return 0, ErrForbidden
	}
	var ps locale.Problems
	in.Title, in.Place = textnorm.CleanText(in.Title), textnorm.CleanText(in.Place)
	textnorm.CheckLength(&ps, "title", "activities.field.title", in.Title, MaxTitle, true)
	textnorm.CheckLength(&ps, "place", "activities.field.place", in.Place, MaxPlace, false)
	if !slices.Contains(Topics, in.Topic) {
		ps.Add("topic", "activities.topic_invalid")
	}
	starts, err := time.ParseInLocation("2006-01-02T15:04", textnorm.FoldWidth(in.StartsAt), loc)
	if err != nil {
		ps.Add("starts_at", "activities.time_invalid")
	}
	k, err := kindBy(ctx, s.db, unitID, `id = $2`, in.KindID)
	if err != nil || k.Form != FormStudy || !k.Active {
		ps.Add("kind", "activities.kind_invalid")
	}
	if in.Scope == "branch" {
		if !branchOf(ctx, s.db, unitID, in.ScopeID) {
			ps.Add("scope", "activities.scope_invalid")
		}
	}
	if len(ps) > 0 {
		return 0, ps
	}
	token := newToken()
	var id int64
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO study_sessions (unit_id, kind_id, topic, title, place, starts_at, scope, scope_id, token, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			unitID, k.ID, in.Topic, in.Title, in.Place, starts.UTC(), in.Scope, in.ScopeID, token, u.ID, s.now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("activities: create session: %w", err)
		}
		x := Session{ID: id, Scope: in.Scope, ScopeID: in.ScopeID}
		body := printer.Get("activities.notify_session", printer.Get("activities.topic."+in.Topic), in.Title, starts.Format("2006-01-02 15:04"), in.Place)
		if err := notifyExpected(ctx, tx, unitID, x, body); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "study_session", EntityID: id,
			After: map[string]any{"kind_id": k.ID, "topic": in.Topic, "title": in.Title, "place": in.Place, "starts_at": starts.UTC(), "scope": in.Scope, "scope_id": in.ScopeID}})
	})
	return id, err
}

func branchOf(ctx context.Context, q database.Querier, unitID, id int64) bool {
	var one int
	return q.QueryRowContext(ctx, `SELECT 1 FROM branches WHERE unit_id = $1 AND id = $2`, unitID, id).Scan(&one) == nil
}

func newToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

const sessionQuery = `SELECT ss.id, ss.kind_id, k.name, ss.topic, ss.title, ss.place, ss.starts_at, ss.scope, ss.scope_id, COALESCE(b.name, ''), ss.token, ss.closed_at
	FROM study_sessions ss JOIN activity_kinds k ON k.id = ss.kind_id AND k.unit_id = ss.unit_id
	LEFT JOIN branches b ON ss.scope = 'branch' AND b.id = ss.scope_id AND b.unit_id = ss.unit_id`

func scanSession(r database.Scanner) (Session, error) {
	var x Session
	err := r.Scan(&x.ID, &x.KindID, &x.KindName, &x.Topic, &x.Title, &x.Place, &x.StartsAt, &x.Scope, &x.ScopeID, &x.ScopeName, &x.Token, &x.ClosedAt)
	return x, err
}

// Sessions lists the sessions u may organise or attend, newest first.
func (s *Store) Sessions(ctx context.Context, unitID int64, u accounts.User) ([]Session, error) {
	q, args := sessionQuery+` WHERE ss.unit_id = $1`, []any{unitID}
	if !u.IsAdmin() {
		var branch int64
		if u.StaffID != 0 {
			_ = s.db.QueryRowContext(ctx, `SELECT COALESCE(branch_id, 0) FROM staff WHERE unit_id = $1 AND id = $2`, unitID, u.StaffID).Scan(&branch)
		}
		if u.Role == accounts.RoleBranchSecretary {
			branch = u.BranchID
		}
		q, args = q+` AND (ss.scope = 'unit' OR ss.scope_id = $2)`, append(args, branch)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY ss.starts_at DESC LIMIT 200`, args...)
	if err != nil {
		return nil, fmt.Errorf("activities: sessions: %w", err)
	}
	return database.Collect(rows, scanSession)
}

// Session returns a session with everyone expected and their attendance.
func (s *Store) Session(ctx context.Context, unitID, id int64) (Session, error) {
	return session(ctx, s.db, unitID, id)
}

// sessionHead is a session without its attendance.
func sessionHead(ctx context.Context, q database.Querier, unitID, id int64) (Session, error) {
	x, err := scanSession(q.QueryRowContext(ctx, sessionQuery+` WHERE ss.unit_id = $1 AND ss.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, ErrNotFound
	}
	if err != nil {
		return x, fmt.Errorf("activities: session: %w", err)
	}
	return x, nil
}

func session(ctx context.Context, q database.Querier, unitID, id int64) (Session, error) {
	x, err := sessionHead(ctx, q, unitID, id)
	if err != nil {
		return x, err
	}
	// Expected: the scope's people serving today, and anyone already
	// recorded (someone may leave after attending).
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.name, COALESCE(a.status, ''), COALESCE(a.by_qr, FALSE), a.checked_at
		FROM staff s LEFT JOIN study_attendance a ON a.staff_id = s.id AND a.session_id = $2 AND a.unit_id = s.unit_id
		WHERE s.unit_id = $1 AND ((`+expectedAt("$3", "$4")+`) OR a.id IS NOT NULL)
		ORDER BY s.name, s.id`, unitID, id, x.Scope, x.ScopeID)
	if err != nil {
		return x, fmt.Errorf("activities: attendance: %w", err)
	}
	x.Attendance, err = database.Collect(rows, func(r database.Scanner) (Attendee, error) {
		var a Attendee
		return a, r.Scan(&a.StaffID, &a.Name, &a.Status, &a.ByQR, &a.CheckedAt)
	})
	return x, err
}

// expectedAt is who a session expects, as a condition on staff s: the
// people serving today in its scope. scope and scopeID name the parameters
// that carry the session's scope and branch.
func expectedAt(scope, scopeID string) string {
	return `s.active = TRUE AND (` + scope + ` = 'unit' OR s.branch_id = ` + scopeID + `)`
}

func (x Session) expects(staffID int64) bool {
	return slices.ContainsFunc(x.Attendance, func(a Attendee) bool { return a.StaffID == staffID })
}

// CheckIn records the logged-in person's attendance from the session's QR
// code: present, or late past LateAfter. A second scan keeps the first.
func (s *Store) CheckIn(ctx context.Context, actor audit.Actor, unitID, id int64, token string, staffID int64) (string, error) {
	now := s.now()
	var status string
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		// One person's scan reads the session and that person only: a room
		// scanning at once does not read the whole list each time.
		x, err := sessionHead(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(token), []byte(x.Token)) != 1 {
			return locale.NewError("activities.checkin_token")
		}
		var one int
		expected := tx.QueryRowContext(ctx, `SELECT 1 FROM staff s WHERE s.unit_id = $1 AND s.id = $2 AND `+expectedAt("$3", "$4"),
			unitID, staffID, x.Scope, x.ScopeID).Scan(&one) == nil
		switch {
		case staffID == 0 || !expected:
			return locale.NewError("activities.checkin_not_expected")
		case x.ClosedAt != nil:
			return locale.NewError("activities.session_closed")
		case now.Before(x.StartsAt.Add(-CheckInEarly)):
			return locale.NewError("activities.checkin_early", int(CheckInEarly.Minutes()))
		}
		status = Present
		if now.After(x.StartsAt.Add(LateAfter)) {
			status = Late
		}
		var aid int64
		err = tx.QueryRowContext(ctx, `INSERT INTO study_attendance (unit_id, session_id, staff_id, status, by_qr, checked_at) VALUES ($1, $2, $3, $4, TRUE, $5)
			ON CONFLICT (session_id, staff_id) DO NOTHING RETURNING id`, unitID, id, staffID, status, now).Scan(&aid)
		if errors.Is(err, sql.ErrNoRows) {
			return tx.QueryRowContext(ctx, `SELECT status FROM study_attendance WHERE unit_id = $1 AND session_id = $2 AND staff_id = $3`, unitID, id, staffID).Scan(&status)
		}
		if err != nil {
			return fmt.Errorf("activities: check in: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "check_in", Entity: "study_session", EntityID: id,
			After: map[string]any{"staff_id": staffID, "status": status, "by_qr": true}})
	})
	return status, err
}

// Mark records attendance from the organiser's list, before the session is
// closed; it also corrects a status.
func (s *Store) Mark(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, marks map[int64]string) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		x, err := session(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if !CanOrganise(u, x.Scope, x.ScopeID) {
			return ErrForbidden
		}
		if x.ClosedAt != nil {
			return locale.NewError("activities.session_closed")
		}
		now := s.now()
		for staffID, status := range marks {
			if status == "" {
				continue
			}
			if !slices.Contains([]string{Present, Late, Absent}, status) {
				return locale.NewError("activities.status_invalid")
			}
			if !x.expects(staffID) {
				return locale.NewError("activities.checkin_not_expected")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO study_attendance (unit_id, session_id, staff_id, status, by_qr, checked_at) VALUES ($1, $2, $3, $4, FALSE, $5)
				ON CONFLICT (session_id, staff_id) DO UPDATE SET status = excluded.status, by_qr = FALSE, checked_at = excluded.checked_at`,
				unitID, id, staffID, status, now); err != nil {
				return fmt.Errorf("activities: mark: %w", err)
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "mark", Entity: "study_session", EntityID: id, After: marks})
	})
}

// CloseSession ends check-in: everyone expected who has not come is
// recorded absent, and the points of those present or late go to the
// ledger. Closing twice, even at once, counts once.
func (s *Store) CloseSession(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, loc *time.Location) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		x, err := session(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if !CanOrganise(u, x.Scope, x.ScopeID) {
			return ErrForbidden
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE study_sessions SET closed_at = $1 WHERE unit_id = $2 AND id = $3 AND closed_at IS NULL`, now, unitID, id)
		if err != nil {
			return fmt.Errorf("activities: close session: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return locale.NewError("activities.session_closed")
		}
		k, err := kindBy(ctx, tx, unitID, `id = $2`, x.KindID)
		if err != nil {
			return err
		}
		day := x.StartsAt.In(loc).Format(time.DateOnly)
		for _, a := range x.Attendance {
			if a.Status == "" {
				if _, err := tx.ExecContext(ctx, `INSERT INTO study_attendance (unit_id, session_id, staff_id, status, by_qr, checked_at) VALUES ($1, $2, $3, 'absent', FALSE, $4)`,
					unitID, id, a.StaffID, now); err != nil {
					return fmt.Errorf("activities: record absence: %w", err)
				}
				continue
			}
			if p := SessionPoints(k, a.Status); p != 0 {
				if _, err := addEntry(ctx, tx, actor, unitID, Entry{StaffID: a.StaffID, KindID: k.ID, Dimension: k.Dimension, OnDate: day, Points: p, Source: SourceSession, SourceID: id}); err != nil {
					return err
				}
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "close", Entity: "study_session", EntityID: id,
			After: map[string]any{"present": x.Count(Present), "late": x.Count(Late), "absent": len(x.Attendance) - x.Count(Present) - x.Count(Late)}})
	})
}
