package cases

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/attendance"
	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// Store reads and writes cases. Every query names the unit.
type Store struct {
	db       *database.DB
	calendar *calendar.Store
	now      func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store {
	return &Store{db: db, calendar: calendar.NewStore(db), now: database.Now}
}

// WithClock returns a store whose "now" is clock: the demo loads two months
// of history through the same rules as the counter.
func (s *Store) WithClock(clock func() time.Time) *Store {
	return &Store{db: s.db, calendar: s.calendar, now: database.Moved(clock)}
}

// ErrNotFound is returned for a case not in the unit or not visible.
var ErrNotFound = failure.Wrap("cases", failure.NotFound)

// ErrForbidden is returned when the user may not do what they asked.
var ErrForbidden = failure.Wrap("cases", failure.Forbidden)

// Schedule is what deadlines of a unit are counted on.
type Schedule struct{ calendar.Schedule }

// Schedule loads the unit's calendar, office hours and time zone.
func (s *Store) Schedule(ctx context.Context, unitID int64) (Schedule, error) {
	sc, err := s.calendar.Schedule(ctx, unitID)
	return Schedule{sc}, err
}

// signal sets the case's light at moment now.
func (sc Schedule) signal(c *Case, now time.Time) {
	c.Signal, c.DaysLeft = "", nil
	switch {
	case c.Deadline == nil:
		return
	case c.State == StateCompleted:
		c.Signal = SignalGreen
		if !c.OnTime() {
			c.Signal = SignalRed
		}
		return
	case !c.Open():
		return
	case c.PausedAt != nil:
		c.Signal = SignalPaused
		return
	}
	left := sc.Calendar.Between(now.In(sc.Location), c.Deadline.In(sc.Location))
	c.DaysLeft = &left
	switch {
	case c.OverdueAt != nil || now.After(*c.Deadline):
		c.Signal = SignalRed
	case c.dueSoon(now, left):
		c.Signal = SignalYellow
	default:
		c.Signal = SignalGreen
	}
}

// dueSoon is the yellow light: one working day or less left of a longer
// limit. A case whose whole limit is a day shows yellow only on its due
// day, and an 即办 case (limit 0) only in its last hour, or every such case
// would be yellow the moment it is accepted.
func (c *Case) dueSoon(now time.Time, left int) bool {
	switch limit := c.TimeLimitDays; {
	case limit != nil && *limit == 0:
		return c.Deadline.Sub(now) <= time.Hour
	case limit != nil && *limit == 1:
		return left < 1
	default:
		return left <= 1
	}
}

const caseQuery = `SELECT c.id, c.unit_id, c.no, COALESCE(c.item_id, 0), COALESCE(i.name, ''), c.matter, c.recipient_name, c.recipient_phone,
	c.channel, c.notes, c.first_contact_id, f.name, c.handler_id, h.name, COALESCE(c.department_id, 0), COALESCE(d.name, ''),
	COALESCE(c.referred_to, 0), COALESCE(r.name, ''), c.referred_from, c.state, c.time_limit_days, c.accepted_at, c.deadline,
	c.paused_at, c.paused_days, c.completed_at, c.overdue_at, c.closing_reason, c.rating_token, c.version, COALESCE(c.created_by, 0),
	c.created_at, c.updated_at, c.ticket_no, c.ticket_at, c.called_at, c.finished_at
	FROM cases c
	JOIN staff f ON f.id = c.first_contact_id AND f.unit_id = c.unit_id
	JOIN staff h ON h.id = c.handler_id AND h.unit_id = c.unit_id
	LEFT JOIN staff r ON r.id = c.referred_to AND r.unit_id = c.unit_id
	LEFT JOIN items i ON i.id = c.item_id AND i.unit_id = c.unit_id
	LEFT JOIN departments d ON d.id = c.department_id AND d.unit_id = c.unit_id`

func scanCase(r database.Scanner) (Case, error) {
	var c Case
	var limit sql.NullInt64
	var accepted, deadline, paused, completed, overdue, ticket, called, finished sql.NullTime
	err := r.Scan(&c.ID, &c.UnitID, &c.No, &c.ItemID, &c.ItemName, &c.Matter, &c.RecipientName, &c.RecipientPhone, &c.Channel, &c.Notes,
		&c.FirstContactID, &c.FirstContactName, &c.HandlerID, &c.HandlerName, &c.DepartmentID, &c.DepartmentName, &c.ReferredTo,
		&c.ReferredToName, &c.ReferredFrom, &c.State, &limit, &accepted, &deadline, &paused, &c.PausedDays, &completed, &overdue,
		&c.ClosingReason, &c.RatingToken, &c.Version, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.TicketNo, &ticket, &called, &finished)
	if limit.Valid {
		n := int(limit.Int64)
		c.TimeLimitDays = &n
	}
	for _, p := range []struct {
		src sql.NullTime
		dst **time.Time
	}{{accepted, &c.AcceptedAt}, {deadline, &c.Deadline}, {paused, &c.PausedAt}, {completed, &c.CompletedAt}, {overdue, &c.OverdueAt},
		{ticket, &c.TicketAt}, {called, &c.CalledAt}, {finished, &c.FinishedAt}} {
		if p.src.Valid {
			t := p.src.Time.UTC()
			*p.dst = &t
		}
	}
	return c, err
}

func get(ctx context.Context, q database.Querier, unitID, id int64) (Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, caseQuery+` WHERE c.unit_id = $1 AND c.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("cases: get %d: %w", id, err)
	}
	return c, nil
}

// Get returns a case with its light, its timeline and its notices.
func (s *Store) Get(ctx context.Context, unitID, id int64) (Case, []Event, []Notice, error) {
	c, err := get(ctx, s.db, unitID, id)
	if err != nil {
		return c, nil, nil, err
	}
	sc, err := s.Schedule(ctx, unitID)
	if err != nil {
		return c, nil, nil, err
	}
	sc.signal(&c, s.now())
	events, err := s.events(ctx, unitID, id)
	if err != nil {
		return c, nil, nil, err
	}
	notices, err := s.Notices(ctx, unitID, id)
	return c, events, notices, err
}

func (s *Store) events(ctx context.Context, unitID, caseID int64) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, e.at, e.action, e.actor, COALESCE(e.staff_id, 0), COALESCE(s.name, ''), e.body
		FROM case_events e LEFT JOIN staff s ON s.id = e.staff_id AND s.unit_id = e.unit_id
		WHERE e.unit_id = $1 AND e.case_id = $2 ORDER BY e.at, e.id`, unitID, caseID)
	if err != nil {
		return nil, fmt.Errorf("cases: timeline: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Event, error) {
		var e Event
		err := r.Scan(&e.ID, &e.At, &e.Action, &e.Actor, &e.StaffID, &e.StaffName, &e.Body)
		return e, err
	})
}

