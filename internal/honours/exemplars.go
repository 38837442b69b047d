package honours

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// States of an exemplar story: written, sent to the office, published on
// the portal, or returned for changes.
const (
	ExemplarDraft     = "draft"
	ExemplarSubmitted = "submitted"
	ExemplarPublished = "published"
	ExemplarReturned  = "returned"
)

// Limits of a story.
const (
	MaxTitleLen       = 60
	MaxStoryLen       = 5000
	MaxExemplarPhotos = 6
	exemplarPhotoSide = 1280
)

// Exemplar is a 典型示范 story: of an honour or of a person.
type Exemplar struct {
	ID         int64      `json:"id"`
	HonourID   int64      `json:"honour_id,omitempty"`
	HonourName string     `json:"honour,omitempty"` // the kind and period
	StaffID    int64      `json:"staff_id,omitempty"`
	StaffName  string     `json:"staff,omitempty"`
	Year       int        `json:"year"`
	Title      string     `json:"title"`
	Story      string     `json:"story"`
	State      string     `json:"state"`
	ReviewNote string     `json:"review_note,omitempty"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	ReviewedBy string     `json:"reviewed_by,omitempty"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	Photos     []int64    `json:"photos,omitempty"`
}

// ExemplarInput is a story as written.
type ExemplarInput struct {
	HonourID, StaffID int64
	Title, Story      string
}

const exemplarQuery = `SELECT e.id, COALESCE(e.honour_id, 0), COALESCE(k.name || ' · ' || h.name || ' · ' || h.period, ''), COALESCE(e.staff_id, 0),
	COALESCE(s.name, ''), e.year, e.title, e.story, e.state, e.review_note, e.created_by, e.created_at, e.reviewed_by, e.reviewed_at
	FROM exemplars e LEFT JOIN honours h ON h.id = e.honour_id AND h.unit_id = e.unit_id
	LEFT JOIN honour_kinds k ON k.id = h.kind_id AND k.unit_id = e.unit_id
	LEFT JOIN staff s ON s.id = e.staff_id AND s.unit_id = e.unit_id`

func scanExemplar(r database.Scanner) (Exemplar, error) {
	var e Exemplar
	var reviewed sql.NullTime
	err := r.Scan(&e.ID, &e.HonourID, &e.HonourName, &e.StaffID, &e.StaffName, &e.Year, &e.Title, &e.Story, &e.State, &e.ReviewNote,
		&e.CreatedBy, &e.CreatedAt, &e.ReviewedBy, &reviewed)
	e.ReviewedAt = timeOf(reviewed)
	return e, err
}

// Exemplars lists the unit's stories, newest year first; published only
// lists those the office published.
func (s *Store) Exemplars(ctx context.Context, unitID int64, published bool) ([]Exemplar, error) {
	q := exemplarQuery + ` WHERE e.unit_id = $1`
	if published {
		q += ` AND e.state = 'published'`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY e.year DESC, e.id DESC`, unitID)
	if err != nil {
		return nil, fmt.Errorf("honours: exemplars: %w", err)
	}
	list, err := database.Collect(rows, scanExemplar)
	if err != nil {
		return nil, err
	}
	photos, err := s.photoIDs(ctx, unitID)
	for i := range list {
		list[i].Photos = photos[list[i].ID]
	}
	return list, err
}

// Exemplar returns one story of the unit with its photos.
func (s *Store) Exemplar(ctx context.Context, unitID, id int64) (Exemplar, error) {
	e, err := scanExemplar(s.db.QueryRowContext(ctx, exemplarQuery+` WHERE e.unit_id = $1 AND e.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, ErrNotFound
	}
	if err != nil {
		return e, fmt.Errorf("honours: exemplar %d: %w", id, err)
	}
	photos, err := s.photoIDs(ctx, unitID)
	e.Photos = photos[id]
	return e, err
}

func (s *Store) photoIDs(ctx context.Context, unitID int64) (map[int64][]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT exemplar_id, id FROM exemplar_photos WHERE unit_id = $1 ORDER BY id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("honours: exemplar photos: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var e, p int64
		if err := rows.Scan(&e, &p); err != nil {
			return nil, err
		}
		out[e] = append(out[e], p)
	}
	return out, rows.Err()
}

