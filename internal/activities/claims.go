package activities

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// States of a claim.
const (
	ClaimPending  = "pending"  // 待审核
	ClaimApproved = "approved" // 已通过 (an innovation proposal: adopted)
	ClaimReturned = "returned" // 已退回, with the reason
)

// Claim limits.
const (
	MaxBody          = 2000
	MaxTeam          = 200
	MaxEvidenceBytes = 10 << 20
	MaxDays          = 366
	MaxItems         = 20
	// ClaimAge: an activity can be claimed up to a year after it happened.
	ClaimAge = 366
)

// Claim is a person's record of an activity.
type Claim struct {
	ID         int64      `json:"id"`
	KindID     int64      `json:"kind_id"`
	KindName   string     `json:"kind"`
	Form       string     `json:"form"`
	Dimension  string     `json:"dimension"`
	StaffID    int64      `json:"staff_id"`
	Name       string     `json:"name"`
	BranchID   int64      `json:"-"`
	WindowID   int64      `json:"-"`
	State      string     `json:"state"`
	DateFrom   string     `json:"date_from"`
	DateTo     string     `json:"date_to"`
	Quantity   int        `json:"quantity_centi"`
	Place      string     `json:"place,omitempty"`
	Team       string     `json:"team,omitempty"`
	Title      string     `json:"title,omitempty"`
	Body       string     `json:"body"`
	FileName   string     `json:"file_name,omitempty"`
	FileType   string     `json:"-"`
	ReviewNote string     `json:"review_note,omitempty"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	ResultNote string     `json:"result_note,omitempty"`
	ResultAt   *time.Time `json:"result_at,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	// Points are what the approval earned, after a reversal 0.
	Points int `json:"points_centi"`
}

// CanApprove: the office approves any claim; a branch secretary those of
// their branch's people, a window lead those of their window's; nobody
// their own.
func CanApprove(u accounts.User, c Claim) bool {
	if u.StaffID != 0 && u.StaffID == c.StaffID {
		return false
	}
	return u.IsAdmin() ||
		(u.Role == accounts.RoleBranchSecretary && c.BranchID != 0 && c.BranchID == u.BranchID) ||
		(u.Role == accounts.RoleWindowLead && c.WindowID != 0 && c.WindowID == u.DepartmentID)
}

// ClaimInput is a claim as typed. Quantity is days of a visit, hours of
// volunteer service or the number of letters and banners; dates are
// "2006-01-02".
type ClaimInput struct {
	KindID   int64
	StaffID  int64
	DateFrom string
	DateTo   string
	Quantity string
	Place    string
	Team     string
	Title    string
	Body     string
	FileName string
	Data     []byte
}

func (in *ClaimInput) check(k Kind, today string) (int, locale.Problems) {
	var ps locale.Problems
	in.Place, in.Team, in.Title = textnorm.CleanText(in.Place), textnorm.CleanText(in.Team), textnorm.CleanText(in.Title)
	in.Body = textnorm.CleanMultiline(in.Body)
	in.DateFrom, in.DateTo = textnorm.FoldWidth(in.DateFrom), textnorm.FoldWidth(in.DateTo)
	if in.DateTo == "" || k.Form != FormVisit {
		in.DateTo = in.DateFrom
	}
	from, err1 := time.Parse(time.DateOnly, in.DateFrom)
	to, err2 := time.Parse(time.DateOnly, in.DateTo)
	now, _ := time.Parse(time.DateOnly, today)
	switch {
	case err1 != nil:
		ps.Add("date_from", "activities.date_invalid")
	case err2 != nil:
		ps.Add("date_to", "activities.date_invalid")
	case to.Before(from):
		ps.Add("date_to", "activities.dates_order")
	case to.After(now):
		ps.Add("date_to", "activities.date_future")
	case now.Sub(from) > ClaimAge*24*time.Hour:
		ps.Add("date_from", "activities.date_old", ClaimAge)
	}
	span := int(to.Sub(from).Hours()/24) + 1
	q, ok := ParseCenti(textnorm.FoldWidth(in.Quantity))
	switch k.Form {
	case FormVisit, FormVolunteer:
		key, limit := "activities.days_span", span*100
		if k.Form == FormVolunteer {
			key, limit = "activities.hours_span", span*2400
		}
		switch {
		case !ok && in.Quantity == "":
			ps.Add("quantity", "activities.quantity_required")
		case !ok:
			ps.Add("quantity", "activities.quantity_invalid")
		case q <= 0:
			ps.Add("quantity", "activities.quantity_positive")
		case err1 == nil && err2 == nil && span > 0 && q > limit:
			ps.Add("quantity", key, Centi(q), Centi(limit), in.DateFrom, in.DateTo)
		case q > MaxDays*100 && k.Form == FormVisit:
			ps.Add("quantity", "activities.quantity_invalid")
		}
		textnorm.CheckLength(&ps, "place", "activities.field.place", in.Place, MaxPlace, true)
	case FormCommendation:
		if in.Quantity == "" {
			q, ok = 100, true
		}
		if !ok || q <= 0 || q%100 != 0 || q > MaxItems*100 {
			ps.Add("quantity", "activities.items_invalid", MaxItems)
		}
		textnorm.CheckLength(&ps, "title", "activities.field.commendation", in.Title, MaxTitle, true)
	case FormInnovation:
		q = 100
		textnorm.CheckLength(&ps, "title", "activities.field.proposal", in.Title, MaxTitle, true)
	}
	textnorm.CheckLength(&ps, "team", "activities.field.team", in.Team, MaxTeam, false)
	textnorm.CheckLength(&ps, "body", "activities.field.body", in.Body, MaxBody, true)
	return q, ps
}

