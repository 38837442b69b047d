package calendar

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// Store keeps a unit's own calendar days.
type Store struct{ db *database.DB }

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

// UnitDay is a unit's own day, with its id.
type UnitDay struct {
	ID int64 `json:"id"`
	Day
}

// Days lists the unit's own days in date order.
func (s *Store) Days(ctx context.Context, unitID int64) ([]UnitDay, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, day, kind, name, source FROM calendar_days WHERE unit_id = $1 ORDER BY day`, unitID)
	if err != nil {
		return nil, fmt.Errorf("calendar: list: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (UnitDay, error) {
		var d UnitDay
		err := r.Scan(&d.ID, &d.Date, &d.Kind, &d.Name, &d.Source)
		return d, err
	})
}

// ForUnit is the national calendar with the unit's days laid over it.
func (s *Store) ForUnit(ctx context.Context, unitID int64) (*Calendar, error) {
	days, err := s.Days(ctx, unitID)
	if err != nil {
		return nil, err
	}
	local := make([]Day, len(days))
	for i, d := range days {
		local[i] = d.Day
	}
	return National().With(local), nil
}

// Schedule is what a unit's deadlines are counted on: its calendar, its
// office hours and its time zone.
type Schedule struct {
	Calendar *Calendar
	Hours    OfficeHours
	Location *time.Location
}

// Deadline is the end of office hours on the n-th working day after t, in
// the unit's zone, as UTC.
func (sc Schedule) Deadline(t time.Time, n int) time.Time {
	return sc.Calendar.Deadline(t.In(sc.Location), n, sc.Hours).UTC()
}

// Schedule loads the unit's calendar, office hours and time zone (China
// Standard Time when the zone is unknown to this machine).
func (s *Store) Schedule(ctx context.Context, unitID int64) (Schedule, error) {
	var tz string
	if err := s.db.QueryRowContext(ctx, `SELECT timezone FROM units WHERE id = $1`, unitID).Scan(&tz); err != nil {
		return Schedule{}, fmt.Errorf("calendar: unit %d: %w", unitID, err)
	}
	loc := org.Location(tz)
	cal, err := s.ForUnit(ctx, unitID)
	if err != nil {
		return Schedule{}, err
	}
	hours, err := s.Hours(ctx, unitID)
	if err != nil {
		return Schedule{}, err
	}
	return Schedule{Calendar: cal, Hours: hours, Location: loc}, nil
}

func check(d *Day) locale.Problems {
	var ps locale.Problems
	d.Name, d.Source = textnorm.CleanText(d.Name), textnorm.CleanText(d.Source)
	if t, err := time.Parse(time.DateOnly, textnorm.FoldWidth(d.Date)); err != nil {
		ps.Add("date", "calendar.date_invalid", d.Date)
	} else {
		d.Date = t.Format(time.DateOnly)
	}
	if d.Kind != Off && d.Kind != Work {
		ps.Add("kind", "calendar.kind_invalid")
	}
	if d.Name == "" || utf8.RuneCountInString(d.Name) > 50 {
		ps.Add("name", "calendar.name_required")
	}
	if utf8.RuneCountInString(d.Source) > 200 {
		ps.Add("source", "error.too_long", "来源", 200)
	}
	return ps
}

// Add records the unit's own days, all or none: one from a form, or a
// whole file of next year's notice. A date the unit has already set is
// refused; remove it first.
func (s *Store) Add(ctx context.Context, actor audit.Actor, unitID int64, days []Day) error {
	var ps locale.Problems
	seen := map[string]bool{}
	for i := range days {
		for _, p := range check(&days[i]) {
			ps = append(ps, p)
		}
		if seen[days[i].Date] {
			ps.Add("date", "calendar.date_twice", days[i].Date)
		}
		seen[days[i].Date] = true
	}
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		var entries []audit.Entry
		for _, d := range days {
			var id int64
			if tx.QueryRowContext(ctx, `SELECT id FROM calendar_days WHERE unit_id = $1 AND day = $2`, unitID, d.Date).Scan(&id) == nil {
				return locale.FieldProblem("date", "calendar.date_taken", d.Date)
			}
			err := tx.QueryRowContext(ctx, `INSERT INTO calendar_days (unit_id, day, kind, name, source, created_at)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, unitID, d.Date, d.Kind, d.Name, d.Source, database.Now()).Scan(&id)
			if database.IsUniqueViolation(err) {
				return locale.FieldProblem("date", "calendar.date_taken", d.Date)
			}
			if err != nil {
				return fmt.Errorf("calendar: insert: %w", err)
			}
			entries = append(entries, audit.Entry{UnitID: unitID, Action: "create", Entity: "calendar_day", EntityID: id, After: d})
		}
		return audit.AppendBatch(ctx, tx, actor, entries)
	})
}

// Remove deletes one of the unit's own days.
func (s *Store) Remove(ctx context.Context, actor audit.Actor, unitID, id int64) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		var d Day
		err := tx.QueryRowContext(ctx, `SELECT day, kind, name, source FROM calendar_days WHERE unit_id = $1 AND id = $2`, unitID, id).
			Scan(&d.Date, &d.Kind, &d.Name, &d.Source)
		if err != nil {
			return locale.NewError("calendar.day_unknown")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_days WHERE unit_id = $1 AND id = $2`, unitID, id); err != nil {
			return fmt.Errorf("calendar: delete: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "delete", Entity: "calendar_day", EntityID: id, Before: d})
	})
}

// Hours returns the unit's office hours, DefaultHours until it sets its own.
func (s *Store) Hours(ctx context.Context, unitID int64) (OfficeHours, error) {
	var text string
	err := s.db.QueryRowContext(ctx, `SELECT hours FROM office_hours WHERE unit_id = $1`, unitID).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultHours, nil
	}
	if err != nil {
		return DefaultHours, fmt.Errorf("calendar: office hours: %w", err)
	}
	return ParseHours(text)
}

// SetHours records the unit's office hours, written "08:30-17:30".
func (s *Store) SetHours(ctx context.Context, actor audit.Actor, unitID int64, text string) error {
	h, err := ParseHours(textnorm.FoldWidth(text))
	if err != nil {
		return locale.FieldProblem("hours", "calendar.hours_invalid", textnorm.Abbreviate(text, 20))
	}
	before, err := s.Hours(ctx, unitID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO office_hours (unit_id, hours) VALUES ($1, $2)
			ON CONFLICT (unit_id) DO UPDATE SET hours = excluded.hours`, unitID, h.String())
		if err != nil {
			return fmt.Errorf("calendar: set office hours: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "office_hours", EntityID: unitID,
			Before: map[string]string{"hours": before.String()}, After: map[string]string{"hours": h.String()}})
	})
}
