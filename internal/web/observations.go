package web

import (
	"errors"
	"io"
	"net/http"
	"time"

	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/supervision"
)

type observationData struct {
	List    []supervision.Observation
	O       supervision.Observation
	Form    supervision.Input
	CanFile bool
	Windows []org.Department
	Staff   []org.Staff
}

// observationList: a supervisor's own observations with the form to file
// one; the office's and window leads' view of what supervisors saw.
func (s *Server) observationList(w http.ResponseWriter, r *http.Request) {
	loc := org.Location(current(r).unit.Timezone)
	d := observationData{Form: supervision.Input{ObservedAt: time.Now().In(loc).Format("2006-01-02T15:04"), Nonce: nonce()}}
	s.observationPage(w, r, http.StatusOK, d, nil)
}

func (s *Server) observationPage(w http.ResponseWriter, r *http.Request, status int, d observationData, ps locale.Problems) {
	st := current(r)
	var err error
	if d.List, err = s.supervision.List(r.Context(), st.unit.ID, st.user, 200); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.CanFile = supervision.CanFile(st.user); d.CanFile {
		if d.Windows, d.Staff, err = s.formChoices(r); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "observations", "title.observations", d, ps)
}

// observationFile files a supervisor's observation, with an optional photo.
func (s *Server) observationFile(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	in := supervision.Input{DepartmentID: formID(r, "window"), StaffID: formID(r, "staff"), ObservedAt: r.PostFormValue("observed_at"),
		Verdict: r.PostFormValue("verdict"), Body: r.PostFormValue("body"), Nonce: r.PostFormValue("nonce")}
	if file, _, err := r.FormFile("photo"); err == nil {
		in.Photo, err = io.ReadAll(io.LimitReader(file, supervision.MaxPhotoBytes+1))
		file.Close()
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	id, err := s.supervision.File(r.Context(), actorOf(r), st.user, st.unit.ID, in, org.Location(st.unit.Timezone))
	switch {
	case err == nil:
		s.redirect(w, r, "/observations/"+itoa(id), "flash.saved")
	case errors.Is(err, supervision.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden, "observation.only_supervisors")
	default:
		ps, ok := locale.AsProblems(err)
		if !ok {
			s.fail(w, r, err)
			return
		}
		in.Photo = nil
		s.observationPage(w, r, http.StatusBadRequest, observationData{Form: in}, ps)
	}
}

// visibleObservation loads the observation in the path if the user may see it.
func (s *Server) visibleObservation(w http.ResponseWriter, r *http.Request) (supervision.Observation, bool) {
	st := current(r)
	id, _ := pathID(r, "id")
	o, err := s.supervision.Get(r.Context(), st.unit.ID, id)
	if errors.Is(err, supervision.ErrNotFound) || (err == nil && !supervision.CanSee(st.user, o)) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return o, false
	}
	if err != nil {
		s.fail(w, r, err)
		return o, false
	}
	return o, true
}

func (s *Server) observationShow(w http.ResponseWriter, r *http.Request) {
	if o, ok := s.visibleObservation(w, r); ok {
		s.render(w, r, http.StatusOK, "observation_show", "title.observation", observationData{O: o}, nil)
	}
}

func (s *Server) observationPhoto(w http.ResponseWriter, r *http.Request) {
	o, ok := s.visibleObservation(w, r)
	if !ok {
		return
	}
	photo, err := s.supervision.Photo(r.Context(), current(r).unit.ID, o.ID)
	if errors.Is(err, supervision.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg") // re-encoded on upload
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(photo)
}

// observationRectify sends a bad observation to rectification.
func (s *Server) observationRectify(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	xid, err := s.supervision.Rectify(r.Context(), actorOf(r), st.user, st.unit.ID, id)
	switch {
	case err == nil:
		s.redirect(w, r, "/rectifications/"+itoa(xid), "flash.saved")
	case errors.Is(err, supervision.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	default:
		s.fail(w, r, err)
	}
}
