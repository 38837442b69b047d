// Package fiveappraisal runs 五评 rounds: 个人自评, 党员互评, 支部讲评,
// 领导点评 and 群众测评, weighted into one total and a proposed grade
// (优秀 / 合格 / 基本合格 / 不合格) that the branch committee confirms.
//
// 互评 is anonymous by construction: a peer grade is only ever a count
// per target and grade, and who has voted for whom is kept apart without
// the grade. See docs/features.md for the rule of totals and grade caps.
package fiveappraisal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// Grades, best first; 0 is no grade.
const (
	Excellent = 4 // 优秀
	Competent = 3 // 合格
	Basic     = 2 // 基本合格
	Failing   = 1 // 不合格
)

// Grades lists the grades, best first.
var Grades = []int{Excellent, Competent, Basic, Failing}

// GradeKeys name the grades in the catalogue and in stored results.
var GradeKeys = map[int]string{Excellent: "excellent", Competent: "competent", Basic: "basic", Failing: "failing"}

// GradeOf is the grade of a key, 0 for none.
func GradeOf(key string) int {
	for g, k := range GradeKeys {
		if k == key {
			return g
		}
	}
	return 0
}

// Parts of a round, in the plan's order.
const (
	PartSelf   = "self"
	PartPeer   = "peer"
	PartBranch = "branch"
	PartLeader = "leader"
	PartPublic = "public"
)

// Parts lists the five parts; Weights and scores follow this order.
var Parts = []string{PartSelf, PartPeer, PartBranch, PartLeader, PartPublic}

// DefaultWeights: self 10 %, peer 30 %, branch 20 %, leader 20 %, public 20 %.
var DefaultWeights = [5]int{10, 30, 20, 20, 20}

// Shares are the caps on 优秀 a round may choose, as fractions of the
// people with a total; 1/3 is the party's rule for members.
var Shares = []string{"1/3", "1/4", "1/5", "1/10", "0/1"}

// Limits.
const (
	MaxTitle     = 100
	MaxStandards = 2000
	MaxBody      = 2000 // a self-appraisal or a comment
	MaxReason    = 1000
	MaxSource    = 200
	// MinPeerVotes: a peer score needs this many votes; with fewer the
	// grades could be told from the counts, and the part counts as not given.
	MinPeerVotes = 3
)

// Errors.
var (
	ErrNotFound  = failure.Wrap("fiveappraisal", failure.NotFound)
	ErrForbidden = failure.Wrap("fiveappraisal", failure.Forbidden)
)

