package org

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

const staffQuery = `SELECT s.id, s.unit_id, s.name, s.gender, s.post, s.employee_no, s.phone,
	COALESCE(s.department_id, 0), COALESCE(d.name, ''), COALESCE(s.branch_id, 0), COALESCE(b.name, ''),
	s.political_status, COALESCE(s.backup_id, 0), COALESCE(bk.name, ''), s.duties, s.active,
	(p.staff_id IS NOT NULL), s.created_at, s.updated_at
	FROM staff s
	LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id
	LEFT JOIN branches b ON b.id = s.branch_id AND b.unit_id = s.unit_id
	LEFT JOIN staff bk ON bk.id = s.backup_id AND bk.unit_id = s.unit_id
	LEFT JOIN staff_photos p ON p.staff_id = s.id AND p.unit_id = s.unit_id`

func scanStaff(row database.Scanner) (Staff, error) {
	var s Staff
	err := row.Scan(&s.ID, &s.UnitID, &s.Name, &s.Gender, &s.Post, &s.EmployeeNo, &s.Phone,
		&s.DepartmentID, &s.DepartmentName, &s.BranchID, &s.BranchName,
		&s.PoliticalStatus, &s.BackupID, &s.BackupName, &s.Duties, &s.Active,
		&s.HasPhoto, &s.CreatedAt, &s.UpdatedAt)
	return s, err
}

// StaffFilter narrows a staff list. Zero values mean "any".
type StaffFilter struct {
	Query           string // part of a name, employee number, post or department
	DepartmentID    int64
	BranchID        int64
	PoliticalStatus string
	Active          *bool
	Limit, Offset   int
}

func (f StaffFilter) where(unitID int64) (string, []any) {
	w := database.NewWhere(` WHERE s.unit_id = ?`, unitID)
	add := w.Add
	if q := textnorm.CleanText(f.Query); q != "" {
		add(` AND (s.name LIKE ? ESCAPE '\' OR lower(s.employee_no) LIKE lower(?) ESCAPE '\'`+
			` OR s.post LIKE ? ESCAPE '\' OR d.name LIKE ? ESCAPE '\')`, database.LikeContains(q))
	}
	if f.DepartmentID != 0 {
		add(` AND s.department_id = ?`, f.DepartmentID)
	}
	if f.BranchID != 0 {
		add(` AND s.branch_id = ?`, f.BranchID)
	}
	if f.PoliticalStatus != "" {
		add(` AND s.political_status = ?`, f.PoliticalStatus)
	}
	if f.Active != nil {
		add(` AND s.active = ?`, *f.Active)
	}
	return w.SQL(), w.Args()
}

// StaffList returns a page of the unit's staff matching f, and how many match
// in all.
func (s *Store) StaffList(ctx context.Context, unitID int64, f StaffFilter) ([]Staff, int, error) {
	where, args := f.where(unitID)
	var total int
	count := `SELECT count(*) FROM staff s LEFT JOIN departments d ON d.id = s.department_id AND d.unit_id = s.unit_id` + where
	if err := s.db.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("org: count staff: %w", err)
	}
	q := staffQuery + where + ` ORDER BY COALESCE(d.sort_order, 9999), s.department_id, s.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("org: list staff: %w", err)
	}
	out, err := database.Collect(rows, scanStaff)
	return out, total, err
}

// Staff returns one of the unit's staff.
func (s *Store) Staff(ctx context.Context, unitID, id int64) (Staff, error) {
	return staffByID(ctx, s.db, unitID, id)
}

func staffByID(ctx context.Context, q database.Querier, unitID, id int64) (Staff, error) {
	st, err := scanStaff(q.QueryRowContext(ctx, staffQuery+` WHERE s.unit_id = $1 AND s.id = $2`, unitID, id))
	return st, notFound(err, "staff")
}

// checkStaff normalises and validates in, including the references that
// need the database: department, branch, backup and a unique employee number.
func checkStaff(ctx context.Context, tx *database.Tx, unitID, id int64, in *StaffInput) error {
	in.Normalize()
	ps := in.Validate()
	if err := checkRef(ctx, tx, &ps, "departments", unitID, in.DepartmentID, "department", "error.department_unknown"); err != nil {
		return err
	}
	if err := checkRef(ctx, tx, &ps, "branches", unitID, in.BranchID, "branch", "error.branch_unknown"); err != nil {
		return err
	}
	if in.BackupID != 0 && in.BackupID == id {
		ps.Add("backup", "error.backup_self")
	} else if err := checkRef(ctx, tx, &ps, "staff", unitID, in.BackupID, "backup", "error.staff_unknown"); err != nil {
		return err
	}
	if in.EmployeeNo != "" {
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM staff WHERE unit_id = $1 AND employee_no = $2 AND id <> $3`,
			unitID, in.EmployeeNo, id).Scan(&other)
		if err == nil {
			ps.Add("employee_no", "error.employee_no_taken", in.EmployeeNo)
		}
	}
	return ps.Err()
}

