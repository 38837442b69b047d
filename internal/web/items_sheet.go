package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"

	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// itemsExport sends the unit's items as a workbook, which is also the
// template for importing.
func (s *Server) itemsExport(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	active := true
	list, err := s.items.List(r.Context(), st.unit.ID, items.Filter{Active: &active})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := items.Export(&buf, list); err != nil {
		s.fail(w, r, err)
		return
	}
	sendExcel(w, fmt.Sprintf("%s-服务事项-%s.xlsx", st.unit.Name, time.Now().Format("20060102")), buf.Bytes())
}

type itemsImportData struct {
	Problems []rosterProblem
	Sheet    map[int]string
}

// itemsImport creates and updates items from a workbook, all or none.
func (s *Server) itemsImport(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	file, _, err := r.FormFile("file")
	if err != nil {
		s.fail(w, r, locale.NewError("roster.empty_file"))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, 20<<20+1))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lk := items.Lookups{Windows: map[string]int64{}, Staff: map[string]int64{}}
	depts, err := s.org.Departments(r.Context(), st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, d := range depts {
		if d.Active {
			lk.Windows[d.Name] = d.ID
		}
	}
	active := true
	people, _, err := s.org.StaffList(r.Context(), st.unit.ID, org.StaffFilter{Active: &active})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range people {
		lk.Staff[p.EmployeeNo] = p.ID
	}
	list, problems, err := items.Parse(data, lk)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(problems) > 0 {
		var d itemsImportData
		for _, p := range problems {
			d.Problems = append(d.Problems, rosterProblem{Line: p.Line, Column: p.Sheet + " · " + p.Column, Message: s.printerOf(current(r).unit).Message(p.Err)})
		}
		s.render(w, r, http.StatusUnprocessableEntity, "items_import", "title.items_import", d, nil)
		return
	}
	if _, err := s.items.Import(r.Context(), actorOf(r), st.unit.ID, list); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/items", "flash.items_imported")
}
