package web

import (
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
	"wuliang/internal/rectification"
	"wuliang/internal/textnorm"
)

type ratingsData struct {
	Ratings []ratings.Rating
	Total   int
	Period  period.Period
	Periods []period.Period
	Summary ratings.Summary
	Days    ratings.Days
	Rectify rectification.Periods
	Office  bool
	Report  ratings.Report
	Reasons string // the unit's list, one per line, for the form
	Charts  []template.HTML
	// Page of the list, and the last: a quarter of a busy unit is
	// thousands of ratings, so the list comes ratingsPerPage at a time.
	Page, Last int
	Held       int // ratings held as a burst, waiting for the office
}

const ratingsPerPage = 50

// ratingCharts draws 好评率's trend and the period's levels by window.
func (s *Server) ratingCharts(r *http.Request, unit org.Unit, d *ratingsData) error {
	t, err := s.trendOf(r.Context(), unit, d.Period, true, false)
	if err != nil {
		return err
	}
	d.Charts = figures(t.goodRateChart(), d.Report.LevelsChart())
	return nil
}

// ratingList shows ratings of a period: the office sees the unit's, a
// window lead the window's, everyone else their own.
func (s *Server) ratingList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	var d ratingsData
	var ok bool
	if d.Period, d.Periods, ok = s.period(w, r, st.unit); !ok {
		return
	}
	d.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	d.Page = max(d.Page, 1)
	f := ratings.Filter{From: d.Period.From, To: d.Period.To, Limit: ratingsPerPage, Offset: (d.Page - 1) * ratingsPerPage}
	switch {
	case st.user.IsAdmin():
	case st.user.Role == accounts.RoleWindowLead && st.user.DepartmentID != 0:
		f.DepartmentID = st.user.DepartmentID
	case st.user.StaffID != 0:
		f.StaffID = st.user.StaffID
	default:
		s.render(w, r, http.StatusOK, "ratings", "title.ratings", d, nil)
		return
	}
	s.showRatings(w, r, http.StatusOK, d, f, nil)
}