// Submit records a claim for the user's own activity, or, by someone who
// may approve that person's claims, for another person of the unit (the
// office recording a letter of thanks, say).
func (s *Store) Submit(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, loc *time.Location, in ClaimInput) (int64, error) {
	if in.StaffID == 0 {
		in.StaffID = u.StaffID
	}
	if in.StaffID == 0 {
		return 0, locale.FieldProblem("staff", "activities.staff_invalid")
	}
	post, ok, err := org.ServingPost(ctx, s.db, unitID, in.StaffID)
	if err != nil {
		return 0, fmt.Errorf("activities: claimant: %w", err)
	}
	if !ok {
		return 0, locale.FieldProblem("staff", "activities.staff_invalid")
	}
	person := Claim{StaffID: post.StaffID, Name: post.Name, BranchID: post.BranchID, WindowID: post.DepartmentID}
	if in.StaffID != u.StaffID && !CanApprove(u, person) {
		return 0, ErrForbidden
	}
	k, err := s.Kind(ctx, unitID, in.KindID)
	if err != nil || !k.Active || !slices.Contains(ClaimForms, k.Form) {
		return 0, locale.FieldProblem("kind", "activities.kind_invalid")
	}
	qty, ps := in.check(k, s.today(loc))
	fileType, data, err := org.PrepareEvidence(in.Data, MaxEvidenceBytes)
	if le, ok := locale.AsError(err); ok {
		ps.Add("file", le.Key, le.Args...)
	} else if err != nil {
		return 0, err
	}
	if len(ps) > 0 {
		return 0, ps
	}
	name := textnorm.CleanText(in.FileName)
	if data == nil {
		name = ""
	} else if name == "" || len([]rune(name)) > 100 {
		name = "evidence"
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		if err := s.db.Lock(ctx, tx, database.LockActivityClaims); err != nil {
			return err
		}
		if err := duplicate(ctx, tx, unitID, k, in); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO activity_claims (unit_id, kind_id, staff_id, state, date_from, date_to, quantity_centi, place, team, title, body, file_name, file_type, file_data, created_by, created_at)
			VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			unitID, k.ID, in.StaffID, in.DateFrom, in.DateTo, qty, in.Place, in.Team, in.Title, in.Body, name, fileType, data, u.ID, s.now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("activities: submit: %w", err)
		}
		person.ID = id
		if err := notifyApprovers(ctx, tx, unitID, person, k.Name, u.ID); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "activity_claim", EntityID: id,
			After: map[string]any{"kind_id": k.ID, "staff_id": in.StaffID, "date_from": in.DateFrom, "date_to": in.DateTo, "quantity_centi": qty,
				"place": in.Place, "team": in.Team, "title": in.Title, "body": in.Body, "file": name}})
	})
	return id, err
}

