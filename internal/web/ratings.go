package web

import (
	"net/http"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/efficiency"
	"wuliang/internal/ratings"
)

type ratingsData struct {
	Ratings []ratings.Rating
	Total   int
	Period  efficiency.Period
	Periods []efficiency.Period
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
	var err error
	if d.Ratings, d.Total, err = s.ratings.List(r.Context(), st.unit.ID, f); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "ratings", "title.ratings", d, nil)
}
