package activities

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// MaxScore is the highest contest score a judge can enter.
const MaxScore = 1000

// Contest is a skill contest and its participants.
type Contest struct {
	ID          int64         `json:"id"`
	KindID      int64         `json:"kind_id"`
	KindName    string        `json:"kind"`
	Rule        string        `json:"rule"`
	Title       string        `json:"title"`
	HeldOn      string        `json:"held_on"`
	PublishedAt *time.Time    `json:"published_at,omitempty"`
	Entries     []Participant `json:"participants,omitempty"`
}

// Participant is one entered person, their score (hundredths) and place.
type Participant struct {
	StaffID int64  `json:"staff_id"`
	Name    string `json:"name"`
	Window  string `json:"window,omitempty"`
	Score   *int   `json:"score_centi,omitempty"`
	Place   *int   `json:"place,omitempty"`
	Points  int    `json:"points_centi,omitempty"`
}

// ContestInput is a contest as typed.
type ContestInput struct {
	KindID int64
	Title  string
	HeldOn string
}

// CreateContest: the office organises contests and enters the judges' scores.
func (s *Store) CreateContest(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, in ContestInput) (int64, error) {
	if !u.IsAdmin() {
		return 0, ErrForbidden
	}
	var ps locale.Problems
	in.Title = textnorm.CleanText(in.Title)
	textnorm.CheckLength(&ps, "title", "activities.field.title", in.Title, MaxTitle, true)
	held, err := time.Parse(time.DateOnly, textnorm.FoldWidth(in.HeldOn))
	if err != nil {
		ps.Add("held_on", "activities.date_invalid")
	}
	k, err := kindBy(ctx, s.db, unitID, `id = $2`, in.KindID)
	if err != nil || k.Form != FormContest || !k.Active {
		ps.Add("kind", "activities.kind_invalid")
	}
	if len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO contests (unit_id, kind_id, title, held_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			unitID, k.ID, in.Title, held.Format(time.DateOnly), u.ID, s.now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("activities: create contest: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "contest", EntityID: id,
			After: map[string]any{"kind_id": k.ID, "title": in.Title, "held_on": held.Format(time.DateOnly)}})
	})
	return id, err
}

const contestQuery = `SELECT c.id, c.kind_id, k.name, k.rule, c.title, c.held_on, c.published_at FROM contests c
	JOIN activity_kinds k ON k.id = c.kind_id AND k.unit_id = c.unit_id`

func scanContest(r database.Scanner) (Contest, error) {
	var c Contest
	err := r.Scan(&c.ID, &c.KindID, &c.KindName, &c.Rule, &c.Title, &c.HeldOn, &c.PublishedAt)
	return c, err
}

// Contests lists the unit's contests, newest first.
func (s *Store) Contests(ctx context.Context, unitID int64) ([]Contest, error) {
	rows, err := s.db.QueryContext(ctx, contestQuery+` WHERE c.unit_id = $1 ORDER BY c.held_on DESC, c.id DESC LIMIT 200`, unitID)
	if err != nil {
		return nil, fmt.Errorf("activities: contests: %w", err)
	}
	return database.Collect(rows, scanContest)
}

// Contest returns a contest with its participants, best first once scored.
func (s *Store) Contest(ctx context.Context, unitID, id int64) (Contest, error) {
	return contest(ctx, s.db, unitID, id)
}

