package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
)

// ErrNotFound: no such report in the unit.
var ErrNotFound = failure.Wrap("report", failure.NotFound)

// Store keeps the reports.
type Store struct {
	db  *database.DB
	src Sources
}

// NewStore returns a store on db reading src.
func NewStore(db *database.DB, src Sources) *Store { return &Store{db: db, src: src} }

// Generate computes the period's report and keeps it as the period's next
// version. Only months and quarters have reports.
func (s *Store) Generate(ctx context.Context, actor audit.Actor, unit org.Unit, p period.Period) (Report, error) {
	if p.Kind != period.Month && p.Kind != period.Quarter {
		return Report{}, locale.FieldProblem("period", "report.period_kind")
	}
	if !p.From.Before(database.Now()) {
		return Report{}, locale.FieldProblem("period", "report.period_future")
	}
	sections, err := s.src.Compute(ctx, unit, p)
	if err != nil {
		return Report{}, err
	}
	r := Report{Period: p.Code, Label: p.Label(), Previous: p.Previous().Label(), CreatedBy: actor.Name, CreatedAt: database.Now(), Sections: sections}
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM leader_reports WHERE unit_id = $1 AND period = $2`,
			unit.ID, p.Code).Scan(&r.Version); err != nil {
			return fmt.Errorf("report: version: %w", err)
		}
		data, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("report: encode: %w", err)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO leader_reports (unit_id, period, version, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, unit.ID, p.Code, r.Version, string(data), actor.Name, r.CreatedAt).Scan(&r.ID)
		if database.IsUniqueViolation(err) {
			return failure.Wrap("report", failure.Conflict)
		}
		if err != nil {
			return fmt.Errorf("report: insert: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unit.ID, Action: "create", Entity: "leader_report", EntityID: r.ID,
			After: map[string]any{"period": r.Period, "version": r.Version}})
	})
	return r, err
}

// Kept lists the unit's reports, newest period and version first, without
// their sections.
func (s *Store) Kept(ctx context.Context, unitID int64) ([]Report, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, period, version, created_by, created_at FROM leader_reports WHERE unit_id = $1
		ORDER BY period DESC, version DESC`, unitID)
	if err != nil {
		return nil, fmt.Errorf("report: list: %w", err)
	}
	return database.Collect(rows, func(sc database.Scanner) (Report, error) {
		var r Report
		err := sc.Scan(&r.ID, &r.Period, &r.Version, &r.CreatedBy, &r.CreatedAt)
		return r, err
	})
}

// Get returns one kept report as it was generated.
func (s *Store) Get(ctx context.Context, unitID, id int64) (Report, error) {
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data FROM leader_reports WHERE unit_id = $1 AND id = $2`, unitID, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return Report{}, ErrNotFound
	}
	if err != nil {
		return Report{}, fmt.Errorf("report: get: %w", err)
	}
	var r Report
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return r, fmt.Errorf("report: decode %d: %w", id, err)
	}
	r.ID = id
	return r, nil
}
