package rectification

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/locale"
)

// Periods are a unit's limits for each step, in working days.
type Periods struct {
	Verify   int `json:"verify_days"`   // contact and verify
	Rectify  int `json:"rectify_days"`  // rectify
	Ledger   int `json:"ledger_days"`   // rectify, for items on the ledger
	Followup int `json:"followup_days"` // follow up after rectifying
}

// DefaultPeriods follow local rules in Zhejiang and 德州: verify within one
// working day, rectify within five (fifteen on the ledger).
var DefaultPeriods = Periods{Verify: 1, Rectify: 5, Ledger: 15, Followup: 2}

// Periods returns the unit's periods.
func (s *Store) Periods(ctx context.Context, unitID int64) (Periods, error) {
	return periodsOf(ctx, s.db, unitID)
}

func periodsOf(ctx context.Context, db *database.DB, unitID int64) (Periods, error) {
	p := DefaultPeriods
	err := db.QueryRowContext(ctx, `SELECT verify_days, rectify_days, ledger_days, followup_days FROM rectification_settings WHERE unit_id = $1`,
		unitID).Scan(&p.Verify, &p.Rectify, &p.Ledger, &p.Followup)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultPeriods, nil
	}
	if err != nil {
		return p, fmt.Errorf("rectification: periods: %w", err)
	}
	return p, nil
}

// Check reports the periods that are out of range, by form field.
func (p Periods) Check() locale.Problems {
	var ps locale.Problems
	for _, f := range []struct {
		field string
		v     int
	}{{"verify_days", p.Verify}, {"rectify_days", p.Rectify}, {"ledger_days", p.Ledger}, {"followup_days", p.Followup}} {
		if f.v < 1 || f.v > 365 {
			ps.Add(f.field, "rating.days_invalid")
		}
	}
	return ps
}

// SetPeriods changes the unit's periods.
func (s *Store) SetPeriods(ctx context.Context, actor audit.Actor, unitID int64, p Periods) error {
	if ps := p.Check(); len(ps) > 0 {
		return ps
	}
	before, err := s.Periods(ctx, unitID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rectification_settings (unit_id, verify_days, rectify_days, ledger_days, followup_days)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id) DO UPDATE SET verify_days = excluded.verify_days,
			rectify_days = excluded.rectify_days, ledger_days = excluded.ledger_days, followup_days = excluded.followup_days`,
			unitID, p.Verify, p.Rectify, p.Ledger, p.Followup)
		if err != nil {
			return fmt.Errorf("rectification: periods: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "rectification_settings", EntityID: unitID,
			Before: before, After: p})
	})
}

// FirstDue is when a problem found at now must be verified: the unit's
// verification period, in its working days.
func FirstDue(ctx context.Context, db *database.DB, unitID int64, now time.Time) (time.Time, error) {
	p, err := periodsOf(ctx, db, unitID)
	if err != nil {
		return time.Time{}, err
	}
	sc, err := calendar.NewStore(db).Schedule(ctx, unitID)
	if err != nil {
		return time.Time{}, err
	}
	return sc.Deadline(now, p.Verify), nil
}
