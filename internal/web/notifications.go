package web

import (
	"net/http"

	"wuliang/internal/notifications"
)

// notificationsPage lists the user's latest notifications.
func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	list, err := s.notices.List(r.Context(), st.unit.ID, st.user.ID, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "notifications", "title.notifications", struct{ List []notifications.Notification }{list}, nil)
}

func (s *Server) notificationsRead(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	if err := s.notices.MarkRead(r.Context(), st.unit.ID, st.user.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/notifications", "")
}