// WriteExemplar adds a story, or changes one not yet published, with the
// photos given (JPEG or PNG, each checked and re-encoded). Every photo is
// checked before anything is stored, so a refused photo loses nothing.
func (s *Store) WriteExemplar(ctx context.Context, actor audit.Actor, unitID, id int64, in ExemplarInput, photos [][]byte) (int64, error) {
	in.Title, in.Story = textnorm.CleanText(in.Title), textnorm.CleanMultiline(in.Story)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "title", "honours.exemplar_title", in.Title, MaxTitleLen, true)
	textnorm.CheckLength(&ps, "story", "honours.exemplar_story", in.Story, MaxStoryLen, true)
	if in.HonourID == 0 && in.StaffID == 0 {
		ps.Add("staff", "honours.exemplar_of")
	}
	year := s.now().Year()
	if in.HonourID != 0 {
		a, err := s.Award(ctx, unitID, in.HonourID)
		if err != nil || a.Revoked() {
			ps.Add("honour", "honours.exemplar_honour_unknown")
		} else {
			year = a.To.AddDate(0, 0, -1).Year()
			if a.Subject == SubjectPerson && in.StaffID == 0 {
				in.StaffID = a.SubjectID
			}
		}
	}
	if in.StaffID != 0 {
		staff, err := s.staff(ctx, unitID)
		if err != nil {
			return 0, err
		}
		if _, ok := staff[in.StaffID]; !ok {
			ps.Add("staff", "honours.nominee_unknown")
		}
	}
	var prepared [][]byte
	for _, p := range photos {
		jpg, err := org.PrepareImage(p, exemplarPhotoSide, org.MaxPhotoBytes)
		if e, ok := locale.AsError(err); ok {
			ps = append(ps, locale.Problem{Field: "photos", Err: e})
			continue
		}
		if err != nil {
			return 0, err
		}
		prepared = append(prepared, jpg)
	}
	if len(ps) > 0 {
		return 0, ps
	}
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var before any
		now := s.now()
		if id == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO exemplars (unit_id, honour_id, staff_id, year, title, story, state, created_by, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, unitID, database.NullID(in.HonourID), database.NullID(in.StaffID), year,
				in.Title, in.Story, ExemplarDraft, actor.Name, now).Scan(&id)
			if err != nil {
				return fmt.Errorf("honours: add exemplar: %w", err)
			}
		} else {
			old, err := scanExemplar(tx.QueryRowContext(ctx, exemplarQuery+` WHERE e.unit_id = $1 AND e.id = $2`, unitID, id))
			if err != nil {
				return ErrNotFound
			}
			if old.State == ExemplarPublished || old.State == ExemplarSubmitted {
				return ErrStage
			}
			before = old
			if _, err := tx.ExecContext(ctx, `UPDATE exemplars SET honour_id = $1, staff_id = $2, year = $3, title = $4, story = $5, state = $6
				WHERE unit_id = $7 AND id = $8`, database.NullID(in.HonourID), database.NullID(in.StaffID), year, in.Title, in.Story, ExemplarDraft, unitID, id); err != nil {
				return fmt.Errorf("honours: change exemplar: %w", err)
			}
		}
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM exemplar_photos WHERE unit_id = $1 AND exemplar_id = $2`, unitID, id).Scan(&have); err != nil {
			return err
		}
		if have+len(prepared) > MaxExemplarPhotos {
			return locale.FieldProblem("photos", "honours.exemplar_photos_many", MaxExemplarPhotos)
		}
		for _, jpg := range prepared {
			if _, err := tx.ExecContext(ctx, `INSERT INTO exemplar_photos (unit_id, exemplar_id, data, created_at) VALUES ($1, $2, $3, $4)`,
				unitID, id, jpg, now); err != nil {
				return fmt.Errorf("honours: exemplar photo: %w", err)
			}
		}
		return s.exemplarAudit(ctx, tx, actor, unitID, id, "save", before, len(prepared))
	})
	return id, err
}

func (s *Store) exemplarAudit(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID, id int64, action string, before any, photos int) error {
	after, err := scanExemplar(tx.QueryRowContext(ctx, exemplarQuery+` WHERE e.unit_id = $1 AND e.id = $2`, unitID, id))
	if err != nil {
		return err
	}
	return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "exemplar", EntityID: id, Before: before,
		After: map[string]any{"exemplar": after, "photos_added": photos}})
}

// MoveExemplar submits a story to the office (from draft or returned), or
// the office publishes or returns a submitted one with a note.
func (s *Store) MoveExemplar(ctx context.Context, actor audit.Actor, unitID, id int64, to, note string) error {
	note = textnorm.CleanMultiline(note)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "note", "honours.exemplar_note", note, MaxReasonLen, to == ExemplarReturned)
	if len(ps) > 0 {
		return ps
	}
	from := map[string][]string{ExemplarSubmitted: {ExemplarDraft, ExemplarReturned}, ExemplarPublished: {ExemplarSubmitted}, ExemplarReturned: {ExemplarSubmitted}}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		old, err := scanExemplar(tx.QueryRowContext(ctx, exemplarQuery+` WHERE e.unit_id = $1 AND e.id = $2`, unitID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		ok := false
		for _, f := range from[to] {
			ok = ok || old.State == f
		}
		if !ok {
			return ErrStage
		}
		q := `UPDATE exemplars SET state = $1 WHERE unit_id = $2 AND id = $3`
		args := []any{to, unitID, id}
		if to != ExemplarSubmitted {
			q = `UPDATE exemplars SET state = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4 WHERE unit_id = $5 AND id = $6`
			args = []any{to, note, actor.Name, s.now(), unitID, id}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("honours: move exemplar: %w", err)
		}
		return s.exemplarAudit(ctx, tx, actor, unitID, id, to, old, 0)
	})
}

// ExemplarPhoto returns one photo; published only finds the photos of
// published stories, for the portal.
func (s *Store) ExemplarPhoto(ctx context.Context, unitID, id int64, published bool) ([]byte, error) {
	q := `SELECT p.data FROM exemplar_photos p JOIN exemplars e ON e.id = p.exemplar_id AND e.unit_id = p.unit_id WHERE p.unit_id = $1 AND p.id = $2`
	if published {
		q += ` AND e.state = 'published'`
	}
	var data []byte
	err := s.db.QueryRowContext(ctx, q, unitID, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return data, err
}