// Filter narrows a list.
type Filter struct {
	State        string
	Signal       string // red or yellow: open, accepted cases with that light
	DepartmentID int64
	StaffID      int64 // first contact, handler or receiver
	Query        string
	ScopeOf      *accounts.User
	Limit        int
	Offset       int
}

// List returns the unit's cases matching f, newest first, with the total.
func (s *Store) List(ctx context.Context, unitID int64, f Filter) ([]Case, int, error) {
	w := database.NewWhere(` WHERE c.unit_id = ?`, unitID)
	add := w.Add
	if f.State != "" {
		add(` AND c.state = ?`, f.State)
	}
	if f.DepartmentID != 0 {
		add(` AND c.department_id = ?`, f.DepartmentID)
	}
	if f.StaffID != 0 {
		add(` AND (c.first_contact_id = ? OR c.handler_id = ? OR c.referred_to = ?)`, f.StaffID, f.StaffID, f.StaffID)
	}
	if q := textnorm.CleanText(f.Query); q != "" {
		like := database.LikeContains(q)
		add(` AND (c.no LIKE ? ESCAPE '\' OR c.recipient_name LIKE ? ESCAPE '\' OR c.matter LIKE ? ESCAPE '\' OR i.name LIKE ? ESCAPE '\')`, like, like, like, like)
	}
	if u := f.ScopeOf; u != nil && !isOffice(*u) {
		if u.Role == accounts.RoleWindowLead && u.DepartmentID != 0 {
			add(` AND (c.first_contact_id = ? OR c.handler_id = ? OR c.referred_to = ? OR c.department_id = ?)`, u.StaffID, u.StaffID, u.StaffID, u.DepartmentID)
		} else {
			add(` AND (c.first_contact_id = ? OR c.handler_id = ? OR c.referred_to = ?)`, u.StaffID, u.StaffID, u.StaffID)
		}
	}
	sc, err := s.Schedule(ctx, unitID)
	if err != nil {
		return nil, 0, err
	}
	now := s.now()
	if f.Signal == SignalRed || f.Signal == SignalYellow {
		// Red and yellow are among the open, accepted cases whose deadline
		// is near; the light itself is decided below on the calendar.
		horizon := sc.Calendar.AddWorkdays(now.In(sc.Location), 2)
		add(` AND c.state = 'accepted' AND c.paused_at IS NULL AND c.deadline < ?`, horizon.AddDate(0, 0, 1))
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cases c LEFT JOIN items i ON i.id = c.item_id AND i.unit_id = c.unit_id`+w.SQL(), w.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cases: count: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := caseQuery + w.SQL() + ` ORDER BY c.id DESC`
	if f.Signal == "" {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(f.Offset, 0))
	}
	rows, err := s.db.QueryContext(ctx, q, w.Args()...)
	if err != nil {
		return nil, 0, fmt.Errorf("cases: list: %w", err)
	}
	list, err := database.Collect(rows, scanCase)
	if err != nil {
		return nil, 0, fmt.Errorf("cases: scan: %w", err)
	}
	out := list[:0]
	for _, c := range list {
		sc.signal(&c, now)
		if f.Signal == "" || c.Signal == f.Signal {
			out = append(out, c)
		}
	}
	if f.Signal != "" {
		total = len(out)
		out = out[min(max(f.Offset, 0), len(out)):]
		out = out[:min(limit, len(out))]
	}
	return out, total, nil
}

// Registration is a new matter as the first contact took it down.
type Registration struct {
	FirstContactID int64
	ItemID         int64 // 0 when no item fits: Matter says what it is
	Matter         string
	RecipientName  string
	RecipientPhone string
	Channel        string
	Notes          string
	RequestKey     string // the submitting form's or API call's key; a repeat returns the first case
	Ticket                // from a queue machine, when it sent one
}

func (in *Registration) validate(now time.Time) locale.Problems {
	var ps locale.Problems
	in.Ticket.validate(&ps, now)
	in.Matter, in.RecipientName, in.Notes = textnorm.CleanText(in.Matter), textnorm.CleanText(in.RecipientName), textnorm.CleanMultiline(in.Notes)
	in.RecipientPhone = textnorm.NormalizePhone(in.RecipientPhone)
	textnorm.CheckLength(&ps, "recipient_name", "case.recipient_name", in.RecipientName, org.MaxNameLen, true)
	switch {
	case in.RecipientPhone == "":
		ps.Add("recipient_phone", "case.phone_required")
	case !textnorm.ValidPhone(in.RecipientPhone):
		ps.Add("recipient_phone", "error.phone_invalid")
	}
	if !slices.Contains(Channels, in.Channel) {
		ps.Add("channel", "case.channel_invalid")
	}
	if in.ItemID == 0 && in.Matter == "" {
		ps.Add("matter", "case.matter_required")
	}
	textnorm.CheckLength(&ps, "matter", "case.matter", in.Matter, 200, false)
	if utf8.RuneCountInString(in.Notes) > 1000 {
		ps.Add("notes", "error.too_long", "备注", 1000)
	}
	if in.FirstContactID <= 0 {
		ps.Add("first_contact", "case.staff_unknown")
	}
	if len(in.RequestKey) > 100 {
		ps.Add("request_key", "case.request_key_invalid")
	}
	return ps
}

// newToken returns the case's rating token: 128 random bits, the one
// credential of the one rating the case may receive.
func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Register records a new matter. When the first contact is away on a
// whereabouts note, the case goes to the person covering, and the timeline
// says so.
func (s *Store) Register(ctx context.Context, actor audit.Actor, u accounts.User, unitID int64, in Registration) (Case, error) {
	if ps := in.validate(s.now()); len(ps) > 0 {
		return Case{}, ps
	}
	sc, err := s.Schedule(ctx, unitID)
	if err != nil {
		return Case{}, err
	}
	var c Case
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		if in.RequestKey != "" {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM cases WHERE unit_id = $1 AND request_key = $2`, unitID, in.RequestKey).Scan(&id)
			if err == nil {
				c, err = get(ctx, tx, unitID, id)
				return err
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("cases: request key: %w", err)
			}
		}
		now := s.now()
		year := now.In(sc.Location).Format("2006")
		staff, dept, err := activeStaff(ctx, tx, unitID, in.FirstContactID, "first_contact")
		if err != nil {
			return err
		}
		if !canRegisterFor(u, staff, dept) {
			return ErrForbidden
		}
		if in.ItemID != 0 {
			var itemDept int64
			err := tx.QueryRowContext(ctx, `SELECT COALESCE(department_id, 0) FROM items WHERE unit_id = $1 AND id = $2 AND active = TRUE`,
				unitID, in.ItemID).Scan(&itemDept)
			if errors.Is(err, sql.ErrNoRows) {
				return locale.FieldProblem("item", "case.item_unknown")
			}
			if err != nil {
				return fmt.Errorf("cases: item: %w", err)
			}
			if dept == 0 {
				dept = itemDept
			}
		}
		handler, coverNote := staff, ""
		if note, away, err := attendance.AwayAt(ctx, tx, unitID, staff, now); err != nil {
			return err
		} else if away && note.CoverID != 0 {
			handler = note.CoverID
			coverNote = fmt.Sprintf("%s 外出(%s),由 %s 顶岗接待", note.StaffName, note.Place, note.CoverName)
			if _, d, err := activeStaff(ctx, tx, unitID, handler, "first_contact"); err == nil && d != 0 {
				dept = d
			}
		}
		n, err := database.Next(ctx, tx, unitID, "case-"+year)
		if err != nil {
			return err
		}
		no := fmt.Sprintf("%s-%06d", year, n)
		var id int64
		var key any
		if in.RequestKey != "" {
			key = in.RequestKey
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO cases (unit_id, no, item_id, matter, recipient_name, recipient_phone, channel, notes,
			first_contact_id, handler_id, department_id, state, rating_token, request_key, created_by, created_at, updated_at,
			ticket_no, ticket_at, called_at, finished_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, $19) RETURNING id`,
			unitID, no, database.NullID(in.ItemID), in.Matter, in.RecipientName, in.RecipientPhone, in.Channel, in.Notes, handler,
			database.NullID(dept), StateRegistered, newToken(), key, database.NullID(u.ID), now,
			in.TicketNo, utcOrNil(in.TicketAt), utcOrNil(in.CalledAt), utcOrNil(in.FinishedAt)).Scan(&id)
		if database.IsUniqueViolation(err) && key != nil {
			return errRepeated
		}
		if err != nil {
			return fmt.Errorf("cases: insert: %w", err)
		}
		if err := event(ctx, tx, actor, unitID, id, now, "registered", handler, in.Notes); err != nil {
			return err
		}
		if coverNote != "" {
			if err := event(ctx, tx, actor, unitID, id, now, "covered", handler, coverNote); err != nil {
				return err
			}
		}
		c, err = get(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "case", EntityID: id, After: c.audited()})
	})
	if errors.Is(err, errRepeated) {
		// The same form won a concurrent race (PostgreSQL): its case is the answer.
		err = s.db.QueryRowContext(ctx, `SELECT id FROM cases WHERE unit_id = $1 AND request_key = $2`, unitID, in.RequestKey).Scan(&c.ID)
		if err == nil {
			c, err = get(ctx, s.db, unitID, c.ID)
		}
	}
	return c, err
}

var errRepeated = errors.New("cases: repeated request")

// utcOrNil is a time as the database keeps it, or NULL.
func utcOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// activeStaff checks that staffID is an active person of the unit and
// returns their department.
func activeStaff(ctx context.Context, tx *database.Tx, unitID, staffID int64, field string) (int64, int64, error) {
	post, ok, err := org.ServingPost(ctx, tx, unitID, staffID)
	if err != nil {
		return 0, 0, fmt.Errorf("cases: staff: %w", err)
	}
	if !ok {
		return 0, 0, locale.FieldProblem(field, "case.staff_unknown")
	}
	return staffID, post.DepartmentID, nil
}

// event appends an entry to a case's timeline.
func event(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID, caseID int64, at time.Time, action string, staffID int64, body string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO case_events (unit_id, case_id, at, action, actor, staff_id, body) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		unitID, caseID, at, action, actor.Name, database.NullID(staffID), body)
	if err != nil {
		return fmt.Errorf("cases: timeline entry: %w", err)
	}
	return nil
}
