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
	"wuliang/internal/locale"
	"wuliang/internal/period"
	"wuliang/internal/textnorm"
)

// Frozen is one version of a period's results, kept as it was computed.
type Frozen struct {
	Period        string     `json:"period"`
	Version       int        `json:"version"`
	SchemeVersion int        `json:"scheme_version"`
	Note          string     `json:"note,omitempty"`
	CreatedBy     string     `json:"created_by,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	PublishedAt   *time.Time `json:"published_at,omitempty"`
	Scores        Scores     `json:"-"`
}

// Published reports whether this version is the one the portal shows.
func (f Frozen) Published() bool { return f.PublishedAt != nil }

// Change is how one subject moved between two versions of a period.
type Change struct {
	Level            Level    `json:"level"`
	Subject          Subject  `json:"subject"`
	Before, After    float64  `json:"-"`
	RankBefore       int      `json:"rank_before"`
	RankAfter        int      `json:"rank_after"`
	TierBefore       string   `json:"tier_before,omitempty"`
	TierAfter        string   `json:"tier_after,omitempty"`
	VetoedBefore     bool     `json:"vetoed_before,omitempty"`
	VetoedAfter      bool     `json:"vetoed_after,omitempty"`
	TotalBefore      float64  `json:"total_before"`
	TotalAfter       float64  `json:"total_after"`
	ChangedIndicator []string `json:"changed_indicators,omitempty"`
}

// Diff lists every subject whose total, rank, tier, veto or any part
// differs between two results of the same period.
func Diff(before, after Scores) []Change {
	var out []Change
	for _, level := range Levels {
		old := map[int64]Result{}
		for _, r := range before.Levels[level] {
			old[r.Subject.ID] = r
		}
		for _, r := range after.Levels[level] {
			o := old[r.Subject.ID]
			c := Change{Level: level, Subject: r.Subject, TotalBefore: o.Total, TotalAfter: r.Total, RankBefore: o.Rank, RankAfter: r.Rank,
				TierBefore: o.Tier, TierAfter: r.Tier, VetoedBefore: o.Vetoed(), VetoedAfter: r.Vetoed()}
			for i, p := range r.Parts {
				if i >= len(o.Parts) || o.Parts[i].Indicator != p.Indicator || o.Parts[i].Points != p.Points ||
					o.Parts[i].Raw != p.Raw || o.Parts[i].Gap != p.Gap {
					c.ChangedIndicator = append(c.ChangedIndicator, p.Indicator)
				}
			}
			if c.TotalBefore != c.TotalAfter || c.RankBefore != c.RankAfter || c.TierBefore != c.TierAfter ||
				c.VetoedBefore != c.VetoedAfter || len(c.ChangedIndicator) > 0 {
				out = append(out, c)
			}
		}
	}
	return out
}

// Freeze keeps a period's results as a new version of the period. The
// first needs no note; a later one is a correction and says why.
func (s *Store) Freeze(ctx context.Context, actor audit.Actor, unitID int64, sc Scores, note string) (Frozen, error) {
	note = textnorm.CleanMultiline(note)
	var ps locale.Problems
	if utf8.RuneCountInString(note) > 500 {
		ps.Add("note", "error.too_long", "说明", 500)
	}
	body, err := json.Marshal(stored{Scores: sc, Period: storedPeriod(sc.Period)})
	if err != nil {
		return Frozen{}, fmt.Errorf("scoring: encode results: %w", err)
	}
	f := Frozen{Period: sc.Period.Code, SchemeVersion: sc.SchemeVersion, Note: note, CreatedBy: actor.Name, CreatedAt: s.now(), Scores: sc}
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		var before int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM score_periods WHERE unit_id = $1 AND period = $2`,
			unitID, f.Period).Scan(&before); err != nil {
			return fmt.Errorf("scoring: frozen versions: %w", err)
		}
		if before > 0 && note == "" {
			ps.Add("note", "scoring.correction_note")
		}
		if len(ps) > 0 {
			return ps
		}
		f.Version = before + 1
		_, err := tx.ExecContext(ctx, `INSERT INTO score_periods (unit_id, period, version, scheme_version, body, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, unitID, f.Period, f.Version, f.SchemeVersion, string(body), note, actor.Name, f.CreatedAt)
		if database.IsUniqueViolation(err) {
			return ErrChanged
		}
		if err != nil {
			return fmt.Errorf("scoring: freeze: %w", err)
		}
		after := map[string]any{"period": f.Period, "version": f.Version, "scheme_version": f.SchemeVersion, "note": note}
		if before > 0 {
			prev, err := s.frozen(ctx, tx, unitID, f.Period, before)
			if err != nil {
				return err
			}
			after["changes"] = Diff(prev.Scores, sc)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "freeze", Entity: "score_period", EntityID: f.Version,
			Before: map[string]any{"period": f.Period, "version": before}, After: after})
	})
	return f, err
}

// Publish makes one frozen version the period's public one.
func (s *Store) Publish(ctx context.Context, actor audit.Actor, unitID int64, code string, version int) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		f, err := s.frozen(ctx, tx, unitID, code, version)
		if err != nil {
			return err
		}
		if f.Published() {
			return nil
		}
		var was int
		err = tx.QueryRowContext(ctx, `SELECT version FROM score_periods WHERE unit_id = $1 AND period = $2 AND published_at IS NOT NULL`,
			unitID, code).Scan(&was)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("scoring: published version: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE score_periods SET published_at = NULL WHERE unit_id = $1 AND period = $2`, unitID, code); err != nil {
			return fmt.Errorf("scoring: unpublish: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE score_periods SET published_at = $4 WHERE unit_id = $1 AND period = $2 AND version = $3`,
			unitID, code, version, s.now()); err != nil {
			return fmt.Errorf("scoring: publish: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "publish", Entity: "score_period", EntityID: version,
			Before: map[string]any{"period": code, "published_version": was}, After: map[string]any{"period": code, "published_version": version}})
	})
}