// CreateStaff adds a staff member to the unit.
func (s *Store) CreateStaff(ctx context.Context, actor audit.Actor, unitID int64, in StaffInput) (int64, error) {
	var id int64
	err := s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		if err := checkStaff(ctx, tx, unitID, 0, &in); err != nil {
			return audit.Entry{}, err
		}
		var err error
		if id, err = insertStaff(ctx, tx, unitID, in); err != nil {
			return audit.Entry{}, err
		}
		after, err := staffByID(ctx, tx, unitID, id)
		return audit.Entry{UnitID: unitID, Action: "create", Entity: "staff", EntityID: id, After: after}, err
	})
	return id, err
}

func insertStaff(ctx context.Context, tx *database.Tx, unitID int64, in StaffInput) (int64, error) {
	var id int64
	now := database.Now()
	err := tx.QueryRowContext(ctx, `INSERT INTO staff (unit_id, name, gender, post, employee_no, phone, department_id,
		branch_id, political_status, backup_id, duties, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		unitID, in.Name, in.Gender, in.Post, in.EmployeeNo, in.Phone, database.NullID(in.DepartmentID),
		database.NullID(in.BranchID), in.PoliticalStatus, database.NullID(in.BackupID), in.Duties, now).Scan(&id)
	if database.IsUniqueViolation(err) {
		return 0, locale.FieldProblem("employee_no", "error.employee_no_taken", in.EmployeeNo)
	}
	if err != nil {
		return 0, fmt.Errorf("org: insert staff: %w", err)
	}
	return id, nil
}

func updateStaff(ctx context.Context, tx *database.Tx, unitID, id int64, in StaffInput) error {
	_, err := tx.ExecContext(ctx, `UPDATE staff SET name = $1, gender = $2, post = $3, employee_no = $4, phone = $5,
		department_id = $6, branch_id = $7, political_status = $8, backup_id = $9, duties = $10, updated_at = $11
		WHERE unit_id = $12 AND id = $13`,
		in.Name, in.Gender, in.Post, in.EmployeeNo, in.Phone, database.NullID(in.DepartmentID), database.NullID(in.BranchID),
		in.PoliticalStatus, database.NullID(in.BackupID), in.Duties, database.Now(), unitID, id)
	if database.IsUniqueViolation(err) {
		return locale.FieldProblem("employee_no", "error.employee_no_taken", in.EmployeeNo)
	}
	if err != nil {
		return fmt.Errorf("org: update staff %d: %w", id, err)
	}
	return nil
}

// UpdateStaff changes a staff member.
func (s *Store) UpdateStaff(ctx context.Context, actor audit.Actor, unitID, id int64, in StaffInput) error {
	return s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		before, err := staffByID(ctx, tx, unitID, id)
		if err != nil {
			return audit.Entry{}, err
		}
		if err := checkStaff(ctx, tx, unitID, id, &in); err != nil {
			return audit.Entry{}, err
		}
		if err := updateStaff(ctx, tx, unitID, id, in); err != nil {
			return audit.Entry{}, err
		}
		after, err := staffByID(ctx, tx, unitID, id)
		return audit.Entry{UnitID: unitID, Action: "update", Entity: "staff", EntityID: id, Before: before, After: after}, err
	})
}

// SetStaffActive records that a person left (or came back). A person who
// left keeps their history; they are no longer anyone's backup.
func (s *Store) SetStaffActive(ctx context.Context, actor audit.Actor, unitID, id int64, active bool) error {
	return s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		before, err := staffByID(ctx, tx, unitID, id)
		if err != nil {
			return audit.Entry{}, err
		}
		now := database.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE staff SET active = $1, updated_at = $2 WHERE unit_id = $3 AND id = $4`,
			active, now, unitID, id); err != nil {
			return audit.Entry{}, fmt.Errorf("org: set staff active: %w", err)
		}
		if !active {
			if _, err := tx.ExecContext(ctx, `UPDATE staff SET backup_id = NULL, updated_at = $1 WHERE unit_id = $2 AND backup_id = $3`,
				now, unitID, id); err != nil {
				return audit.Entry{}, fmt.Errorf("org: clear backups of %d: %w", id, err)
			}
		}
		after, err := staffByID(ctx, tx, unitID, id)
		return audit.Entry{UnitID: unitID, Action: activeAction(active), Entity: "staff", EntityID: id, Before: before, After: after}, err
	})
}

