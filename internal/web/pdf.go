package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"wuliang/internal/org"
	"wuliang/internal/printing"
)

var (
	stylesheetLink = regexp.MustCompile(`<link rel="stylesheet" href="(/static/[^"]+)">`)
	photoSrc       = regexp.MustCompile(`src="(?:/p/[a-z0-9-]+)?/staff/(\d+)/photo"`)
)

// sendPDF prints a printable page to PDF on the server. The page is made
// self-contained first: its stylesheet inlined and photos turned into data
// URLs, so the browser needs no session and no network.
func (s *Server) sendPDF(w http.ResponseWriter, r *http.Request, name string, p page) {
	t, ok := s.pages.page(p.Unit, name)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.fail(w, r, err)
		return
	}
	html := stylesheetLink.ReplaceAllFunc(buf.Bytes(), func(m []byte) []byte {
		a := s.assets.byURL[string(stylesheetLink.FindSubmatch(m)[1])]
		return append(append([]byte("<style>"), a.body...), "</style>"...)
	})
	if bytes.Contains(html, []byte(`src="/emblem.jpg"`)) {
		if data, err := s.org.Emblem(r.Context(), p.Unit.ID); err == nil {
			html = bytes.ReplaceAll(html, []byte(`src="/emblem.jpg"`), []byte(`src="data:image/jpeg;base64,`+base64.StdEncoding.EncodeToString(data)+`"`))
		}
	}
	html = photoSrc.ReplaceAllFunc(html, func(m []byte) []byte {
		id, _ := strconv.ParseInt(string(photoSrc.FindSubmatch(m)[1]), 10, 64)
		return []byte(`src="` + s.photoDataURL(r, p.Unit.ID, id) + `"`)
	})
	pdf, err := s.printer.PDF(r.Context(), html)
	if errors.Is(err, printing.ErrNoBrowser) {
		s.errorPage(w, r, http.StatusServiceUnavailable, "print.no_browser")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(p.Title+".pdf"))
	w.Write(pdf)
}

// photoDataURL is a person's photo (or placeholder) of the unit as a data URL.
func (s *Server) photoDataURL(r *http.Request, unitID, id int64) string {
	person, err := s.org.Staff(r.Context(), unitID, id)
	if err != nil {
		return ""
	}
	data, err := s.org.Photo(r.Context(), unitID, id)
	if errors.Is(err, org.ErrNotFound) {
		return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(org.PlaceholderPhoto(person))
	}
	if err != nil {
		return ""
	}
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(data)
}
