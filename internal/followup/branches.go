package followup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// States of a branch plan.
const (
	BranchDraft     = "draft"
	BranchSubmitted = "submitted"
	BranchApproved  = "approved"
	BranchReturned  = "returned"
)

// BranchPlan is a party branch's implementation plan (实施方案) for the
// campaign year: its 争创标准, its 载体, and its measures, each with an
// owner and a date.
type BranchPlan struct {
	ID         int64      `json:"id"`
	BranchID   int64      `json:"branch_id"`
	BranchName string     `json:"branch"`
	Year       int        `json:"year"`
	Standards  string     `json:"standards"`
	Carriers   string     `json:"carriers"`
	State      string     `json:"state"`
	ReviewNote string     `json:"review_note,omitempty"`
	ReviewedBy string     `json:"reviewed_by,omitempty"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	CreatedBy  string     `json:"created_by"`
	Measures   []Step     `json:"measures"`
}

// OverdueMeasures counts the measures past their date and not done.
func (p BranchPlan) OverdueMeasures(today string) int {
	n := 0
	for _, m := range p.Measures {
		if m.Overdue(today) {
			n++
		}
	}
	return n
}

// BranchPlanInput is a plan as the branch writes it.
type BranchPlanInput struct {
	BranchID  int64
	Year      int
	Standards string
	Carriers  string
	Measures  []StepInput
}

const branchPlanQuery = `SELECT p.id, p.branch_id, b.name, p.year, p.standards, p.carriers, p.state, p.review_note, p.reviewed_by, p.reviewed_at, p.created_by
	FROM branch_plans p JOIN branches b ON b.id = p.branch_id AND b.unit_id = p.unit_id`

func scanBranchPlan(r database.Scanner) (BranchPlan, error) {
	var p BranchPlan
	var reviewed sql.NullTime
	err := r.Scan(&p.ID, &p.BranchID, &p.BranchName, &p.Year, &p.Standards, &p.Carriers, &p.State, &p.ReviewNote, &p.ReviewedBy, &reviewed, &p.CreatedBy)
	if reviewed.Valid {
		p.ReviewedAt = &reviewed.Time
	}
	return p, err
}

// SaveBranchPlan writes a branch's plan for a year, or changes it while
// it is a draft or returned; the measures given are added to it.
func (s *Store) SaveBranchPlan(ctx context.Context, actor audit.Actor, unitID int64, in BranchPlanInput) (int64, error) {
	in.Standards, in.Carriers = textnorm.CleanMultiline(in.Standards), textnorm.CleanMultiline(in.Carriers)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "standards", "followup.standards", in.Standards, MaxTextLen, true)
	textnorm.CheckLength(&ps, "carriers", "followup.carriers", in.Carriers, MaxTextLen, true)
	if in.Year < 2000 || in.Year > 2100 {
		ps.Add("year", "followup.year_invalid")
	}
	measures := checkSteps(&ps, in.Measures, false)
	if len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var active bool
		if err := tx.QueryRowContext(ctx, `SELECT active FROM branches WHERE unit_id = $1 AND id = $2`, unitID, in.BranchID).Scan(&active); err != nil || !active {
			return locale.FieldProblem("branch", "followup.branch_unknown")
		}
		before, err := scanBranchPlan(tx.QueryRowContext(ctx, branchPlanQuery+` WHERE p.unit_id = $1 AND p.branch_id = $2 AND p.year = $3`,
			unitID, in.BranchID, in.Year))
		now := s.now()
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if len(measures) == 0 {
				return locale.FieldProblem("steps", "followup.measures_required")
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO branch_plans (unit_id, branch_id, year, standards, carriers, state, created_by, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (unit_id, branch_id, year) DO NOTHING RETURNING id`,
				unitID, in.BranchID, in.Year, in.Standards, in.Carriers, BranchDraft, actor.Name, now).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrState // written by someone else a moment ago
			}
		case err != nil:
			return fmt.Errorf("followup: branch plan: %w", err)
		case before.State != BranchDraft && before.State != BranchReturned:
			return ErrState
		default:
			id = before.ID
			_, err = tx.ExecContext(ctx, `UPDATE branch_plans SET standards = $1, carriers = $2, state = $3 WHERE unit_id = $4 AND id = $5`,
				in.Standards, in.Carriers, BranchDraft, unitID, id)
		}
		if err != nil {
			return fmt.Errorf("followup: save branch plan: %w", err)
		}
		if err := addSteps(ctx, tx, unitID, OwnerBranchPlan, id, measures, now); err != nil {
			return err
		}
		return s.branchAudit(ctx, tx, actor, unitID, id, "save", before)
	})
	return id, err
}

