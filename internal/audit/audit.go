// Package audit keeps the append-only trail of every write: who, when, what,
// before and after. Records form one SHA-256 hash chain, so a record that is
// changed, removed or reordered afterwards is found by Verify.
package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"wuliang/internal/database"
)

// Actor is who made a change: a logged-in user, an API key or the system.
type Actor struct {
	UserID int64
	Name   string
}

// System is the actor of command-line and background work.
var System = Actor{Name: "system"}

// Record is one link of the chain.
type Record struct {
	Seq         int64
	UnitID      int64
	At          time.Time
	Actor       string
	ActorUserID int64
	Action      string
	Entity      string
	EntityID    string
	Before      string
	After       string
	PrevHash    string
	Hash        string
}

// Entry describes a change to record. Before and After are marshalled to
// JSON; nil means the thing did not exist on that side.
type Entry struct {
	UnitID   int64
	Action   string
	Entity   string
	EntityID any
	Before   any
	After    any
}

// Append adds e to the chain inside tx, the transaction that makes the
// change, so a change and its record commit or fail together.
func Append(ctx context.Context, tx *database.Tx, actor Actor, e Entry) error {
	return AppendBatch(ctx, tx, actor, []Entry{e})
}

// AppendBatch adds entries to the chain in order with one move of the head
// and multi-row inserts, for imports and other bulk writes.
func AppendBatch(ctx context.Context, tx *database.Tx, actor Actor, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	// The UPDATE locks the head row until commit, serialising appends.
	var last int64
	var prev string
	err := tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash`, len(entries)).Scan(&last, &prev)
	if err != nil {
		return fmt.Errorf("audit: advance head: %w", err)
	}
	now := database.Now()
	records := make([]Record, len(entries))
	for i, e := range entries {
		before, err := marshal(e.Before)
		if err != nil {
			return fmt.Errorf("audit: marshal before: %w", err)
		}
		after, err := marshal(e.After)
		if err != nil {
			return fmt.Errorf("audit: marshal after: %w", err)
		}
		r := Record{
			Seq: last - int64(len(entries)) + int64(i) + 1, UnitID: e.UnitID, At: now, Actor: actor.Name, ActorUserID: actor.UserID,
			Action: e.Action, Entity: e.Entity, EntityID: fmt.Sprint(e.EntityID),
			Before: string(before), After: string(after), PrevHash: prev,
		}
		r.Hash = r.computeHash()
		prev = r.Hash
		records[i] = r
	}
	// The last chunk moves the head's hash along: the head row is locked
	// until commit, so every statement after the first UPDATE delays
	// every other writer of the trail.
	rows := tx.Rows("bigint", "bigint", "timestamptz", "text", "bigint", "text", "text", "text", "text", "text", "text", "text")
	for _, r := range records {
		rows.Add(r.Seq, database.NullID(r.UnitID), r.At, r.Actor, database.NullID(r.ActorUserID), r.Action, r.Entity, r.EntityID,
			r.Before, r.After, r.PrevHash, r.Hash)
	}
	insert := `INSERT INTO audit_log (seq, unit_id, at, actor, actor_user_id, action, entity, entity_id, before_json, after_json, prev_hash, hash) `
	// Numbered from 2, after the head's update that goes along with the
	// last statement. Only SQLite sends more than one, and its multi-row
	// placeholders are anonymous.
	err = rows.Each(2, func(source string, args []any, final bool) error {
		if !final {
			_, err := tx.ExecContext(ctx, insert+source, args...)
			return err
		}
		return tx.ExecAlong(ctx, insert+source, args, `UPDATE audit_head SET hash = $1 WHERE id = 1`, prev)
	})
	if err != nil {
		return fmt.Errorf("audit: insert records up to %d and move the head: %w", last, err)
	}
	return nil
}

// marshal writes JSON without escaping <, > and &: the trail is read by
// people, and every page that shows it escapes HTML itself.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// computeHash covers every stored field and the previous link. Fields are
// encoded as a JSON array so that no two records can share an encoding.
func (r Record) computeHash() string {
	fields, _ := json.Marshal([]any{
		r.Seq, r.UnitID, r.At.UTC().Format(time.RFC3339Nano), r.Actor, r.ActorUserID,
		r.Action, r.Entity, r.EntityID, r.Before, r.After,
	})
	h := sha256.New()
	h.Write([]byte(r.PrevHash))
	h.Write([]byte{'\n'})
	h.Write(fields)
	return hex.EncodeToString(h.Sum(nil))
}

const recordColumns = `seq, COALESCE(unit_id, 0), at, actor, COALESCE(actor_user_id, 0), action, entity, entity_id,
	before_json, after_json, prev_hash, hash`

func scanRecord(rows database.Scanner) (Record, error) {
	var r Record
	err := rows.Scan(&r.Seq, &r.UnitID, &r.At, &r.Actor, &r.ActorUserID, &r.Action, &r.Entity, &r.EntityID,
		&r.Before, &r.After, &r.PrevHash, &r.Hash)
	return r, err
}

// Filter narrows a unit's trail.
type Filter struct {
	Entity    string
	EntityID  string
	Action    string
	Actor     string    // the actor's name as recorded
	From, To  time.Time // records at or after From and before To; zero means open
	BeforeSeq int64     // for paging backwards; 0 means from the newest
	Limit     int
}

// List returns a unit's records, newest first.
func List(ctx context.Context, db *database.DB, unitID int64, f Filter) ([]Record, error) {
	if f.Limit <= 0 || f.Limit > 5000 {
		f.Limit = 50
	}
	w := database.NewWhere(` WHERE unit_id = ?`, unitID)
	if f.Entity != "" {
		w.Add(` AND entity = ?`, f.Entity)
	}
	if f.EntityID != "" {
		w.Add(` AND entity_id = ?`, f.EntityID)
	}
	if f.Action != "" {
		w.Add(` AND action = ?`, f.Action)
	}
	if f.Actor != "" {
		w.Add(` AND actor = ?`, f.Actor)
	}
	if !f.From.IsZero() {
		w.Add(` AND at >= ?`, f.From.UTC())
	}
	if !f.To.IsZero() {
		w.Add(` AND at < ?`, f.To.UTC())
	}
	if f.BeforeSeq > 0 {
		w.Add(` AND seq < ?`, f.BeforeSeq)
	}
	q := `SELECT ` + recordColumns + ` FROM audit_log` + w.SQL() + ` ORDER BY seq DESC LIMIT ` + w.Next()
	rows, err := db.QueryContext(ctx, q, append(w.Args(), f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return database.Collect(rows, scanRecord)
}

// Breach is the first place where the chain does not hold.
type Breach struct {
	Seq    int64
	Reason string // a message key of the locale catalogue
}

// Verify walks the whole chain and returns the first breach, or nil, and how
// many records it checked.
func Verify(ctx context.Context, db *database.DB) (*Breach, int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+recordColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: verify: %w", err)
	}
	defer rows.Close()
	var prev Record
	var n int64
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, n, fmt.Errorf("audit: verify: scan: %w", err)
		}
		switch {
		case r.Seq != prev.Seq+1:
			return &Breach{Seq: prev.Seq + 1, Reason: "audit.breach_missing"}, n, nil
		case r.PrevHash != prev.Hash:
			return &Breach{Seq: r.Seq, Reason: "audit.breach_order"}, n, nil
		case r.computeHash() != r.Hash:
			return &Breach{Seq: r.Seq, Reason: "audit.breach_changed"}, n, nil
		}
		prev = r
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, n, fmt.Errorf("audit: verify: %w", err)
	}
	var headSeq int64
	var headHash string
	if err := db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return nil, n, fmt.Errorf("audit: verify: read head: %w", err)
	}
	if headSeq != prev.Seq || headHash != prev.Hash {
		return &Breach{Seq: prev.Seq + 1, Reason: "audit.breach_truncated"}, n, nil
	}
	return nil, n, nil
}

// Subject names what a record is about for people: the name (or username)
// found in its after or before value.
func (r Record) Subject() string {
	for _, side := range []string{r.After, r.Before} {
		var m map[string]any
		if json.Unmarshal([]byte(side), &m) != nil {
			continue
		}
		for _, k := range []string{"name", "staff_name", "username"} {
			if s, ok := m[k].(string); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// Change is one field that a record changed.
type Change struct {
	Field, Before, After string
}

// Changes lists the fields whose values differ between before and after,
// leaving out timestamps; a creation lists every field it set.
func (r Record) Changes() []Change {
	var before, after map[string]any
	json.Unmarshal([]byte(r.Before), &before)
	json.Unmarshal([]byte(r.After), &after)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []Change
	for k := range keys {
		if k == "updated_at" || k == "created_at" {
			continue
		}
		b, a := show(before[k]), show(after[k])
		if b != a {
			out = append(out, Change{Field: k, Before: b, After: a})
		}
	}
	slices.SortFunc(out, func(x, y Change) int { return strings.Compare(x.Field, y.Field) })
	return out
}

func show(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Choices lists the distinct values of a unit's records in one of the
// columns people filter by: "entity", "action" or "actor".
func Choices(ctx context.Context, db *database.DB, unitID int64, column string) ([]string, error) {
	if column != "entity" && column != "action" && column != "actor" {
		return nil, fmt.Errorf("audit: no filter on %q", column)
	}
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT `+column+` FROM audit_log WHERE unit_id = $1 ORDER BY 1 LIMIT 1000`, unitID)
	if err != nil {
		return nil, fmt.Errorf("audit: choices of %s: %w", column, err)
	}
	return database.Collect(rows, func(r database.Scanner) (string, error) {
		var v string
		return v, r.Scan(&v)
	})
}

// Head is the chain's newest link: anchored outside the database (printed,
// kept by the leading group, mailed to the county), it catches a cut at
// the chain's end, which the chain alone cannot show once the head row is
// moved back too.
type Head struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
}

// ReadHead returns the chain's head as of now.
func ReadHead(ctx context.Context, db *database.DB) (Head, error) {
	h := Head{At: database.Now()}
	if err := db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash); err != nil {
		return h, fmt.Errorf("audit: read head: %w", err)
	}
	return h, nil
}

// VerifyHead checks that an anchored head is still in the chain: its
// record is there with the same hash. Run it with Verify, which checks
// that every record after it follows on.
func VerifyHead(ctx context.Context, db *database.DB, anchor Head) (*Breach, error) {
	if anchor.Seq == 0 {
		return nil, nil
	}
	var hash string
	err := db.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, anchor.Seq).Scan(&hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return &Breach{Seq: anchor.Seq, Reason: "audit.breach_cut"}, nil
	case err != nil:
		return nil, fmt.Errorf("audit: anchored record %d: %w", anchor.Seq, err)
	case hash != anchor.Hash:
		return &Breach{Seq: anchor.Seq, Reason: "audit.breach_anchor"}, nil
	}
	return nil, nil
}
