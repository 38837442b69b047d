package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"wuliang/internal/database"
)

// A Mirror says how the trail sees one fact table: every row was written
// with a record of Entity whose EntityID is the row's id, and the record's
// after-images, laid over each other in order, give the row's Fields. The
// package that owns the table declares its Mirror; VerifyData then finds
// what was changed, deleted or added in the database behind the
// application's back.
type Mirror struct {
	Table  string
	Entity string
	// Fields maps a key of the after-images to the column it shows. A
	// create record that leaves a key out means the key's zero value
	// (JSON's omitempty), and so does a later record that is the whole row
	// (it names the row's id); any other record sets only the keys it
	// names. An after-image that holds an object under the entity's name
	// (the whole row, as {"rating": {…}}) is read as that object's keys.
	Fields map[string]Field
}

// Field is one compared column and the kind of its value.
type Field struct {
	Column string
	Kind   FieldKind
}

// FieldKind is how a column and an after-image's value are compared.
type FieldKind int

const (
	Number FieldKind = iota // integer columns; NULL reads as 0
	Text                    // NULL reads as ""
	Flag                    // booleans
	Moment                  // timestamps, compared as instants; NULL is an absent key
)

// Finding is one row that is not what the trail says.
type Finding struct {
	Table  string
	ID     int64
	Reason string // a message key: audit.row_changed, audit.row_deleted, audit.row_unseen
	Field  string // for a changed row, the first field that differs
}

// VerifyData compares each mirrored table with its records: a row whose
// field differs from its latest after-image, a row with no records, and a
// record whose row is gone are each a finding, in table and id order.
func VerifyData(ctx context.Context, db *database.DB, mirrors ...Mirror) ([]Finding, error) {
	var out []Finding
	for _, m := range mirrors {
		fs, err := m.verify(ctx, db)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

func (m Mirror) verify(ctx context.Context, db *database.DB) ([]Finding, error) {
	want, err := m.images(ctx, db)
	if err != nil {
		return nil, err
	}
	keys, cols := m.columns()
	rows, err := db.QueryContext(ctx, `SELECT id, `+cols+` FROM `+m.Table+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("audit: read %s: %w", m.Table, err)
	}
	defer rows.Close()
	var out []Finding
	seen := map[int64]bool{}
	for rows.Next() {
		vals, err := database.ScanValues(rows, len(keys)+1)
		if err != nil {
			return nil, fmt.Errorf("audit: read %s: %w", m.Table, err)
		}
		id := asNumber(vals[0])
		seen[id] = true
		image, ok := want[id]
		if !ok {
			out = append(out, Finding{Table: m.Table, ID: id, Reason: "audit.row_unseen"})
			continue
		}
		for i, k := range keys {
			f := m.Fields[k]
			if !same(f.Kind, vals[i+1], image[k]) {
				out = append(out, Finding{Table: m.Table, ID: id, Reason: "audit.row_changed", Field: k})
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: read %s: %w", m.Table, err)
	}
	for id := range want {
		if !seen[id] {
			out = append(out, Finding{Table: m.Table, ID: id, Reason: "audit.row_deleted"})
		}
	}
	return out, nil
}

// columns lists the compared keys in a fixed order, and their columns as SQL.
func (m Mirror) columns() ([]string, string) {
	var keys []string
	for k := range m.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	cols := ""
	for i, k := range keys {
		if i > 0 {
			cols += ", "
		}
		cols += m.Fields[k].Column
	}
	return keys, cols
}

// images folds the entity's records, in chain order, into each row's
// expected fields.
func (m Mirror) images(ctx context.Context, db *database.DB) (map[int64]map[string]any, error) {
	rows, err := db.QueryContext(ctx, `SELECT action, entity_id, after_json FROM audit_log WHERE entity = $1 ORDER BY seq`, m.Entity)
	if err != nil {
		return nil, fmt.Errorf("audit: records of %s: %w", m.Entity, err)
	}
	defer rows.Close()
	out := map[int64]map[string]any{}
	for rows.Next() {
		var action, entityID, after string
		if err := rows.Scan(&action, &entityID, &after); err != nil {
			return nil, fmt.Errorf("audit: records of %s: %w", m.Entity, err)
		}
		id, err := strconv.ParseInt(entityID, 10, 64)
		if err != nil {
			continue // a record about the entity as a whole, not one row
		}
		var image map[string]any
		if json.Unmarshal([]byte(after), &image) != nil || image == nil {
			continue
		}
		if whole, ok := image[m.Entity].(map[string]any); ok {
			image = whole
		}
		cur := out[id]
		if cur == nil || action == "create" || wholeRow(image, id) {
			cur = map[string]any{}
			out[id] = cur
		}
		for k, v := range image {
			if _, compared := m.Fields[k]; compared {
				cur[k] = v
			}
		}
	}
	return out, rows.Err()
}

// wholeRow reports whether an after-image is the whole row, as a step
// that reads the row back writes it: it names the row's own id. Keys it
// leaves out are then zero (a pause resumed, a referral taken back), not
// unchanged as in a record that names only what it changed.
func wholeRow(image map[string]any, id int64) bool {
	v, ok := image["id"].(float64)
	return ok && int64(v) == id
}

// same compares a column's value with an after-image's (absent is zero).
func same(kind FieldKind, col, img any) bool {
	switch kind {
	case Number:
		f, _ := img.(float64)
		return asNumber(col) == int64(f)
	case Flag:
		b, _ := img.(bool)
		return asFlag(col) == b
	case Moment:
		c, cok := asMoment(col)
		s, _ := img.(string)
		i, iok := asMoment(s)
		return cok == iok && (!cok || c.Equal(i))
	}
	s, _ := img.(string)
	return asText(col) == s
}

func asNumber(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case float64:
		return int64(x)
	case []byte:
		n, _ := strconv.ParseInt(string(x), 10, 64)
		return n
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

func asFlag(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	}
	return false
}

func asText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

// asMoment reads a timestamp as both drivers give a timestamp column
// (time.Time) or as an after-image holds it (RFC 3339); false for NULL,
// an absent key or what is no time.
func asMoment(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		return t, err == nil
	}
	return time.Time{}, false
}
