// Package supervision keeps what public supervisors (形象监督员) see: people
// the unit appoints from outside, with a simple account, who file
// observations of a window — when, what, good or bad, with a photo. The
// office can send a bad one to rectification like a bad rating.
package supervision

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/rectification"
	"wuliang/internal/textnorm"
)

// Limits of an observation.
const (
	MaxBody       = 1000
	MaxPhotoBytes = 8 << 20
	photoLongSide = 1280 // enough to read a name plate; small in the database
	MaxAge        = 30   // days: an observation is filed within a month
	MaxAhead      = 10   // minutes a phone's clock may run ahead
	nonceLength   = 64   // at most
	timeLayout    = "2006-01-02T15:04"
)

// Observation is one filed observation.
type Observation struct {
	ID              int64     `json:"id"`
	UserID          int64     `json:"-"`
	Supervisor      string    `json:"supervisor"`
	DepartmentID    int64     `json:"window_id"`
	Window          string    `json:"window"`
	StaffID         int64     `json:"staff_id,omitempty"`
	StaffName       string    `json:"staff,omitempty"`
	ObservedAt      time.Time `json:"observed_at"`
	Good            bool      `json:"good"`
	Body            string    `json:"body"`
	HasPhoto        bool      `json:"has_photo"`
	CreatedAt       time.Time `json:"created_at"`
	RectificationID int64     `json:"rectification_id,omitempty"`
}

// Input is an observation as the form sends it.
type Input struct {
	DepartmentID int64
	StaffID      int64
	ObservedAt   string // the form's datetime-local, in the unit's zone
	Verdict      string // "good" or "bad"
	Body         string
	Photo        []byte // optional: JPEG or PNG
	Nonce        string // one per form: a second submit files nothing new
}

