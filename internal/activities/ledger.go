package activities

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/period"
	"wuliang/internal/textnorm"
)

// Sources of ledger entries: what fact earned or cost the points.
const (
	SourceSession        = "session"        // study_sessions.id
	SourceContest        = "contest"        // contests.id
	SourceClaim          = "claim"          // activity_claims.id, on approval
	SourceResult         = "result"         // activity_claims.id, when an adopted proposal shows results
	SourceAccountability = "accountability" // accountability.id, decided with a sanction
	SourceReversal       = "reversal"       // point_entries.id reversed
)

// Entry is one line of the points ledger.
type Entry struct {
	ID        int64     `json:"id"`
	StaffID   int64     `json:"staff_id"`
	Name      string    `json:"name,omitempty"`
	KindID    int64     `json:"kind_id"`
	KindName  string    `json:"kind"`
	Dimension string    `json:"dimension"`
	OnDate    string    `json:"on_date"`
	Points    int       `json:"points_centi"`
	Source    string    `json:"source"`
	SourceID  int64     `json:"source_id"`
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// ReversedBy is the entry that reversed this one, if any.
	ReversedBy int64 `json:"reversed_by,omitempty"`
}

// Link is the page of the fact behind the entry.
func (e Entry) Link() string {
	switch e.Source {
	case SourceSession:
		return fmt.Sprintf("/activities/sessions/%d", e.SourceID)
	case SourceContest:
		return fmt.Sprintf("/activities/contests/%d", e.SourceID)
	case SourceClaim, SourceResult:
		return fmt.Sprintf("/activities/claims/%d", e.SourceID)
	case SourceAccountability:
		return fmt.Sprintf("/accountability/%d", e.SourceID)
	}
	return ""
}

