package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// auditRow is one audit record as people read it: Chinese names for the
// fields, names for ids, 女 for female, points not hundredths.
type auditRow struct {
	audit.Record
	Entity, Action, Subject string
	Changes                 []auditChange
}

type auditChange struct{ Label, Before, After string }

// auditReader turns stored values into words. It loads the unit's names
// once per page.
type auditReader struct {
	p     *locale.Printer
	loc   *time.Location
	names map[string]map[int64]string // "staff", "department", "branch", "item", "user" → id → name
}

// idFields says which kind of thing an id field names.
var idFields = map[string]string{
	"staff_id": "staff", "handler_id": "staff", "first_contact_id": "staff", "referred_to": "staff", "backup_id": "staff",
	"cover_id": "staff", "owner_id": "staff", "person_id": "staff", "voter_staff_id": "staff", "staff_ids": "staff",
	"department_id": "department", "window_id": "department", "branch_id": "branch", "item_id": "item",
	"created_by": "user", "reviewed_by": "user", "nominated_by": "user", "user_id": "user",
}

func (s *Server) newAuditReader(ctx context.Context, unit org.Unit) (*auditReader, error) {
	rd := &auditReader{p: s.printerOf(unit), loc: org.Location(unit.Timezone), names: map[string]map[int64]string{}}
	add := func(kind string, id int64, name string) {
		if rd.names[kind] == nil {
			rd.names[kind] = map[int64]string{}
		}
		rd.names[kind][id] = name
	}
	people, _, err := s.org.StaffList(ctx, unit.ID, org.StaffFilter{Limit: 100000})
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		add("staff", p.ID, p.Name)
	}
	depts, branches, err := s.unitListsOf(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range depts {
		add("department", d.ID, d.Name)
	}
	for _, b := range branches {
		add("branch", b.ID, b.Name)
	}
	its, err := s.items.List(ctx, unit.ID, items.Filter{})
	if err != nil {
		return nil, err
	}
	for _, it := range its {
		add("item", it.ID, it.Name)
	}
	users, err := s.accounts.Users(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		add("user", u.ID, cmp.Or(u.DisplayName, u.Username))
	}
	return rd, nil
}

func (rd *auditReader) row(r audit.Record) auditRow {
	out := auditRow{Record: r, Entity: rd.p.Get("audit.entity." + r.Entity), Action: rd.action(r.Action), Subject: r.Subject()}
	if !rd.p.Has("audit.entity." + r.Entity) {
		out.Entity = rd.p.Get("audit.entity.other")
	}
	for _, c := range r.Changes() {
		if c.Field == "rating_token" {
			continue
		}
		out.Changes = append(out.Changes, auditChange{Label: rd.label(c.Field), Before: rd.text(c.Field, c.Before), After: rd.text(c.Field, c.After)})
	}
	return out
}

func (rd *auditReader) action(a string) string {
	switch {
	case rd.p.Has("audit.action." + a):
		return rd.p.Get("audit.action." + a)
	case strings.HasPrefix(a, "give_") && rd.p.Has("audit.action.give_"+strings.TrimPrefix(a, "give_")):
		return rd.p.Get("audit.action.give_" + strings.TrimPrefix(a, "give_"))
	}
	return rd.p.Get("audit.action.other")
}

// label names a field; a map keyed by people's ids names the person.
func (rd *auditReader) label(field string) string {
	for _, key := range []string{"audit.field." + field, "field." + field, "field." + strings.TrimSuffix(field, "_id")} {
		if rd.p.Has(key) {
			return rd.p.Get(key)
		}
	}
	if id, err := strconv.ParseInt(field, 10, 64); err == nil {
		if name, ok := rd.names["staff"][id]; ok {
			return name
		}
		return "#" + field
	}
	return rd.p.Get("audit.field.other")
}

// text is a stored value (as audit.Change shows it: a string, or JSON) in
// words.
func (rd *auditReader) text(field, raw string) string {
	if raw == "" {
		return ""
	}
	var v any
	if json.Unmarshal([]byte(raw), &v) != nil {
		v = raw // a plain string
	}
	return rd.value(field, v)
}

func (rd *auditReader) value(field string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return rd.p.Get("audit.yes")
		}
		return rd.p.Get("audit.no")
	case float64:
		if kind, ok := idFields[field]; ok {
			if name, ok := rd.names[kind][int64(x)]; ok {
				return name
			}
		}
		if strings.HasSuffix(field, "_centi") {
			return strconv.FormatFloat(x/100, 'f', -1, 64)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return rd.word(field, x)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, rd.value(field, e))
		}
		return strings.Join(parts, "、")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			if s := rd.value(k, x[k]); s != "" {
				parts = append(parts, rd.label(k)+":"+s)
			}
		}
		return strings.Join(parts, ";")
	}
	return fmt.Sprint(v)
}

// wordKeys are the catalogue's names for coded values, tried in order.
var wordKeys = map[string][]string{
	"gender": {"gender."}, "political_status": {"political."}, "role": {"role."},
	"state": {"case.state.", "audit.state."}, "status": {"case.state.", "audit.state."},
	"channel": {"ratings.channel.", "case.channel."}, "level": {"rating.level."},
}

func (rd *auditReader) word(field, s string) string {
	for _, prefix := range wordKeys[field] {
		if rd.p.Has(prefix + s) {
			return rd.p.Get(prefix + s)
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.In(rd.loc).Format("2006-01-02 15:04")
	}
	return s
}
