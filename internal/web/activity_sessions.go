package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type sessionData struct {
	List        []activities.Session
	Kinds       []activities.Kind
	Branches    []org.Branch
	Topics      []string
	Input       activities.SessionInput
	Session     activities.Session
	CanOrganise bool
	CheckInURL  string
	QR          template.URL
	Mine        string // the viewer's own status
	Status      string // the result of a check-in
	Token       string
	Default     string
	Opens       time.Time // when check-in opens, while it has not
}

func canOrganiseAny(u accounts.User) bool {
	return u.IsAdmin() || u.Role == accounts.RoleBranchSecretary
}

// sessionList: the sessions a person is expected at, and for organisers
// the form to schedule one.
func (s *Server) sessionList(w http.ResponseWriter, r *http.Request) {
	s.sessionListPage(w, r, http.StatusOK, activities.SessionInput{}, nil)
}

func (s *Server) sessionListPage(w http.ResponseWriter, r *http.Request, status int, in activities.SessionInput, ps locale.Problems) {
	st := current(r)
	ctx := r.Context()
	d := sessionData{Topics: activities.Topics, Input: in, CanOrganise: canOrganiseAny(st.user),
		Default: time.Now().In(org.Location(st.unit.Timezone)).Add(time.Hour).Truncate(time.Hour).Format("2006-01-02T15:04")}
	var err error
	if d.List, err = s.activities.Sessions(ctx, st.unit.ID, st.user); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.CanOrganise {
		if d.Kinds, err = s.activities.KindsOf(ctx, st.unit.ID, activities.FormStudy); err == nil {
			d.Branches, err = s.org.Branches(ctx, st.unit.ID)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "activity_sessions", "title.activity_sessions", d, ps)
}

func (s *Server) sessionCreate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	in := activities.SessionInput{KindID: formID(r, "kind"), Topic: r.PostFormValue("topic"), Title: r.PostFormValue("title"), Place: r.PostFormValue("place"),
		StartsAt: r.PostFormValue("starts_at"), Scope: r.PostFormValue("scope"), ScopeID: formID(r, "branch")}
	if st.user.Role == accounts.RoleBranchSecretary {
		in.Scope, in.ScopeID = "branch", st.user.BranchID
	}
	id, err := s.activities.CreateSession(r.Context(), actorOf(r), st.user, st.unit.ID, org.Location(st.unit.Timezone), in)
	if err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.sessionListPage(w, r, http.StatusBadRequest, in, ps) })
		return
	}
	s.redirect(w, r, "/activities/sessions/"+itoa(id), "flash.saved")
}

// loadSession finds the session in the path if the user organises it or is
// expected at it.
func (s *Server) loadSession(w http.ResponseWriter, r *http.Request) (activities.Session, bool) {
	st := current(r)
	id, _ := pathID(r, "id")
	x, err := s.activities.Session(r.Context(), st.unit.ID, id)
	if err == nil && !activities.CanOrganise(st.user, x.Scope, x.ScopeID) && !expected(x, st.user.StaffID) {
		err = activities.ErrNotFound
	}
	if err != nil {
		s.activityFailed(w, r, err, nil)
		return x, false
	}
	return x, true
}

func expected(x activities.Session, staffID int64) bool {
	return staffStatus(x, staffID) != "-"
}

// staffStatus is a person's status at a session, "" before they come and
// "-" when they are not expected.
func staffStatus(x activities.Session, staffID int64) string {
	for _, a := range x.Attendance {
		if staffID != 0 && a.StaffID == staffID {
			return a.Status
		}
	}
	return "-"
}

// checkInURL is what the session's QR code holds.
func (s *Server) checkInURL(r *http.Request, x activities.Session) string {
	return s.publicURL(r) + "/activities/sessions/" + itoa(x.ID) + "/check-in?t=" + url.QueryEscape(x.Token)
}

func (s *Server) sessionShow(w http.ResponseWriter, r *http.Request) {
	if x, ok := s.loadSession(w, r); ok {
		s.sessionPage(w, r, http.StatusOK, x, nil)
	}
}

func (s *Server) sessionPage(w http.ResponseWriter, r *http.Request, status int, x activities.Session, ps locale.Problems) {
	st := current(r)
	d := sessionData{Session: x, CanOrganise: activities.CanOrganise(st.user, x.Scope, x.ScopeID), Mine: staffStatus(x, st.user.StaffID)}
	if d.CanOrganise && x.ClosedAt == nil {
		d.CheckInURL = s.checkInURL(r, x)
		qr, err := qrDataURL(d.CheckInURL)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.QR = qr
	}
	s.render(w, r, status, "activity_session", "title.activity_session", d, ps)
}

// sessionCheckIn is where the QR code leads: GET shows the session and a
// button, POST records the attendance. A scan by someone not logged in
// goes through the login page and comes back here.
func (s *Server) sessionCheckIn(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	x, err := s.activities.Session(r.Context(), st.unit.ID, id)
	if err != nil {
		s.activityFailed(w, r, err, nil)
		return
	}
	d := sessionData{Session: x, Token: r.FormValue("t"), Mine: staffStatus(x, st.user.StaffID)}
	if opens := x.StartsAt.Add(-activities.CheckInEarly); time.Now().Before(opens) {
		d.Opens = opens
	}
	status := http.StatusOK
	var ps locale.Problems
	if r.Method == http.MethodPost {
		d.Status, err = s.activities.CheckIn(r.Context(), actorOf(r), st.unit.ID, id, d.Token, st.user.StaffID)
		if err != nil {
			p, ok := locale.AsProblems(err)
			if !ok {
				s.activityFailed(w, r, err, nil)
				return
			}
			ps, status = p, http.StatusBadRequest
		}
	}
	s.render(w, r, status, "activity_checkin", "title.activity_checkin", d, ps)
}

// sessionMark records attendance from the organiser's list.
func (s *Server) sessionMark(w http.ResponseWriter, r *http.Request) {
	x, ok := s.loadSession(w, r)
	if !ok {
		return
	}
	st := current(r)
	marks := map[int64]string{}
	for _, a := range x.Attendance {
		if v := r.PostFormValue("status_" + strconv.FormatInt(a.StaffID, 10)); v != "" && v != a.Status {
			marks[a.StaffID] = v
		}
	}
	err := s.activities.Mark(r.Context(), actorOf(r), st.user, st.unit.ID, x.ID, marks)
	if err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.sessionPage(w, r, http.StatusBadRequest, x, ps) })
		return
	}
	s.redirect(w, r, "/activities/sessions/"+itoa(x.ID), "flash.saved")
}

func (s *Server) sessionClose(w http.ResponseWriter, r *http.Request) {
	x, ok := s.loadSession(w, r)
	if !ok {
		return
	}
	st := current(r)
	err := s.activities.CloseSession(r.Context(), actorOf(r), st.user, st.unit.ID, x.ID, org.Location(st.unit.Timezone))
	if err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.sessionPage(w, r, http.StatusConflict, x, ps) })
		return
	}
	s.redirect(w, r, "/activities/sessions/"+itoa(x.ID), "flash.saved")
}
