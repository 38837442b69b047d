// Package hall owns the service hall's screens (电子显示屏) and the notices
// the office publishes on them. A screen is a device, not a login: the
// office registers it, chooses its layout and panels, and hands it a URL
// with a token; the screen shows only what the public portal shows, and
// the office can revoke it.
package hall

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"wuliang/internal/apikeys"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Layouts of a screen.
const (
	Landscape = "landscape" // 1920×1080
	Portrait  = "portrait"  // 1080×1920
)

// Panels a screen may show, in the order a new screen gets them.
var Panels = []string{"ratings", "status", "honours", "efficiency", "commitments", "board", "appraisal", "notices", "exemplars"}

// Bounds of a screen's rotation, in seconds.
const (
	MinInterval     = 5
	MaxInterval     = 600
	DefaultInterval = 15
	MaxNameLen      = 40
	MaxTitleLen     = 60
	MaxBodyLen      = 500
)

// ErrNotFound is a screen or notice the unit does not have, or a token
// nobody holds (or that was revoked).
var ErrNotFound = failure.Wrap("hall", failure.NotFound)

// Screen is one registered screen.
type Screen struct {
	ID         int64      `json:"id"`
	UnitID     int64      `json:"unit_id"`
	Name       string     `json:"name"`
	Layout     string     `json:"layout"`
	Panels     []string   `json:"panels"`
	Interval   int        `json:"interval_seconds"`
	Prefix     string     `json:"prefix"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	LastSeenAt *time.Time `json:"last_seen_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Shows says whether the screen shows a panel.
func (s Screen) Shows(panel string) bool { return slices.Contains(s.Panels, panel) }

// ScreenInput is a screen as the office sets it.
type ScreenInput struct {
	Name     string
	Layout   string
	Panels   []string
	Interval string
}

// Store reads and writes screens and notices.
type Store struct {
	db  *database.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db, now: database.Now} }

const screenQuery = `SELECT id, unit_id, name, layout, panels, interval_seconds, prefix, created_by, created_at, last_seen_at, revoked_at FROM screens`

func scanScreen(r database.Scanner) (Screen, error) {
	var s Screen
	var panels string
	var seen, revoked sql.NullTime
	err := r.Scan(&s.ID, &s.UnitID, &s.Name, &s.Layout, &panels, &s.Interval, &s.Prefix, &s.CreatedBy, &s.CreatedAt, &seen, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("hall: screen: %w", err)
	}
	if panels != "" {
		s.Panels = strings.Split(panels, ",")
	}
	if seen.Valid {
		s.LastSeenAt = &seen.Time
	}
	if revoked.Valid {
		s.RevokedAt = &revoked.Time
	}
	return s, nil
}

// check cleans and validates a screen's settings.
func (in *ScreenInput) check() (interval int, ps locale.Problems) {
	in.Name = textnorm.CleanText(in.Name)
	textnorm.CheckLength(&ps, "name", "screen.name", in.Name, MaxNameLen, true)
	if in.Layout != Landscape && in.Layout != Portrait {
		ps.Add("layout", "screen.layout_invalid")
	}
	var chosen []string
	for _, p := range Panels { // the shipped order, each once
		if slices.Contains(in.Panels, p) {
			chosen = append(chosen, p)
		}
	}
	for _, p := range in.Panels {
		if !slices.Contains(Panels, p) {
			ps.Add("panels", "screen.panel_unknown")
			break
		}
	}
	if len(chosen) == 0 {
		ps.Add("panels", "screen.panels_required")
	}
	in.Panels = chosen
	n, err := strconv.Atoi(textnorm.FoldWidth(strings.TrimSpace(in.Interval)))
	if err != nil || n < MinInterval || n > MaxInterval {
		ps.Add("interval", "screen.interval_invalid", MinInterval, MaxInterval)
	}
	return n, ps
}

// Register adds a screen and returns its token, the only time it is shown:
// "scr_" + 8 hex of lookup prefix + "_" + 48 hex secret.
func (s *Store) Register(ctx context.Context, actor audit.Actor, unitID int64, in ScreenInput) (string, Screen, error) {
	interval, ps := in.check()
	if len(ps) > 0 {
		return "", Screen{}, ps
	}
	prefix, secret := apikeys.RandomHex(4), apikeys.RandomHex(24)
	token := "scr_" + prefix + "_" + secret
	var sc Screen
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO screens (unit_id, name, layout, panels, interval_seconds, prefix, token_hash, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, unitID, in.Name, in.Layout, strings.Join(in.Panels, ","), interval,
			prefix, apikeys.HashSecret(token), actor.Name, s.now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("hall: register screen: %w", err)
		}
		if sc, err = scanScreen(tx.QueryRowContext(ctx, screenQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "screen", EntityID: id, After: sc})
	})
	return token, sc, err
}