// ImportRow is one person of a roster import: the input plus the backup's
// employee number, which may name a person of the same file.
type ImportRow struct {
	StaffInput
	BackupEmployeeNo string
	Active           bool
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// ImportStaff creates or updates every row, matched by employee number, in
// one transaction: all rows or none. Rows must already be validated; the
// references are checked again here because the data may have moved since.
// Rows that change nothing are not written. New people, backups and audit
// records are written in multi-row statements, so a 10,000-row roster costs
// a few hundred round trips rather than tens of thousands.
func (s *Store) ImportStaff(ctx context.Context, actor audit.Actor, unitID int64, rows []ImportRow) (ImportResult, error) {
	var res ImportResult
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		existing, err := staffByEmployeeNo(ctx, tx, unitID)
		if err != nil {
			return err
		}
		depts, err := idSet(ctx, tx, `SELECT id FROM departments WHERE unit_id = $1`, unitID)
		if err != nil {
			return err
		}
		branches, err := idSet(ctx, tx, `SELECT id FROM branches WHERE unit_id = $1`, unitID)
		if err != nil {
			return err
		}
		// First: people. Existing ones keep their backup until the second step.
		var fresh []StaffInput
		for i := range rows {
			r := &rows[i]
			r.Normalize()
			if !depts[r.DepartmentID] || (r.BranchID != 0 && !branches[r.BranchID]) {
				return locale.NewError("roster.stale_reference", i+1)
			}
			old, found := existing[r.EmployeeNo]
			if !found {
				fresh = append(fresh, r.StaffInput)
				continue
			}
			if in := r.StaffInput; !sameInput(old, in) {
				in.BackupID = old.BackupID
				if err := updateStaff(ctx, tx, unitID, old.ID, in); err != nil {
					return err
				}
			}
		}
		ids, err := insertStaffBatch(ctx, tx, unitID, fresh)
		if err != nil {
			return err
		}
		for no, st := range existing {
			ids[no] = st.ID
		}
		// Second: backups, which may name people of the same file, and state.
		var changes []any
		for _, r := range rows {
			backup := ids[textnorm.FoldWidth(r.BackupEmployeeNo)]
			oldBackup, oldActive := int64(0), true
			if old, found := existing[r.EmployeeNo]; found {
				oldBackup, oldActive = old.BackupID, old.Active
			}
			if backup != oldBackup || r.Active != oldActive {
				changes = append(changes, ids[r.EmployeeNo], database.NullID(backup), r.Active)
			}
		}
		if err := setBackupsBatch(ctx, tx, unitID, changes); err != nil {
			return err
		}
		now, err := staffByEmployeeNo(ctx, tx, unitID)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for _, r := range rows {
			after := now[r.EmployeeNo]
			old, found := existing[r.EmployeeNo]
			entry := audit.Entry{UnitID: unitID, Action: "import", Entity: "staff", EntityID: after.ID, After: after}
			switch {
			case !found:
				res.Created++
			case sameStaff(old, after):
				res.Unchanged++
				continue
			default:
				entry.Before = old
				res.Updated++
			}
			entries = append(entries, entry)
		}
		return audit.AppendBatch(ctx, tx, actor, entries)
	})
	return res, err
}

