package scoring

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Store keeps each unit's scheme versions.
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

// Version is one saved version of a unit's scheme. Version 0 is the
// county split a unit has before it saves its own.
type Version struct {
	Version   int       `json:"version"`
	Scheme    Scheme    `json:"scheme"`
	Note      string    `json:"note,omitempty"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ErrChanged is returned when another save took the version first.
var ErrChanged = locale.NewError("scoring.changed").Of(failure.Conflict)

// Current returns the scheme in force: the unit's highest version.
func (s *Store) Current(ctx context.Context, unitID int64) (Version, error) {
	v, err := s.scan(s.db.QueryRowContext(ctx, `SELECT version, body, note, created_by, created_at FROM score_schemes
		WHERE unit_id = $1 ORDER BY version DESC LIMIT 1`, unitID))
	if errors.Is(err, sql.ErrNoRows) {
		return Version{Scheme: CountyScheme()}, nil
	}
	return v, err
}

// Versions lists the unit's versions, newest first.
func (s *Store) Versions(ctx context.Context, unitID int64) ([]Version, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, body, note, created_by, created_at FROM score_schemes
		WHERE unit_id = $1 ORDER BY version DESC`, unitID)
	if err != nil {
		return nil, fmt.Errorf("scoring: versions: %w", err)
	}
	return database.Collect(rows, s.scan)
}

// At returns one version of the unit's scheme.
func (s *Store) At(ctx context.Context, unitID int64, version int) (Version, error) {
	if version == 0 {
		return Version{Scheme: CountyScheme()}, nil
	}
	v, err := s.scan(s.db.QueryRowContext(ctx, `SELECT version, body, note, created_by, created_at FROM score_schemes
		WHERE unit_id = $1 AND version = $2`, unitID, version))
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	return v, err
}

// ErrNotFound is returned for a version or period the unit does not have.
var ErrNotFound = failure.Wrap("scoring", failure.NotFound)

func (s *Store) scan(r database.Scanner) (Version, error) {
	var v Version
	var body string
	if err := r.Scan(&v.Version, &body, &v.Note, &v.CreatedBy, &v.CreatedAt); err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(body), &v.Scheme); err != nil {
		return v, fmt.Errorf("scoring: scheme version %d: %w", v.Version, err)
	}
	return v, nil
}

// Save checks a scheme and, when it holds, makes it the unit's next
// version. A refused scheme leaves the version in force as it was.
func (s *Store) Save(ctx context.Context, actor audit.Actor, unitID int64, sc Scheme, note string) (int, error) {
	ps := sc.Check(Indicators)
	note = textnorm.CleanMultiline(note)
	if utf8.RuneCountInString(note) > 500 {
		ps.Add("note", "error.too_long", "说明", 500)
	}
	if len(ps) > 0 {
		return 0, ps
	}
	body, err := json.Marshal(sc)
	if err != nil {
		return 0, fmt.Errorf("scoring: encode scheme: %w", err)
	}
	var version int
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		before := 0
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM score_schemes WHERE unit_id = $1`, unitID).Scan(&before); err != nil {
			return fmt.Errorf("scoring: current version: %w", err)
		}
		version = before + 1
		_, err := tx.ExecContext(ctx, `INSERT INTO score_schemes (unit_id, version, body, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			unitID, version, string(body), note, actor.Name, s.now())
		if database.IsUniqueViolation(err) {
			return ErrChanged
		}
		if err != nil {
			return fmt.Errorf("scoring: save scheme: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "score_scheme", EntityID: version,
			Before: map[string]int{"version": before}, After: map[string]any{"version": version, "scheme": sc, "note": note}})
	})
	return version, err
}