// Round is one 五评 round.
type Round struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	PeriodFrom  string     `json:"period_from"`
	PeriodTo    string     `json:"period_to"`
	MembersOnly bool       `json:"members_only"`
	Weights     [5]int     `json:"weights"` // percent, in Parts' order
	Points      [5]int     `json:"-"`       // by grade; [0] unused
	Thresholds  [5]int     `json:"-"`       // least total for a grade; [Excellent], [Competent], [Basic]
	Share       string     `json:"excellent_share"`
	Standards   string     `json:"standards,omitempty"`
	OpensAt     time.Time  `json:"opens_at"`
	ClosesAt    time.Time  `json:"closes_at"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	Leaders     []Person   `json:"-"`
}

// Person is someone a round names.
type Person struct {
	ID     int64  `json:"staff_id"`
	Name   string `json:"name"`
	Branch string `json:"branch,omitempty"`
}

// States of a round.
const (
	StatePending   = "pending"   // not yet open
	StateOpen      = "open"      // taking appraisals
	StateEnded     = "ended"     // past its closing time, not yet closed
	StateClosed    = "closed"    // frozen, results computed
	StatePublished = "published" // results out
)

// State is the round's state at now.
func (r Round) State(now time.Time) string {
	switch {
	case r.PublishedAt != nil:
		return StatePublished
	case r.ClosedAt != nil:
		return StateClosed
	case now.Before(r.OpensAt):
		return StatePending
	case !now.Before(r.ClosesAt):
		return StateEnded
	}
	return StateOpen
}

// Closed reports whether results are frozen.
func (r Round) Closed() bool { return r.ClosedAt != nil }

// cap is how many 优秀 the round allows among the n people it appraises.
func (r Round) cap(n int) int {
	var num, den int
	fmt.Sscanf(r.Share, "%d/%d", &num, &den)
	if den <= 0 {
		return 0
	}
	return n * num / den
}

// Store keeps rounds.
type Store struct {
	db  *database.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db, now: database.Now} }

// WithClock returns a store whose "now" is clock, for loading history and tests.
func (s *Store) WithClock(clock func() time.Time) *Store {
	return &Store{db: s.db, now: database.Moved(clock)}
}

// Now is the store's time.
func (s *Store) Now() time.Time { return s.now() }

// Draft is a new round as the office writes it.
type Draft struct {
	Title       string
	PeriodFrom  string // 2026-01-01
	PeriodTo    string
	MembersOnly bool
	Weights     [5]int
	Points      [5]int
	Thresholds  [5]int
	Share       string
	Standards   string
	OpensAt     string // datetime-local in the unit's zone
	ClosesAt    string
	LeaderIDs   []int64
}

// NewDraft is the form's start: the defaults of the party's rules.
func NewDraft(now time.Time, loc *time.Location) Draft {
	now = now.In(loc)
	year := now.Year()
	return Draft{
		Title: fmt.Sprintf("%d年度民主评议党员", year), PeriodFrom: fmt.Sprintf("%d-01-01", year), PeriodTo: fmt.Sprintf("%d-12-31", year),
		MembersOnly: true, Weights: DefaultWeights, Points: [5]int{0, 0, 60, 80, 100}, Thresholds: [5]int{0, 0, 60, 75, 90}, Share: "1/3",
		Standards: "对照“五带头”:带头学习提高、带头争创佳绩、带头服务群众、带头遵纪守法、带头弘扬正气;对照本人公开承诺的兑现情况。",
		OpensAt:   now.Format(timeLayout), ClosesAt: now.AddDate(0, 0, 14).Format(timeLayout),
	}
}

const timeLayout = "2006-01-02T15:04"

type checked struct {
	from, to, opens, closes time.Time
}

func (d *Draft) clean(loc *time.Location) (checked, locale.Problems) {
	var ps locale.Problems
	var c checked
	d.Title, d.Standards = textnorm.CleanText(d.Title), textnorm.CleanMultiline(d.Standards)
	textnorm.CheckLength(&ps, "title", "five.field_title", d.Title, MaxTitle, true)
	textnorm.CheckLength(&ps, "standards", "five.field_standards", d.Standards, MaxStandards, false)
	var err1, err2 error
	c.from, err1 = time.Parse("2006-01-02", strings.TrimSpace(textnorm.FoldWidth(d.PeriodFrom)))
	c.to, err2 = time.Parse("2006-01-02", strings.TrimSpace(textnorm.FoldWidth(d.PeriodTo)))
	if err1 != nil || err2 != nil || c.to.Before(c.from) {
		ps.Add("period", "five.period_invalid")
	}
	sum := 0
	for i, w := range d.Weights {
		if w < 0 || w > 100 {
			ps.Add("weight_"+Parts[i], "five.weight_range")
		}
		sum += w
	}
	if sum != 100 {
		ps.Add("weights", "five.weights_sum", sum)
	}
	for _, g := range Grades {
		if d.Points[g] < 0 || d.Points[g] > 100 {
			ps.Add("points", "five.points_range")
			break
		}
	}
	if d.Points[Excellent] < d.Points[Competent] || d.Points[Competent] < d.Points[Basic] || d.Points[Basic] < d.Points[Failing] {
		ps.Add("points", "five.points_order")
	}
	t := d.Thresholds
	if t[Basic] < 0 || t[Excellent] > 100 || t[Excellent] < t[Competent] || t[Competent] < t[Basic] {
		ps.Add("thresholds", "five.thresholds_invalid")
	}
	if !slices.Contains(Shares, d.Share) {
		ps.Add("share", "five.share_invalid")
	}
	c.opens, err1 = time.ParseInLocation(timeLayout, strings.TrimSpace(textnorm.FoldWidth(d.OpensAt)), loc)
	c.closes, err2 = time.ParseInLocation(timeLayout, strings.TrimSpace(textnorm.FoldWidth(d.ClosesAt)), loc)
	if err1 != nil || err2 != nil || !c.closes.After(c.opens) {
		ps.Add("opens_at", "five.times_invalid")
	}
	return c, ps
}

// Create saves a round, its leaders and the people it appraises: every
// active member (中共党员 and 预备党员), or every active person.
func (s *Store) Create(ctx context.Context, actor audit.Actor, unitID int64, d Draft, loc *time.Location) (int64, error) {
	c, ps := d.clean(loc)
	if len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var num, den int
		fmt.Sscanf(d.Share, "%d/%d", &num, &den)
		w, p, t := d.Weights, d.Points, d.Thresholds
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO five_rounds (unit_id, title, period_from, period_to, members_only,
			weight_self, weight_peer, weight_branch, weight_leader, weight_public,
			points_excellent, points_competent, points_basic, points_failing, threshold_excellent, threshold_competent, threshold_basic,
			excellent_num, excellent_den, standards, opens_at, closes_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) RETURNING id`,
			unitID, d.Title, c.from.Format("2006-01-02"), c.to.Format("2006-01-02"), d.MembersOnly, w[0], w[1], w[2], w[3], w[4],
			p[Excellent], p[Competent], p[Basic], p[Failing], t[Excellent], t[Competent], t[Basic], num, den, d.Standards,
			c.opens.UTC(), c.closes.UTC(), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("fiveappraisal: create: %w", err)
		}
		for _, l := range d.LeaderIDs {
			if !org.Serving(ctx, tx, unitID, l) {
				return locale.FieldProblem("leaders", "five.leader_unknown")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO five_leaders (unit_id, round_id, staff_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
				unitID, id, l); err != nil {
				return fmt.Errorf("fiveappraisal: leader: %w", err)
			}
		}
		q := `SELECT id FROM staff WHERE unit_id = $1 AND active = TRUE`
		if d.MembersOnly {
			q += ` AND political_status IN ('member', 'probationary')`
		}
		rows, err := tx.QueryContext(ctx, q+` ORDER BY id`, unitID)
		if err != nil {
			return fmt.Errorf("fiveappraisal: people: %w", err)
		}
		people, err := database.Collect(rows, func(r database.Scanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil {
			return err
		}
		if len(people) == 0 {
			return locale.FieldProblem("members_only", "five.nobody")
		}
		for _, p := range people {
			if err := addTarget(ctx, tx, unitID, id, p, now); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "five_round", EntityID: id,
			After: map[string]any{"title": d.Title, "period": []string{d.PeriodFrom, d.PeriodTo}, "members_only": d.MembersOnly, "weights": w,
				"points": p[1:], "thresholds": t[2:], "share": d.Share, "leaders": d.LeaderIDs, "people": len(people),
				"opens_at": c.opens.UTC(), "closes_at": c.closes.UTC()}})
	})
	return id, err
}

