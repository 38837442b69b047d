package web

import (
	"io"
	"net/http"
	"wuliang/internal/events"

	"wuliang/internal/accounts"
	"wuliang/internal/honours"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type exemplarData struct {
	Exemplars []honours.Exemplar
	Exemplar  honours.Exemplar
	Form      honours.ExemplarInput
	Awards    []honours.Award
	People    []org.Staff
	Admin     bool
	Editable  bool
	MaxPhotos int
}

// exemplarList is 典型示范: every story of the unit with its state, and a
// form to write one.
func (s *Server) exemplarList(w http.ResponseWriter, r *http.Request) {
	s.showExemplars(w, r, http.StatusOK, "exemplars", honours.Exemplar{}, honours.ExemplarInput{}, nil)
}

func (s *Server) showExemplars(w http.ResponseWriter, r *http.Request, status int, page string, e honours.Exemplar, form honours.ExemplarInput, ps locale.Problems) {
	st := current(r)
	ctx := r.Context()
	d := exemplarData{Exemplar: e, Form: form, Admin: st.user.IsAdmin(), MaxPhotos: honours.MaxExemplarPhotos,
		Editable: e.ID == 0 || e.State == honours.ExemplarDraft || e.State == honours.ExemplarReturned}
	active := true
	var err error
	if d.Exemplars, err = s.honours.Exemplars(ctx, st.unit.ID, false); err == nil {
		if d.Awards, err = s.honours.Awards(ctx, st.unit.ID, honours.AwardFilter{Live: true}); err == nil {
			d.People, _, err = s.org.StaffList(ctx, st.unit.ID, org.StaffFilter{Active: &active})
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "title.exemplars"
	if page == "exemplar_show" {
		title = "title.exemplar"
	}
	s.render(w, r, status, page, title, d, ps)
}

// photosOf reads the uploaded photos, each no further than the photo
// limit: what is beyond it is refused by the check, not read.
func photosOf(r *http.Request) ([][]byte, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out [][]byte
	for _, h := range r.MultipartForm.File["photos"] {
		f, err := h.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, org.MaxPhotoBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, data)
	}
	return out, nil
}

func exemplarForm(r *http.Request) honours.ExemplarInput {
	return honours.ExemplarInput{HonourID: formID(r, "honour"), StaffID: formID(r, "staff"), Title: r.PostFormValue("title"), Story: r.PostFormValue("story")}
}

// exemplarSave writes a new story or changes one, with its photos.
func (s *Server) exemplarSave(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	var e honours.Exemplar
	if id != 0 {
		var err error
		if e, err = s.honours.Exemplar(r.Context(), st.unit.ID, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	form := exemplarForm(r)
	photos, err := photosOf(r)
	if err == nil {
		id, err = s.honours.WriteExemplar(r.Context(), actorOf(r), st.unit.ID, id, form, photos)
	}
	if ps, ok := locale.AsProblems(err); ok {
		page := "exemplars"
		if e.ID != 0 {
			page = "exemplar_show"
		}
		s.showExemplars(w, r, statusOf(err), page, e, form, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/exemplars/"+itoa(id), "flash.saved")
}

// exemplarShow is one story, editable while a draft or returned.
func (s *Server) exemplarShow(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	e, err := s.honours.Exemplar(r.Context(), current(r).unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showExemplars(w, r, http.StatusOK, "exemplar_show", e, honours.ExemplarInput{HonourID: e.HonourID, StaffID: e.StaffID, Title: e.Title, Story: e.Story}, nil)
}

// exemplarMove submits a story, or the office publishes or returns it.
func (s *Server) exemplarMove(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	to := r.PostFormValue("to")
	if to != honours.ExemplarSubmitted && !st.user.Is(accounts.RoleUnitAdmin, accounts.RoleSystemAdmin) {
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
		return
	}
	err := s.honours.MoveExemplar(r.Context(), actorOf(r), st.unit.ID, id, to, r.PostFormValue("note"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.events.Publish(events.Event{Unit: st.unit.ID, Kind: events.Facts}) // a story published or withdrawn
	s.redirect(w, r, "/exemplars/"+itoa(id), "flash.saved")
}

// exemplarPhoto serves a story's photo to the unit's users.
func (s *Server) exemplarPhoto(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	s.writeExemplarPhoto(w, r, current(r).unit.ID, id, false)
}

func (s *Server) writeExemplarPhoto(w http.ResponseWriter, r *http.Request, unitID, id int64, published bool) {
	data, err := s.honours.ExemplarPhoto(r.Context(), unitID, id, published)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write(data)
}
