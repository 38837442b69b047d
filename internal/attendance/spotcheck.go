package attendance

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// What a spot check finds of a person.
const (
	Present = "present" // 在岗
	Away    = "away"    // 离岗, with a whereabouts note covering the moment
	OnLeave = "leave"   // 请假, with a leave note covering the moment
	Absent  = "absent"  // 无故缺岗: opens an accountability record
)

// Findings lists them in form order.
var Findings = []string{Present, Away, OnLeave, Absent}

// SpotCheck is one unannounced check of a department.
type SpotCheck struct {
	ID             int64     `json:"id"`
	DepartmentID   int64     `json:"window_id"`
	DepartmentName string    `json:"window"`
	CheckedAt      time.Time `json:"checked_at"`
	Checker        string    `json:"checker"`
	Note           string    `json:"note"`
	Entries        []Entry   `json:"entries"`
	Absent         int       `json:"absent"`
}

// Entry is what the check found of one person.
type Entry struct {
	StaffID int64  `json:"staff_id"`
	Name    string `json:"name"`
	Status  string `json:"status"`
	Place   string `json:"place,omitempty"` // from the whereabouts note
}

// CheckInput is a spot check as entered.
type CheckInput struct {
	DepartmentID int64
	CheckedAt    string
	Checker      string
	Note         string
	Findings     map[int64]string // staff id → finding
}

// Suggest lists a department's people with the finding their notes imply
// at moment t: the form starts from it and the checker corrects it.
func (s *Store) Suggest(ctx context.Context, unitID, deptID int64, t time.Time) ([]Entry, error) {
	people, err := departmentPeople(ctx, s.db, unitID, deptID)
	if err != nil {
		return nil, err
	}
	for i := range people {
		n, away, err := AwayAt(ctx, s.db, unitID, people[i].StaffID, t)
		if err != nil {
			return nil, err
		}
		people[i].Status = Present
		if away {
			people[i].Status, people[i].Place = findingOf(n), n.Place
		}
	}
	return people, nil
}

// departmentPeople lists the active people of a department, unchecked.
func departmentPeople(ctx context.Context, q database.Querier, unitID, deptID int64) ([]Entry, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM staff WHERE unit_id = $1 AND department_id = $2 AND active = TRUE ORDER BY id`, unitID, deptID)
	if err != nil {
		return nil, fmt.Errorf("attendance: department people: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Entry, error) {
		var e Entry
		err := r.Scan(&e.StaffID, &e.Name)
		return e, err
	})
}

func findingOf(n Note) string {
	if n.Kind == KindLeave {
		return OnLeave
	}
	return Away
}

// Record saves a spot check of a department by the office. Every active
// person of the department gets a finding; "away" and "leave" need a note
// covering the moment (else the person was absent); each absence opens an
// accountability record.
func (s *Store) Record(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, loc *time.Location, in CheckInput) (int64, error) {
	if !u.IsAdmin() {
		return 0, ErrForbidden
	}
	var ps locale.Problems
	in.Checker, in.Note = textnorm.CleanText(in.Checker), textnorm.CleanMultiline(in.Note)
	textnorm.CheckLength(&ps, "checker", "spot_check.checker", in.Checker, org.MaxNameLen, true)
	if utf8.RuneCountInString(in.Note) > 500 {
		ps.Add("note", "error.too_long", "备注", 500)
	}
	at, ok := calendar.ParseMoment(in.CheckedAt, loc)
	switch {
	case !ok:
		ps.Add("checked_at", "whereabouts.time_invalid", textnorm.Abbreviate(in.CheckedAt, 20))
	case at.After(s.now().Add(time.Minute)):
		ps.Add("checked_at", "spot_check.in_future")
	}
	if len(ps) > 0 {
		return 0, ps
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		deptName, ok, err := org.ActiveDepartment(ctx, tx, unitID, in.DepartmentID)
		if err != nil {
			return err
		}
		if !ok {
			return locale.FieldProblem("department", "spot_check.department_unknown")
		}
		entries, err := s.findings(ctx, tx, unitID, in, at)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO spot_checks (unit_id, department_id, checked_at, checker, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, unitID, in.DepartmentID, at.UTC(), in.Checker, in.Note, database.NullID(u.ID), s.now()).Scan(&id)
		if err != nil {
			return fmt.Errorf("attendance: insert check: %w", err)
		}
		for _, e := range entries {
			if _, err := tx.ExecContext(ctx, `INSERT INTO spot_check_entries (unit_id, check_id, staff_id, status, whereabouts_id, note)
				VALUES ($1, $2, $3, $4, $5, $6)`, unitID, id, e.entry.StaffID, e.entry.Status, database.NullID(e.noteID), e.entry.Place); err != nil {
				return fmt.Errorf("attendance: insert finding: %w", err)
			}
			if e.entry.Status != Absent {
				continue
			}
			facts := fmt.Sprintf("%s 考勤抽查%s时,%s 不在岗且无有效去向留言", at.In(loc).Format("2006-01-02 15:04"), deptName, e.entry.Name)
			if _, _, err := accountability.Open(ctx, tx, actor, unitID, e.entry.StaffID, accountability.RuleAbsence, fmt.Sprintf("spot_check:%d", id), facts, at); err != nil {
				return err
			}
		}
		list := make([]Entry, len(entries))
		for i, e := range entries {
			list[i] = e.entry
		}
		after := SpotCheck{ID: id, DepartmentID: in.DepartmentID, DepartmentName: deptName, CheckedAt: at, Checker: in.Checker, Note: in.Note, Entries: list}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "spot_check", EntityID: id, After: after})
	})
	return id, err
}

type finding struct {
	entry  Entry
	noteID int64
}

// findings checks a finding for every active person of the department and
// the notes behind "away" and "leave".
func (s *Store) findings(ctx context.Context, tx *database.Tx, unitID int64, in CheckInput, at time.Time) ([]finding, error) {
	people, err := departmentPeople(ctx, tx, unitID, in.DepartmentID)
	if err != nil {
		return nil, err
	}
	var ps locale.Problems
	known := map[int64]bool{}
	var out []finding
	for _, p := range people {
		known[p.StaffID] = true
		p.Status = in.Findings[p.StaffID]
		f := finding{entry: p}
		switch {
		case !slices.Contains(Findings, p.Status):
			ps.Add("finding", "spot_check.finding_missing", p.Name)
		case p.Status == Away || p.Status == OnLeave:
			n, ok, err := AwayAt(ctx, tx, unitID, p.StaffID, at)
			if err != nil {
				return nil, err
			}
			if !ok || findingOf(n) != p.Status {
				ps.Add("finding", "spot_check.no_note", p.Name)
				break
			}
			f.noteID, f.entry.Place = n.ID, n.Place
		}
		out = append(out, f)
	}
	for id := range in.Findings {
		if !known[id] {
			ps.Add("finding", "spot_check.staff_unknown")
			break
		}
	}
	if len(people) == 0 {
		ps.Add("department", "spot_check.department_empty")
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return out, nil
}

// Checks lists the unit's spot checks in [from, to), newest first.
func (s *Store) Checks(ctx context.Context, unitID int64, from, to time.Time) ([]SpotCheck, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.department_id, d.name, c.checked_at, c.checker, c.note,
		(SELECT count(*) FROM spot_check_entries e WHERE e.unit_id = c.unit_id AND e.check_id = c.id AND e.status = 'absent')
		FROM spot_checks c JOIN departments d ON d.id = c.department_id AND d.unit_id = c.unit_id
		WHERE c.unit_id = $1 AND c.checked_at >= $2 AND c.checked_at < $3 ORDER BY c.checked_at DESC, c.id DESC`, unitID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("attendance: checks: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (SpotCheck, error) {
		var c SpotCheck
		err := r.Scan(&c.ID, &c.DepartmentID, &c.DepartmentName, &c.CheckedAt, &c.Checker, &c.Note, &c.Absent)
		return c, err
	})
}

