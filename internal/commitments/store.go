package commitments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// Store reads and writes commitments. Every query names the unit.
type Store struct{ db *database.DB }

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

// ErrNotFound is returned for a commitment or fulfilment not in the unit,
// or not visible to the user.
var ErrNotFound = failure.Wrap("commitments", failure.NotFound)

// ErrForbidden is returned when the user may not do what they asked.
var ErrForbidden = failure.Wrap("commitments", failure.Forbidden)

// The owner's name, branch and window are resolved once here for all three
// kinds of owner.
const commitmentQuery = `SELECT c.id, c.unit_id, c.owner_kind, COALESCE(c.staff_id, 0), COALESCE(c.department_id, 0),
	COALESCE(c.branch_id, 0), COALESCE(s.name, d.name, b.name, ''), COALESCE(c.branch_id, s.branch_id, 0),
	COALESCE(c.department_id, s.department_id, 0), c.category, c.body, c.period_start, c.period_end, c.due_on, c.state,
	c.outcome, c.return_reason, c.created_by, c.created_at, c.updated_at,
	(SELECT count(*) FROM fulfilments f WHERE f.unit_id = c.unit_id AND f.commitment_id = c.id)
	FROM commitments c
	LEFT JOIN staff s ON s.id = c.staff_id AND s.unit_id = c.unit_id
	LEFT JOIN departments d ON d.id = c.department_id AND d.unit_id = c.unit_id
	LEFT JOIN branches b ON b.id = c.branch_id AND b.unit_id = c.unit_id`

func scan(row database.Scanner) (Commitment, error) {
	var c Commitment
	err := row.Scan(&c.ID, &c.UnitID, &c.OwnerKind, &c.StaffID, &c.DepartmentID, &c.BranchID, &c.OwnerName, &c.OwnerBranch,
		&c.ownerDept, &c.Category, &c.Body, &c.PeriodStart, &c.PeriodEnd, &c.DueOn, &c.State, &c.Outcome, &c.ReturnReason,
		&c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.Fulfilments)
	return c, err
}

// markLate flags public commitments whose due date has passed.
func markLate(c *Commitment, today string) {
	c.Late = c.State == StatePublic && c.DueOn != "" && c.DueOn < today
}

// Filter narrows a list.
type Filter struct {
	StaffID      int64
	DepartmentID int64 // the window's own and its people's
	BranchID     int64 // the branch's own and its people's
	OwnerKind    string
	States       []string
	ScopeOf      *accounts.User // only what this user may see
	Today        string
}

// List returns the unit's commitments matching f, newest first.
func (s *Store) List(ctx context.Context, unitID int64, f Filter) ([]Commitment, error) {
	w := database.NewWhere(` WHERE c.unit_id = ?`, unitID)
	add := w.Add
	if f.StaffID != 0 {
		add(` AND c.staff_id = ?`, f.StaffID)
	}
	if f.DepartmentID != 0 {
		add(` AND COALESCE(c.department_id, s.department_id) = ?`, f.DepartmentID)
	}
	if f.BranchID != 0 {
		add(` AND COALESCE(c.branch_id, s.branch_id) = ?`, f.BranchID)
	}
	if f.OwnerKind != "" {
		add(` AND c.owner_kind = ?`, f.OwnerKind)
	}
	database.In(w, "c.state", f.States)
	rows, err := s.db.QueryContext(ctx, commitmentQuery+w.SQL()+` ORDER BY c.id DESC`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("commitments: list: %w", err)
	}
	list, err := database.Collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("commitments: scan: %w", err)
	}
	out := list[:0]
	for _, c := range list {
		if f.ScopeOf != nil && !CanSee(*f.ScopeOf, c) {
			continue
		}
		markLate(&c, f.Today)
		out = append(out, c)
	}
	return out, nil
}

