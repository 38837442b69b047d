// Package feedback is the suggestion box (意见箱): suggestions, complaints
// and praise from the public about a person, a window or the unit, with or
// without a name. The sender follows it by a tracking code; the office
// assigns and replies, may publish the reply, and decides a complaint —
// an upheld one opens an accountability record on the person.
package feedback

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/rectification"
	"wuliang/internal/textnorm"
)

// Kinds of message the box offers.
var Kinds = []string{"suggestion", "complaint", "praise"}

// KindObjection is an objection to an honour in its 公示期: sent from the
// publicity page, naming the selection, answered before confirmation.
const KindObjection = "objection"

// States of a message.
const (
	StateNew      = "new"
	StateAssigned = "assigned"
	StateReplied  = "replied"
)

// PerAddressPerHour bounds what one address may send.
const PerAddressPerHour = 10

// Message is one message in the box.
type Message struct {
	ID             int64      `json:"id"`
	Code           string     `json:"code"`
	Kind           string     `json:"kind"`
	StaffID        int64      `json:"staff_id,omitempty"`
	StaffName      string     `json:"staff,omitempty"`
	DepartmentID   int64      `json:"window_id,omitempty"`
	DepartmentName string     `json:"window,omitempty"`
	Name           string     `json:"name,omitempty"`
	Phone          string     `json:"-"`
	Body           string     `json:"body"`
	State          string     `json:"state"`
	AssigneeID     int64      `json:"assignee_id,omitempty"`
	AssigneeName   string     `json:"assignee,omitempty"`
	Reply          string     `json:"reply,omitempty"`
	ReplyPublic    bool       `json:"reply_public"`
	Upheld         *bool      `json:"upheld,omitempty"`
	SelectionID    int64      `json:"selection_id,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	RepliedAt      *time.Time `json:"replied_at,omitempty"`
}

// Store keeps the box.
type Store struct {
	db  *database.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store {
	return &Store{db: db, now: database.Now}
}

// WithClock returns a store whose "now" is clock, for loading history.
func (s *Store) WithClock(clock func() time.Time) *Store {
	return &Store{db: s.db, now: database.Moved(clock)}
}

// Errors.
var (
	ErrNotFound  = failure.Wrap("feedback", failure.NotFound)
	ErrForbidden = failure.Wrap("feedback", failure.Forbidden)
	ErrTooOften  = locale.NewError("feedback.too_often")
)

// Input is a message as sent.
type Input struct {
	Kind         string
	StaffID      int64
	DepartmentID int64
	Name, Phone  string
	Body         string
	Address      string
	SelectionID  int64 // an objection's honour selection, which the caller found in its 公示期
}

// newCode is a tracking code people can type: ten letters and digits
// without the ones that look alike.
func newCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 10)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Send puts a message in the unit's box and returns its tracking code.
func (s *Store) Send(ctx context.Context, unitID int64, in Input) (string, error) {
	var ps locale.Problems
	in.Name, in.Body, in.Phone = textnorm.CleanText(in.Name), textnorm.CleanMultiline(in.Body), textnorm.NormalizePhone(in.Phone)
	if !slices.Contains(Kinds, in.Kind) && in.Kind != KindObjection || (in.Kind == KindObjection) != (in.SelectionID != 0) {
		ps.Add("kind", "feedback.kind_invalid")
	}
	textnorm.CheckLength(&ps, "body", "feedback.body", in.Body, 2000, true)
	textnorm.CheckLength(&ps, "name", "feedback.name", in.Name, org.MaxNameLen, false)
	if !textnorm.ValidPhone(in.Phone) {
		ps.Add("phone", "error.phone_invalid")
	}
	if len(ps) > 0 {
		return "", ps
	}
	sum := sha256.Sum256([]byte(in.Address))
	address := hex.EncodeToString(sum[:12])
	code := newCode()
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		if err := s.db.Lock(ctx, tx, database.LockUnverifiedRatings); err != nil {
			return err
		}
		var n int
		now := s.now()
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM feedback WHERE unit_id = $1 AND address = $2 AND created_at > $3`,
			unitID, address, now.Add(-time.Hour)).Scan(&n); err != nil {
			return fmt.Errorf("feedback: count: %w", err)
		}
		if n >= PerAddressPerHour {
			return ErrTooOften
		}
		if in.StaffID != 0 {
			post, ok, err := org.ServingPost(ctx, tx, unitID, in.StaffID)
			if err != nil {
				return err
			}
			if !ok {
				return locale.FieldProblem("staff", "feedback.target_unknown")
			}
			in.DepartmentID = post.DepartmentID
		} else if in.DepartmentID != 0 {
			_, ok, err := org.ActiveDepartment(ctx, tx, unitID, in.DepartmentID)
			if err != nil {
				return err
			}
			if !ok {
				return locale.FieldProblem("window", "feedback.target_unknown")
			}
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO feedback (unit_id, code, kind, staff_id, department_id, name, phone, body, address, created_at, selection_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, unitID, code, in.Kind, database.NullID(in.StaffID),
			database.NullID(in.DepartmentID), in.Name, in.Phone, in.Body, address, now, database.NullID(in.SelectionID)).Scan(&id)
		if err != nil {
			return fmt.Errorf("feedback: insert: %w", err)
		}
		return audit.Append(ctx, tx, audit.Actor{Name: "public"}, audit.Entry{UnitID: unitID, Action: "create", Entity: "feedback", EntityID: id,
			After: map[string]any{"code": code, "kind": in.Kind, "staff_id": in.StaffID, "window_id": in.DepartmentID, "body": in.Body,
				"selection_id": in.SelectionID}})
	})
	return code, err
}

