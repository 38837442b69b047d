// Package rectification is 整改: the handling of a bad rating, an upheld
// complaint in the suggestion box or a public supervisor's bad
// observation — verify → rectify → follow up → closed, or appealed by the
// person concerned and decided by the office — each step within the
// unit's working-day periods. It owns the rectifications table and the
// periods; what it handles comes from the packages that found it.
package rectification

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/failure"
)

// States of a rectification.
const (
	StepVerify   = "verify"   // 待核实: contact the rater, check the facts
	StepRectify  = "rectify"  // 待整改
	StepFollowup = "followup" // 待回访: ask the rater whether it is fixed
	StepAppeal   = "appeal"   // 申诉中: the person rated says the rating is wrong
	StepClosed   = "closed"   // 已办结
	StepInvalid  = "invalid"  // 申诉成立: the rating is kept but does not count
)

// Methods of rectification.
var Methods = []string{"on_the_spot", "ledger", "explanation"}

// Answers of the rater at the follow-up.
var Answers = []string{"satisfied", "basically", "unsatisfied", "unreachable"}

// Sources a rectification starts from.
const (
	SourceRating      = "rating"      // a bad rating
	SourceComplaint   = "complaint"   // an upheld complaint in the suggestion box
	SourceObservation = "observation" // a public supervisor's bad observation
)

// Rated is the bad rating a rectification handles, as its pages show it.
type Rated struct {
	ID             int64     `json:"id"`
	CaseID         int64     `json:"case_id,omitempty"`
	CaseNo         string    `json:"case_no,omitempty"`
	Level          int       `json:"level"`
	Reasons        []string  `json:"reasons,omitempty"`
	Comment        string    `json:"comment,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	StaffName      string    `json:"-"`
	DepartmentName string    `json:"-"`
}

// Ratings is what rectification needs of the ratings package.
type Ratings interface {
	// Rated returns the rating a rectification handles.
	Rated(ctx context.Context, unitID, ratingID int64) (Rated, error)
	// SetAside marks a rating invalid when its appeal is upheld, in the
	// step's transaction: it is kept, and counts nowhere.
	SetAside(ctx context.Context, tx *database.Tx, unitID, ratingID int64) error
}

// Store reads and takes steps on a unit's rectifications.
type Store struct {
	db      *database.DB
	now     func() time.Time
	ratings Ratings
}

// NewStore returns a store on db; ratings shows and sets aside the ratings
// it handles.
func NewStore(db *database.DB, ratings Ratings) *Store {
	return &Store{db: db, now: database.Now, ratings: ratings}
}

// WithClock returns a store whose "now" is clock, for loading history.
func (s *Store) WithClock(clock func() time.Time) *Store {
	return &Store{db: s.db, now: database.Moved(clock), ratings: s.ratings}
}

// Rectification is the handling of one bad rating, upheld complaint or bad
// observation.
type Rectification struct {
	ID             int64      `json:"id"`
	Source         string     `json:"source"`
	SourceID       int64      `json:"source_id"`
	Summary        string     `json:"summary,omitempty"` // what the complaint or observation says
	Rating         Rated      `json:"rating"`
	StaffID        int64      `json:"staff_id,omitempty"`
	DepartmentID   int64      `json:"window_id,omitempty"`
	Anonymous      bool       `json:"anonymous"`
	State          string     `json:"state"`
	DueAt          time.Time  `json:"due_at"`
	VerifyNote     string     `json:"verify_note,omitempty"`
	VerifiedAt     *time.Time `json:"verified_at,omitempty"`
	Method         string     `json:"method,omitempty"`
	RectifyNote    string     `json:"rectify_note,omitempty"`
	LedgerDue      string     `json:"ledger_due,omitempty"`
	RectifiedAt    *time.Time `json:"rectified_at,omitempty"`
	FollowupAnswer string     `json:"followup_answer,omitempty"`
	FollowupNote   string     `json:"followup_note,omitempty"`
	FollowedAt     *time.Time `json:"followed_at,omitempty"`
	AppealReason   string     `json:"appeal_reason,omitempty"`
	AppealDecision string     `json:"appeal_decision,omitempty"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	Version        int        `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	Signal         string     `json:"signal,omitempty"`
	StaffName      string     `json:"staff,omitempty"`
	DepartmentName string     `json:"window,omitempty"`
}

// Link is the page of what the rectification started from.
func (x Rectification) Link() string {
	switch x.Source {
	case SourceComplaint:
		return "/feedback/" + strconv.FormatInt(x.SourceID, 10)
	case SourceObservation:
		return "/observations/" + strconv.FormatInt(x.SourceID, 10)
	}
	if x.Rating.CaseID != 0 {
		return "/cases/" + strconv.FormatInt(x.Rating.CaseID, 10)
	}
	return ""
}

// Open reports whether the rectification still needs work.
func (x Rectification) Open() bool { return x.State != StepClosed && x.State != StepInvalid }

// ErrNotFound is returned for a rectification not in the unit.
var ErrNotFound = failure.Wrap("rectification", failure.NotFound)

// ErrForbidden is returned when the user may not take the step.
var ErrForbidden = failure.Wrap("rectification", failure.Forbidden)

// CanHandle: the office, and the window lead of the window concerned;
// never the person concerned.
func CanHandle(u accounts.User, x Rectification) bool {
	if u.StaffID != 0 && u.StaffID == x.StaffID {
		return false
	}
	return u.IsAdmin() || (u.Role == accounts.RoleWindowLead && u.DepartmentID != 0 && u.DepartmentID == x.DepartmentID)
}

// CanSee: who may handle it, and the person concerned.
func CanSee(u accounts.User, x Rectification) bool {
	return CanHandle(u, x) || (u.StaffID != 0 && u.StaffID == x.StaffID)
}

const selectQuery = `SELECT x.id, x.source, x.source_id, x.summary, COALESCE(x.rating_id, 0), COALESCE(x.staff_id, 0), COALESCE(x.department_id, 0), x.anonymous, x.state, x.due_at,
	x.verify_note, x.verified_at, x.method, x.rectify_note, x.ledger_due, x.rectified_at, x.followup_answer, x.followup_note, x.followed_at,
	x.appeal_reason, x.appeal_decision, x.closed_at, x.version, x.created_at
	FROM rectifications x`

func scan(r database.Scanner) (Rectification, error) {
	var x Rectification
	var verified, rectified, followed, closed sql.NullTime
	err := r.Scan(&x.ID, &x.Source, &x.SourceID, &x.Summary, &x.Rating.ID, &x.StaffID, &x.DepartmentID, &x.Anonymous, &x.State, &x.DueAt, &x.VerifyNote, &verified, &x.Method,
		&x.RectifyNote, &x.LedgerDue, &rectified, &x.FollowupAnswer, &x.FollowupNote, &followed, &x.AppealReason, &x.AppealDecision, &closed,
		&x.Version, &x.CreatedAt)
	for _, p := range []struct {
		src sql.NullTime
		dst **time.Time
	}{{verified, &x.VerifiedAt}, {rectified, &x.RectifiedAt}, {followed, &x.FollowedAt}, {closed, &x.ClosedAt}} {
		if p.src.Valid {
			t := p.src.Time
			*p.dst = &t
		}
	}
	return x, err
}

// List lists the unit's rectifications that scope may see, open ones
// first, with each one's rating and light.
func (s *Store) List(ctx context.Context, unitID int64, scope *accounts.User, openOnly bool) ([]Rectification, error) {
	q := selectQuery + ` WHERE x.unit_id = $1`
	args := []any{unitID}
	if openOnly {
		q += ` AND x.state NOT IN ('closed', 'invalid')`
	}
	if u := scope; u != nil && !u.IsAdmin() {
		switch {
		case u.Role == accounts.RoleWindowLead && u.DepartmentID != 0:
			args = append(args, u.DepartmentID, u.StaffID)
			q += ` AND (x.department_id = $2 OR x.staff_id = $3)`
		default:
			args = append(args, u.StaffID)
			q += ` AND x.staff_id = $2`
		}
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY CASE WHEN x.state IN ('closed', 'invalid') THEN 1 ELSE 0 END, x.due_at, x.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("rectification: list: %w", err)
	}
	list, err := database.Collect(rows, scan)
	if err != nil {
		return nil, err
	}
	return list, s.fill(ctx, unitID, list)
}

// Get returns one.
func (s *Store) Get(ctx context.Context, unitID, id int64) (Rectification, error) {
	x, err := scan(s.db.QueryRowContext(ctx, selectQuery+` WHERE x.unit_id = $1 AND x.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, ErrNotFound
	}
	if err != nil {
		return x, fmt.Errorf("rectification: %w", err)
	}
	list := []Rectification{x}
	err = s.fill(ctx, unitID, list)
	return list[0], err
}

