package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"wuliang/internal/chart"
	"wuliang/internal/database"
	"wuliang/internal/efficiency"
	"wuliang/internal/org"
	"wuliang/internal/period"
)

type efficiencyData struct {
	Report  efficiency.Report
	Queue   efficiency.QueueReport
	Charts  []template.HTML
	Periods []period.Period
	Unit    string
}

// period reads ?period= in the unit's zone, this month by default, and
// lists the periods a page offers; a bad one answers 400 and false.
func (s *Server) period(w http.ResponseWriter, r *http.Request, unit org.Unit) (period.Period, []period.Period, bool) {
	loc := org.Location(unit.Timezone)
	p, recent := period.MonthOf(database.Now(), loc), period.Recent(database.Now(), loc)
	if v := r.URL.Query().Get("period"); v == "" && strings.HasPrefix(r.URL.Path, "/p/") {
		var err error
		if p, err = s.publicPeriod(r, unit, p); err != nil {
			s.fail(w, r, err)
			return p, nil, false
		}
	}
	if v := r.URL.Query().Get("period"); v != "" {
		var err error
		if p, err = period.Parse(v, loc); err != nil {
			s.fail(w, r, err)
			return p, nil, false
		}
	}
	return p, recent, true
}

// publicFreshDays: in a month's first working days the public pages show
// the month before, complete, rather than a month of two days' figures
// that say little and swing wildly. The office's pages show this month.
const publicFreshDays = 5

// publicPeriod is the month a portal page shows when the visitor chose
// none: this one once it has publicFreshDays working days behind it, the
// last one before.
func (s *Server) publicPeriod(r *http.Request, unit org.Unit, month period.Period) (period.Period, error) {
	cal, err := s.calendar.ForUnit(r.Context(), unit.ID)
	if err != nil {
		return month, err
	}
	today := database.Now().In(org.Location(unit.Timezone))
	// Working days of the month before today: today's own is not yet done.
	if cal.Between(month.From.AddDate(0, 0, -1), today.AddDate(0, 0, -1)) < publicFreshDays {
		return month.Previous(), nil
	}
	return month, nil
}

// efficiencyReport reads the period and computes it.
func (s *Server) efficiencyReport(w http.ResponseWriter, r *http.Request, unit org.Unit) (efficiencyData, bool) {
	d := efficiencyData{Unit: unit.Name}
	p, recent, ok := s.period(w, r, unit)
	if !ok {
		return d, false
	}
	d.Periods = recent
	var err error
	ctx := r.Context()
	if d.Report, err = s.efficiency.Report(ctx, unit.ID, p); err != nil {
		s.fail(w, r, err)
		return d, false
	}
	if d.Queue, err = s.efficiency.Queue(ctx, unit.ID, p); err != nil {
		s.fail(w, r, err)
		return d, false
	}
	load, err := s.efficiency.Load(ctx, unit.ID, p)
	if err != nil {
		s.fail(w, r, err)
		return d, false
	}
	t, err := s.trendOf(ctx, unit, p, false, true)
	if err != nil {
		s.fail(w, r, err)
		return d, false
	}
	d.Charts = figures(append([]chart.Chart{t.onTimeChart(), load.Chart()}, d.Queue.Charts()...)...)
	return d, true
}

// efficiencyPage is 效能公示 for staff: every window and person.
func (s *Server) efficiencyPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.efficiencyReport(w, r, current(r).unit)
	if ok {
		s.render(w, r, http.StatusOK, "efficiency", "title.efficiency", d, nil)
	}
}

// efficiencyExcel sends the report as a workbook.
func (s *Server) efficiencyExcel(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	d, ok := s.efficiencyReport(w, r, st.unit)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("效能公示-"+d.Report.Period.Code+".xlsx"))
	w.Header().Set("Cache-Control", "private, no-store")
	if err := d.Report.Excel(w, st.unit.Name); err != nil {
		s.log.Error("efficiency workbook", "err", err)
	}
}

// portalEfficiency is the public version on the portal: the same figures,
// nothing about anyone but names.
func (s *Server) portalEfficiency(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	d, ok := s.efficiencyReport(w, r, unit)
	if !ok {
		return
	}
	var err error
	if d.Report.People, err = currentOnly(s, r, unit.ID, d.Report.People, func(p efficiency.Row) int64 { return p.ID }); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Queue.Items, err = offeredOnly(s, r, unit.ID, d.Queue.Items, func(q efficiency.QueueRow) int64 { return q.ID }); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPublic(w, r, unit, "portal_efficiency", s.printerOf(unit).Get("title.efficiency"), d)
}
