// Package attendance keeps who is at their post: whereabouts notes
// (去向留言) saying where someone went, until when and who covers (服务双岗:
// the B person by default), each window's live status, and attendance spot
// checks (考勤抽查) whose absences without a note open accountability.
package attendance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// Kinds of absence from the post.
var Kinds = []string{"business", "meeting", "training", "leave", "other"}

// KindLeave is leave (请假); spot checks record it apart from other absences.
const KindLeave = "leave"

// Note is a whereabouts note.
type Note struct {
	ID             int64     `json:"id"`
	StaffID        int64     `json:"staff_id"`
	StaffName      string    `json:"staff_name"`
	DepartmentID   int64     `json:"window_id"`
	DepartmentName string    `json:"window"`
	Kind           string    `json:"kind"`
	Place          string    `json:"place"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
	CoverID        int64     `json:"cover_id,omitempty"`
	CoverName      string    `json:"cover_name,omitempty"`
}

// Covers reports whether the note covers moment t.
func (n Note) Covers(t time.Time) bool { return !t.Before(n.StartsAt) && t.Before(n.EndsAt) }

// Store reads and writes notes and spot checks.
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

// ErrNotFound is returned for a note or check not in the unit.
var ErrNotFound = failure.Wrap("attendance", failure.NotFound)

// ErrForbidden is returned when the user may not write for that person.
var ErrForbidden = failure.Wrap("attendance", failure.Forbidden)

const noteQuery = `SELECT w.id, w.staff_id, s.name, COALESCE(s.department_id, 0), COALESCE(d.name, ''), w.kind, w.place,
	w.starts_at, w.ends_at, COALESCE(w.cover_id, 0), COALESCE(c.name, '')
	FROM whereabouts w JOIN staff s ON s.id = w.staff_id AND s.unit_id = w.unit_id
	LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = w.unit_id
	LEFT JOIN staff c ON c.id = w.cover_id AND c.unit_id = w.unit_id`

func scanNote(r database.Scanner) (Note, error) {
	var n Note
	err := r.Scan(&n.ID, &n.StaffID, &n.StaffName, &n.DepartmentID, &n.DepartmentName, &n.Kind, &n.Place, &n.StartsAt, &n.EndsAt,
		&n.CoverID, &n.CoverName)
	return n, err
}

// Notes lists the notes that end after from (all when from is zero),
// latest start first.
func (s *Store) Notes(ctx context.Context, unitID int64, from time.Time, limit int) ([]Note, error) {
	rows, err := s.db.QueryContext(ctx, noteQuery+` WHERE w.unit_id = $1 AND w.ends_at > $2 ORDER BY w.starts_at DESC, w.id DESC LIMIT $3`,
		unitID, from.UTC(), limit)
	if err != nil {
		return nil, fmt.Errorf("attendance: notes: %w", err)
	}
	return database.Collect(rows, scanNote)
}

// AwayAt returns the note that has staffID away at moment t, if any.
func AwayAt(ctx context.Context, q database.Querier, unitID, staffID int64, t time.Time) (Note, bool, error) {
	n, err := scanNote(q.QueryRowContext(ctx, noteQuery+` WHERE w.unit_id = $1 AND w.staff_id = $2 AND w.starts_at <= $3 AND w.ends_at > $3
		ORDER BY w.starts_at DESC LIMIT 1`, unitID, staffID, t.UTC()))
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	}
	if err != nil {
		return n, false, fmt.Errorf("attendance: away at: %w", err)
	}
	return n, true, nil
}

// overlapping returns a note of staffID that overlaps [from, to), if any.
func overlapping(ctx context.Context, q database.Querier, unitID, staffID int64, from, to time.Time) (Note, bool, error) {
	n, err := scanNote(q.QueryRowContext(ctx, noteQuery+` WHERE w.unit_id = $1 AND w.staff_id = $2 AND w.starts_at < $3 AND w.ends_at > $4
		ORDER BY w.starts_at LIMIT 1`, unitID, staffID, to.UTC(), from.UTC()))
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	}
	return n, err == nil, err
}

// NoteInput is a whereabouts note as typed.
type NoteInput struct {
	StaffID  int64
	Kind     string
	Place    string
	StartsAt string // "2026-11-27 09:30" or the browser's "2026-11-27T09:30", in the unit's zone
	EndsAt   string
	CoverID  int64 // 0: the person's B post
}

// MaxNoteDays bounds one note; a longer absence is leave, entered in parts.
const MaxNoteDays = 31

// canWriteFor: staff for themselves, a window lead for the window's people,
// the office for anyone.
func canWriteFor(u accounts.User, staffID, deptID int64) bool {
	return u.IsAdmin() || (u.StaffID != 0 && u.StaffID == staffID) ||
		(u.Role == accounts.RoleWindowLead && u.DepartmentID != 0 && u.DepartmentID == deptID)
}

// AddNote records a whereabouts note. The cover defaults to the person's B
// post; a person at a window must be covered, and the cover must be at work
// the whole time.
func (s *Store) AddNote(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, loc *time.Location, in NoteInput) (int64, error) {
	var ps locale.Problems
	in.Place = textnorm.CleanText(in.Place)
	textnorm.CheckLength(&ps, "place", "whereabouts.place", in.Place, org.MaxShortLen, true)
	if !slices.Contains(Kinds, in.Kind) {
		ps.Add("kind", "whereabouts.kind_invalid")
	}
	from, okFrom := calendar.ParseMoment(in.StartsAt, loc)
	to, okTo := calendar.ParseMoment(in.EndsAt, loc)
	switch {
	case !okFrom:
		ps.Add("starts_at", "whereabouts.time_invalid", textnorm.Abbreviate(in.StartsAt, 20))
	case !okTo:
		ps.Add("ends_at", "whereabouts.time_invalid", textnorm.Abbreviate(in.EndsAt, 20))
	case !to.After(from):
		ps.Add("ends_at", "whereabouts.ends_before_start")
	case to.Sub(from) > MaxNoteDays*24*time.Hour:
		ps.Add("ends_at", "whereabouts.too_long", MaxNoteDays)
	}
	if len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var deptID, backupID int64
		var deptKind string
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(s.department_id, 0), COALESCE(s.backup_id, 0), COALESCE(d.kind, '')
			FROM staff s LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id
			WHERE s.unit_id = $1 AND s.id = $2 AND s.active = TRUE`, unitID, in.StaffID).Scan(&deptID, &backupID, &deptKind)
		if errors.Is(err, sql.ErrNoRows) {
			return locale.FieldProblem("staff", "whereabouts.staff_unknown")
		}
		if err != nil {
			return fmt.Errorf("attendance: person: %w", err)
		}
		if !canWriteFor(u, in.StaffID, deptID) {
			return ErrForbidden
		}
		if other, ok, err := overlapping(ctx, tx, unitID, in.StaffID, from, to); err != nil {
			return err
		} else if ok {
			return locale.FieldProblem("starts_at", "whereabouts.overlap", other.Place, other.StartsAt.In(loc).Format("01-02 15:04"))
		}
		cover := in.CoverID
		if cover == 0 {
			cover = backupID
		}
		if err := checkCover(ctx, tx, unitID, in.StaffID, cover, deptKind, from, to, loc); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO whereabouts (unit_id, staff_id, kind, place, starts_at, ends_at, cover_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, unitID, in.StaffID, in.Kind, in.Place, from.UTC(), to.UTC(),
			database.NullID(cover), database.NullID(u.ID), s.now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("attendance: insert note: %w", err)
		}
		n, err := scanNote(tx.QueryRowContext(ctx, noteQuery+` WHERE w.unit_id = $1 AND w.id = $2`, unitID, id))
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "whereabouts", EntityID: id, After: n})
	})
	return id, err
}