// addTarget adds a person with their branch (or window) as peer group and
// an empty count for every grade: the counts exist before any vote, so
// none of them tells when it was first given.
func addTarget(ctx context.Context, tx *database.Tx, unitID, roundID, staffID int64, now time.Time) error {
	var branch, dept sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT branch_id, department_id FROM staff WHERE unit_id = $1 AND id = $2`, unitID, staffID).Scan(&branch, &dept); err != nil {
		return fmt.Errorf("fiveappraisal: person: %w", err)
	}
	group := fmt.Sprintf("b%d", branch.Int64)
	if !branch.Valid {
		group = fmt.Sprintf("d%d", dept.Int64)
	}
	var tid int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO five_targets (unit_id, round_id, staff_id, branch_id, peer_group, added_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, unitID, roundID, staffID, branch, group, now).Scan(&tid); err != nil {
		if database.IsUniqueViolation(err) {
			return locale.FieldProblem("staff", "five.already_target")
		}
		return fmt.Errorf("fiveappraisal: target: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO five_peer_tallies (unit_id, round_id, target_id, grade, votes)
		VALUES ($1, $2, $3, 4, 0), ($1, $2, $3, 3, 0), ($1, $2, $3, 2, 0), ($1, $2, $3, 1, 0)`, unitID, roundID, tid); err != nil {
		return fmt.Errorf("fiveappraisal: tallies: %w", err)
	}
	return nil
}

