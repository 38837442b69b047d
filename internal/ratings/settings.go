package ratings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Days are a unit's rating settings: how long a token rates, and how
// ratings count. The periods of rectification are rectification's.
type Days struct {
	Token    int    `json:"token_days"` // a token rates until this long after the case closed (calendar days)
	AreaCode string `json:"area_code"`  // 行政区划代码, for the exchange with the provincial platform
	// DefaultLevel, when not 0, is the rating a case gets when its token
	// expires unrated; such ratings are marked as default. 0 (off) is the
	// default: the national rules count only what people said.
	DefaultLevel int `json:"default_level"`
	// UnverifiedWeight is how much a rating of a person or window without
	// a case counts in the good-rating rate, in percent of a case's.
	UnverifiedWeight int `json:"unverified_weight"`
}

// DefaultDays are a unit's settings until it sets its own.
var DefaultDays = Days{Token: DefaultTokenDays, UnverifiedWeight: DefaultUnverifiedWeight}

// DefaultUnverifiedWeight: a rating nobody can tie to a case counts half.
const DefaultUnverifiedWeight = 50

// Days returns the unit's periods.
func (s *Store) Days(ctx context.Context, unitID int64) (Days, error) {
	d := DefaultDays
	err := s.db.QueryRowContext(ctx, `SELECT token_days, area_code, default_level, unverified_weight FROM rating_settings WHERE unit_id = $1`,
		unitID).Scan(&d.Token, &d.AreaCode, &d.DefaultLevel, &d.UnverifiedWeight)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultDays, nil
	}
	return d, err
}

// SetDays changes the unit's periods.
func (s *Store) SetDays(ctx context.Context, actor audit.Actor, unitID int64, d Days) error {
	if ps := d.Check(); len(ps) > 0 {
		return ps
	}
	before, err := s.Days(ctx, unitID)
	if err != nil {
		return err
	}
	s.daysMu.Lock()
	delete(s.days, unitID)
	s.daysMu.Unlock()
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rating_settings (unit_id, token_days, area_code, default_level, unverified_weight)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id) DO UPDATE SET token_days = excluded.token_days,
			area_code = excluded.area_code, default_level = excluded.default_level, unverified_weight = excluded.unverified_weight`,
			unitID, d.Token, d.AreaCode, d.DefaultLevel, d.UnverifiedWeight)
		if err != nil {
			return fmt.Errorf("ratings: settings: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "rating_settings", EntityID: unitID, Before: before, After: d})
	})
}

// Check reports the settings that are out of range, by form field, and
// folds the area code to half-width digits.
func (d *Days) Check() locale.Problems {
	var ps locale.Problems
	if d.Token < 1 || d.Token > 365 {
		ps.Add("token_days", "rating.days_invalid")
	}
	if d.DefaultLevel != 0 && (d.DefaultLevel < Fair || d.DefaultLevel > VerySatisfied) {
		ps.Add("default_level", "rating.default_level_invalid")
	}
	if d.UnverifiedWeight < 0 || d.UnverifiedWeight > 100 {
		ps.Add("unverified_weight", "rating.weight_invalid")
	}
	d.AreaCode = textnorm.FoldWidth(d.AreaCode)
	if d.AreaCode != "" && !areaCode.MatchString(d.AreaCode) {
		ps.Add("area_code", "rating.area_code_invalid")
	}
	return ps
}

var areaCode = regexp.MustCompile(`^(\d{6}|\d{12})$`)