// Check returns one spot check with its findings.
func (s *Store) Check(ctx context.Context, unitID, id int64) (SpotCheck, error) {
	var c SpotCheck
	err := s.db.QueryRowContext(ctx, `SELECT c.id, c.department_id, d.name, c.checked_at, c.checker, c.note
		FROM spot_checks c JOIN departments d ON d.id = c.department_id AND d.unit_id = c.unit_id
		WHERE c.unit_id = $1 AND c.id = $2`, unitID, id).Scan(&c.ID, &c.DepartmentID, &c.DepartmentName, &c.CheckedAt, &c.Checker, &c.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("attendance: check %d: %w", id, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.staff_id, s.name, e.status, e.note FROM spot_check_entries e
		JOIN staff s ON s.id = e.staff_id AND s.unit_id = e.unit_id WHERE e.unit_id = $1 AND e.check_id = $2 ORDER BY e.id`, unitID, id)
	if err != nil {
		return c, fmt.Errorf("attendance: findings: %w", err)
	}
	c.Entries, err = database.Collect(rows, func(r database.Scanner) (Entry, error) {
		var e Entry
		err := r.Scan(&e.StaffID, &e.Name, &e.Status, &e.Place)
		if e.Status == Absent {
			c.Absent++
		}
		return e, err
	})
	return c, err
}

// Absence is one 无故缺岗 a spot check found.
type Absence struct {
	CheckID      int64     `json:"check_id"`
	DepartmentID int64     `json:"window_id"`
	StaffID      int64     `json:"staff_id"`
	Name         string    `json:"name"`
	CheckedAt    time.Time `json:"checked_at"`
}

// Absences lists the absences found by checks in [from, to), oldest
// first: the facts 五创's scores count and its veto on a second absence.
func (s *Store) Absences(ctx context.Context, unitID int64, from, to time.Time) ([]Absence, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.department_id, e.staff_id, st.name, c.checked_at
		FROM spot_check_entries e JOIN spot_checks c ON c.id = e.check_id AND c.unit_id = e.unit_id
		JOIN staff st ON st.id = e.staff_id AND st.unit_id = e.unit_id
		WHERE e.unit_id = $1 AND e.status = 'absent' AND c.checked_at >= $2 AND c.checked_at < $3 ORDER BY c.checked_at, c.id, e.staff_id`,
		unitID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("attendance: absences: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Absence, error) {
		var a Absence
		return a, r.Scan(&a.CheckID, &a.DepartmentID, &a.StaffID, &a.Name, &a.CheckedAt)
	})
}
