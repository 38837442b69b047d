package web

import (
	"io"
	"net/http"
	"time"

	"wuliang/internal/calendar"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type calendarData struct {
	Own      []calendar.UnitDay
	Years    []calendarYear
	Form     calendar.Day
	Covered  bool // next year's notice is known
	NextYear int
	Hours    string
}

type calendarYear struct {
	Year int
	Days []calendar.Day
}

func (s *Server) showCalendar(w http.ResponseWriter, r *http.Request, status int, d calendarData, ps locale.Problems) {
	st := current(r)
	store := s.calendar
	var err error
	if d.Own, err = store.Days(r.Context(), st.unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	cal, err := store.ForUnit(r.Context(), st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Hours == "" {
		hours, err := store.Hours(r.Context(), st.unit.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Hours = hours.String()
	}
	year := time.Now().In(org.Location(st.unit.Timezone)).Year()
	d.NextYear, d.Covered = year+1, cal.Covers(year+1)
	d.Years = []calendarYear{{year, cal.Year(year)}, {year + 1, cal.Year(year + 1)}}
	s.render(w, r, status, "calendar", "title.calendar", d, ps)
}

// calendarPage shows the working-day calendar the unit's deadlines use.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) {
	s.showCalendar(w, r, http.StatusOK, calendarData{Form: calendar.Day{Kind: calendar.Off}}, nil)
}

// calendarAdd adds one day from the form, or every day of an uploaded file
// ("date,off|work,name,source" lines), all or none.
func (s *Server) calendarAdd(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	d := calendarData{Form: calendar.Day{Date: r.PostFormValue("date"), Kind: r.PostFormValue("kind"), Name: r.PostFormValue("name"), Source: r.PostFormValue("source")}}
	days := []calendar.Day{d.Form}
	if file, _, err := r.FormFile("file"); err == nil {
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, 1<<20))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if days, err = calendar.ParseCSV(data); err != nil || len(days) == 0 {
			s.showCalendar(w, r, http.StatusBadRequest, d, locale.FieldProblem("file", "calendar.file_invalid"))
			return
		}
	}
	err := s.calendar.Add(r.Context(), actorOf(r), st.unit.ID, days)
	if ps, ok := locale.AsProblems(err); ok {
		s.showCalendar(w, r, http.StatusBadRequest, d, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/calendar", "flash.saved")
}

func (s *Server) calendarRemove(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	if err := s.calendar.Remove(r.Context(), actorOf(r), current(r).unit.ID, id); err != nil {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	s.redirect(w, r, "/calendar", "flash.saved")
}

// calendarHours sets the unit's office hours, which decide whether an act
// late in the day counts for the next working day.
func (s *Server) calendarHours(w http.ResponseWriter, r *http.Request) {
	d := calendarData{Form: calendar.Day{Kind: calendar.Off}, Hours: r.PostFormValue("hours")}
	err := s.calendar.SetHours(r.Context(), actorOf(r), current(r).unit.ID, d.Hours)
	if ps, ok := locale.AsProblems(err); ok {
		s.showCalendar(w, r, http.StatusBadRequest, d, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/calendar", "flash.saved")
}
