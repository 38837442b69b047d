package web

import (
	"net/http"
	"slices"

	"wuliang/internal/apikeys"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type apikeysData struct {
	Keys    []apikeys.Key
	Plain   string // a new key, shown once
	Spec    apikeys.Spec
	Scopes  []string
	Windows []org.Department // where a rating device may stand
	Names   map[int64]string // every department's name, for the list
}

// Picked reports whether the form asked for scope.
func (d apikeysData) Picked(scope string) bool { return slices.Contains(d.Spec.Scopes, scope) }

func (s *Server) showKeys(w http.ResponseWriter, r *http.Request, status int, d apikeysData, ps locale.Problems) {
	var err error
	unitID := current(r).unit.ID
	if d.Keys, err = s.keys.List(r.Context(), unitID); err != nil {
		s.fail(w, r, err)
		return
	}
	depts, err := s.org.Departments(r.Context(), unitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Scopes, d.Names = apikeys.Scopes, map[int64]string{}
	for _, dept := range depts {
		d.Names[dept.ID] = dept.Name
		if dept.Active {
			d.Windows = append(d.Windows, dept)
		}
	}
	s.render(w, r, status, "apikeys", "title.apikeys", d, ps)
}

func (s *Server) apikeyList(w http.ResponseWriter, r *http.Request) {
	s.showKeys(w, r, http.StatusOK, apikeysData{Spec: apikeys.Spec{Scopes: []string{apikeys.ScopeRead}}}, nil)
}

// apikeyCreate makes a key and shows it once; only its hash is kept.
func (s *Server) apikeyCreate(w http.ResponseWriter, r *http.Request) {
	windowID := formID(r, "window")
	d := apikeysData{Spec: apikeys.Spec{Name: r.PostFormValue("name"), Scopes: r.PostForm["scope"], WindowID: windowID}}
	plain, _, err := s.keys.Create(r.Context(), actorOf(r), current(r).unit.ID, d.Spec)
	if ps, ok := locale.AsProblems(err); ok {
		s.showKeys(w, r, http.StatusBadRequest, d, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Plain, d.Spec = plain, apikeys.Spec{Scopes: []string{apikeys.ScopeRead}}
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
