package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/ratings"
)

// rateData is a rating form: what is rated, and what was typed.
type rateData struct {
	Heading, Sub string
	Action       string
	Reasons      []string
	Level        int
	Picked       []string
	Comment      string
	Done         bool
	Unverified   bool
}

// Picks reports whether a reason was ticked, to show the form again.
func (d rateData) Picks(r string) bool {
	for _, p := range d.Picked {
		if p == r {
			return true
		}
	}
	return false
}

func (s *Server) renderRate(w http.ResponseWriter, r *http.Request, status int, unit org.Unit, d rateData, ps locale.Problems) {
	p := page{Public: true, Title: s.printerOf(unit).Get("title.rate"), Unit: unit, Path: r.URL.Path, CSRF: current(r).csrf, Problems: ps,
		D: d, printer: s.printerOf(unit)}
	s.write(w, r, status, "rate", p)
}

// rateRefused shows why a token cannot rate, with the fitting status.
func (s *Server) rateRefused(w http.ResponseWriter, r *http.Request, err error) {
	if le, ok := locale.AsError(err); ok {
		s.errorPage(w, r, statusOf(err), le.Key, le.Args...)
		return
	}
	s.fail(w, r, err)
}

// rateCase: GET and POST /r/{token}, the phone page a case's QR code or
// SMS link opens. No login; one rating per case.
func (s *Server) rateCase(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	c, err := s.ratings.CaseByToken(r.Context(), 0, token)
	if err == nil && c.Rated {
		err = ratings.ErrTokenUsed
	}
	if err != nil {
		s.rateRefused(w, r, err)
		return
	}
	unit, err := s.org.Unit(r.Context(), c.UnitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := rateData{Heading: c.Title, Sub: c.Handler + " · " + c.Window, Action: "/r/" + token}
	channel := ratings.ChannelQR
	if r.URL.Query().Get("via") == "sms" {
		channel, d.Action = ratings.ChannelSMS, d.Action+"?via=sms"
	}
	s.rateForm(w, r, unit, d, ratings.Input{Token: token, Channel: channel})
}

// ratePerson and rateWindow: the QR codes on badges and at windows rate a
// person or a window without a case: allowed, unverified, within limits.
func (s *Server) ratePerson(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	p, ok := s.publicStaff(w, r, unit)
	if !ok {
		return
	}
	d := rateData{Heading: p.Name, Sub: p.DepartmentName + " · " + p.Post, Action: r.URL.Path, Unverified: true}
	s.rateForm(w, r, unit, d, ratings.Input{StaffID: p.ID, Channel: ratings.ChannelQR})
}

func (s *Server) rateWindow(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	id, _ := pathID(r, "id")
	dep, err := s.org.Department(r.Context(), unit.ID, id)
	if err != nil || !dep.Active {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	d := rateData{Heading: dep.Name, Sub: unit.Name, Action: r.URL.Path, Unverified: true}
	s.rateForm(w, r, unit, d, ratings.Input{DepartmentID: dep.ID, Channel: ratings.ChannelQR})
}

// rateForm shows the form on GET and takes the rating on POST.
func (s *Server) rateForm(w http.ResponseWriter, r *http.Request, unit org.Unit, d rateData, in ratings.Input) {
	var err error
	if d.Reasons, err = s.ratings.Reasons(r.Context(), unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if r.Method != http.MethodPost {
		s.renderRate(w, r, http.StatusOK, unit, d, nil)
		return
	}
	in.Level, _ = strconv.Atoi(r.PostFormValue("level"))
	in.Reasons, in.Comment = r.PostForm["reason"], r.PostFormValue("comment")
	in.Device, err = s.raterID(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in.Address = s.clientIP(r)
	d.Level, d.Picked, d.Comment = in.Level, in.Reasons, in.Comment
	_, err = s.ratings.Submit(r.Context(), unit.ID, in)
	if ps, ok := locale.AsProblems(err); ok && !errors.Is(err, ratings.ErrTooOften) && !errors.Is(err, ratings.ErrTokenUsed) {
		s.renderRate(w, r, http.StatusBadRequest, unit, d, ps)
		return
	}
	if err != nil {
		s.rateRefused(w, r, err)
		return
	}
	d.Done = true
	s.renderRate(w, r, http.StatusCreated, unit, d, nil)
}

const raterCookie = "wl_rater"

// raterID is the rating device's id from its signed cookie, issuing one
// when the cookie is missing or forged. Dropping the cookie only gets a
// new device; the address limit still holds.
func (s *Server) raterID(w http.ResponseWriter, r *http.Request) (string, error) {
	key, err := s.ratings.SigningKey(r.Context())
	if err != nil {
		return "", err
	}
	sign := func(id string) string {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(id))
		return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	if c, err := r.Cookie(raterCookie); err == nil {
		if id, sig, ok := strings.Cut(c.Value, "."); ok && hmac.Equal([]byte(sig), []byte(sign(id))) {
			return id, nil
		}
	}
	b := make([]byte, 16)
	rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: raterCookie, Value: id + "." + sign(id), Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	return id, nil
}
