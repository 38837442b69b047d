package web

import (
	"errors"
	"net/http"

	"wuliang/internal/org"
)

// emblemPage shows the unit's party emblem and the form to replace it.
func (s *Server) emblemPage(w http.ResponseWriter, r *http.Request) {
	_, err := s.org.Emblem(r.Context(), current(r).unit.ID)
	if err != nil && !errors.Is(err, org.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "emblem", "title.emblem", err == nil, nil)
}

func (s *Server) emblemUpload(w http.ResponseWriter, r *http.Request) {
	file, _, err := r.FormFile("emblem")
	if err != nil {
		s.fail(w, r, errPhotoEmpty)
		return
	}
	defer file.Close()
	if err := s.org.SetEmblem(r.Context(), actorOf(r), current(r).unit.ID, file); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/emblem", "flash.saved")
}

// emblemImage serves the unit's emblem to its users (badges use it).
func (s *Server) emblemImage(w http.ResponseWriter, r *http.Request) {
	data, err := s.org.Emblem(r.Context(), current(r).unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=60")
	w.Write(data)
}