// stored is how results are kept: the period with its instants, which
// its own JSON (for pages and the API) does not carry.
type stored struct {
	Scores
	Period storedPeriod `json:"period"`
}

type storedPeriod struct {
	Code, Kind string
	From, To   time.Time
}

const frozenColumns = `SELECT period, version, scheme_version, body, note, created_by, created_at, published_at FROM score_periods`

func scanFrozen(r database.Scanner, withBody bool) (Frozen, error) {
	var f Frozen
	var body string
	var published sql.NullTime
	if err := r.Scan(&f.Period, &f.Version, &f.SchemeVersion, &body, &f.Note, &f.CreatedBy, &f.CreatedAt, &published); err != nil {
		return f, err
	}
	if published.Valid {
		f.PublishedAt = &published.Time
	}
	if withBody {
		var st stored
		if err := json.Unmarshal([]byte(body), &st); err != nil {
			return f, fmt.Errorf("scoring: frozen %s v%d: %w", f.Period, f.Version, err)
		}
		f.Scores = st.Scores
		f.Scores.Period = period.Period(st.Period)
	}
	return f, nil
}

func (s *Store) frozen(ctx context.Context, q database.Querier, unitID int64, code string, version int) (Frozen, error) {
	f, err := scanFrozen(q.QueryRowContext(ctx, frozenColumns+` WHERE unit_id = $1 AND period = $2 AND version = $3`, unitID, code, version), true)
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	return f, err
}

// FrozenVersion returns one version of a frozen period, with its results.
func (s *Store) FrozenVersion(ctx context.Context, unitID int64, code string, version int) (Frozen, error) {
	return s.frozen(ctx, s.db, unitID, code, version)
}

// FrozenVersions lists a period's versions, newest first, without results.
func (s *Store) FrozenVersions(ctx context.Context, unitID int64, code string) ([]Frozen, error) {
	rows, err := s.db.QueryContext(ctx, frozenColumns+` WHERE unit_id = $1 AND period = $2 ORDER BY version DESC`, unitID, code)
	if err != nil {
		return nil, fmt.Errorf("scoring: frozen versions: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Frozen, error) { return scanFrozen(r, false) })
}

// Published returns the published version of a period.
func (s *Store) Published(ctx context.Context, unitID int64, code string) (Frozen, error) {
	f, err := scanFrozen(s.db.QueryRowContext(ctx, frozenColumns+` WHERE unit_id = $1 AND period = $2 AND published_at IS NOT NULL`, unitID, code), true)
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	return f, err
}

// PublishedPeriods lists the periods with a published version, newest
// first.
func (s *Store) PublishedPeriods(ctx context.Context, unitID int64) ([]Frozen, error) {
	rows, err := s.db.QueryContext(ctx, frozenColumns+` WHERE unit_id = $1 AND published_at IS NOT NULL ORDER BY period DESC`, unitID)
	if err != nil {
		return nil, fmt.Errorf("scoring: published periods: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Frozen, error) { return scanFrozen(r, false) })
}

// FrozenPeriods lists every frozen period's latest version, newest period
// first.
func (s *Store) FrozenPeriods(ctx context.Context, unitID int64) ([]Frozen, error) {
	rows, err := s.db.QueryContext(ctx, frozenColumns+` p WHERE unit_id = $1
		AND version = (SELECT MAX(version) FROM score_periods x WHERE x.unit_id = p.unit_id AND x.period = p.period) ORDER BY period DESC`, unitID)
	if err != nil {
		return nil, fmt.Errorf("scoring: frozen periods: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Frozen, error) { return scanFrozen(r, false) })
}