// Update changes a screen's name, layout, panels and interval; its token
// stays.
func (s *Store) Update(ctx context.Context, actor audit.Actor, unitID, id int64, in ScreenInput) (Screen, error) {
	interval, ps := in.check()
	if len(ps) > 0 {
		return Screen{}, ps
	}
	var after Screen
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := scanScreen(tx.QueryRowContext(ctx, screenQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
		if err != nil {
			return err
		}
		if before.RevokedAt != nil {
			return locale.NewError("screen.revoked").Of(failure.Conflict)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE screens SET name = $1, layout = $2, panels = $3, interval_seconds = $4 WHERE unit_id = $5 AND id = $6`,
			in.Name, in.Layout, strings.Join(in.Panels, ","), interval, unitID, id); err != nil {
			return fmt.Errorf("hall: update screen: %w", err)
		}
		if after, err = scanScreen(tx.QueryRowContext(ctx, screenQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "screen", EntityID: id, Before: before, After: after})
	})
	return after, err
}

// Revoke stops a screen: its token gets nothing from now on.
func (s *Store) Revoke(ctx context.Context, actor audit.Actor, unitID, id int64) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := scanScreen(tx.QueryRowContext(ctx, screenQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
		if err != nil {
			return err
		}
		if before.RevokedAt != nil {
			return nil
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE screens SET revoked_at = $1 WHERE unit_id = $2 AND id = $3`, now, unitID, id); err != nil {
			return fmt.Errorf("hall: revoke screen: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "revoke", Entity: "screen", EntityID: id,
			Before: map[string]any{"revoked_at": nil}, After: map[string]any{"revoked_at": now}})
	})
}

// Screens lists the unit's screens, the revoked last.
func (s *Store) Screens(ctx context.Context, unitID int64) ([]Screen, error) {
	rows, err := s.db.QueryContext(ctx, screenQuery+` WHERE unit_id = $1 ORDER BY revoked_at IS NOT NULL, id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("hall: screens: %w", err)
	}
	return database.Collect(rows, scanScreen)
}

// Screen returns one of the unit's screens.
func (s *Store) Screen(ctx context.Context, unitID, id int64) (Screen, error) {
	return scanScreen(s.db.QueryRowContext(ctx, screenQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
}

// ByToken returns the screen holding token; a revoked one, a malformed or
// unknown token are all ErrNotFound.
func (s *Store) ByToken(ctx context.Context, token string) (Screen, error) {
	parts := strings.Split(token, "_")
	if len(parts) != 3 || parts[0] != "scr" || len(parts[1]) != 8 || len(parts[2]) != 48 {
		return Screen{}, ErrNotFound
	}
	row := s.db.QueryRowContext(ctx, `SELECT token_hash FROM screens WHERE prefix = $1`, parts[1])
	var hash string
	if err := row.Scan(&hash); errors.Is(err, sql.ErrNoRows) {
		return Screen{}, ErrNotFound
	} else if err != nil {
		return Screen{}, fmt.Errorf("hall: screen token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(hash), []byte(apikeys.HashSecret(token))) != 1 {
		return Screen{}, ErrNotFound
	}
	sc, err := scanScreen(s.db.QueryRowContext(ctx, screenQuery+` WHERE prefix = $1`, parts[1]))
	if err != nil {
		return sc, err
	}
	if sc.RevokedAt != nil {
		return Screen{}, ErrNotFound
	}
	return sc, nil
}

// Seen records that a screen connected, at most once a minute: the office
// sees which screens are alive without a write per page.
func (s *Store) Seen(ctx context.Context, sc Screen) error {
	now := s.now()
	if sc.LastSeenAt != nil && now.Sub(*sc.LastSeenAt) < time.Minute {
		return nil
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE screens SET last_seen_at = $1 WHERE unit_id = $2 AND id = $3`, now, sc.UnitID, sc.ID)
		if err != nil {
			return fmt.Errorf("hall: screen seen: %w", err)
		}
		return nil
	})
}