func (s *Store) branchPlan(ctx context.Context, q database.Querier, unitID, id int64) (BranchPlan, error) {
	p, err := scanBranchPlan(q.QueryRowContext(ctx, branchPlanQuery+` WHERE p.unit_id = $1 AND p.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("followup: branch plan %d: %w", id, err)
	}
	steps, err := s.steps(ctx, q, unitID, OwnerBranchPlan)
	p.Measures = steps[id]
	return p, err
}

func (s *Store) branchAudit(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID, id int64, action string, before any) error {
	after, err := s.branchPlan(ctx, tx, unitID, id)
	if err != nil {
		return err
	}
	return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "branch_plan", EntityID: id, Before: before, After: after})
}

// BranchPlan returns one plan with its measures.
func (s *Store) BranchPlan(ctx context.Context, unitID, id int64) (BranchPlan, error) {
	return s.branchPlan(ctx, s.db, unitID, id)
}

// BranchPlans lists the plans of a year, by branch.
func (s *Store) BranchPlans(ctx context.Context, unitID int64, year int) ([]BranchPlan, error) {
	rows, err := s.db.QueryContext(ctx, branchPlanQuery+` WHERE p.unit_id = $1 AND p.year = $2 ORDER BY b.id`, unitID, year)
	if err != nil {
		return nil, fmt.Errorf("followup: branch plans: %w", err)
	}
	list, err := database.Collect(rows, scanBranchPlan)
	if err != nil {
		return nil, err
	}
	steps, err := s.steps(ctx, s.db, unitID, OwnerBranchPlan)
	for i := range list {
		list[i].Measures = steps[list[i].ID]
	}
	return list, err
}

// MoveBranchPlan submits a plan to the office, or the office approves or
// returns it (a return needs a note).
func (s *Store) MoveBranchPlan(ctx context.Context, actor audit.Actor, unitID, id int64, to, note string) error {
	note = textnorm.CleanMultiline(note)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "note", "followup.review_note", note, MaxTextLen, to == BranchReturned)
	if len(ps) > 0 {
		return ps
	}
	from := map[string][]string{BranchSubmitted: {BranchDraft, BranchReturned}, BranchApproved: {BranchSubmitted}, BranchReturned: {BranchSubmitted}}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := s.branchPlan(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if !slices.Contains(from[to], before.State) {
			return ErrState
		}
		q, args := `UPDATE branch_plans SET state = $1 WHERE unit_id = $2 AND id = $3`, []any{to, unitID, id}
		if to != BranchSubmitted {
			q, args = `UPDATE branch_plans SET state = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4 WHERE unit_id = $5 AND id = $6`,
				[]any{to, note, actor.Name, s.now(), unitID, id}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("followup: move branch plan: %w", err)
		}
		return s.branchAudit(ctx, tx, actor, unitID, id, to, before)
	})
}

// Kinds of visit.
const (
	VisitGuidance   = "guidance"   // 分类指导: the office's visit to a weak branch
	VisitInspection = "inspection" // 调研指导、督促检查: the leading group's visit
)

// VisitKinds lists them.
var VisitKinds = []string{VisitGuidance, VisitInspection}

// Visit is a guidance visit or an inspection: when, who went, where, what
// they found, and what must be fixed by when.
type Visit struct {
	ID             int64  `json:"id"`
	Kind           string `json:"kind"`
	BranchID       int64  `json:"branch_id,omitempty"`
	BranchName     string `json:"branch,omitempty"`
	DepartmentID   int64  `json:"department_id,omitempty"`
	DepartmentName string `json:"department,omitempty"`
	VisitedOn      string `json:"visited_on"`
	Visitors       string `json:"visitors"`
	Found          string `json:"found"`
	CreatedBy      string `json:"created_by"`
	Fixes          []Step `json:"fixes"`
}

// VisitInput is a visit as recorded.
type VisitInput struct {
	Kind         string
	BranchID     int64
	DepartmentID int64
	VisitedOn    string
	Visitors     string
	Found        string
	Fixes        []StepInput
}

const visitQuery = `SELECT v.id, v.kind, COALESCE(v.branch_id, 0), COALESCE(b.name, ''), COALESCE(v.department_id, 0), COALESCE(d.name, ''),
	v.visited_on, v.visitors, v.found, v.created_by
	FROM visits v LEFT JOIN branches b ON b.id = v.branch_id AND b.unit_id = v.unit_id
	LEFT JOIN departments d ON d.id = v.department_id AND d.unit_id = v.unit_id`

func scanVisit(r database.Scanner) (Visit, error) {
	var v Visit
	return v, r.Scan(&v.ID, &v.Kind, &v.BranchID, &v.BranchName, &v.DepartmentID, &v.DepartmentName, &v.VisitedOn, &v.Visitors, &v.Found, &v.CreatedBy)
}

// AddVisit records a visit. A guidance visit names the branch it guided.
func (s *Store) AddVisit(ctx context.Context, actor audit.Actor, unitID int64, in VisitInput) (int64, error) {
	in.VisitedOn, in.Visitors, in.Found = textnorm.FoldWidth(textnorm.CleanText(in.VisitedOn)), textnorm.CleanText(in.Visitors), textnorm.CleanMultiline(in.Found)
	var ps locale.Problems
	if !slices.Contains(VisitKinds, in.Kind) {
		ps.Add("kind", "followup.visit_kind_invalid")
	}
	if in.Kind == VisitGuidance && in.BranchID == 0 {
		ps.Add("branch", "followup.branch_required")
	}
	checkDate(&ps, "visited_on", in.VisitedOn)
	textnorm.CheckLength(&ps, "visitors", "followup.visitors", in.Visitors, MaxShortLen, true)
	textnorm.CheckLength(&ps, "found", "followup.found", in.Found, MaxTextLen, true)
	fixes := checkSteps(&ps, in.Fixes, false)
	if len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		if in.BranchID != 0 {
			var active bool
			if err := tx.QueryRowContext(ctx, `SELECT active FROM branches WHERE unit_id = $1 AND id = $2`, unitID, in.BranchID).Scan(&active); err != nil || !active {
				return locale.FieldProblem("branch", "followup.branch_unknown")
			}
		}
		if in.DepartmentID != 0 {
			if _, err := subjectName(ctx, tx, unitID, SubjectWindow, in.DepartmentID); err != nil {
				return err
			}
		}
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO visits (unit_id, kind, branch_id, department_id, visited_on, visitors, found, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, unitID, in.Kind, database.NullID(in.BranchID), database.NullID(in.DepartmentID),
			in.VisitedOn, in.Visitors, in.Found, actor.Name, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("followup: add visit: %w", err)
		}
		if err := addSteps(ctx, tx, unitID, OwnerVisit, id, fixes, now); err != nil {
			return err
		}
		after, err := s.visit(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "visit", EntityID: id, After: after})
	})
	return id, err
}

func (s *Store) visit(ctx context.Context, q database.Querier, unitID, id int64) (Visit, error) {
	v, err := scanVisit(q.QueryRowContext(ctx, visitQuery+` WHERE v.unit_id = $1 AND v.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("followup: visit %d: %w", id, err)
	}
	steps, err := s.steps(ctx, q, unitID, OwnerVisit)
	v.Fixes = steps[id]
	return v, err
}

// Visit returns one visit with its fixes.
func (s *Store) Visit(ctx context.Context, unitID, id int64) (Visit, error) {
	return s.visit(ctx, s.db, unitID, id)
}

// Visits lists the unit's visits, newest first; a branch narrows them.
func (s *Store) Visits(ctx context.Context, unitID, branchID int64) ([]Visit, error) {
	w := database.NewWhere(` WHERE v.unit_id = ?`, unitID)
	if branchID != 0 {
		w.Add(` AND v.branch_id = ?`, branchID)
	}
	rows, err := s.db.QueryContext(ctx, visitQuery+w.SQL()+` ORDER BY v.visited_on DESC, v.id DESC`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("followup: visits: %w", err)
	}
	list, err := database.Collect(rows, scanVisit)
	if err != nil {
		return nil, err
	}
	steps, err := s.steps(ctx, s.db, unitID, OwnerVisit)
	for i := range list {
		list[i].Fixes = steps[list[i].ID]
	}
	return list, err
}