// duplicate refuses a claim already made and not returned: a visit whose
// days overlap another visit of the person's, or any other activity with
// the same dates, title and place. Two submits at once (a double tap) are
// thus one claim, and nothing is approved twice under two numbers.
func duplicate(ctx context.Context, tx *database.Tx, unitID int64, k Kind, in ClaimInput) error {
	q := `SELECT id, state FROM activity_claims WHERE unit_id = $1 AND staff_id = $2 AND kind_id = $3 AND state <> 'returned'`
	args := []any{unitID, in.StaffID, k.ID, in.DateFrom, in.DateTo}
	if k.Form == FormVisit {
		q += ` AND date_from <= $5 AND date_to >= $4`
	} else {
		q += ` AND date_from = $4 AND date_to = $5 AND title = $6 AND place = $7`
		args = append(args, in.Title, in.Place)
	}
	var id int64
	var state string
	err := tx.QueryRowContext(ctx, q+` ORDER BY id LIMIT 1`, args...).Scan(&id, &state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("activities: duplicate claim: %w", err)
	}
	return locale.NewError("activities.claim_duplicate_"+state, id)
}

const claimQuery = `SELECT c.id, c.kind_id, k.name, k.form, k.dimension, c.staff_id, s.name, COALESCE(s.branch_id, 0), COALESCE(s.department_id, 0),
	c.state, c.date_from, c.date_to, c.quantity_centi, c.place, c.team, c.title, c.body, c.file_name, c.file_type, c.review_note, c.reviewed_at, c.result_note, c.result_at, c.created_at,
	COALESCE((SELECT SUM(p.points_centi) FROM point_entries p WHERE p.unit_id = c.unit_id AND p.staff_id = c.staff_id
		AND (((p.source = 'claim' OR p.source = 'result') AND p.source_id = c.id)
		OR (p.source = 'reversal' AND p.source_id IN (SELECT q.id FROM point_entries q WHERE q.unit_id = c.unit_id AND (q.source = 'claim' OR q.source = 'result') AND q.source_id = c.id)))), 0)
	FROM activity_claims c JOIN activity_kinds k ON k.id = c.kind_id AND k.unit_id = c.unit_id
	JOIN staff s ON s.id = c.staff_id AND s.unit_id = c.unit_id`

func scanClaim(r database.Scanner) (Claim, error) {
	var c Claim
	err := r.Scan(&c.ID, &c.KindID, &c.KindName, &c.Form, &c.Dimension, &c.StaffID, &c.Name, &c.BranchID, &c.WindowID,
		&c.State, &c.DateFrom, &c.DateTo, &c.Quantity, &c.Place, &c.Team, &c.Title, &c.Body, &c.FileName, &c.FileType, &c.ReviewNote, &c.ReviewedAt, &c.ResultNote, &c.ResultAt, &c.CreatedAt, &c.Points)
	return c, err
}

// Claim returns one claim of the unit.
func (s *Store) Claim(ctx context.Context, unitID, id int64) (Claim, error) {
	return claim(ctx, s.db, unitID, id)
}