// Store keeps observations.
type Store struct {
	db  *database.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store {
	return &Store{db: db, now: database.Now}
}

// WithClock returns a store whose "now" is clock, for loading history.
func (s *Store) WithClock(clock func() time.Time) *Store {
	return &Store{db: s.db, now: database.Moved(clock)}
}

// Errors.
var (
	ErrNotFound  = failure.Wrap("supervision", failure.NotFound)
	ErrForbidden = failure.Wrap("supervision", failure.Forbidden)
)

// CanFile: appointed supervisors file observations.
func CanFile(u accounts.User) bool { return u.Role == accounts.RoleSupervisor }

// CanSee: the office sees all, a window lead their window's, a supervisor
// their own.
func CanSee(u accounts.User, o Observation) bool {
	switch {
	case u.IsAdmin():
		return true
	case u.Role == accounts.RoleWindowLead:
		return u.DepartmentID != 0 && u.DepartmentID == o.DepartmentID
	case u.Role == accounts.RoleSupervisor:
		return u.ID == o.UserID
	}
	return false
}

func (in *Input) check(ctx context.Context, tx *database.Tx, unitID int64, now time.Time, loc *time.Location) (time.Time, locale.Problems) {
	var ps locale.Problems
	in.Body = textnorm.CleanMultiline(in.Body)
	switch n := utf8.RuneCountInString(in.Body); {
	case n == 0:
		ps.Add("body", "error.required", "看到的情况")
	case n > MaxBody:
		ps.Add("body", "error.too_long", "看到的情况", MaxBody)
	}
	if in.Verdict != "good" && in.Verdict != "bad" {
		ps.Add("verdict", "observation.verdict_required")
	}
	at, err := time.ParseInLocation(timeLayout, strings.TrimSpace(textnorm.FoldWidth(in.ObservedAt)), loc)
	switch {
	case err != nil:
		ps.Add("observed_at", "observation.time_invalid")
	case at.After(now.Add(MaxAhead * time.Minute)):
		ps.Add("observed_at", "observation.time_future")
	case at.Before(now.AddDate(0, 0, -MaxAge)):
		ps.Add("observed_at", "observation.time_old", MaxAge)
	}
	if in.Nonce == "" || len(in.Nonce) > nonceLength {
		ps.Add("", "error.form_expired")
	}
	// A failed look-up refuses the window too: the form comes back.
	if _, ok, err := org.ActiveDepartment(ctx, tx, unitID, in.DepartmentID); err != nil || !ok {
		ps.Add("window", "observation.window_unknown")
	}
	if in.StaffID != 0 && !org.Serving(ctx, tx, unitID, in.StaffID) {
		ps.Add("staff", "observation.staff_unknown")
	}
	return at, ps
}

// File stores a supervisor's observation. A photo is checked and
// re-encoded first; a second submit of the same form returns the first
// observation.
func (s *Store) File(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, in Input, loc *time.Location) (int64, error) {
	if !CanFile(u) || u.UnitID != unitID {
		return 0, ErrForbidden
	}
	var photo []byte
	if len(in.Photo) > 0 {
		var err error
		if photo, err = org.PrepareImage(in.Photo, photoLongSide, MaxPhotoBytes); err != nil {
			return 0, locale.FieldProblem("photo", locale.Key(err), MaxPhotoBytes>>20)
		}
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		now := s.now()
		at, ps := in.check(ctx, tx, unitID, now, loc)
		if len(ps) > 0 {
			return ps
		}
		err := tx.QueryRowContext(ctx, `SELECT id FROM observations WHERE unit_id = $1 AND user_id = $2 AND nonce = $3`, unitID, u.ID, in.Nonce).Scan(&id)
		if err == nil {
			return nil // the same form again
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("supervision: nonce: %w", err)
		}
		kind := ""
		if photo != nil {
			kind = "image/jpeg"
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO observations (unit_id, user_id, department_id, staff_id, observed_at, good, body, photo, photo_type, nonce, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, unitID, u.ID, in.DepartmentID, database.NullID(in.StaffID),
			at.UTC(), in.Verdict == "good", in.Body, photo, kind, in.Nonce, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("supervision: file: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "observation", EntityID: id,
			After: map[string]any{"window_id": in.DepartmentID, "staff_id": in.StaffID, "good": in.Verdict == "good", "body": in.Body, "photo": photo != nil}})
	})
	return id, err
}

const observationQuery = `SELECT o.id, o.user_id, COALESCE(NULLIF(u.display_name, ''), u.username), o.department_id, d.name,
	COALESCE(o.staff_id, 0), COALESCE(s.name, ''), o.observed_at, o.good, o.body, o.photo_type <> '', o.created_at,
	COALESCE((SELECT x.id FROM rectifications x WHERE x.unit_id = o.unit_id AND x.source = 'observation' AND x.source_id = o.id), 0)
	FROM observations o
	JOIN users u ON u.id = o.user_id
	JOIN departments d ON d.id = o.department_id AND d.unit_id = o.unit_id
	LEFT JOIN staff s ON s.id = o.staff_id AND s.unit_id = o.unit_id`

func scan(r database.Scanner) (Observation, error) {
	var o Observation
	err := r.Scan(&o.ID, &o.UserID, &o.Supervisor, &o.DepartmentID, &o.Window, &o.StaffID, &o.StaffName, &o.ObservedAt, &o.Good, &o.Body,
		&o.HasPhoto, &o.CreatedAt, &o.RectificationID)
	return o, err
}

// List returns the observations u may see, newest first.
func (s *Store) List(ctx context.Context, unitID int64, u accounts.User, limit int) ([]Observation, error) {
	q, args := observationQuery+` WHERE o.unit_id = $1`, []any{unitID}
	switch {
	case u.IsAdmin():
	case u.Role == accounts.RoleWindowLead && u.DepartmentID != 0:
		q, args = q+` AND o.department_id = $2`, append(args, u.DepartmentID)
	case u.Role == accounts.RoleSupervisor:
		q, args = q+` AND o.user_id = $2`, append(args, u.ID)
	default:
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, q+fmt.Sprintf(` ORDER BY o.observed_at DESC, o.id DESC LIMIT %d`, max(1, min(limit, 500))), args...)
	if err != nil {
		return nil, fmt.Errorf("supervision: list: %w", err)
	}
	return database.Collect(rows, scan)
}

// Get returns one observation of the unit.
func (s *Store) Get(ctx context.Context, unitID, id int64) (Observation, error) {
	o, err := scan(s.db.QueryRowContext(ctx, observationQuery+` WHERE o.unit_id = $1 AND o.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, ErrNotFound
	}
	return o, err
}

// Photo returns an observation's photo, or ErrNotFound.
func (s *Store) Photo(ctx context.Context, unitID, id int64) ([]byte, error) {
	var photo []byte
	err := s.db.QueryRowContext(ctx, `SELECT photo FROM observations WHERE unit_id = $1 AND id = $2 AND photo_type <> ''`, unitID, id).Scan(&photo)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return photo, err
}

// Rectify sends a bad observation to rectification; the supervisor is
// the one followed up with. Sending it twice returns the same one.
func (s *Store) Rectify(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64) (int64, error) {
	if !u.IsAdmin() {
		return 0, ErrForbidden
	}
	o, err := s.Get(ctx, unitID, id)
	if err != nil {
		return 0, err
	}
	if o.Good {
		return 0, locale.NewError("observation.not_bad")
	}
	var xid int64
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		xid, err = rectification.OpenFrom(ctx, s.db, tx, actor, unitID, rectification.Origin{Source: rectification.SourceObservation, SourceID: o.ID,
			StaffID: o.StaffID, DepartmentID: o.DepartmentID, Summary: o.Body}, s.now())
		return err
	})
	return xid, err
}

// In returns every observation made in [from, to), oldest first, for
// 五创's scores; unlike List it is not one reader's view.
func (s *Store) In(ctx context.Context, unitID int64, from, to time.Time) ([]Observation, error) {
	rows, err := s.db.QueryContext(ctx, observationQuery+` WHERE o.unit_id = $1 AND o.observed_at >= $2 AND o.observed_at < $3 ORDER BY o.observed_at, o.id`,
		unitID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("supervision: in period: %w", err)
	}
	return database.Collect(rows, scan)
}