// checkCover: the cover is another active person of the unit who is not
// away themselves at any moment of the absence.
func checkCover(ctx context.Context, tx *database.Tx, unitID, staffID, cover int64, deptKind string, from, to time.Time, loc *time.Location) error {
	if cover == 0 {
		if deptKind == org.KindWindow {
			return locale.FieldProblem("cover", "whereabouts.cover_required")
		}
		return nil
	}
	if cover == staffID {
		return locale.FieldProblem("cover", "whereabouts.cover_self")
	}
	post, ok, err := org.ServingPost(ctx, tx, unitID, cover)
	if err != nil {
		return fmt.Errorf("attendance: cover: %w", err)
	}
	if !ok {
		return locale.FieldProblem("cover", "whereabouts.cover_unknown")
	}
	name := post.Name
	away, ok, err := overlapping(ctx, tx, unitID, cover, from, to)
	if err != nil {
		return err
	}
	if ok {
		return locale.FieldProblem("cover", "whereabouts.cover_away", name, away.Place,
			away.StartsAt.In(loc).Format("01-02 15:04"), away.EndsAt.In(loc).Format("01-02 15:04"))
	}
	return nil
}

// Back ends a note now: the person returned before the time they gave.
func (s *Store) Back(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		n, err := scanNote(tx.QueryRowContext(ctx, noteQuery+` WHERE w.unit_id = $1 AND w.id = $2`, unitID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !canWriteFor(u, n.StaffID, n.DepartmentID) {
			return ErrForbidden
		}
		now := s.now()
		if !n.EndsAt.After(now) {
			return locale.NewError("whereabouts.already_over")
		}
		end := now
		if end.Before(n.StartsAt) {
			end = n.StartsAt // a note not begun yet is cancelled: it lasts no time
		}
		if _, err := tx.ExecContext(ctx, `UPDATE whereabouts SET ends_at = $1 WHERE unit_id = $2 AND id = $3`, end, unitID, id); err != nil {
			return fmt.Errorf("attendance: end note: %w", err)
		}
		after := n
		after.EndsAt = end
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "back", Entity: "whereabouts", EntityID: id, Before: n, After: after})
	})
}