func (s *Server) showRatings(w http.ResponseWriter, r *http.Request, status int, d ratingsData, f ratings.Filter, ps locale.Problems) {
	st := current(r)
	var err error
	if d.Ratings, d.Total, err = s.ratings.List(r.Context(), st.unit.ID, f); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Page, d.Last = max(d.Page, 1), max((d.Total+ratingsPerPage-1)/ratingsPerPage, 1)
	if d.Summary, err = s.ratings.Summarize(r.Context(), st.unit.ID, f); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Report, err = s.ratings.Report(r.Context(), st.unit.ID, d.Period.From, d.Period.To); err != nil {
		s.fail(w, r, err)
		return
	}
	if err = s.ratingCharts(r, st.unit, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Office = st.user.IsAdmin(); d.Office {
		if d.Held, err = s.ratings.CountHeld(r.Context(), st.unit.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if d.Office && d.Days == (ratings.Days{}) {
		if d.Days, err = s.ratings.Days(r.Context(), st.unit.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Rectify, err = s.rectify.Periods(r.Context(), st.unit.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if d.Office && d.Reasons == "" {
		list, err := s.ratings.Reasons(r.Context(), st.unit.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Reasons = strings.Join(list, "\n")
	}
	s.render(w, r, status, "ratings", "title.ratings", d, ps)
}

// ratingSettings changes the unit's periods: how long a case's token
// rates, and the working days of each step of a rectification.
func (s *Server) ratingSettings(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	num := func(name string) int {
		n, _ := strconv.Atoi(strings.TrimSpace(textnorm.FoldWidth(r.PostFormValue(name))))
		return n
	}
	days := ratings.Days{Token: num("token_days"), AreaCode: strings.TrimSpace(r.PostFormValue("area_code")), DefaultLevel: num("default_level"),
		UnverifiedWeight: -1}
	periods := rectification.Periods{Verify: num("verify_days"), Rectify: num("rectify_days"), Ledger: num("ledger_days"), Followup: num("followup_days")}
	// 0 is a weight the unit may choose; an empty or garbled box is not.
	if n, err := strconv.Atoi(strings.TrimSpace(textnorm.FoldWidth(r.PostFormValue("unverified_weight")))); err == nil {
		days.UnverifiedWeight = n
	}
	// One form, two owners: nothing is saved unless both halves are valid.
	if ps := append(days.Check(), periods.Check()...); len(ps) > 0 {
		s.ratingsRefused(w, r, ratingsData{Days: days, Rectify: periods}, ps)
		return
	}
	err := s.ratings.SetDays(r.Context(), actorOf(r), st.unit.ID, days)
	if err == nil {
		err = s.rectify.SetPeriods(r.Context(), actorOf(r), st.unit.ID, periods)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/ratings", "flash.saved")
}

// DayValue is one of the periods, for the settings form.
func (d ratingsData) DayValue(field string) int {
	switch field {
	case "token_days":
		return d.Days.Token
	case "verify_days":
		return d.Rectify.Verify
	case "rectify_days":
		return d.Rectify.Rectify
	case "ledger_days":
		return d.Rectify.Ledger
	}
	return d.Rectify.Followup
}

// ratingExport sends the period's ratings in the exchange format of the
// national 好差评 data standard, as a workbook or JSON records.
func (s *Server) ratingExport(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	p, _, ok := s.period(w, r, st.unit)
	if !ok {
		return
	}
	records, err := s.ratings.Exchange(r.Context(), st.unit.ID, p.From, p.To, org.Location(st.unit.Timezone))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	if strings.HasSuffix(r.URL.Path, ".json") {
		if records == nil {
			records = []ratings.Record{}
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("好差评-"+p.Code+".json"))
		json.NewEncoder(w).Encode(map[string]any{"period": p.Code, "records": records})
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("好差评-"+p.Code+".xlsx"))
	if err := ratings.ExchangeExcel(w, records); err != nil {
		s.log.Error("ratings workbook", "err", err)
	}
}

// portalRatings publishes the period's rating figures per window and
// person: counts and rates only, no rater and no text.
func (s *Server) portalRatings(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	var d ratingsData
	if d.Period, d.Periods, ok = s.period(w, r, unit); !ok {
		return
	}
	var err error
	if d.Report, err = s.ratings.Report(r.Context(), unit.ID, d.Period.From, d.Period.To); err != nil {
		s.fail(w, r, err)
		return
	}
	if err = s.ratingCharts(r, unit, &d); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Report.People, err = currentOnly(s, r, unit.ID, d.Report.People, func(p ratings.ReportRow) int64 { return p.ID }); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPublic(w, r, unit, "portal_ratings", s.printerOf(unit).Get("title.ratings_public"), d)
}

// ratingReasons replaces the unit's reasons for bad ratings, one per line.
func (s *Server) ratingReasons(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	text := r.PostFormValue("reasons")
	err := s.ratings.SetReasons(r.Context(), actorOf(r), st.unit.ID, strings.Split(text, "\n"))
	if ps, ok := locale.AsProblems(err); ok {
		s.ratingsRefused(w, r, ratingsData{Reasons: text}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/ratings", "flash.saved")
}

// ratingPublish shows a rating's text publicly, or takes it back.
func (s *Server) ratingPublish(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	err := s.ratings.PublishComment(r.Context(), actorOf(r), st.user, st.unit.ID, id, r.PostFormValue("publish") == "1")
	switch {
	case errors.Is(err, ratings.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case err != nil:
		s.fail(w, r, err)
	default:
		s.redirect(w, r, "/ratings?"+r.URL.RawQuery, "flash.saved")
	}
}

// ratingsRefused shows the ratings page of this month again with what the
// office typed and what is wrong with it.
func (s *Server) ratingsRefused(w http.ResponseWriter, r *http.Request, d ratingsData, ps locale.Problems) {
	loc := org.Location(current(r).unit.Timezone)
	d.Periods, d.Period = period.Recent(database.Now(), loc), period.MonthOf(database.Now(), loc)
	s.showRatings(w, r, http.StatusBadRequest, d, ratings.Filter{From: d.Period.From, To: d.Period.To, Limit: ratingsPerPage}, ps)
}
