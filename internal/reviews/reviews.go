// Package reviews keeps the monthly review meetings (例会点评 / 亮点评):
// once a month the unit, a branch or a window meets, sums up last month's
// work and comments publicly on each person's service attitude, service
// quality, work efficiency and discipline.
package reviews

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Grades of a dimension, best first.
const (
	Good    = 4 // 好
	Fair    = 3 // 较好
	Average = 2 // 一般
	Poor    = 1 // 差
)

// Grades lists the grades, best first, for forms.
var Grades = []int{Good, Fair, Average, Poor}

// Dimensions are what every person is commented on, in the plan's order.
var Dimensions = []string{"attitude", "quality", "efficiency", "discipline"}

// Remarks are the overall remark of a review.
const (
	RemarkPraise    = "praise"    // 表扬
	RemarkRemind    = "remind"    // 提醒
	RemarkCriticise = "criticise" // 批评
)

// Remarks lists the remarks for forms; "" is no overall remark.
var Remarks = []string{RemarkPraise, RemarkRemind, RemarkCriticise}

// Scopes of a meeting.
const (
	ScopeUnit   = "unit"
	ScopeBranch = "branch"
	ScopeWindow = "window"
)

// Limits of what a meeting keeps.
const (
	MaxSummary = 5000
	MaxNote    = 200
	MaxRemark  = 500
	// GuidanceMonths and GuidancePoor: a person with a 差 in two months out
	// of three is listed for targeted guidance (分类指导).
	GuidanceMonths = 3
	GuidancePoor   = 2
)

// Errors.
var (
	ErrNotFound  = failure.Wrap("reviews", failure.NotFound)
	ErrForbidden = failure.Wrap("reviews", failure.Forbidden)
)

// Settings are a unit's points per grade and what its public summary shows.
type Settings struct {
	Points          [5]int `json:"-"` // by grade; [0] unused
	PublishReminded bool   `json:"publish_reminded"`
}

// DefaultSettings are used until a unit saves its own.
var DefaultSettings = Settings{Points: [5]int{0, 40, 70, 85, 100}}

