package web

import (
	"net/http"
	"strconv"

	"wuliang/internal/audit"
)

type auditData struct {
	Records []audit.Record
	Entity  string
	NextURL string
}

const auditPageSize = 100

// auditList shows the unit's audit trail, newest first, with before and
// after of every change.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	d := auditData{Entity: q.Get("entity")}
	var err error
	d.Records, err = audit.List(r.Context(), s.db, current(r).unit.ID, audit.Filter{Entity: d.Entity, EntityID: q.Get("id"), BeforeSeq: before, Limit: auditPageSize})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(d.Records) == auditPageSize {
		d.NextURL = "/audit?entity=" + d.Entity + "&before=" + strconv.FormatInt(d.Records[len(d.Records)-1].Seq, 10)
	}
	s.render(w, r, http.StatusOK, "audit", "title.audit", d, nil)
}