// fill adds each rectification's rating, names and light.
func (s *Store) fill(ctx context.Context, unitID int64, list []Rectification) error {
	if len(list) == 0 {
		return nil
	}
	sc, err := calendar.NewStore(s.db).Schedule(ctx, unitID)
	if err != nil {
		return err
	}
	now := s.now()
	for i := range list {
		x := &list[i]
		x.Signal = signal(sc, *x, now)
		if x.Rating.ID == 0 {
			if x.StaffName, x.DepartmentName, err = s.names(ctx, unitID, x.StaffID, x.DepartmentID); err != nil {
				return err
			}
			continue
		}
		if x.Rating, err = s.ratings.Rated(ctx, unitID, x.Rating.ID); err != nil {
			return fmt.Errorf("rectification: rating of %d: %w", x.ID, err)
		}
		x.StaffName, x.DepartmentName = x.Rating.StaffName, x.Rating.DepartmentName
	}
	return nil
}

// names are a person's and a window's names for a rectification without a
// rating.
func (s *Store) names(ctx context.Context, unitID, staffID, deptID int64) (string, string, error) {
	var staff, dept string
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE((SELECT name FROM staff WHERE unit_id = $1 AND id = $2), ''),
		COALESCE((SELECT name FROM departments WHERE unit_id = $1 AND id = $3), '')`, unitID, staffID, deptID).Scan(&staff, &dept)
	if err != nil {
		return "", "", fmt.Errorf("rectification: names: %w", err)
	}
	return staff, dept, nil
}

// signal is the light of an open step: red when overdue, yellow with one
// working day or less left, green otherwise.
func signal(sc calendar.Schedule, x Rectification, now time.Time) string {
	switch {
	case !x.Open() || x.State == StepAppeal:
		return ""
	case now.After(x.DueAt):
		return "red"
	case sc.Calendar.Between(now.In(sc.Location), x.DueAt.In(sc.Location)) <= 1:
		return "yellow"
	}
	return "green"
}
