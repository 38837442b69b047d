package web

import (
	"errors"
	"net/http"

	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// staffPhoto serves a person's photo, or a generated placeholder with their
// surname when they have none. Any user of the unit may see a colleague's
// photo: it is printed on their badge and shown at their window anyway.
func (s *Server) staffPhoto(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	person, err := s.org.Staff(r.Context(), current(r).unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writePhoto(w, r, person)
}

// writePhoto writes a person's photo, or their placeholder.
func (s *Server) writePhoto(w http.ResponseWriter, r *http.Request, person org.Staff) {
	w.Header().Set("Cache-Control", "private, max-age=60")
	data, err := s.org.Photo(r.Context(), person.UnitID, person.ID)
	if errors.Is(err, org.ErrNotFound) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write(org.PlaceholderPhoto(person))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Write(data)
}

var errPhotoEmpty = locale.NewError("error.photo_empty")

// staffPhotoUpload stores an uploaded JPEG or PNG photo.
func (s *Server) staffPhotoUpload(w http.ResponseWriter, r *http.Request) {
	person, ok := s.visibleStaff(w, r)
	if !ok {
		return
	}
	file, _, err := r.FormFile("photo")
	if err != nil {
		s.fail(w, r, errPhotoEmpty)
		return
	}
	defer file.Close()
	if err := s.org.SetPhoto(r.Context(), actorOf(r), current(r).unit.ID, person.ID, file); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/staff/"+itoa(person.ID), "flash.photo_saved")
}
