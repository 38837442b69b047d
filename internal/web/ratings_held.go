package web

import (
	"net/http"

	"wuliang/internal/locale"
	"wuliang/internal/ratings"
)

type heldData struct {
	Ratings []ratings.Rating
	Note    string
}

// ratingsHeld lists the bursts held for the office's review.
func (s *Server) ratingsHeld(w http.ResponseWriter, r *http.Request) {
	s.showHeld(w, r, http.StatusOK, heldData{}, nil)
}

func (s *Server) showHeld(w http.ResponseWriter, r *http.Request, status int, d heldData, ps locale.Problems) {
	var err error
	if d.Ratings, err = s.ratings.Held(r.Context(), current(r).unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "ratings_held", "title.ratings_held", d, ps)
}

// ratingReview releases or rejects one held rating, with the reason.
func (s *Server) ratingReview(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	release := r.PostFormValue("decision") == "release"
	note := r.PostFormValue("note")
	err := s.ratings.Review(r.Context(), actorOf(r), st.user, st.unit.ID, id, release, note)
	if ps, ok := locale.AsProblems(err); ok {
		s.showHeld(w, r, http.StatusBadRequest, heldData{Note: note}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	flash := "flash.rating_rejected"
	if release {
		flash = "flash.rating_released"
	}
	s.redirect(w, r, "/ratings/held", flash)
}
