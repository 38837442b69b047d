package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
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
	token, u, err := s.accounts.Login(r.Context(), data.Username, r.PostFormValue("password"), s.clientIP(r), r.UserAgent())
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

// clientIP is the address that login failures and the public's ratings,
// messages and objections are counted against: the connection's, or, when
// it comes from one of TrustedProxies, the nearest address in
// X-Forwarded-For that is not a trusted proxy. Anyone can send that
// header, so it is read only from the proxies the operator named.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			break // a forged or garbled entry: what lies beyond it is not known
		}
		if !s.trusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseProxies reads the --trusted-proxy list: addresses or CIDRs,
// comma-separated; empty is none.
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if a, err := netip.ParseAddr(item); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither an address nor a CIDR", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