func claim(ctx context.Context, q database.Querier, unitID, id int64) (Claim, error) {
	c, err := scanClaim(q.QueryRowContext(ctx, claimQuery+` WHERE c.unit_id = $1 AND c.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("activities: claim: %w", err)
	}
	return c, nil
}

// MyClaims lists a person's claims, newest first.
func (s *Store) MyClaims(ctx context.Context, unitID, staffID int64) ([]Claim, error) {
	rows, err := s.db.QueryContext(ctx, claimQuery+` WHERE c.unit_id = $1 AND c.staff_id = $2 ORDER BY c.created_at DESC, c.id DESC LIMIT 200`, unitID, staffID)
	if err != nil {
		return nil, fmt.Errorf("activities: my claims: %w", err)
	}
	return database.Collect(rows, scanClaim)
}

// ToReview lists the pending claims u may approve, oldest first, and the
// adopted proposals still waiting to show results.
func (s *Store) ToReview(ctx context.Context, unitID int64, u accounts.User) ([]Claim, error) {
	q, args := claimQuery+` WHERE c.unit_id = $1 AND (c.state = 'pending' OR (c.state = 'approved' AND k.form = 'innovation' AND c.result_at IS NULL))`, []any{unitID}
	switch {
	case u.IsAdmin():
	case u.Role == accounts.RoleBranchSecretary:
		q, args = q+` AND s.branch_id = $2`, append(args, u.BranchID)
	case u.Role == accounts.RoleWindowLead:
		q, args = q+` AND s.department_id = $2`, append(args, u.DepartmentID)
	default:
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY c.created_at, c.id LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("activities: to review: %w", err)
	}
	cs, err := database.Collect(rows, scanClaim)
	return slices.DeleteFunc(cs, func(c Claim) bool { return !CanApprove(u, c) }), err
}

// Review approves a pending claim, which writes its points, or returns it
// with a reason, which earns nothing. A claim is reviewed once: a second
// approval, even at the same moment, adds nothing.
func (s *Store) Review(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, approve bool, note string) error {
	note = textnorm.CleanText(note)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "note", "activities.field.reason", note, MaxReason, !approve)
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		c, err := claim(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if !CanApprove(u, c) {
			return ErrForbidden
		}
		state := ClaimReturned
		if approve {
			state = ClaimApproved
		}
		res, err := tx.ExecContext(ctx, `UPDATE activity_claims SET state = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4 WHERE unit_id = $5 AND id = $6 AND state = 'pending'`,
			state, note, u.ID, s.now(), unitID, id)
		if err != nil {
			return fmt.Errorf("activities: review: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return locale.NewError("activities.already_reviewed").Of(failure.Conflict)
		}
		body := printer.Get("activities.notify_returned", c.KindName, c.DateFrom, note)
		if approve {
			k, err := kindBy(ctx, tx, unitID, `id = $2`, c.KindID)
			if err != nil {
				return err
			}
			points := QuantityPoints(k, c.Quantity)
			if _, err := addEntry(ctx, tx, actor, unitID, Entry{StaffID: c.StaffID, KindID: k.ID, Dimension: k.Dimension, OnDate: c.DateTo,
				Points: points, Source: SourceClaim, SourceID: id}); err != nil {
				return err
			}
			body = printer.Get("activities.notify_approved", c.KindName, c.DateFrom, Centi(points))
		}
		if err := notifyPerson(ctx, tx, unitID, c.StaffID, body, fmt.Sprintf("/activities/claims/%d", id)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "review", Entity: "activity_claim", EntityID: id,
			Before: map[string]any{"state": c.State}, After: map[string]any{"state": state, "note": note}})
	})
}

// Result records that an adopted innovation proposal has shown results,
// which earns the kind's bonus once.
func (s *Store) Result(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, loc *time.Location, id int64, note string) error {
	note = textnorm.CleanText(note)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "result", "activities.field.result", note, MaxReason, true)
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		c, err := claim(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if !CanApprove(u, c) {
			return ErrForbidden
		}
		if c.Form != FormInnovation || c.State != ClaimApproved {
			return locale.NewError("activities.result_not_adopted")
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE activity_claims SET result_note = $1, result_at = $2 WHERE unit_id = $3 AND id = $4 AND result_at IS NULL`, note, now, unitID, id)
		if err != nil {
			return fmt.Errorf("activities: result: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return locale.NewError("activities.result_recorded")
		}
		k, err := kindBy(ctx, tx, unitID, `id = $2`, c.KindID)
		if err != nil {
			return err
		}
		if k.Extra != 0 {
			if _, err := addEntry(ctx, tx, actor, unitID, Entry{StaffID: c.StaffID, KindID: k.ID, Dimension: k.Dimension, OnDate: now.In(loc).Format(time.DateOnly),
				Points: k.Extra, Source: SourceResult, SourceID: id, Note: note}); err != nil {
				return err
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "result", Entity: "activity_claim", EntityID: id, After: map[string]any{"result": note}})
	})
}

// File returns a claim's evidence.
func (s *Store) File(ctx context.Context, unitID, id int64) (name, contentType string, data []byte, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT file_name, file_type, file_data FROM activity_claims WHERE unit_id = $1 AND id = $2`, unitID, id).Scan(&name, &contentType, &data)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(data) == 0) {
		return "", "", nil, ErrNotFound
	}
	return name, contentType, data, err
}
