package reviews

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

const meetingQuery = `SELECT m.id, m.month, m.scope, m.scope_id, COALESCE(b.name, d.name, ''), m.summary, m.created_at, m.published_at
	FROM review_meetings m
	LEFT JOIN branches b ON m.scope = 'branch' AND b.id = m.scope_id AND b.unit_id = m.unit_id
	LEFT JOIN departments d ON m.scope = 'window' AND d.id = m.scope_id AND d.unit_id = m.unit_id`

func scanMeeting(r database.Scanner) (Meeting, error) {
	var m Meeting
	err := r.Scan(&m.ID, &m.Month, &m.Scope, &m.ScopeID, &m.ScopeName, &m.Summary, &m.CreatedAt, &m.PublishedAt)
	return m, err
}

// List returns the meetings u holds or oversees, newest month first.
func (s *Store) List(ctx context.Context, unitID int64, u accounts.User) ([]Meeting, error) {
	q, args := meetingQuery+` WHERE m.unit_id = $1`, []any{unitID}
	switch {
	case u.IsAdmin():
	case u.Role == accounts.RoleBranchSecretary:
		q, args = q+` AND m.scope = 'branch' AND m.scope_id = $2`, append(args, u.BranchID)
	case u.Role == accounts.RoleWindowLead:
		q, args = q+` AND m.scope = 'window' AND m.scope_id = $2`, append(args, u.DepartmentID)
	default:
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY m.month DESC, m.scope, m.scope_id LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("reviews: list: %w", err)
	}
	return database.Collect(rows, scanMeeting)
}