const messageQuery = `SELECT m.id, m.code, m.kind, COALESCE(m.staff_id, 0), COALESCE(s.name, ''), COALESCE(m.department_id, 0), COALESCE(d.name, ''),
	m.name, m.phone, m.body, m.state, COALESCE(m.assignee_id, 0), COALESCE(a.name, ''), m.reply, m.reply_public, m.upheld, m.created_at, m.replied_at, COALESCE(m.selection_id, 0)
	FROM feedback m LEFT JOIN staff s ON s.id = m.staff_id AND s.unit_id = m.unit_id
	LEFT JOIN departments d ON d.id = m.department_id AND d.unit_id = m.unit_id
	LEFT JOIN staff a ON a.id = m.assignee_id AND a.unit_id = m.unit_id`

func scan(r database.Scanner) (Message, error) {
	var m Message
	var upheld sql.NullBool
	var replied sql.NullTime
	err := r.Scan(&m.ID, &m.Code, &m.Kind, &m.StaffID, &m.StaffName, &m.DepartmentID, &m.DepartmentName, &m.Name, &m.Phone, &m.Body, &m.State,
		&m.AssigneeID, &m.AssigneeName, &m.Reply, &m.ReplyPublic, &upheld, &m.CreatedAt, &replied, &m.SelectionID)
	if upheld.Valid {
		m.Upheld = &upheld.Bool
	}
	if replied.Valid {
		m.RepliedAt = &replied.Time
	}
	return m, err
}

