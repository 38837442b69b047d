// Package honours is 五创's honours: the kinds a unit awards each period
// (流动红旗窗口, 群众满意窗口, 先进个人, 优秀共产党员 …) and the shortlist
// each kind's rule draws from a published, frozen period of scores. It
// reads scores through the scoring store and people through org; it never
// reads their tables.
package honours

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/scoring"
	"wuliang/internal/textnorm"
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

// Store keeps the unit's kinds, selections, honours and exemplars. It
// reads frozen scores and the organisation through the two interfaces.
type Store struct {
	db     *database.DB
	scores Published
	people People
	now    func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *database.DB, scores Published, people People) *Store {
	return &Store{db: db, scores: scores, people: people, now: database.Now}
}

// WithClock returns a store whose "now" is clock, for loading history.
func (s *Store) WithClock(clock func() time.Time) *Store {
	c := *s
	c.now = database.Moved(clock)
	return &c
}

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

// Subjects and period kinds a kind may have.
var (
	Subjects    = []string{SubjectWindow, SubjectPerson, SubjectMember, SubjectLeague}
	PeriodKinds = []string{"quarter", "year"}
)

// MaxPlaces bounds a kind's places and shortlist.
const MaxPlaces = 50

// check cleans a kind as the office wrote it.
func (k *Kind) check() locale.Problems {
	var ps locale.Problems
	k.Name, k.Indicator = textnorm.CleanText(k.Name), strings.TrimSpace(k.Indicator)
	textnorm.CheckLength(&ps, "name", "honours.kind_name", k.Name, 40, true)
	if !slices.Contains(Subjects, k.Subject) {
		ps.Add("subject", "honours.subject_invalid")
	}
	if !slices.Contains(PeriodKinds, k.PeriodKind) {
		ps.Add("period_kind", "honours.period_kind_invalid")
	}
	if k.Places < 1 || k.Places > MaxPlaces {
		ps.Add("places", "honours.places_invalid", MaxPlaces)
	}
	if k.Shortlist < k.Places || k.Shortlist > MaxPlaces {
		ps.Add("shortlist", "honours.shortlist_invalid", MaxPlaces)
	}
	if _, ok := scoring.Indicators[k.Indicator]; k.Indicator != "" && !ok {
		ps.Add("indicator", "honours.indicator_invalid")
	}
	return ps
}

// SaveKind changes a kind of the unit, or adds one when k.ID is 0. A
// kind's code never changes: selections and honours name it.
func (s *Store) SaveKind(ctx context.Context, actor audit.Actor, unitID int64, k Kind) (int64, error) {
	if ps := k.check(); len(ps) > 0 {
		return 0, ps
	}
	if err := s.ensureKinds(ctx, unitID); err != nil {
		return 0, err
	}
	id := k.ID
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var before any
		if id == 0 {
			n, err := database.Next(ctx, tx, unitID, "honour_kind")
			if err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO honour_kinds (unit_id, code, name, subject, places, shortlist, period_kind, indicator, moves, nominated, active, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`, unitID, fmt.Sprintf("custom_%d", n), k.Name, k.Subject, k.Places,
				k.Shortlist, k.PeriodKind, k.Indicator, k.Moves, k.Nominated, k.Active, s.now()).Scan(&id)
			if err != nil {
				return fmt.Errorf("honours: add kind: %w", err)
			}
		} else {
			old, err := scanKind(tx.QueryRowContext(ctx, kindQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
			if err != nil {
				return ErrNotFound
			}
			before = old
			_, err = tx.ExecContext(ctx, `UPDATE honour_kinds SET name = $1, subject = $2, places = $3, shortlist = $4, period_kind = $5, indicator = $6,
				moves = $7, nominated = $8, active = $9 WHERE unit_id = $10 AND id = $11`, k.Name, k.Subject, k.Places, k.Shortlist, k.PeriodKind,
				k.Indicator, k.Moves, k.Nominated, k.Active, unitID, id)
			if err != nil {
				return fmt.Errorf("honours: change kind: %w", err)
			}
		}
		after, err := scanKind(tx.QueryRowContext(ctx, kindQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "save", Entity: "honour_kind", EntityID: id, Before: before, After: after})
	})
	return id, err
}
