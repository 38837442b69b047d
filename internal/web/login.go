package web

import (
	"net"
	"net/http"
	"strings"

	"wuliang/internal/accounts"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type loginData struct {
	Username string
	Next     string
	// Portals are the public pages of the units served here: the login
	// page is where a citizen who typed the address lands too.
	Portals []org.Unit
}

// withPortals adds the active units' portals to the login page.
func (s *Server) withPortals(r *http.Request, d loginData) loginData {
	units, err := s.org.Units(r.Context())
	if err != nil {
		s.log.Error("login: units", "err", err)
		return d
	}
	for _, u := range units {
		if u.Active {
			d.Portals = append(d.Portals, u)
		}
	}
	return d
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if current(r).loggedIn {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", "title.login", s.withPortals(r, loginData{Next: safeNext(r.URL.Query().Get("next"))}), nil)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	data := loginData{Username: strings.TrimSpace(r.PostFormValue("username")), Next: safeNext(r.PostFormValue("next"))}
	token, u, err := s.accounts.Login(r.Context(), data.Username, r.PostFormValue("password"), clientIP(r), r.UserAgent())
	if err != nil {
		if ps, ok := locale.AsProblems(err); ok {
			status := http.StatusUnauthorized
			if ps[0].Err.Key == "error.login_locked" {
				status = http.StatusTooManyRequests
			}
			s.render(w, r, status, "login", "title.login", s.withPortals(r, data), ps)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(accounts.SessionLifetime.Seconds())})
	next := data.Next
	if next == "" {
		next = "/"
		if u.Is(accounts.RoleSystemAdmin) {
			next = "/admin/units"
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if st := current(r); st.token != "" {
		if err := s.accounts.Logout(r.Context(), st.token); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.SecureCookies})
	s.redirect(w, r, "/login", "flash.logged_out")
}

// safeNext keeps only local paths, so the login form cannot be used to send
// people to another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.HasPrefix(next, "/login") {
		return ""
	}
	return next
}

// clientIP is the address that login failures are counted against. wuliang
// is served directly or behind the unit's own proxy; X-Forwarded-For is not
// trusted because anyone can send it.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