func get(ctx context.Context, q database.Querier, unitID, id int64) (Commitment, error) {
	c, err := scan(q.QueryRowContext(ctx, commitmentQuery+` WHERE c.unit_id = $1 AND c.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("commitments: get %d: %w", id, err)
	}
	return c, nil
}

// Get returns a commitment with its fulfilments.
func (s *Store) Get(ctx context.Context, unitID, id int64, today string) (Commitment, []Fulfilment, error) {
	c, err := get(ctx, s.db, unitID, id)
	if err != nil {
		return c, nil, err
	}
	markLate(&c, today)
	rows, err := s.db.QueryContext(ctx, `SELECT id, commitment_id, on_date, body, file_name, file_type, review, review_note, created_at
		FROM fulfilments WHERE unit_id = $1 AND commitment_id = $2 ORDER BY on_date, id`, unitID, id)
	if err != nil {
		return c, nil, fmt.Errorf("commitments: fulfilments: %w", err)
	}
	fs, err := database.Collect(rows, func(r database.Scanner) (Fulfilment, error) {
		var f Fulfilment
		err := r.Scan(&f.ID, &f.CommitmentID, &f.OnDate, &f.Body, &f.FileName, &f.FileType, &f.Review, &f.ReviewNote, &f.CreatedAt)
		return f, err
	})
	return c, fs, err
}

// resolveOwner checks that the owner belongs to the unit (and, for a person
// or a window, is active) and returns what the rules need of it.
func resolveOwner(ctx context.Context, tx *database.Tx, unitID int64, in Input) (owner, error) {
	o := owner{kind: in.OwnerKind}
	var err error
	switch in.OwnerKind {
	case OwnerStaff:
		o.staffID = in.OwnerID
		var post org.Post
		var ok bool
		if post, ok, err = org.ServingPost(ctx, tx, unitID, in.OwnerID); err == nil && !ok {
			err = sql.ErrNoRows
		}
		o.branchID, o.deptID = post.BranchID, post.DepartmentID
	case OwnerWindow:
		o.deptID = in.OwnerID
		var ok bool
		if _, ok, err = org.ActiveDepartment(ctx, tx, unitID, in.OwnerID); err == nil && !ok {
			err = sql.ErrNoRows
		}
	case OwnerBranch:
		o.branchID = in.OwnerID
		err = tx.QueryRowContext(ctx, `SELECT id FROM branches WHERE unit_id = $1 AND id = $2 AND active = TRUE`, unitID, in.OwnerID).Scan(&o.branchID)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return o, locale.FieldProblem("owner", "commitment.owner_unknown")
	}
	return o, err
}

func ownerColumns(in Input) (staff, dept, branch any) {
	switch in.OwnerKind {
	case OwnerStaff:
		return in.OwnerID, nil, nil
	case OwnerWindow:
		return nil, in.OwnerID, nil
	default:
		return nil, nil, in.OwnerID
	}
}

// Create drafts a commitment for an owner that u may write for.
func (s *Store) Create(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, in Input) (int64, error) {
	in.Normalize()
	if ps := in.Validate(); len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		o, err := resolveOwner(ctx, tx, unitID, in)
		if err != nil {
			return err
		}
		if !canDraft(u, o) {
			return ErrForbidden
		}
		staff, dept, branch := ownerColumns(in)
		now := database.Now()
		err = tx.QueryRowContext(ctx, `INSERT INTO commitments (unit_id, owner_kind, staff_id, department_id, branch_id, category, body,
			period_start, period_end, due_on, state, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
			unitID, in.OwnerKind, staff, dept, branch, in.Category, in.Body, in.PeriodStart, in.PeriodEnd, in.DueOn, StateDraft, u.ID, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("commitments: insert: %w", err)
		}
		return s.audited(ctx, tx, actor, unitID, id, "create", nil)
	})
	return id, err
}

// audited appends the audit record of a change to commitment id.
func (s *Store) audited(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID, id int64, action string, before any) error {
	after, err := get(ctx, tx, unitID, id)
	if err != nil {
		return err
	}
	return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "commitment", EntityID: id, Before: before, After: after})
}

// change runs a state change on a commitment that allow permits.
func (s *Store) change(ctx context.Context, actor audit.Actor, unitID, id int64, action string,
	allow func(Commitment) error, apply func(tx *database.Tx, c Commitment) error) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		c, err := get(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if err := allow(c); err != nil {
			return err
		}
		if err := apply(tx, c); err != nil {
			return err
		}
		return s.audited(ctx, tx, actor, unitID, id, action, c)
	})
}