// ByCode finds a message of the unit by its tracking code.
func (s *Store) ByCode(ctx context.Context, unitID int64, code string) (Message, error) {
	code = strings.ToUpper(textnorm.FoldWidth(code))
	if len(code) != 10 {
		return Message{}, ErrNotFound
	}
	m, err := scan(s.db.QueryRowContext(ctx, messageQuery+` WHERE m.unit_id = $1 AND m.code = $2`, unitID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	return m, err
}

// Get returns one message.
func (s *Store) Get(ctx context.Context, unitID, id int64) (Message, error) {
	m, err := scan(s.db.QueryRowContext(ctx, messageQuery+` WHERE m.unit_id = $1 AND m.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	return m, err
}

// List returns the unit's messages, newest first; published only lists
// those whose reply the office published.
func (s *Store) List(ctx context.Context, unitID int64, published bool) ([]Message, error) {
	q := messageQuery + ` WHERE m.unit_id = $1`
	if published {
		q += ` AND m.reply_public = TRUE`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY m.id DESC LIMIT 500`, unitID)
	if err != nil {
		return nil, fmt.Errorf("feedback: list: %w", err)
	}
	return database.Collect(rows, scan)
}

// Handling is the office's work on a message.
type Handling struct {
	AssigneeID int64
	Reply      string
	Publish    bool
	Upheld     string // for a complaint: "yes", "no", or "" (not decided)
}

// upheld opens the rectification of an upheld complaint and, where it names
// a person, an accountability record on them.
func (s *Store) upheld(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID int64, m Message, now time.Time) error {
	_, err := rectification.OpenFrom(ctx, s.db, tx, actor, unitID, rectification.Origin{Source: rectification.SourceComplaint, SourceID: m.ID,
		StaffID: m.StaffID, DepartmentID: m.DepartmentID, Summary: m.Body, Anonymous: m.Name == "" && m.Phone == ""}, now)
	if err != nil || m.StaffID == 0 {
		return err
	}
	facts := fmt.Sprintf("群众投诉(跟踪码 %s)经核实成立:%s", m.Code, textnorm.Abbreviate(m.Body, 100))
	_, _, err = accountability.Open(ctx, tx, actor, unitID, m.StaffID, accountability.RuleComplaint, fmt.Sprintf("feedback:%d", m.ID), facts, now)
	return err
}

// Handle records the office's assignment, reply and decision. An upheld
// complaint about a person opens an accountability record on them.
func (s *Store) Handle(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, h Handling) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	h.Reply = textnorm.CleanMultiline(h.Reply)
	if utf8.RuneCountInString(h.Reply) > 2000 {
		return locale.FieldProblem("reply", "error.too_long", "回复", 2000)
	}
	if h.Publish && h.Reply == "" {
		return locale.FieldProblem("reply", "feedback.reply_required")
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := scan(tx.QueryRowContext(ctx, messageQuery+` WHERE m.unit_id = $1 AND m.id = $2`, unitID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if h.AssigneeID != 0 && !org.Serving(ctx, tx, unitID, h.AssigneeID) {
			return locale.FieldProblem("assignee", "feedback.target_unknown")
		}
		state, now := before.State, s.now()
		var replied any
		if before.RepliedAt != nil {
			replied = *before.RepliedAt
		}
		switch {
		case h.Reply != "":
			state = StateReplied
			if replied == nil {
				replied = now
			}
		case h.AssigneeID != 0:
			state = StateAssigned
		}
		var upheld any
		if before.Upheld != nil {
			upheld = *before.Upheld
		}
		if before.Kind == "complaint" && (h.Upheld == "yes" || h.Upheld == "no") {
			if before.Upheld != nil {
				return locale.FieldProblem("upheld", "feedback.already_decided")
			}
			upheld = h.Upheld == "yes"
		}
		_, err = tx.ExecContext(ctx, `UPDATE feedback SET assignee_id = $1, reply = $2, reply_public = $3, upheld = $4, state = $5, replied_at = $6
			WHERE unit_id = $7 AND id = $8`, database.NullID(h.AssigneeID), h.Reply, h.Publish, upheld, state, replied, unitID, id)
		if err != nil {
			return fmt.Errorf("feedback: handle: %w", err)
		}
		if upheld == true && before.Upheld == nil {
			if err := s.upheld(ctx, tx, actor, unitID, before, now); err != nil {
				return err
			}
		}
		after, err := scan(tx.QueryRowContext(ctx, messageQuery+` WHERE m.unit_id = $1 AND m.id = $2`, unitID, id))
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "handle", Entity: "feedback", EntityID: id, Before: before, After: after})
	})
}

// In returns every message sent in [from, to), oldest first: the facts
// 五创's scores count (upheld complaints, praise).
func (s *Store) In(ctx context.Context, unitID int64, from, to time.Time) ([]Message, error) {
	rows, err := s.db.QueryContext(ctx, messageQuery+` WHERE m.unit_id = $1 AND m.created_at >= $2 AND m.created_at < $3 ORDER BY m.created_at, m.id`,
		unitID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("feedback: in period: %w", err)
	}
	return database.Collect(rows, scan)
}

// Objections lists the objections to an honour selection, oldest first.
func (s *Store) Objections(ctx context.Context, unitID, selectionID int64) ([]Message, error) {
	rows, err := s.db.QueryContext(ctx, messageQuery+` WHERE m.unit_id = $1 AND m.selection_id = $2 ORDER BY m.id`, unitID, selectionID)
	if err != nil {
		return nil, fmt.Errorf("feedback: objections: %w", err)
	}
	return database.Collect(rows, scan)
}

// Unanswered counts a selection's objections that have no reply yet: each
// holds back the honour's confirmation.
func (s *Store) Unanswered(ctx context.Context, unitID, selectionID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback WHERE unit_id = $1 AND selection_id = $2 AND state <> $3`,
		unitID, selectionID, StateReplied).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("feedback: unanswered objections: %w", err)
	}
	return n, nil
}
