package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

const (
	sessionCookie = "wl_session"
	csrfCookie    = "wl_csrf"
	csrfField     = "csrf_token"
)

// state is what protect learned about a request.
type state struct {
	user     accounts.User
	unit     org.Unit
	loggedIn bool
	token    string
	csrf     string
}

type stateKey struct{}

func current(r *http.Request) *state {
	if st, ok := r.Context().Value(stateKey{}).(*state); ok {
		return st
	}
	return &state{}
}

// protect wraps a page handler with the body limit, the CSRF check, the
// session and the access rule of its route.
func (s *Server) protect(a access, limit int64, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		st := &state{csrf: s.csrfToken(w, r)}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, sess, err := s.accounts.SessionUser(r.Context(), c.Value)
			switch {
			case err == nil:
				st.user, st.loggedIn, st.token = u, true, c.Value
				if sess.UnitID != 0 {
					if st.unit, err = s.org.Unit(r.Context(), sess.UnitID); err != nil {
						s.fail(w, r, err)
						return
					}
				}
			case !errors.Is(err, accounts.ErrNotFound):
				s.fail(w, r, err)
				return
			}
		}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))

		if r.Method == http.MethodPost && !s.checkCSRF(w, r, st, limit) {
			return
		}
		if a == public {
			next(w, r)
			return
		}
		if !st.loggedIn {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.errorPage(w, r, http.StatusUnauthorized, "error.login_required")
			return
		}
		if st.user.MustChange && r.URL.Path != "/account/password" && r.URL.Path != "/logout" {
			if r.Method == http.MethodGet {
				s.redirect(w, r, "/account/password", "flash.change_initial_password")
				return
			}
			s.errorPage(w, r, http.StatusForbidden, "error.change_password_first")
			return
		}
		if a != sysAdmins && st.unit.ID == 0 {
			if st.user.Is(accounts.RoleSystemAdmin) {
				http.Redirect(w, r, "/admin/units", http.StatusSeeOther)
				return
			}
			s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
			return
		}
		if !allowed(a, st.user) {
			s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
			return
		}
		next(w, r)
	})
}

func allowed(a access, u accounts.User) bool {
	switch a {
	case anyone:
		return true
	case observers:
		return u.Is(accounts.RoleSystemAdmin, accounts.RoleUnitAdmin, accounts.RoleWindowLead, accounts.RoleSupervisor)
	case loggedIn:
		return u.Role != accounts.RoleSupervisor
	case managers:
		return u.Is(accounts.RoleSystemAdmin, accounts.RoleUnitAdmin, accounts.RoleBranchSecretary, accounts.RoleWindowLead)
	case admins:
		return u.IsAdmin()
	case sysAdmins:
		return u.Is(accounts.RoleSystemAdmin)
	}
	return false
}

// csrfToken returns the browser's CSRF token, issuing one when it has none.
// The token is a random cookie that every form repeats in a hidden field;
// another site can make the browser send the cookie but cannot read it to
// fill the field.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	return token
}

func (s *Server) checkCSRF(w http.ResponseWriter, r *http.Request, st *state, limit int64) bool {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(min(limit, 8<<20))
	} else {
		err = r.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.body_too_large", limit>>20)
		return false
	case err != nil:
		s.errorPage(w, r, http.StatusBadRequest, "error.bad_form")
		return false
	}
	cleanValues(r.Form)
	cleanValues(r.PostForm)
	if r.MultipartForm != nil {
		cleanValues(r.MultipartForm.Value)
	}
	sent := r.PostFormValue(csrfField)
	if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(st.csrf)) != 1 {
		s.errorPage(w, r, http.StatusForbidden, "error.csrf")
		return false
	}
	return true
}

// refuseHostile stands before every page and the API: a path or query with
// a NUL or another control character gets 400 (no link has one; it is a
// probe), and the query's other hostile characters (bidirectional
// overrides) are dropped. Form fields are cleaned where forms are parsed
// (checkCSRF), JSON strings where the API decodes them.
func (s *Server) refuseHostile(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A query Go cannot parse whole (a stray %, a semicolon) goes on:
		// handlers read what parses, as r.URL.Query does.
		q, _ := url.ParseQuery(r.URL.RawQuery)
		if textnorm.HasHostile(r.URL.Path) || !utf8.ValidString(r.URL.Path) || hasControl(q) {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				w.WriteHeader(http.StatusBadRequest)
				json.NewEncoder(w).Encode(map[string]string{"error": s.printerOf(org.Unit{}).Get("error.hostile_request")})
				return
			}
			s.errorPage(w, r, http.StatusBadRequest, "error.hostile_request")
			return
		}
		if cleanValues(q) {
			r.URL.RawQuery = q.Encode()
		}
		next.ServeHTTP(w, r)
	})
}

// hasControl reports a C0 control (NUL, BEL…) in a query's keys or values.
func hasControl(q url.Values) bool {
	control := func(s string) bool {
		return strings.IndexFunc(s, func(r rune) bool { return textnorm.Hostile(r) && r < 0x80 }) >= 0
	}
	for k, vs := range q {
		if control(k) || slices.ContainsFunc(vs, control) {
			return true
		}
	}
	return false
}

// cleanValues strips hostile characters from every value, in place, and
// reports whether it changed one.
func cleanValues(vs map[string][]string) bool {
	changed := false
	for _, list := range vs {
		for i, v := range list {
			if c := textnorm.StripHostile(v); c != v {
				list[i], changed = c, true
			}
		}
	}
	return changed
}

// securityHeaders forbids framing, sniffing and anything loaded from outside
// the binary, and rejects cross-origin form posts (http.CrossOriginProtection
// reads Sec-Fetch-Site and Origin).
func securityHeaders(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	}))
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v)
				http.Error(w, "服务器内部错误", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