// addEntry writes an entry once: a second write of the same source for the
// same person adds nothing and reports false.
func addEntry(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID int64, e Entry) (bool, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO point_entries (unit_id, staff_id, kind_id, dimension, on_date, month, points_centi, source, source_id, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (unit_id, source, source_id, staff_id) DO NOTHING RETURNING id`,
		unitID, e.StaffID, e.KindID, e.Dimension, e.OnDate, e.OnDate[:7], e.Points, e.Source, e.SourceID, e.Note, database.NullID(actor.UserID), database.Now()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("activities: add entry: %w", err)
	}
	return true, audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "point_entry", EntityID: id,
		After: map[string]any{"staff_id": e.StaffID, "kind_id": e.KindID, "on_date": e.OnDate, "points_centi": e.Points, "source": e.Source, "source_id": e.SourceID}})
}

const entryQuery = `SELECT p.id, p.staff_id, s.name, p.kind_id, k.name, p.dimension, p.on_date, p.points_centi, p.source, p.source_id, p.note, p.created_at,
	COALESCE((SELECT r.id FROM point_entries r WHERE r.unit_id = p.unit_id AND r.source = 'reversal' AND r.source_id = p.id), 0)
	FROM point_entries p
	JOIN staff s ON s.id = p.staff_id AND s.unit_id = p.unit_id
	JOIN activity_kinds k ON k.id = p.kind_id AND k.unit_id = p.unit_id`

func scanEntry(r database.Scanner) (Entry, error) {
	var e Entry
	err := r.Scan(&e.ID, &e.StaffID, &e.Name, &e.KindID, &e.KindName, &e.Dimension, &e.OnDate, &e.Points, &e.Source, &e.SourceID, &e.Note, &e.CreatedAt, &e.ReversedBy)
	return e, err
}

// Entries returns a person's ledger in a period, newest first.
func (s *Store) Entries(ctx context.Context, unitID, staffID int64, p period.Period) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, entryQuery+` WHERE p.unit_id = $1 AND p.staff_id = $2 AND p.month >= $3 AND p.month <= $4 ORDER BY p.on_date DESC, p.id DESC`,
		unitID, staffID, p.FirstMonth(), p.LastMonth())
	if err != nil {
		return nil, fmt.Errorf("activities: entries: %w", err)
	}
	return database.Collect(rows, scanEntry)
}

// Register returns every ledger entry of a period, for the register export.
func (s *Store) Register(ctx context.Context, unitID int64, p period.Period) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, entryQuery+` WHERE p.unit_id = $1 AND p.month >= $2 AND p.month <= $3 ORDER BY p.on_date, p.id`, unitID, p.FirstMonth(), p.LastMonth())
	if err != nil {
		return nil, fmt.Errorf("activities: register: %w", err)
	}
	return database.Collect(rows, scanEntry)
}

// MaxReason limits a reversal's reason.
const MaxReason = 500

// Reverse cancels a ledger entry with a new entry of the opposite points,
// dated like the original so that the period it counted in is corrected.
// Only the office reverses, with a reason; an entry is reversed once, and a
// reversal is not itself reversed (record the fact again instead).
func (s *Store) Reverse(ctx context.Context, actor audit.Actor, u accounts.User, unitID, entryID int64, reason string) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	reason = textnorm.CleanText(reason)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "reason", "activities.field.reason", reason, MaxReason, true)
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		e, err := scanEntry(tx.QueryRowContext(ctx, entryQuery+` WHERE p.unit_id = $1 AND p.id = $2`, unitID, entryID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("activities: entry: %w", err)
		}
		if e.Source == SourceReversal {
			return locale.NewError("activities.reverse_reversal")
		}
		ok, err := addEntry(ctx, tx, actor, unitID, Entry{StaffID: e.StaffID, KindID: e.KindID, Dimension: e.Dimension, OnDate: e.OnDate,
			Points: -e.Points, Source: SourceReversal, SourceID: e.ID, Note: reason})
		if err == nil && !ok {
			return locale.NewError("activities.already_reversed").Of(failure.Conflict)
		}
		return err
	})
}

// SyncConduct writes the conduct deductions of accountability records the
// office has decided with a sanction and the ledger does not have yet: an
// absence from post under the absence kind, any other fault under the
// fault kind. A record decided as 扣分 deducts its own points; any other
// sanction the kind's points. Records dismissed deduct nothing. It is safe
// to run at any time, on several servers at once.
func (s *Store) SyncConduct(ctx context.Context, unitID int64, loc *time.Location) (int, error) {
	if err := s.ensureKinds(ctx, unitID); err != nil {
		return 0, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.staff_id, a.rule, a.points, a.occurred_at FROM accountability a
		WHERE a.unit_id = $1 AND a.state = 'sanctioned'
		AND NOT EXISTS (SELECT 1 FROM point_entries p WHERE p.unit_id = a.unit_id AND p.source = 'accountability' AND p.source_id = a.id)
		ORDER BY a.id LIMIT 5000`, unitID)
	if err != nil {
		return 0, fmt.Errorf("activities: conduct to sync: %w", err)
	}
	type fault struct {
		id, staff int64
		rule      string
		points    int
		at        time.Time
	}
	faults, err := database.Collect(rows, func(r database.Scanner) (fault, error) {
		var f fault
		return f, r.Scan(&f.id, &f.staff, &f.rule, &f.points, &f.at)
	})
	if err != nil || len(faults) == 0 {
		return 0, err
	}
	added := 0
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		kinds := map[string]Kind{}
		for _, code := range []string{CodeFault, CodeAbsence} {
			k, err := kindBy(ctx, tx, unitID, `code = $2`, code)
			if err != nil {
				return err
			}
			kinds[code] = k
		}
		for _, f := range faults {
			k := kinds[CodeFault]
			if f.rule == "absence" {
				k = kinds[CodeAbsence]
			}
			if !k.Active {
				continue
			}
			points := k.Points
			if f.points > 0 {
				points = -f.points * 100
			}
			ok, err := addEntry(ctx, tx, audit.System, unitID, Entry{StaffID: f.staff, KindID: k.ID, Dimension: k.Dimension,
				OnDate: f.at.In(loc).Format(time.DateOnly), Points: points, Source: SourceAccountability, SourceID: f.id})
			if err != nil {
				return err
			}
			if ok {
				added++
			}
		}
		return nil
	})
	return added, err
}