func wrongState(c Commitment) error { return locale.NewError("commitment.wrong_state", c.State) }

// Update changes the text or period of a draft or returned commitment.
func (s *Store) Update(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, in Input) error {
	in.Normalize()
	ps := in.Validate()
	var kept locale.Problems
	for _, p := range ps {
		if p.Field != "owner" {
			kept = append(kept, p)
		}
	}
	if len(kept) > 0 {
		return kept
	}
	return s.change(ctx, actor, unitID, id, "update", func(c Commitment) error {
		switch {
		case !CanSee(u, c):
			return ErrNotFound
		case !CanEdit(u, c):
			return ErrForbidden
		}
		return nil
	}, func(tx *database.Tx, c Commitment) error {
		_, err := tx.ExecContext(ctx, `UPDATE commitments SET category = $1, body = $2, period_start = $3, period_end = $4, due_on = $5,
			updated_at = $6 WHERE unit_id = $7 AND id = $8`, in.Category, in.Body, in.PeriodStart, in.PeriodEnd, in.DueOn, database.Now(), unitID, id)
		return err
	})
}

// setState moves c to state, only if it is still in the state it was read
// in: on PostgreSQL two approvers can read the same state at once, and the
// second must be told, not succeed twice. extra may set more columns with
// $5 onwards, taken from args.
func (s *Store) setState(ctx context.Context, tx *database.Tx, unitID int64, c Commitment, state string, extra string, args ...any) error {
	q := fmt.Sprintf(`UPDATE commitments SET state = $1, updated_at = $2%s WHERE unit_id = $3 AND id = $4 AND state = $%d`, extra, 5+len(args))
	all := append(append([]any{state, database.Now(), unitID, c.ID}, args...), c.State)
	res, err := tx.ExecContext(ctx, q, all...)
	if err != nil {
		return fmt.Errorf("commitments: set state: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return wrongState(c)
	}
	return nil
}

// Submit sends a draft or returned commitment for approval.
func (s *Store) Submit(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64) error {
	return s.change(ctx, actor, unitID, id, "submit", func(c Commitment) error {
		switch {
		case !CanSee(u, c):
			return ErrNotFound
		case !CanEdit(u, c):
			return wrongState(c)
		}
		return nil
	}, func(tx *database.Tx, c Commitment) error {
		return s.setState(ctx, tx, unitID, c, StateSubmitted, "")
	})
}

// Approve makes a submitted commitment public.
func (s *Store) Approve(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64) error {
	return s.change(ctx, actor, unitID, id, "approve", s.approver(u, StateSubmitted), func(tx *database.Tx, c Commitment) error {
		return s.setState(ctx, tx, unitID, c, StatePublic, `, approved_by = $5, approved_at = $6, return_reason = ''`, u.ID, database.Now())
	})
}

// Return sends a submitted commitment back with a reason.
func (s *Store) Return(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, reason string) error {
	reason = textnorm.CleanText(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return locale.FieldProblem("reason", "commitment.reason_required")
	}
	return s.change(ctx, actor, unitID, id, "return", s.approver(u, StateSubmitted), func(tx *database.Tx, c Commitment) error {
		return s.setState(ctx, tx, unitID, c, StateReturned, `, return_reason = $5`, reason)
	})
}

// Close judges a public commitment: kept, partly kept or broken.
func (s *Store) Close(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, outcome string) error {
	valid := false
	for _, o := range Outcomes {
		valid = valid || o == outcome
	}
	if !valid {
		return locale.FieldProblem("outcome", "commitment.outcome_invalid")
	}
	return s.change(ctx, actor, unitID, id, "close", s.approver(u, StatePublic), func(tx *database.Tx, c Commitment) error {
		return s.setState(ctx, tx, unitID, c, StateClosed, `, outcome = $5`, outcome)
	})
}

// approver allows a change by someone who may approve c, in state want.
func (s *Store) approver(u accounts.User, want string) func(Commitment) error {
	return func(c Commitment) error {
		switch {
		case !CanSee(u, c) && !CanApprove(u, c):
			return ErrNotFound
		case !CanApprove(u, c):
			return ErrForbidden
		case c.State != want:
			return wrongState(c)
		}
		return nil
	}
}

// AddFulfilment records a dated fulfilment with optional evidence: a JPEG
// or PNG photo (re-encoded) or a PDF.
func (s *Store) AddFulfilment(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, in FulfilmentInput) (int64, error) {
	in.Body = textnorm.CleanMultiline(in.Body)
	var ps locale.Problems
	date, ok := ParseDate(in.OnDate)
	if !ok {
		ps.Add("on_date", "commitment.date_invalid", textnorm.Abbreviate(in.OnDate, 20))
	}
	if n := len([]rune(in.Body)); n == 0 || n > 1000 {
		ps.Add("body", "commitment.fulfilment_body")
	}
	fileType, data, err := org.PrepareEvidence(in.Data, MaxEvidenceBytes)
	if err != nil {
		ps = append(ps, locale.Problem{Field: "file", Err: mustLocale(err)})
	}
	if len(ps) > 0 {
		return 0, ps
	}
	name := textnorm.CleanText(in.FileName)
	if len(data) == 0 {
		name = ""
	}
	var fid int64
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		c, err := get(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		switch {
		case !CanSee(u, c):
			return ErrNotFound
		case !CanFulfil(u, c):
			return ErrForbidden
		case date < c.PeriodStart:
			return locale.FieldProblem("on_date", "commitment.fulfilment_before_start")
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO fulfilments (unit_id, commitment_id, on_date, body, file_name, file_type, file_data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, unitID, id, date, in.Body, name, fileType, data, u.ID, database.Now()).Scan(&fid)
		if err != nil {
			return fmt.Errorf("commitments: insert fulfilment: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "fulfilment", EntityID: fid,
			After: map[string]any{"commitment_id": id, "date": date, "text": in.Body, "file": name, "bytes": len(data)}})
	})
	return fid, err
}

func mustLocale(err error) *locale.Error {
	if le, ok := locale.AsError(err); ok {
		return le
	}
	return locale.NewError("error.internal")
}

// Review accepts or rejects a fulfilment entry, by someone who may approve
// its commitment.
func (s *Store) Review(ctx context.Context, actor audit.Actor, u accounts.User, unitID, fulfilmentID int64, accept bool, note string) error {
	note = textnorm.CleanText(note)
	if len([]rune(note)) > 500 {
		return locale.FieldProblem("note", "error.too_long", "意见", 500)
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		var cid int64
		var review string
		err := tx.QueryRowContext(ctx, `SELECT commitment_id, review FROM fulfilments WHERE unit_id = $1 AND id = $2`, unitID, fulfilmentID).Scan(&cid, &review)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("commitments: read fulfilment: %w", err)
		}
		c, err := get(ctx, tx, unitID, cid)
		if err != nil {
			return err
		}
		if err := s.approver(u, StatePublic)(c); err != nil {
			return err
		}
		if review != ReviewPending {
			return locale.NewError("commitment.already_reviewed")
		}
		result := ReviewRejected
		if accept {
			result = ReviewAccepted
		}
		res, err := tx.ExecContext(ctx, `UPDATE fulfilments SET review = $1, review_note = $2, reviewed_by = $3
			WHERE unit_id = $4 AND id = $5 AND review = 'pending'`, result, note, u.ID, unitID, fulfilmentID)
		if err != nil {
			return fmt.Errorf("commitments: review: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return locale.NewError("commitment.already_reviewed")
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "review", Entity: "fulfilment", EntityID: fulfilmentID,
			After: map[string]any{"review": result, "note": note}})
	})
}

// File returns a fulfilment's evidence.
func (s *Store) File(ctx context.Context, unitID, fulfilmentID int64) (name, contentType string, data []byte, commitmentID int64, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT file_name, file_type, file_data, commitment_id FROM fulfilments WHERE unit_id = $1 AND id = $2`,
		unitID, fulfilmentID).Scan(&name, &contentType, &data, &commitmentID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(data) == 0) {
		return "", "", nil, 0, ErrNotFound
	}
	return name, contentType, data, commitmentID, err
}
