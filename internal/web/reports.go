package web

import (
	"net/http"
	"net/url"

	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/report"
)

type reportsData struct {
	Kept    []report.Report
	Periods []period.Period // complete months and quarters
	Report  report.Report
}

// reportPeriods are the months and quarters a report may be of: those
// already begun, newest first.
func reportPeriods(unit org.Unit) []period.Period {
	return period.Recent(database.Now(), org.Location(unit.Timezone))
}

// reportList is the leading group's reports kept so far, and the form
// that generates one.
func (s *Server) reportList(w http.ResponseWriter, r *http.Request) {
	s.showReports(w, r, http.StatusOK, nil)
}

func (s *Server) showReports(w http.ResponseWriter, r *http.Request, status int, ps locale.Problems) {
	st := current(r)
	kept, err := s.reports.Kept(r.Context(), st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "reports", "title.reports", reportsData{Kept: kept, Periods: reportPeriods(st.unit)}, ps)
}

// reportGenerate computes and keeps a period's report.
func (s *Server) reportGenerate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	p, err := period.Parse(r.PostFormValue("period"), org.Location(st.unit.Timezone))
	var rep report.Report
	if err == nil {
		rep, err = s.reports.Generate(r.Context(), actorOf(r), st.unit, p)
	}
	if ps, ok := locale.AsProblems(err); ok {
		s.showReports(w, r, http.StatusBadRequest, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/reports/"+itoa(rep.ID), "flash.report_generated")
}

// keptReport loads the path's report of the unit.
func (s *Server) keptReport(w http.ResponseWriter, r *http.Request) (report.Report, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return report.Report{}, false
	}
	rep, err := s.reports.Get(r.Context(), current(r).unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return rep, false
	}
	return rep, true
}

// reportShow is one kept report, as it was generated.
func (s *Server) reportShow(w http.ResponseWriter, r *http.Request) {
	if rep, ok := s.keptReport(w, r); ok {
		s.render(w, r, http.StatusOK, "report_show", "title.report", reportsData{Report: rep}, nil)
	}
}

// reportPrint is the report on A4, and as PDF with ?format=pdf.
func (s *Server) reportPrint(w http.ResponseWriter, r *http.Request) {
	if rep, ok := s.keptReport(w, r); ok {
		s.printPage(w, r, "print_report", "title.report", reportsData{Report: rep})
	}
}

// reportExcel sends the report's figures as a workbook.
func (s *Server) reportExcel(w http.ResponseWriter, r *http.Request) {
	rep, ok := s.keptReport(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(rep.FileName()+".xlsx"))
	w.Header().Set("Cache-Control", "private, no-store")
	if err := rep.Excel(w, current(r).unit.Name); err != nil {
		s.log.Error("report workbook", "err", err)
	}
}
