package web

import (
	"net/http"

	"wuliang/internal/locale"
)

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password", "title.password", nil, nil)
}

// passwordChange lets any user change their own password; it logs them out
// everywhere, so they log in again with the new one.
func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	newPassword := r.PostFormValue("password")
	if newPassword != r.PostFormValue("password_again") {
		var ps locale.Problems
		ps.Add("password_again", "error.password_mismatch")
		s.render(w, r, http.StatusBadRequest, "password", "title.password", nil, ps)
		return
	}
	err := s.accounts.ChangeOwnPassword(r.Context(), st.user, r.PostFormValue("old_password"), newPassword)
	if ps, ok := locale.AsProblems(err); ok {
		s.render(w, r, http.StatusBadRequest, "password", "title.password", nil, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/login", "flash.password_changed")
}