// sameInput reports whether in would leave old as it is, apart from the
// backup and the state, which the import sets in its second step.
func sameInput(old Staff, in StaffInput) bool {
	return old.Name == in.Name && old.Gender == in.Gender && old.Post == in.Post && old.EmployeeNo == in.EmployeeNo &&
		old.Phone == in.Phone && old.DepartmentID == in.DepartmentID && old.BranchID == in.BranchID &&
		old.PoliticalStatus == in.PoliticalStatus && old.Duties == in.Duties
}

// insertStaffBatch inserts people in multi-row statements and returns their
// ids by employee number.
func insertStaffBatch(ctx context.Context, tx *database.Tx, unitID int64, list []StaffInput) (map[string]int64, error) {
	ids := map[string]int64{}
	now := database.Now()
	const cols = 12
	for chunk := range slices.Chunk(list, database.BatchRows) {
		args := make([]any, 0, len(chunk)*cols)
		for _, in := range chunk {
			args = append(args, unitID, in.Name, in.Gender, in.Post, in.EmployeeNo, in.Phone, database.NullID(in.DepartmentID),
				database.NullID(in.BranchID), in.PoliticalStatus, in.Duties, now, now)
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO staff (unit_id, name, gender, post, employee_no, phone, department_id,
			branch_id, political_status, duties, created_at, updated_at) VALUES `+tx.Values(len(chunk), cols, 1)+
			` RETURNING id, employee_no`, args...)
		if err != nil {
			return nil, fmt.Errorf("org: insert staff batch: %w", err)
		}
		for rows.Next() {
			var id int64
			var no string
			if err := rows.Scan(&id, &no); err != nil {
				rows.Close()
				return nil, fmt.Errorf("org: scan inserted staff: %w", err)
			}
			ids[no] = id
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("org: insert staff batch: %w", err)
		}
	}
	return ids, nil
}

// setBackupsBatch sets backup_id and active from triples (id, backup, active).
func setBackupsBatch(ctx context.Context, tx *database.Tx, unitID int64, triples []any) error {
	now := database.Now()
	for chunk := range slices.Chunk(triples, 3*database.BatchRows) {
		n := len(chunk) / 3
		// The casts tell PostgreSQL the parameter types. "id IN" lets both
		// engines find the target rows by primary key; an UPDATE … FROM
		// (VALUES …) made SQLite scan the whole list once per staff row.
		var values strings.Builder
		for i := range n {
			if i > 0 {
				values.WriteString(", ")
			}
			fmt.Fprintf(&values, "(CAST(%s AS BIGINT), CAST(%s AS BIGINT), CAST(%s AS BOOLEAN))",
				tx.Param(1+3*i), tx.Param(2+3*i), tx.Param(3+3*i))
		}
		args := append(append([]any{}, chunk...), now, unitID)
		_, err := tx.ExecContext(ctx, `WITH v (id, backup, active) AS (VALUES `+values.String()+`)
			UPDATE staff SET backup_id = (SELECT v.backup FROM v WHERE v.id = staff.id),
				active = (SELECT v.active FROM v WHERE v.id = staff.id), updated_at = `+tx.Param(len(chunk)+1)+`
			WHERE staff.unit_id = `+tx.Param(len(chunk)+2)+` AND staff.id IN (SELECT v.id FROM v)`, args...)
		if err != nil {
			return fmt.Errorf("org: set backups: %w", err)
		}
	}
	return nil
}

// sameStaff compares what an import can change, ignoring timestamps.
func sameStaff(a, b Staff) bool {
	a.CreatedAt, a.UpdatedAt = b.CreatedAt, b.UpdatedAt
	return a == b
}

func staffByEmployeeNo(ctx context.Context, q database.Querier, unitID int64) (map[string]Staff, error) {
	rows, err := q.QueryContext(ctx, staffQuery+` WHERE s.unit_id = $1`, unitID)
	if err != nil {
		return nil, fmt.Errorf("org: load staff: %w", err)
	}
	list, err := database.Collect(rows, scanStaff)
	out := make(map[string]Staff, len(list))
	for _, st := range list {
		out[st.EmployeeNo] = st
	}
	return out, err
}

func idSet(ctx context.Context, q database.Querier, query string, args ...any) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("org: load ids: %w", err)
	}
	ids, err := database.Collect(rows, func(row database.Scanner) (id int64, err error) {
		err = row.Scan(&id)
		return id, err
	})
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// StaffByEmployeeNo finds one of the unit's staff by employee number, as
// people type it (full-width digits are folded).
func (s *Store) StaffByEmployeeNo(ctx context.Context, unitID int64, no string) (Staff, error) {
	st, err := scanStaff(s.db.QueryRowContext(ctx, staffQuery+` WHERE s.unit_id = $1 AND s.employee_no = $2`, unitID, textnorm.FoldWidth(no)))
	return st, notFound(err, "staff by employee number")
}

// Serving reports whether staffID is an active person of the unit: the
// check every form that names a person makes before saving, so an id of
// another unit, or of someone who left, is refused alike.
func Serving(ctx context.Context, q database.Querier, unitID, staffID int64) bool {
	_, ok, err := ServingPost(ctx, q, unitID, staffID)
	return ok && err == nil
}

// Post is where a serving person stands.
type Post struct {
	StaffID      int64
	Name         string
	DepartmentID int64 // 0 when the person belongs to no department
	BranchID     int64 // 0 for a person outside any branch
}

// ServingPost returns the post of staffID when they are an active person
// of the unit; ok is false for an id of another unit, of someone who left,
// or of nobody.
func ServingPost(ctx context.Context, q database.Querier, unitID, staffID int64) (Post, bool, error) {
	p := Post{StaffID: staffID}
	err := q.QueryRowContext(ctx, `SELECT name, COALESCE(department_id, 0), COALESCE(branch_id, 0) FROM staff
		WHERE unit_id = $1 AND id = $2 AND active = TRUE`, unitID, staffID).Scan(&p.Name, &p.DepartmentID, &p.BranchID)
	if errors.Is(err, sql.ErrNoRows) {
		return Post{}, false, nil
	}
	if err != nil {
		return Post{}, false, fmt.Errorf("org: serving person: %w", err)
	}
	return p, true, nil
}

// ActiveDepartment returns the name of an active department (or window)
// of the unit; ok is false for an id of another unit, of a closed
// department, or of nothing.
func ActiveDepartment(ctx context.Context, q database.Querier, unitID, deptID int64) (string, bool, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM departments WHERE unit_id = $1 AND id = $2 AND active = TRUE`, unitID, deptID).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("org: active department: %w", err)
	}
	return name, true, nil
}

// Window is an active service window, in the unit's order.
type Window struct {
	ID   int64
	Name string
	No   string // the number over the counter
}

// Windows lists the unit's active windows in their order: the rows every
// per-window figure and form starts from.
func Windows(ctx context.Context, q database.Querier, unitID int64) ([]Window, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, window_no FROM departments WHERE unit_id = $1 AND active = TRUE AND kind = 'window'
		ORDER BY sort_order, id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("org: windows: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Window, error) {
		var w Window
		return w, r.Scan(&w.ID, &w.Name, &w.No)
	})
}
