package items

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// Store reads and writes a unit's service items. Every query names the unit.
type Store struct{ db *database.DB }

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

// ErrNotFound is returned for an item that does not exist in the unit.
var ErrNotFound = failure.Wrap("items", failure.NotFound)

const itemQuery = `SELECT i.id, i.unit_id, i.code, i.name, i.policy_basis, i.preconditions, i.procedure_steps,
	i.fee_basis, i.fee_standard, i.time_limit_days, i.handling_unit, i.contact, COALESCE(i.department_id, 0),
	COALESCE(d.name, ''), i.active, i.created_at, i.updated_at
	FROM items i LEFT JOIN departments d ON d.id = i.department_id AND d.unit_id = i.unit_id`

func scanItem(row database.Scanner) (Item, error) {
	var it Item
	var steps string
	err := row.Scan(&it.ID, &it.UnitID, &it.Code, &it.Name, &it.PolicyBasis, &it.Preconditions, &steps,
		&it.FeeBasis, &it.FeeStandard, &it.TimeLimitDays, &it.HandlingUnit, &it.Contact, &it.DepartmentID,
		&it.DepartmentName, &it.Active, &it.CreatedAt, &it.UpdatedAt)
	it.Procedure = Input{Procedure: steps}.Steps()
	it.Materials, it.Handlers = []Material{}, []Handler{}
	return it, err
}

// Filter narrows a list of items.
type Filter struct {
	Query        string // part of the item's name, code or one of its materials
	DepartmentID int64
	HandlerID    int64
	Active       *bool
}

// List returns the unit's items matching f, with materials and handlers,
// in the order of their windows.
func (s *Store) List(ctx context.Context, unitID int64, f Filter) ([]Item, error) {
	return list(ctx, s.db, unitID, f)
}

func list(ctx context.Context, q database.Querier, unitID int64, f Filter) ([]Item, error) {
	w := database.NewWhere(` WHERE i.unit_id = ?`, unitID)
	add := w.Add
	if query := strings.TrimSpace(f.Query); query != "" {
		add(` AND (i.name LIKE ? ESCAPE '\' OR i.code LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM item_materials m
			WHERE m.unit_id = i.unit_id AND m.item_id = i.id AND m.name LIKE ? ESCAPE '\'))`, database.LikeContains(query))
	}
	if f.DepartmentID != 0 {
		add(` AND i.department_id = ?`, f.DepartmentID)
	}
	if f.HandlerID != 0 {
		add(` AND EXISTS (SELECT 1 FROM item_handlers h WHERE h.unit_id = i.unit_id AND h.item_id = i.id AND h.staff_id = ?)`, f.HandlerID)
	}
	if f.Active != nil {
		add(` AND i.active = ?`, *f.Active)
	}
	rows, err := q.QueryContext(ctx, itemQuery+w.SQL()+` ORDER BY COALESCE(d.sort_order, 9999), i.department_id, i.id`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("items: list: %w", err)
	}
	list, err := database.Collect(rows, scanItem)
	if err != nil {
		return nil, fmt.Errorf("items: scan: %w", err)
	}
	return list, attach(ctx, q, unitID, list)
}

// attach loads the materials and handlers of items, in one query each.
func attach(ctx context.Context, q database.Querier, unitID int64, list []Item) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*Item{}
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	one := ""
	args := []any{unitID}
	if len(list) == 1 {
		one, args = ` AND item_id = $2`, append(args, list[0].ID)
	}
	rows, err := q.QueryContext(ctx, `SELECT item_id, name, form, copies, note FROM item_materials
		WHERE unit_id = $1`+one+` ORDER BY item_id, position`, args...)
	if err != nil {
		return fmt.Errorf("items: materials: %w", err)
	}
	type owned[T any] struct {
		item int64
		v    T
	}
	ms, err := database.Collect(rows, func(r database.Scanner) (owned[Material], error) {
		var o owned[Material]
		err := r.Scan(&o.item, &o.v.Name, &o.v.Form, &o.v.Copies, &o.v.Note)
		return o, err
	})
	if err != nil {
		return fmt.Errorf("items: scan materials: %w", err)
	}
	for _, m := range ms {
		if it := byID[m.item]; it != nil {
			it.Materials = append(it.Materials, m.v)
		}
	}
	rows, err = q.QueryContext(ctx, `SELECT h.item_id, s.id, s.name, s.post, s.employee_no, s.active FROM item_handlers h
		JOIN staff s ON s.id = h.staff_id AND s.unit_id = h.unit_id
		WHERE h.unit_id = $1`+strings.ReplaceAll(one, "item_id", "h.item_id")+` ORDER BY h.item_id, s.id`, args...)
	if err != nil {
		return fmt.Errorf("items: handlers: %w", err)
	}
	hs, err := database.Collect(rows, func(r database.Scanner) (owned[Handler], error) {
		var o owned[Handler]
		err := r.Scan(&o.item, &o.v.StaffID, &o.v.Name, &o.v.Post, &o.v.EmployeeNo, &o.v.Active)
		return o, err
	})
	if err != nil {
		return fmt.Errorf("items: scan handlers: %w", err)
	}
	for _, h := range hs {
		if it := byID[h.item]; it != nil {
			it.Handlers = append(it.Handlers, h.v)
		}
	}
	return nil
}

// Item returns one of the unit's items with its materials and handlers.
func (s *Store) Item(ctx context.Context, unitID, id int64) (Item, error) {
	return get(ctx, s.db, unitID, id)
}

