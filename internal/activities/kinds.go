package activities

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

const kindQuery = `SELECT id, code, name, dimension, form, rule, points_centi, extra_centi, rank_points, month_cap_centi, year_cap_centi, active FROM activity_kinds`

func scanKind(r database.Scanner) (Kind, error) {
	var k Kind
	var ranks string
	err := r.Scan(&k.ID, &k.Code, &k.Name, &k.Dimension, &k.Form, &k.Rule, &k.Points, &k.Extra, &ranks, &k.MonthCap, &k.YearCap, &k.Active)
	k.RankPoints = splitCenti(ranks)
	return k, err
}

// Kinds returns the unit's kinds in form order, giving it the defaults the
// first time.
func (s *Store) Kinds(ctx context.Context, unitID int64) ([]Kind, error) {
	if err := s.ensureKinds(ctx, unitID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, kindQuery+` WHERE unit_id = $1 ORDER BY id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("activities: kinds: %w", err)
	}
	ks, err := database.Collect(rows, scanKind)
	slices.SortStableFunc(ks, func(a, b Kind) int { return slices.Index(Forms, a.Form) - slices.Index(Forms, b.Form) })
	return ks, err
}

// KindsOf returns the unit's active kinds of a form.
func (s *Store) KindsOf(ctx context.Context, unitID int64, forms ...string) ([]Kind, error) {
	ks, err := s.Kinds(ctx, unitID)
	return slices.DeleteFunc(ks, func(k Kind) bool { return !k.Active || !slices.Contains(forms, k.Form) }), err
}

// Kind returns one kind of the unit.
func (s *Store) Kind(ctx context.Context, unitID, id int64) (Kind, error) {
	return kindBy(ctx, s.db, unitID, `id = $2`, id)
}

func kindBy(ctx context.Context, q database.Querier, unitID int64, where string, arg any) (Kind, error) {
	k, err := scanKind(q.QueryRowContext(ctx, kindQuery+` WHERE unit_id = $1 AND `+where, unitID, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return k, ErrNotFound
	}
	if err != nil {
		return k, fmt.Errorf("activities: kind: %w", err)
	}
	return k, nil
}

// KindInput is a kind as typed on the office's form; points and caps are
// in points ("2.5"), place points comma-separated ("10,8,6").
type KindInput struct {
	Name, Dimension, Form, Rule string
	Points, Extra, RankPoints   string
	MonthCap, YearCap           string
	Active                      bool
}

// MaxKindName limits a kind's name.
const MaxKindName = 50

// maxPoints bounds any one rule's points: 1,000 points is far beyond any
// plan's figure and keeps sums of a year well inside an int32 column.
const maxPoints = 100000

func (in KindInput) parse() (Kind, locale.Problems) {
	var ps locale.Problems
	k := Kind{Name: textnorm.CleanText(in.Name), Dimension: in.Dimension, Form: in.Form, Rule: in.Rule, Active: in.Active}
	textnorm.CheckLength(&ps, "name", "activities.field.name", k.Name, MaxKindName, true)
	if !slices.Contains(Dimensions, k.Dimension) {
		ps.Add("dimension", "activities.dimension_invalid")
	}
	if !slices.Contains(RulesOf[k.Form], k.Rule) {
		ps.Add("rule", "activities.rule_invalid")
	}
	points := func(field, value string, negative bool) int {
		c, ok := ParseCenti(textnorm.FoldWidth(value))
		switch {
		case strings.TrimSpace(value) == "":
			return 0
		case !ok || c > maxPoints || c < -maxPoints:
			ps.Add(field, "activities.points_invalid")
		case c < 0 && !negative:
			ps.Add(field, "activities.points_negative")
		}
		return c
	}
	deduction := k.Form == FormConduct
	k.Points = points("points", in.Points, deduction)
	k.Extra = points("extra", in.Extra, false)
	k.MonthCap = points("month_cap", in.MonthCap, false)
	k.YearCap = points("year_cap", in.YearCap, false)
	if k.Rule == RuleRank {
		for p := range strings.SplitSeq(textnorm.FoldWidth(in.RankPoints), ",") {
			if strings.TrimSpace(p) == "" {
				continue
			}
			k.RankPoints = append(k.RankPoints, points("rank_points", p, false))
		}
		if len(k.RankPoints) == 0 {
			ps.Add("rank_points", "activities.rank_points_required")
		}
		if len(k.RankPoints) > 20 {
			ps.Add("rank_points", "activities.rank_points_many", 20)
		}
	}
	if deduction && k.Points > 0 {
		ps.Add("points", "activities.deduction_positive")
	}
	if k.Points == 0 && k.Rule != RuleRank {
		ps.Add("points", "activities.points_required")
	}
	if k.YearCap > 0 && k.MonthCap > k.YearCap {
		ps.Add("month_cap", "activities.cap_order")
	}
	return k, ps
}

// SaveKind changes a kind's rule, or adds a kind when id is 0. A kind's
// form never changes: its records would no longer fit it; nor does its
// dimension once it has points. The new rule
// counts from now; points already in the ledger keep the rule they were
// earned under, while caps are applied when a ranking is summed.
func (s *Store) SaveKind(ctx context.Context, actor audit.Actor, unitID, id int64, in KindInput) (int64, error) {
	if id == 0 && (!slices.Contains(Forms, in.Form) || in.Form == FormConduct) {
		return 0, locale.FieldProblem("form", "activities.form_invalid")
	}
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var before *Kind
		if id != 0 {
			old, err := kindBy(ctx, tx, unitID, `id = $2`, id)
			if err != nil {
				return err
			}
			before, in.Form = &old, old.Form
		}
		k, ps := in.parse()
		if len(ps) > 0 {
			return ps
		}
		action := "update"
		if before == nil {
			action = "create"
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_kinds WHERE unit_id = $1`, unitID).Scan(&n); err != nil {
				return fmt.Errorf("activities: count kinds: %w", err)
			}
			if n >= 100 {
				return locale.NewError("activities.kinds_many", 100)
			}
			err := tx.QueryRowContext(ctx, `INSERT INTO activity_kinds (unit_id, code, name, dimension, form, rule, points_centi, extra_centi, rank_points, month_cap_centi, year_cap_centi, active, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
				unitID, fmt.Sprintf("k%d", s.now().UnixNano()), k.Name, k.Dimension, k.Form, k.Rule, k.Points, k.Extra, joinCenti(k.RankPoints), k.MonthCap, k.YearCap, true, s.now()).Scan(&id)
			if err != nil {
				return fmt.Errorf("activities: add kind: %w", err)
			}
		} else {
			if k.Dimension != before.Dimension {
				// Rankings sum a kind's points under its dimension; once it has
				// points, moving it would move its history too.
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM point_entries WHERE unit_id = $1 AND kind_id = $2`, unitID, id).Scan(&n); err != nil {
					return fmt.Errorf("activities: kind entries: %w", err)
				}
				if n > 0 {
					return locale.FieldProblem("dimension", "activities.dimension_locked")
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE activity_kinds SET name = $1, dimension = $2, rule = $3, points_centi = $4, extra_centi = $5, rank_points = $6,
				month_cap_centi = $7, year_cap_centi = $8, active = $9 WHERE unit_id = $10 AND id = $11`,
				k.Name, k.Dimension, k.Rule, k.Points, k.Extra, joinCenti(k.RankPoints), k.MonthCap, k.YearCap, k.Active, unitID, id); err != nil {
				return fmt.Errorf("activities: save kind: %w", err)
			}
		}
		k.ID = id
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "activity_kind", EntityID: id, Before: before, After: k})
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// Settings are a unit's shares of leading and lagging on every ranking.
type Settings struct {
	LeadingPct int `json:"leading_pct"`
	LaggingPct int `json:"lagging_pct"`
}

// DefaultSettings: the top fifth leads, the bottom fifth lags.
var DefaultSettings = Settings{LeadingPct: 20, LaggingPct: 20}

// Settings returns the unit's tier shares.
func (s *Store) Settings(ctx context.Context, unitID int64) (Settings, error) {
	return settings(ctx, s.db, unitID)
}

func settings(ctx context.Context, q database.Querier, unitID int64) (Settings, error) {
	st := DefaultSettings
	err := q.QueryRowContext(ctx, `SELECT leading_pct, lagging_pct FROM activity_settings WHERE unit_id = $1`, unitID).Scan(&st.LeadingPct, &st.LaggingPct)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("activities: settings: %w", err)
	}
	return st, nil
}

// SaveSettings stores the tier shares: each 0–50 %, so the tiers never overlap.
func (s *Store) SaveSettings(ctx context.Context, actor audit.Actor, unitID int64, st Settings) error {
	var ps locale.Problems
	if st.LeadingPct < 0 || st.LeadingPct > 50 {
		ps.Add("leading_pct", "activities.share_invalid")
	}
	if st.LaggingPct < 0 || st.LaggingPct > 50 {
		ps.Add("lagging_pct", "activities.share_invalid")
	}
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := settings(ctx, tx, unitID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_settings (unit_id, leading_pct, lagging_pct) VALUES ($1, $2, $3)
			ON CONFLICT (unit_id) DO UPDATE SET leading_pct = excluded.leading_pct, lagging_pct = excluded.lagging_pct`, unitID, st.LeadingPct, st.LaggingPct); err != nil {
			return fmt.Errorf("activities: save settings: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "activity_settings", EntityID: unitID, Before: before, After: st})
	})
}
