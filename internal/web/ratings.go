package web

import (
	"net/http"
	"strconv"
	"strings"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/efficiency"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/ratings"
)

type ratingsData struct {
	Ratings []ratings.Rating
	Total   int
	Period  efficiency.Period
	Periods []efficiency.Period
	Summary ratings.Summary
	Days    ratings.Days
	Office  bool
}

// ratingList shows ratings of a period: the office sees the unit's, a
// window lead the window's, everyone else their own.
func (s *Server) ratingList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	loc := location(st.unit.Timezone)
	d := ratingsData{Periods: efficiency.Recent(database.Now(), loc), Period: efficiency.Month(database.Now(), loc)}
	if v := r.URL.Query().Get("period"); v != "" {
		p, ok := efficiency.ParsePeriod(v, loc)
		if !ok {
			s.errorPage(w, r, http.StatusBadRequest, "efficiency.period_invalid")
			return
		}
		d.Period = p
	}
	f := ratings.Filter{From: d.Period.From, To: d.Period.To, Limit: 500}
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
	if d.Summary, err = s.ratings.Summarize(r.Context(), st.unit.ID, f); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Office = st.user.IsAdmin(); d.Office && d.Days == (ratings.Days{}) {
		if d.Days, err = s.ratings.Days(r.Context(), st.unit.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "ratings", "title.ratings", d, ps)
}

// ratingSettings changes the unit's periods: how long a case's token
// rates, and the working days of each step of a rectification.
func (s *Server) ratingSettings(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	num := func(name string) int {
		n, _ := strconv.Atoi(strings.TrimSpace(org.FoldWidth(r.PostFormValue(name))))
		return n
	}
	days := ratings.Days{Token: num("token_days"), Verify: num("verify_days"), Rectify: num("rectify_days"), Ledger: num("ledger_days"), Followup: num("followup_days")}
	err := s.ratings.SetDays(r.Context(), actorOf(r), st.unit.ID, days)
	if ps, ok := locale.AsProblems(err); ok {
		loc := location(st.unit.Timezone)
		d := ratingsData{Periods: efficiency.Recent(database.Now(), loc), Period: efficiency.Month(database.Now(), loc), Days: days}
		s.showRatings(w, r, http.StatusBadRequest, d, ratings.Filter{From: d.Period.From, To: d.Period.To, Limit: 500}, ps)
		return
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
		return d.Days.Verify
	case "rectify_days":
		return d.Days.Rectify
	case "ledger_days":
		return d.Days.Ledger
	}
	return d.Days.Followup
}