// AddPerson adds someone who joined after the round was made. Parts they
// miss count as not given; see docs/features.md.
func (s *Store) AddPerson(ctx context.Context, actor audit.Actor, unitID, roundID, staffID int64) error {
	r, err := s.Get(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	if r.Closed() {
		return locale.NewError("five.closed").Of(failure.Conflict)
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if !org.Serving(ctx, tx, unitID, staffID) {
			return locale.FieldProblem("staff", "five.person_unknown")
		}
		if err := addTarget(ctx, tx, unitID, roundID, staffID, s.now()); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "add_person", Entity: "five_round", EntityID: roundID,
			After: map[string]any{"staff_id": staffID}})
	})
}

const roundQuery = `SELECT id, title, period_from, period_to, members_only, weight_self, weight_peer, weight_branch, weight_leader, weight_public,
	points_excellent, points_competent, points_basic, points_failing, threshold_excellent, threshold_competent, threshold_basic,
	excellent_num, excellent_den, standards, opens_at, closes_at, closed_at, published_at, created_at FROM five_rounds`

func scanRound(r database.Scanner) (Round, error) {
	var x Round
	var num, den int
	w, p, t := &x.Weights, &x.Points, &x.Thresholds
	err := r.Scan(&x.ID, &x.Title, &x.PeriodFrom, &x.PeriodTo, &x.MembersOnly, &w[0], &w[1], &w[2], &w[3], &w[4],
		&p[Excellent], &p[Competent], &p[Basic], &p[Failing], &t[Excellent], &t[Competent], &t[Basic],
		&num, &den, &x.Standards, &x.OpensAt, &x.ClosesAt, &x.ClosedAt, &x.PublishedAt, &x.CreatedAt)
	x.Share = fmt.Sprintf("%d/%d", num, den)
	return x, err
}

// List returns the unit's rounds, newest first; publishedOnly for the public.
func (s *Store) List(ctx context.Context, unitID int64, publishedOnly bool) ([]Round, error) {
	q := roundQuery + ` WHERE unit_id = $1`
	if publishedOnly {
		q += ` AND published_at IS NOT NULL`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY created_at DESC, id DESC LIMIT 200`, unitID)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: list: %w", err)
	}
	return database.Collect(rows, scanRound)
}

// Get returns a round with its leaders.
func (s *Store) Get(ctx context.Context, unitID, id int64) (Round, error) {
	r, err := scanRound(s.db.QueryRowContext(ctx, roundQuery+` WHERE unit_id = $1 AND id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("fiveappraisal: get: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, s.name, '' FROM five_leaders l JOIN staff s ON s.id = l.staff_id AND s.unit_id = l.unit_id
		WHERE l.unit_id = $1 AND l.round_id = $2 ORDER BY s.id`, unitID, id)
	if err != nil {
		return r, fmt.Errorf("fiveappraisal: leaders: %w", err)
	}
	r.Leaders, err = database.Collect(rows, scanPerson)
	return r, err
}

func scanPerson(r database.Scanner) (Person, error) {
	var p Person
	err := r.Scan(&p.ID, &p.Name, &p.Branch)
	return p, err
}

// checkBody cleans a written part and checks its length.
func checkBody(ps *locale.Problems, body *string, required bool) {
	*body = textnorm.CleanMultiline(*body)
	switch n := utf8.RuneCountInString(*body); {
	case required && n == 0:
		ps.Add("body", "five.body_required")
	case n > MaxBody:
		ps.Add("body", "five.body_too_long", MaxBody, n)
	}
}
