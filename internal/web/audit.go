package web

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/workbook"
)

type auditData struct {
	Rows     []auditRow
	Form     url.Values // the filter as typed
	Entities []choice
	Actions  []choice
	Actors   []string
	NextURL  string
	ExcelURL string
}

type choice struct{ Value, Label string }

const (
	auditPageSize  = 100
	auditExcelRows = 5000
)

// auditFilter reads the filter from the query: record kind and id, action,
// person, and a date range in the unit's days.
func auditFilter(q url.Values, unit org.Unit) (audit.Filter, locale.Problems) {
	var ps locale.Problems
	f := audit.Filter{Entity: q.Get("entity"), EntityID: q.Get("id"), Action: q.Get("action"), Actor: q.Get("actor")}
	loc := org.Location(unit.Timezone)
	for _, d := range []struct {
		field string
		into  *time.Time
		add   int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		v := q.Get(d.field)
		if v == "" {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			ps.Add(d.field, "audit.date_invalid")
			continue
		}
		*d.into = day.AddDate(0, 0, d.add)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		ps.Add("to", "audit.range_invalid")
	}
	return f, ps
}

// auditList shows the unit's audit trail, newest first, with before and
// after of every change in words.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	q := r.URL.Query()
	f, ps := auditFilter(q, st.unit)
	d := auditData{Form: q}
	if err := s.auditChoices(r, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(ps) > 0 {
		s.render(w, r, http.StatusBadRequest, "audit", "title.audit", d, ps)
		return
	}
	f.BeforeSeq, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	f.Limit = auditPageSize
	var err error
	if d.Rows, err = s.auditRows(r, f); err != nil {
		s.fail(w, r, err)
		return
	}
	next := url.Values{}
	for k, v := range q {
		if k != "before" {
			next[k] = v
		}
	}
	d.ExcelURL = "/audit.xlsx?" + next.Encode()
	if len(d.Rows) == auditPageSize {
		next.Set("before", strconv.FormatInt(d.Rows[len(d.Rows)-1].Seq, 10))
		d.NextURL = "/audit?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "audit", "title.audit", d, nil)
}

// auditRows reads the filtered records and puts them in words.
func (s *Server) auditRows(r *http.Request, f audit.Filter) ([]auditRow, error) {
	st := current(r)
	records, err := audit.List(r.Context(), s.db, st.unit.ID, f)
	if err != nil {
		return nil, err
	}
	rd, err := s.newAuditReader(r.Context(), st.unit)
	if err != nil {
		return nil, err
	}
	rows := make([]auditRow, len(records))
	for i, rec := range records {
		rows[i] = rd.row(rec)
	}
	return rows, nil
}

func (s *Server) auditChoices(r *http.Request, d *auditData) error {
	unitID := current(r).unit.ID
	p := s.printerOf(current(r).unit)
	for _, c := range []struct {
		column, prefix string
		into           *[]choice
	}{{"entity", "audit.entity.", &d.Entities}, {"action", "audit.action.", &d.Actions}} {
		values, err := audit.Choices(r.Context(), s.db, unitID, c.column)
		if err != nil {
			return err
		}
		for _, v := range values {
			label := p.Get(c.prefix + v)
			if !p.Has(c.prefix + v) {
				label = p.Get(c.prefix + "other")
			}
			*c.into = append(*c.into, choice{v, label})
		}
	}
	var err error
	d.Actors, err = audit.Choices(r.Context(), s.db, unitID, "actor")
	return err
}

// auditExcel exports the filtered trail (up to auditExcelRows records), as
// the page shows it.
func (s *Server) auditExcel(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	f, ps := auditFilter(r.URL.Query(), st.unit)
	if len(ps) > 0 {
		s.errorPage(w, r, http.StatusBadRequest, "audit.date_invalid")
		return
	}
	f.Limit = auditExcelRows
	rows, err := s.auditRows(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.printerOf(current(r).unit)
	sheet := workbook.Sheet{Name: "审计日志", Title: st.unit.Name + " " + p.Get("title.audit"),
		Header: []string{"#", p.Get("audit.at"), p.Get("audit.actor"), p.Get("audit.action"), p.Get("audit.entity"), p.Get("audit.field_col"), p.Get("audit.before"), p.Get("audit.after")},
		Widths: []float64{8, 18, 14, 12, 20, 16, 30, 30}}
	loc := org.Location(st.unit.Timezone)
	for _, row := range rows {
		head := []any{row.Seq, row.At.In(loc).Format("2006-01-02 15:04:05"), row.Actor, row.Action, row.Entity + " " + cmp.Or(row.Subject, "#"+row.EntityID)}
		if len(row.Changes) == 0 {
			sheet.Rows = append(sheet.Rows, head)
		}
		for _, c := range row.Changes {
			sheet.Rows = append(sheet.Rows, append(append([]any{}, head...), c.Label, c.Before, c.After))
		}
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendExcel(w, fmt.Sprintf("%s-审计日志-%s.xlsx", st.unit.Name, time.Now().Format("20060102")), buf.Bytes())
}