func get(ctx context.Context, q database.Querier, unitID, id int64) (Item, error) {
	it, err := scanItem(q.QueryRowContext(ctx, itemQuery+` WHERE i.unit_id = $1 AND i.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, ErrNotFound
	}
	if err != nil {
		return it, fmt.Errorf("items: get %d: %w", id, err)
	}
	list := []Item{it}
	if err := attach(ctx, q, unitID, list); err != nil {
		return it, err
	}
	return list[0], nil
}

// check normalises and validates in, including what needs the database:
// the window and the handlers belong to the unit, the name is unique.
func check(ctx context.Context, tx *database.Tx, unitID, id int64, in *Input) error {
	in.Normalize()
	ps := in.Validate()
	if in.DepartmentID != 0 {
		if _, ok, err := org.ActiveDepartment(ctx, tx, unitID, in.DepartmentID); err != nil {
			return err
		} else if !ok {
			ps.Add("window", "error.department_unknown")
		}
	}
	for _, h := range in.HandlerIDs {
		if !org.Serving(ctx, tx, unitID, h) {
			ps.Add("handlers", "error.staff_unknown")
			break
		}
	}
	var other int64
	if tx.QueryRowContext(ctx, `SELECT id FROM items WHERE unit_id = $1 AND name = $2 AND id <> $3`, unitID, in.Name, id).Scan(&other) == nil {
		ps.Add("name", "item.name_taken")
	}
	return ps.Err()
}

// Create adds an item to the unit.
func (s *Store) Create(ctx context.Context, actor audit.Actor, unitID int64, in Input) (int64, error) {
	var id int64
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		var err error
		id, err = s.create(ctx, tx, actor, unitID, in)
		return err
	})
	return id, err
}

func (s *Store) create(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID int64, in Input) (int64, error) {
	if err := check(ctx, tx, unitID, 0, &in); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO items (unit_id, code, name, policy_basis, preconditions, procedure_steps,
		fee_basis, fee_standard, time_limit_days, handling_unit, contact, department_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
		unitID, in.Code, in.Name, in.PolicyBasis, in.Preconditions, in.Procedure, in.FeeBasis, in.FeeStandard,
		in.TimeLimitDays, in.HandlingUnit, in.Contact, database.NullID(in.DepartmentID), database.Now()).Scan(&id)
	if database.IsUniqueViolation(err) {
		return 0, locale.FieldProblem("name", "item.name_taken")
	}
	if err != nil {
		return 0, fmt.Errorf("items: insert: %w", err)
	}
	if err := replaceParts(ctx, tx, unitID, id, in); err != nil {
		return 0, err
	}
	after, err := get(ctx, tx, unitID, id)
	if err != nil {
		return 0, err
	}
	return id, audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "item", EntityID: id, After: after})
}

// Update changes an item, replacing its materials and handlers.
func (s *Store) Update(ctx context.Context, actor audit.Actor, unitID, id int64, in Input) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		return s.update(ctx, tx, actor, unitID, id, in)
	})
}

func (s *Store) update(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID, id int64, in Input) error {
	before, err := get(ctx, tx, unitID, id)
	if err != nil {
		return err
	}
	if err := check(ctx, tx, unitID, id, &in); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE items SET code = $1, name = $2, policy_basis = $3, preconditions = $4,
		procedure_steps = $5, fee_basis = $6, fee_standard = $7, time_limit_days = $8, handling_unit = $9, contact = $10,
		department_id = $11, updated_at = $12 WHERE unit_id = $13 AND id = $14`,
		in.Code, in.Name, in.PolicyBasis, in.Preconditions, in.Procedure, in.FeeBasis, in.FeeStandard, in.TimeLimitDays,
		in.HandlingUnit, in.Contact, database.NullID(in.DepartmentID), database.Now(), unitID, id)
	if database.IsUniqueViolation(err) {
		return locale.FieldProblem("name", "item.name_taken")
	}
	if err != nil {
		return fmt.Errorf("items: update %d: %w", id, err)
	}
	if err := replaceParts(ctx, tx, unitID, id, in); err != nil {
		return err
	}
	after, err := get(ctx, tx, unitID, id)
	if err != nil {
		return err
	}
	return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "item", EntityID: id, Before: before, After: after})
}

// replaceParts writes an item's materials and handlers anew.
func replaceParts(ctx context.Context, tx *database.Tx, unitID, id int64, in Input) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM item_materials WHERE unit_id = $1 AND item_id = $2`, unitID, id); err != nil {
		return fmt.Errorf("items: clear materials: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM item_handlers WHERE unit_id = $1 AND item_id = $2`, unitID, id); err != nil {
		return fmt.Errorf("items: clear handlers: %w", err)
	}
	for i, m := range in.Materials {
		_, err := tx.ExecContext(ctx, `INSERT INTO item_materials (unit_id, item_id, position, name, form, copies, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, unitID, id, i+1, m.Name, m.Form, m.Copies, m.Note)
		if err != nil {
			return fmt.Errorf("items: insert material: %w", err)
		}
	}
	for _, h := range in.HandlerIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO item_handlers (unit_id, item_id, staff_id) VALUES ($1, $2, $3)`, unitID, id, h); err != nil {
			return fmt.Errorf("items: insert handler: %w", err)
		}
	}
	return nil
}

// SetActive retires an item (it leaves the window's card and the portal,
// its history stays) or brings it back.
func (s *Store) SetActive(ctx context.Context, actor audit.Actor, unitID, id int64, active bool) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := get(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE items SET active = $1, updated_at = $2 WHERE unit_id = $3 AND id = $4`,
			active, database.Now(), unitID, id); err != nil {
			return fmt.Errorf("items: set active: %w", err)
		}
		after, err := get(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		action := "retire"
		if active {
			action = "activate"
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "item", EntityID: id, Before: before, After: after})
	})
}
