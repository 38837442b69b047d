// Package honours is 五创's honours: the kinds a unit awards each period
// (流动红旗窗口, 群众满意窗口, 先进个人, 优秀共产党员 …) and the shortlist
// each kind's rule draws from a published, frozen period of scores. It
// reads scores through the scoring store and people through org; it never
// reads their tables.
package honours

import (
	"context"
	"fmt"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/failure"
)

// Who may be chosen for a kind.
const (
	SubjectWindow = "window" // a window (a hospital's 科室 or 病区)
	SubjectPerson = "person" // anyone serving
	SubjectMember = "member" // party members (正式党员)
	SubjectLeague = "league" // league members (共青团员)
)

// Kind is one honour a unit awards.
type Kind struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Subject    string `json:"subject"`
	Places     int    `json:"places"`      // how many are chosen
	Shortlist  int    `json:"shortlist"`   // how many the rule puts forward
	PeriodKind string `json:"period_kind"` // quarter or year
	// Indicator ranks the shortlist by one part's points (好评率 for 群众满意窗口);
	// empty ranks by the total.
	Indicator string `json:"indicator,omitempty"`
	Moves     bool   `json:"moves"`     // the honour moves each period (流动红旗)
	Nominated bool   `json:"nominated"` // chosen by nomination, the score only advising
	Active    bool   `json:"active"`
}

// DefaultKinds are the honours both plans name.
var DefaultKinds = []Kind{
	{Code: "red_flag", Name: "流动红旗窗口", Subject: SubjectWindow, Places: 1, Shortlist: 3, PeriodKind: "quarter", Moves: true},
	{Code: "satisfied_window", Name: "群众满意窗口", Subject: SubjectWindow, Places: 1, Shortlist: 3, PeriodKind: "quarter", Indicator: "satisfaction"},
	{Code: "advanced_person", Name: "先进个人", Subject: SubjectPerson, Places: 3, Shortlist: 6, PeriodKind: "quarter"},
	{Code: "excellent_member", Name: "优秀共产党员", Subject: SubjectMember, Places: 3, Shortlist: 6, PeriodKind: "year"},
	{Code: "excellent_league", Name: "优秀共青团员", Subject: SubjectLeague, Places: 1, Shortlist: 3, PeriodKind: "year"},
	{Code: "member_beside_me", Name: "我身边的优秀共产党员", Subject: SubjectMember, Places: 3, Shortlist: 10, PeriodKind: "year", Nominated: true},
	{Code: "standard_window", Name: "规范服务之窗", Subject: SubjectWindow, Places: 1, Shortlist: 3, PeriodKind: "year"},
	{Code: "civil_window", Name: "文明服务之窗", Subject: SubjectWindow, Places: 1, Shortlist: 3, PeriodKind: "year"},
}

// ErrNotFound is returned for a kind the unit does not have.
var ErrNotFound = failure.Wrap("honours", failure.NotFound)

// Store keeps the unit's kinds.
type Store struct {
	db  *database.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db, now: database.Now} }

const kindQuery = `SELECT id, code, name, subject, places, shortlist, period_kind, indicator, moves, nominated, active FROM honour_kinds`

func scanKind(r database.Scanner) (Kind, error) {
	var k Kind
	err := r.Scan(&k.ID, &k.Code, &k.Name, &k.Subject, &k.Places, &k.Shortlist, &k.PeriodKind, &k.Indicator, &k.Moves, &k.Nominated, &k.Active)
	return k, err
}

// Kinds returns the unit's kinds in the order they were added, giving it
// the defaults the first time.
func (s *Store) Kinds(ctx context.Context, unitID int64) ([]Kind, error) {
	if err := s.ensureKinds(ctx, unitID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, kindQuery+` WHERE unit_id = $1 ORDER BY id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("honours: kinds: %w", err)
	}
	return database.Collect(rows, scanKind)
}

// Kind returns one kind of the unit.
func (s *Store) Kind(ctx context.Context, unitID, id int64) (Kind, error) {
	list, err := s.Kinds(ctx, unitID)
	if err != nil {
		return Kind{}, err
	}
	for _, k := range list {
		if k.ID == id {
			return k, nil
		}
	}
	return Kind{}, ErrNotFound
}

func (s *Store) ensureKinds(ctx context.Context, unitID int64) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM honour_kinds WHERE unit_id = $1`, unitID).Scan(&n); err != nil {
		return fmt.Errorf("honours: count kinds: %w", err)
	}
	if n > 0 {
		return nil
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		for _, k := range DefaultKinds {
			_, err := tx.ExecContext(ctx, `INSERT INTO honour_kinds (unit_id, code, name, subject, places, shortlist, period_kind, indicator, moves, nominated, active, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, TRUE, $11) ON CONFLICT (unit_id, code) DO NOTHING`,
				unitID, k.Code, k.Name, k.Subject, k.Places, k.Shortlist, k.PeriodKind, k.Indicator, k.Moves, k.Nominated, now)
			if err != nil {
				return fmt.Errorf("honours: default kind %s: %w", k.Code, err)
			}
		}
		return nil
	})
}
