package web

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
)

type rankingData struct {
	Ranking    activities.Ranking
	View       string // people, windows or branches
	Periods    []string
	Dimensions []string
	Person     org.Staff
	Explain    activities.Explain
	CanReverse bool
	CanOpen    map[int64]bool // whose ledger the viewer may open
	Window     int64          // the people shown, when narrowed to a window
	Branch     int64          // or to a branch
	Shown      []activities.Person
	Chart      template.HTML
}

// rankingQuery reads ?period= (this quarter by default) and ?dimension=
// (the total by default).
func rankingQuery(r *http.Request) (period.Period, string, error) {
	st := current(r)
	code := r.URL.Query().Get("period")
	loc := org.Location(st.unit.Timezone)
	p := period.QuarterOf(time.Now(), loc)
	if code != "" {
		var err error
		if p, err = period.Parse(code, loc); err != nil {
			return p, "", err
		}
	}
	dim := r.URL.Query().Get("dimension")
	if dim == "" {
		dim = activities.Total
	}
	return p, dim, nil
}

// periodChoices offers the last six months, this year's and last year's
// quarters and the two years, newest first.
func periodChoices(loc *time.Location) []string {
	now := time.Now().In(loc)
	var out []string
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	for m := range 6 {
		out = append(out, first.AddDate(0, -m, 0).Format("2006-01"))
	}
	for y := now.Year(); y >= now.Year()-1; y-- {
		for q := 4; q >= 1; q-- {
			if y == now.Year() && (q-1)*3 >= int(now.Month()) {
				continue
			}
			out = append(out, itoa(int64(y))+"-Q"+itoa(int64(q)))
		}
		out = append(out, itoa(int64(y)))
	}
	return out
}

// ranking loads the ranking the query asks for, with the conduct
// deductions decided since the last look.
func (s *Server) ranking(w http.ResponseWriter, r *http.Request) (activities.Ranking, bool) {
	st := current(r)
	p, dim, err := rankingQuery(r)
	if err == nil {
		_, err = s.activities.SyncConduct(r.Context(), st.unit.ID, org.Location(st.unit.Timezone))
	}
	var rk activities.Ranking
	if err == nil {
		rk, err = s.activities.Rank(r.Context(), st.unit.ID, p, dim)
	}
	if err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) {
			s.render(w, r, http.StatusBadRequest, "rankings", "title.rankings",
				rankingData{Periods: periodChoices(org.Location(st.unit.Timezone)), Dimensions: activities.Dimensions}, ps)
		})
		return rk, false
	}
	return rk, true
}

// rankingList shows a period's ranking of people, windows or branches.
func (s *Server) rankingList(w http.ResponseWriter, r *http.Request) {
	rk, ok := s.ranking(w, r)
	if !ok {
		return
	}
	view := r.URL.Query().Get("view")
	if view != "windows" && view != "branches" {
		view = "people"
	}
	u := current(r).user
	d := rankingData{Ranking: rk, View: view, Periods: periodChoices(org.Location(current(r).unit.Timezone)), Dimensions: activities.Dimensions, CanOpen: map[int64]bool{}}
	// A big unit's list narrows to one window or branch; ranks stay the
	// unit's, with the ranks within beside them.
	d.Window, d.Branch = formID(r, "window"), formID(r, "branch")
	for _, x := range rk.People {
		if mayExplain(u, org.Staff{ID: x.StaffID, BranchID: x.BranchID, DepartmentID: x.WindowID}) {
			d.CanOpen[x.StaffID] = true
		}
		if (d.Window == 0 || x.WindowID == d.Window) && (d.Branch == 0 || x.BranchID == d.Branch) {
			d.Shown = append(d.Shown, x)
		}
	}
	d.Chart = rankingChart(rk, view, d.Shown).HTML()
	s.render(w, r, http.StatusOK, "rankings", "title.rankings", d, nil)
}

func (s *Server) rankingExcel(w http.ResponseWriter, r *http.Request) {
	rk, ok := s.ranking(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("五比排名-"+rk.Period.Code+"-"+rk.Dimension+".xlsx"))
	if err := activities.RankingExcel(w, current(r).unit.Name, rk); err != nil {
		s.log.Error("ranking excel", "err", err)
	}
}

// registerExcel exports the period's ledger and claims, for the office.
func (s *Server) registerExcel(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	p, _, err := rankingQuery(r)
	loc := org.Location(st.unit.Timezone)
	var entries []activities.Entry
	var claims []activities.Claim
	var attended []activities.Attended
	if err == nil {
		if entries, err = s.activities.Register(r.Context(), st.unit.ID, p); err == nil {
			if claims, err = s.activities.ClaimsIn(r.Context(), st.unit.ID, p); err == nil {
				attended, err = s.activities.AttendanceIn(r.Context(), st.unit.ID, p)
			}
		}
	}
	if err != nil {
		s.activityFailed(w, r, err, nil)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("五比活动登记-"+p.Code+".xlsx"))
	if err := activities.RegisterExcel(w, st.unit.Name, p, loc, entries, claims, attended); err != nil {
		s.log.Error("register excel", "err", err)
	}
}

// mayExplain: a person sees how they earned their points; the office, their
// branch secretary and window lead see anyone they oversee.
func mayExplain(u accounts.User, p org.Staff) bool {
	return u.IsAdmin() || (u.StaffID != 0 && u.StaffID == p.ID) ||
		(u.Role == accounts.RoleBranchSecretary && p.BranchID != 0 && p.BranchID == u.BranchID) ||
		(u.Role == accounts.RoleWindowLead && p.DepartmentID != 0 && p.DepartmentID == u.DepartmentID)
}

// rankingPerson shows how one person earned each point of a period.
func (s *Server) rankingPerson(w http.ResponseWriter, r *http.Request) {
	s.rankingPersonPage(w, r, http.StatusOK, nil)
}

func (s *Server) rankingPersonPage(w http.ResponseWriter, r *http.Request, status int, ps locale.Problems) {
	st := current(r)
	id, _ := pathID(r, "id")
	person, err := s.org.Staff(r.Context(), st.unit.ID, id)
	if err == nil && !mayExplain(st.user, person) {
		err = org.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, _, err := rankingQuery(r)
	var x activities.Explain
	if err == nil {
		x, err = s.activities.Explain(r.Context(), st.unit.ID, person.ID, p)
	}
	if err != nil {
		s.activityFailed(w, r, err, nil)
		return
	}
	d := rankingData{Person: person, Explain: x, Dimensions: activities.Dimensions, Periods: periodChoices(org.Location(st.unit.Timezone)), CanReverse: st.user.IsAdmin()}
	s.render(w, r, status, "ranking_person", "title.ranking_person", d, ps)
}

// pointReverse cancels a ledger entry with a new one, by the office.
func (s *Server) pointReverse(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	err := s.activities.Reverse(r.Context(), actorOf(r), st.user, st.unit.ID, id, r.PostFormValue("reason"))
	back := "/rankings/people/" + itoa(formID(r, "staff")) + "?period=" + url.QueryEscape(r.PostFormValue("period"))
	if err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) {
			r.SetPathValue("id", itoa(formID(r, "staff")))
			r.URL.RawQuery = "period=" + url.QueryEscape(r.PostFormValue("period"))
			s.rankingPersonPage(w, r, statusOf(err), ps)
		})
		return
	}
	s.redirect(w, r, back, "flash.saved")
}