// Get returns a meeting with one entry per person in its scope: the
// recorded reviews, and empty ones for people still to review (only while
// the meeting is not yet published).
func (s *Store) Get(ctx context.Context, unitID, id int64) (Meeting, error) {
	m, err := scanMeeting(s.db.QueryRowContext(ctx, meetingQuery+` WHERE m.unit_id = $1 AND m.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("reviews: get: %w", err)
	}
	if m.Entries, err = s.entries(ctx, unitID, `e.meeting_id = $2`, id); err != nil {
		return m, err
	}
	if m.Published() {
		return m, nil
	}
	members, err := s.members(ctx, unitID, m.Scope, m.ScopeID)
	if err != nil {
		return m, err
	}
	for _, p := range members {
		if !slices.ContainsFunc(m.Entries, func(e Entry) bool { return e.StaffID == p.StaffID }) {
			m.Entries = append(m.Entries, p)
		}
	}
	return m, nil
}

const entryQuery = `SELECT e.staff_id, s.name, COALESCE(d.name, ''), e.attitude, e.quality, e.efficiency, e.discipline,
	e.attitude_note, e.quality_note, e.efficiency_note, e.discipline_note, e.remark, e.remark_note, e.score_centi, m.month
	FROM review_entries e
	JOIN review_meetings m ON m.id = e.meeting_id AND m.unit_id = e.unit_id
	JOIN staff s ON s.id = e.staff_id AND s.unit_id = e.unit_id
	LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id`

func scanEntry(r database.Scanner) (Entry, error) {
	var e Entry
	err := r.Scan(&e.StaffID, &e.Name, &e.Window, &e.Grades[0], &e.Grades[1], &e.Grades[2], &e.Grades[3],
		&e.Notes[0], &e.Notes[1], &e.Notes[2], &e.Notes[3], &e.Remark, &e.RemarkNote, &e.ScoreCenti, &e.Month)
	return e, err
}

func (s *Store) entries(ctx context.Context, unitID int64, where string, args ...any) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, entryQuery+` WHERE e.unit_id = $1 AND `+where+` ORDER BY m.month DESC, d.name, s.name, e.staff_id`,
		append([]any{unitID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("reviews: entries: %w", err)
	}
	return database.Collect(rows, scanEntry)
}

// members are the active people of a scope, as empty entries.
func (s *Store) members(ctx context.Context, unitID int64, scope string, scopeID int64) ([]Entry, error) {
	q := `SELECT s.id, s.name, COALESCE(d.name, '') FROM staff s LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id
		WHERE s.unit_id = $1 AND s.active = TRUE`
	args := []any{unitID}
	switch scope {
	case ScopeBranch:
		q, args = q+` AND s.branch_id = $2`, append(args, scopeID)
	case ScopeWindow:
		q, args = q+` AND s.department_id = $2`, append(args, scopeID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY d.name, s.name, s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("reviews: members: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Entry, error) {
		var e Entry
		err := r.Scan(&e.StaffID, &e.Name, &e.Window)
		return e, err
	})
}

// EntryInput is one person's review as the form sends it. A person with
// no grade at all is left out; one with some grades must have all four.
type EntryInput struct {
	StaffID    int64
	Grades     [4]int
	Notes      [4]string
	Remark     string
	RemarkNote string
}

func (in *EntryInput) clean(ps *locale.Problems, prefix string) (skip bool) {
	given := 0
	for i, g := range in.Grades {
		if g != 0 {
			given++
		}
		if g != 0 && !slices.Contains(Grades, g) {
			ps.Add(prefix+Dimensions[i], "review.grade_invalid")
		}
		in.Notes[i] = textnorm.CleanText(in.Notes[i])
		if utf8.RuneCountInString(in.Notes[i]) > MaxNote {
			ps.Add(prefix+Dimensions[i]+"_note", "review.note_too_long", MaxNote)
		}
	}
	in.RemarkNote = textnorm.CleanMultiline(in.RemarkNote)
	if given == 0 && in.Remark == "" && in.RemarkNote == "" {
		return true
	}
	if given < len(Dimensions) {
		for i, g := range in.Grades {
			if g == 0 {
				ps.Add(prefix+Dimensions[i], "review.grade_required")
			}
		}
	}
	if in.Remark != "" && !slices.Contains(Remarks, in.Remark) {
		ps.Add(prefix+"remark", "review.remark_invalid")
	}
	if utf8.RuneCountInString(in.RemarkNote) > MaxRemark {
		ps.Add(prefix+"remark_note", "review.note_too_long", MaxRemark)
	}
	return false
}

// FieldPrefix names a person's fields in the form and its problems.
func FieldPrefix(staffID int64) string { return fmt.Sprintf("p%d_", staffID) }

// Save keeps the meeting's summary and its reviews while it is not yet
// published. Everything is checked before anything is written.
func (s *Store) Save(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, summary string, in []EntryInput) error {
	m, err := s.Get(ctx, unitID, id)
	if err != nil {
		return err
	}
	if !CanRecord(u, m.Scope, m.ScopeID) {
		return ErrForbidden
	}
	if m.Published() {
		return locale.NewError("review.published").Of(failure.Conflict)
	}
	var ps locale.Problems
	summary = textnorm.CleanMultiline(summary)
	if utf8.RuneCountInString(summary) > MaxSummary {
		ps.Add("summary", "error.too_long", "上月工作总结", MaxSummary)
	}
	var keep []EntryInput
	for _, e := range in {
		if !slices.ContainsFunc(m.Entries, func(x Entry) bool { return x.StaffID == e.StaffID }) {
			ps.Add("", "review.person_not_in_scope")
			continue
		}
		if !e.clean(&ps, FieldPrefix(e.StaffID)) {
			keep = append(keep, e)
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE review_meetings SET summary = $1 WHERE unit_id = $2 AND id = $3 AND published_at IS NULL`, summary, unitID, id)
		if err != nil {
			return fmt.Errorf("reviews: summary: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return locale.NewError("review.published").Of(failure.Conflict) // published in the meantime
		}
		if summary != m.Summary {
			if err := audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "review_meeting", EntityID: id,
				Before: map[string]any{"summary": m.Summary}, After: map[string]any{"summary": summary}}); err != nil {
				return err
			}
		}
		now := s.now()
		for _, e := range keep {
			g, n := e.Grades, e.Notes
			_, err := tx.ExecContext(ctx, `INSERT INTO review_entries (unit_id, meeting_id, staff_id, attitude, quality, efficiency, discipline,
				attitude_note, quality_note, efficiency_note, discipline_note, remark, remark_note, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
				ON CONFLICT (meeting_id, staff_id) DO UPDATE SET attitude = $4, quality = $5, efficiency = $6, discipline = $7,
				attitude_note = $8, quality_note = $9, efficiency_note = $10, discipline_note = $11, remark = $12, remark_note = $13, updated_at = $14`,
				unitID, id, e.StaffID, g[0], g[1], g[2], g[3], n[0], n[1], n[2], n[3], e.Remark, e.RemarkNote, now)
			if err != nil {
				return fmt.Errorf("reviews: save entry: %w", err)
			}
			if err := audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "review_entry", EntityID: id,
				After: map[string]any{"staff_id": e.StaffID, "grades": g, "notes": n, "remark": e.Remark, "remark_note": e.RemarkNote}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Publish makes the meeting's reviews visible to each person and to the
// public summary, and keeps each score with the unit's points of today.
func (s *Store) Publish(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64) error {
	m, err := s.Get(ctx, unitID, id)
	if err != nil {
		return err
	}
	if !CanRecord(u, m.Scope, m.ScopeID) {
		return ErrForbidden
	}
	if !slices.ContainsFunc(m.Entries, Entry.Recorded) {
		return locale.NewError("review.nothing_to_publish")
	}
	st, err := s.Settings(ctx, unitID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE review_meetings SET published_at = $1 WHERE unit_id = $2 AND id = $3 AND published_at IS NULL`, s.now(), unitID, id)
		if err != nil {
			return fmt.Errorf("reviews: publish: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // published already: a second click changes nothing
		}
		p := st.Points
		// The mean of four points × 100 is exactly 25 × their sum.
		if _, err := tx.ExecContext(ctx, `UPDATE review_entries SET score_centi = 25 * (
			CASE attitude WHEN 4 THEN CAST($1 AS INTEGER) WHEN 3 THEN CAST($2 AS INTEGER) WHEN 2 THEN CAST($3 AS INTEGER) ELSE CAST($4 AS INTEGER) END +
			CASE quality WHEN 4 THEN CAST($1 AS INTEGER) WHEN 3 THEN CAST($2 AS INTEGER) WHEN 2 THEN CAST($3 AS INTEGER) ELSE CAST($4 AS INTEGER) END +
			CASE efficiency WHEN 4 THEN CAST($1 AS INTEGER) WHEN 3 THEN CAST($2 AS INTEGER) WHEN 2 THEN CAST($3 AS INTEGER) ELSE CAST($4 AS INTEGER) END +
			CASE discipline WHEN 4 THEN CAST($1 AS INTEGER) WHEN 3 THEN CAST($2 AS INTEGER) WHEN 2 THEN CAST($3 AS INTEGER) ELSE CAST($4 AS INTEGER) END)
			WHERE unit_id = $5 AND meeting_id = $6`, p[Good], p[Fair], p[Average], p[Poor], unitID, id); err != nil {
			return fmt.Errorf("reviews: scores: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "publish", Entity: "review_meeting", EntityID: id,
			After: map[string]any{"month": m.Month, "points": p[1:]}})
	})
}

// Mine returns a person's published reviews, newest first.
func (s *Store) Mine(ctx context.Context, unitID, staffID int64) ([]Entry, error) {
	return s.entries(ctx, unitID, `e.staff_id = $2 AND m.published_at IS NOT NULL`, staffID)
}

// Month returns the published meetings of a month with their reviews.
func (s *Store) Month(ctx context.Context, unitID int64, month string) ([]Meeting, error) {
	rows, err := s.db.QueryContext(ctx, meetingQuery+` WHERE m.unit_id = $1 AND m.month = $2 AND m.published_at IS NOT NULL ORDER BY m.scope, m.scope_id`, unitID, month)
	if err != nil {
		return nil, fmt.Errorf("reviews: month: %w", err)
	}
	ms, err := database.Collect(rows, scanMeeting)
	for i := range ms {
		if err != nil {
			break
		}
		ms[i].Entries, err = s.entries(ctx, unitID, `e.meeting_id = $2`, ms[i].ID)
	}
	return ms, err
}

// Line is one published review score: who, from which meeting, how much.
type Line struct {
	MeetingID  int64     `json:"meeting_id"`
	Month      string    `json:"month"`
	Scope      string    `json:"scope"`
	ScopeID    int64     `json:"scope_id"`
	At         time.Time `json:"at"` // when the meeting was published
	StaffID    int64     `json:"staff_id"`
	Name       string    `json:"name"`
	ScoreCenti int       `json:"score_centi"`
}

// Lines returns every published score of the months, in one query: what
// 五创's scores read, however many meetings a big unit holds.
func (s *Store) Lines(ctx context.Context, unitID int64, months []string) ([]Line, error) {
	w := database.NewWhere(` WHERE e.unit_id = ? AND m.published_at IS NOT NULL AND e.score_centi IS NOT NULL`, unitID)
	database.In(w, "m.month", months)
	rows, err := s.db.QueryContext(ctx, `SELECT m.id, m.month, m.scope, m.scope_id, m.published_at, e.staff_id, st.name, e.score_centi
		FROM review_entries e JOIN review_meetings m ON m.id = e.meeting_id AND m.unit_id = e.unit_id
		JOIN staff st ON st.id = e.staff_id AND st.unit_id = e.unit_id`+w.SQL()+` ORDER BY m.month, m.id, e.staff_id`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("reviews: lines: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Line, error) {
		var l Line
		return l, r.Scan(&l.MeetingID, &l.Month, &l.Scope, &l.ScopeID, &l.At, &l.StaffID, &l.Name, &l.ScoreCenti)
	})
}