// Meeting is one month's review meeting of a scope.
type Meeting struct {
	ID          int64      `json:"id"`
	Month       string     `json:"month"`
	Scope       string     `json:"scope"`
	ScopeID     int64      `json:"scope_id,omitempty"`
	ScopeName   string     `json:"scope_name"`
	Summary     string     `json:"summary"`
	CreatedAt   time.Time  `json:"created_at"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Entries     []Entry    `json:"entries,omitempty"`
}

// Published reports whether the meeting's results are out.
func (m Meeting) Published() bool { return m.PublishedAt != nil }

// Entry is one person's review in a meeting.
type Entry struct {
	StaffID    int64     `json:"staff_id"`
	Name       string    `json:"name"`
	Window     string    `json:"window,omitempty"`
	Grades     [4]int    `json:"grades"` // in Dimensions' order
	Notes      [4]string `json:"notes"`
	Remark     string    `json:"remark,omitempty"`
	RemarkNote string    `json:"remark_note,omitempty"`
	// ScoreCenti is the mean points × 100, kept when published.
	ScoreCenti *int   `json:"score_centi,omitempty"`
	Month      string `json:"month,omitempty"`
}

// Recorded is true once the person has grades.
func (e Entry) Recorded() bool { return e.Grades[0] != 0 }

// Score is the published score in points, "—" before.
func (e Entry) Score() string {
	if e.ScoreCenti == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", float64(*e.ScoreCenti)/100)
}

// HasPoor reports whether any dimension is 差.
func (e Entry) HasPoor() bool { return slices.Contains(e.Grades[:], Poor) }

// Store keeps review meetings.
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

// Settings returns the unit's settings.
func (s *Store) Settings(ctx context.Context, unitID int64) (Settings, error) {
	st := DefaultSettings
	p := &st.Points
	err := s.db.QueryRowContext(ctx, `SELECT points_good, points_fair, points_average, points_poor, publish_reminded FROM review_settings WHERE unit_id = $1`,
		unitID).Scan(&p[Good], &p[Fair], &p[Average], &p[Poor], &st.PublishReminded)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings, nil
	}
	if err != nil {
		return st, fmt.Errorf("reviews: settings: %w", err)
	}
	return st, nil
}

// SaveSettings keeps the unit's settings: points 0–100, a better grade
// never worth less than a worse one.
func (s *Store) SaveSettings(ctx context.Context, actor audit.Actor, unitID int64, st Settings) error {
	var ps locale.Problems
	for _, g := range Grades {
		if st.Points[g] < 0 || st.Points[g] > 100 {
			ps.Add(fmt.Sprintf("points_%d", g), "review.points_range")
		}
	}
	if len(ps) == 0 && !(st.Points[Good] >= st.Points[Fair] && st.Points[Fair] >= st.Points[Average] && st.Points[Average] >= st.Points[Poor]) {
		ps.Add("points_4", "review.points_order")
	}
	if len(ps) > 0 {
		return ps
	}
	before, err := s.Settings(ctx, unitID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		p := st.Points
		_, err := tx.ExecContext(ctx, `INSERT INTO review_settings (unit_id, points_good, points_fair, points_average, points_poor, publish_reminded)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_id) DO UPDATE SET points_good = $2, points_fair = $3, points_average = $4,
			points_poor = $5, publish_reminded = $6`, unitID, p[Good], p[Fair], p[Average], p[Poor], st.PublishReminded)
		if err != nil {
			return fmt.Errorf("reviews: save settings: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "review_settings", EntityID: unitID,
			Before: map[string]any{"points": before.Points[1:], "publish_reminded": before.PublishReminded},
			After:  map[string]any{"points": p[1:], "publish_reminded": st.PublishReminded}})
	})
}

var monthPattern = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// ParseMonth checks a "2026-10" month.
func ParseMonth(s string) (time.Time, bool) {
	s = textnorm.FoldWidth(s)
	if !monthPattern.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01", s)
	return t, err == nil
}

// CanRecord reports whether u may hold the meeting of scope: the office
// any, a branch secretary their branch's, a window lead their window's.
func CanRecord(u accounts.User, scope string, scopeID int64) bool {
	switch {
	case u.IsAdmin():
		return true
	case u.Role == accounts.RoleBranchSecretary:
		return scope == ScopeBranch && scopeID != 0 && scopeID == u.BranchID
	case u.Role == accounts.RoleWindowLead:
		return scope == ScopeWindow && scopeID != 0 && scopeID == u.DepartmentID
	}
	return false
}

// CanHold reports whether u holds meetings at all.
func CanHold(u accounts.User) bool {
	return u.IsAdmin() || u.Role == accounts.RoleBranchSecretary || u.Role == accounts.RoleWindowLead
}

// Open opens the meeting of month for a scope, or returns the one already
// open with ErrExists wrapped so the form can go to it.
func (s *Store) Open(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, month, scope string, scopeID int64) (int64, error) {
	var ps locale.Problems
	m, ok := ParseMonth(month)
	if !ok {
		ps.Add("month", "review.month_invalid")
	} else if m.After(s.now()) {
		ps.Add("month", "review.month_future")
	}
	if scope == ScopeUnit {
		scopeID = 0
	}
	if !slices.Contains([]string{ScopeUnit, ScopeBranch, ScopeWindow}, scope) {
		ps.Add("scope", "review.scope_invalid")
	}
	if len(ps) > 0 {
		return 0, ps
	}
	if !CanRecord(u, scope, scopeID) {
		return 0, ErrForbidden
	}
	month = m.Format("2006-01")
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		if _, err := scopeName(ctx, tx, unitID, scope, scopeID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT id FROM review_meetings WHERE unit_id = $1 AND month = $2 AND scope = $3 AND scope_id = $4`,
			unitID, month, scope, scopeID).Scan(&id)
		if err == nil {
			return nil // the same meeting: a second click opens it again
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("reviews: find meeting: %w", err)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO review_meetings (unit_id, month, scope, scope_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, unitID, month, scope, scopeID, u.ID, s.now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("reviews: open: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "review_meeting", EntityID: id,
			After: map[string]any{"month": month, "scope": scope, "scope_id": scopeID}})
	})
	if database.IsUniqueViolation(err) {
		// Two opens at the same moment: the other one made it.
		err = s.db.QueryRowContext(ctx, `SELECT id FROM review_meetings WHERE unit_id = $1 AND month = $2 AND scope = $3 AND scope_id = $4`,
			unitID, month, scope, scopeID).Scan(&id)
	}
	return id, err
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scopeName names a branch or window of the unit; the unit scope has none.
func scopeName(ctx context.Context, q querier, unitID int64, scope string, scopeID int64) (string, error) {
	var name string
	var err error
	switch scope {
	case ScopeBranch:
		err = q.QueryRowContext(ctx, `SELECT name FROM branches WHERE unit_id = $1 AND id = $2`, unitID, scopeID).Scan(&name)
	case ScopeWindow:
		err = q.QueryRowContext(ctx, `SELECT name FROM departments WHERE unit_id = $1 AND id = $2`, unitID, scopeID).Scan(&name)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", locale.FieldProblem("scope", "review.scope_unknown")
	}
	return name, err
}
