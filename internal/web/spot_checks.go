package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"wuliang/internal/attendance"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type spotCheckData struct {
	Checks      []attendance.SpotCheck
	Check       attendance.SpotCheck
	Departments []org.Department
	Form        attendance.CheckInput
	Entries     []attendance.Entry
	Findings    []string
}

// spotCheckList lists the checks of the last three months.
func (s *Server) spotCheckList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	now := database.Now()
	list, err := s.attendance.Checks(r.Context(), st.unit.ID, now.AddDate(0, -3, 0), now.Add(time.Hour))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "spot_checks", "title.spot_checks", spotCheckData{Checks: list}, nil)
}

// spotCheckNew shows the form for a department at a moment, each person's
// finding suggested from the whereabouts notes.
func (s *Server) spotCheckNew(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	loc := org.Location(st.unit.Timezone)
	f := attendance.CheckInput{DepartmentID: formID(r, "department"), CheckedAt: r.URL.Query().Get("at"), Checker: st.user.DisplayName}
	if f.Checker == "" {
		f.Checker = st.user.Username
	}
	if f.CheckedAt == "" {
		f.CheckedAt = database.Now().In(loc).Format("2006-01-02T15:04")
	}
	s.showSpotCheckForm(w, r, http.StatusOK, f, nil)
}

func (s *Server) showSpotCheckForm(w http.ResponseWriter, r *http.Request, status int, f attendance.CheckInput, ps locale.Problems) {
	st := current(r)
	d := spotCheckData{Form: f, Findings: attendance.Findings}
	var err error
	if d.Departments, err = s.org.Departments(r.Context(), st.unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if f.DepartmentID != 0 {
		at, ok := calendar.ParseMoment(f.CheckedAt, org.Location(st.unit.Timezone))
		if !ok {
			at = database.Now()
		}
		if d.Entries, err = s.attendance.Suggest(r.Context(), st.unit.ID, f.DepartmentID, at); err != nil {
			s.fail(w, r, err)
			return
		}
		for i, e := range d.Entries {
			if got, ok := f.Findings[e.StaffID]; ok {
				d.Entries[i].Status = got
			}
		}
	}
	s.render(w, r, status, "spot_check_form", "title.spot_check_new", d, ps)
}

func (s *Server) spotCheckCreate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	f := attendance.CheckInput{DepartmentID: formID(r, "department"), CheckedAt: r.PostFormValue("checked_at"), Checker: r.PostFormValue("checker"),
		Note: r.PostFormValue("note"), Findings: map[int64]string{}}
	for key, vals := range r.PostForm {
		if rest, ok := strings.CutPrefix(key, "finding_"); ok && len(vals) > 0 {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				f.Findings[id] = vals[0]
			}
		}
	}
	id, err := s.attendance.Record(r.Context(), actorOf(r), st.user, st.unit.ID, org.Location(st.unit.Timezone), f)
	if ps, ok := locale.AsProblems(err); ok {
		s.showSpotCheckForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/spot-checks/"+itoa(id), "flash.saved")
}

// spotCheckShow shows a check: to the office, and to those it found absent
// through their accountability record.
func (s *Server) spotCheckShow(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	c, err := s.attendance.Check(r.Context(), st.unit.ID, id)
	if errors.Is(err, attendance.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seen := st.user.IsAdmin()
	for _, e := range c.Entries {
		seen = seen || (st.user.StaffID != 0 && e.StaffID == st.user.StaffID)
	}
	if !seen {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	s.render(w, r, http.StatusOK, "spot_check_show", "title.spot_check", spotCheckData{Check: c}, nil)
}
