package web

import (
	"net/http"

	"wuliang/internal/apikeys"
	"wuliang/internal/locale"
)

type apikeysData struct {
	Keys  []apikeys.Key
	Plain string // a new key, shown once
	Name  string
}

func (s *Server) showKeys(w http.ResponseWriter, r *http.Request, status int, d apikeysData, ps locale.Problems) {
	var err error
	if d.Keys, err = s.keys.List(r.Context(), current(r).unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "apikeys", "title.apikeys", d, ps)
}

func (s *Server) apikeyList(w http.ResponseWriter, r *http.Request) {
	s.showKeys(w, r, http.StatusOK, apikeysData{}, nil)
}

// apikeyCreate makes a key and shows it once; only its hash is kept.
func (s *Server) apikeyCreate(w http.ResponseWriter, r *http.Request) {
	d := apikeysData{Name: r.PostFormValue("name")}
	plain, _, err := s.keys.Create(r.Context(), actorOf(r), current(r).unit.ID, d.Name)
	if ps, ok := locale.AsProblems(err); ok {
		s.showKeys(w, r, http.StatusBadRequest, d, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Plain, d.Name = plain, ""
	s.showKeys(w, r, http.StatusOK, d, nil)
}

func (s *Server) apikeyRevoke(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	if err := s.keys.Revoke(r.Context(), actorOf(r), current(r).unit.ID, id); err != nil {
		if _, ok := locale.AsError(err); ok {
			s.errorPage(w, r, http.StatusNotFound, "error.not_found")
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/apikeys", "flash.apikey_revoked")
}