func contest(ctx context.Context, q database.Querier, unitID, id int64) (Contest, error) {
	c, err := scanContest(q.QueryRowContext(ctx, contestQuery+` WHERE c.unit_id = $1 AND c.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("activities: contest: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT e.staff_id, s.name, COALESCE(d.name, ''), e.score_centi, e.place,
		COALESCE((SELECT p.points_centi FROM point_entries p WHERE p.unit_id = e.unit_id AND p.source = 'contest' AND p.source_id = e.contest_id AND p.staff_id = e.staff_id), 0)
		FROM contest_entries e JOIN staff s ON s.id = e.staff_id AND s.unit_id = e.unit_id
		LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id
		WHERE e.unit_id = $1 AND e.contest_id = $2`, unitID, id)
	if err != nil {
		return c, fmt.Errorf("activities: participants: %w", err)
	}
	c.Entries, err = database.Collect(rows, func(r database.Scanner) (Participant, error) {
		var p Participant
		return p, r.Scan(&p.StaffID, &p.Name, &p.Window, &p.Score, &p.Place, &p.Points)
	})
	slices.SortFunc(c.Entries, func(a, b Participant) int {
		return cmp.Or(cmp.Compare(deref(b.Score, -1), deref(a.Score, -1)), cmp.Compare(a.Name, b.Name))
	})
	return c, err
}

func deref(p *int, none int) int {
	if p == nil {
		return none
	}
	return *p
}

// Enter adds people to a contest before its results are out; people
// already entered stay as they are. Only the unit's serving people can be
// entered.
func (s *Store) Enter(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, staffIDs []int64) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	if len(staffIDs) == 0 {
		return locale.FieldProblem("staff", "activities.participants_required")
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		c, err := contest(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if c.PublishedAt != nil {
			return locale.NewError("activities.contest_published")
		}
		for _, sid := range staffIDs {
			if !org.Serving(ctx, tx, unitID, sid) {
				return locale.FieldProblem("staff", "activities.staff_invalid")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO contest_entries (unit_id, contest_id, staff_id) VALUES ($1, $2, $3) ON CONFLICT (contest_id, staff_id) DO NOTHING`,
				unitID, id, sid); err != nil {
				return fmt.Errorf("activities: enter: %w", err)
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "enter", Entity: "contest", EntityID: id, After: map[string]any{"staff_ids": staffIDs}})
	})
}

// Score records the judges' scores ("95.5") of entered participants; an
// empty score leaves a participant unscored. A score for someone not
// entered is refused and nothing is saved.
func (s *Store) Score(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, scores map[int64]string) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		c, err := contest(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if c.PublishedAt != nil {
			return locale.NewError("activities.contest_published")
		}
		var ps locale.Problems
		saved := map[int64]int{}
		for sid, typed := range scores {
			if !slices.ContainsFunc(c.Entries, func(p Participant) bool { return p.StaffID == sid }) {
				ps.Add("score", "activities.contest_not_entered")
				continue
			}
			if typed = textnorm.FoldWidth(typed); typed == "" {
				continue
			}
			v, ok := ParseCenti(typed)
			if !ok || v < 0 || v > MaxScore*100 {
				ps.Add(fmt.Sprintf("score_%d", sid), "activities.score_invalid", MaxScore)
				continue
			}
			saved[sid] = v
		}
		if len(ps) > 0 {
			return ps
		}
		for sid, v := range saved {
			if _, err := tx.ExecContext(ctx, `UPDATE contest_entries SET score_centi = $1 WHERE unit_id = $2 AND contest_id = $3 AND staff_id = $4`, v, unitID, id, sid); err != nil {
				return fmt.Errorf("activities: score: %w", err)
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "score", Entity: "contest", EntityID: id, After: saved})
	})
}

// PublishContest gives places from the scores (equal scores share a place)
// and writes everyone's points. Every participant needs a score first.
// Publishing twice, even at once, counts once.
func (s *Store) PublishContest(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		c, err := contest(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if len(c.Entries) == 0 {
			return locale.NewError("activities.participants_required")
		}
		missing := 0
		for _, p := range c.Entries {
			if p.Score == nil {
				missing++
			}
		}
		if missing > 0 {
			return locale.NewError("activities.scores_missing", missing)
		}
		res, err := tx.ExecContext(ctx, `UPDATE contests SET published_at = $1 WHERE unit_id = $2 AND id = $3 AND published_at IS NULL`, s.now(), unitID, id)
		if err != nil {
			return fmt.Errorf("activities: publish contest: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return locale.NewError("activities.contest_published")
		}
		k, err := kindBy(ctx, tx, unitID, `id = $2`, c.KindID)
		if err != nil {
			return err
		}
		scores := make([]int, len(c.Entries))
		for i, p := range c.Entries {
			scores[i] = *p.Score
		}
		places := Ranks(scores)
		for i, p := range c.Entries {
			if _, err := tx.ExecContext(ctx, `UPDATE contest_entries SET place = $1 WHERE unit_id = $2 AND contest_id = $3 AND staff_id = $4`, places[i], unitID, id, p.StaffID); err != nil {
				return fmt.Errorf("activities: place: %w", err)
			}
			pts := PlacePoints(k, places[i], *p.Score)
			if pts != 0 {
				if _, err := addEntry(ctx, tx, actor, unitID, Entry{StaffID: p.StaffID, KindID: k.ID, Dimension: k.Dimension, OnDate: c.HeldOn,
					Points: pts, Source: SourceContest, SourceID: id, Note: fmt.Sprintf("#%d", places[i])}); err != nil {
					return err
				}
			}
			if err := notifyPerson(ctx, tx, unitID, p.StaffID, printer.Get("activities.notify_contest", c.Title, places[i], Centi(pts)),
				fmt.Sprintf("/rankings/people/%d?period=%s", p.StaffID, c.HeldOn[:7])); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "publish", Entity: "contest", EntityID: id, After: map[string]any{"participants": len(c.Entries)}})
	})
}
