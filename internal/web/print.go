package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"wuliang/internal/commitments"
	"wuliang/internal/honours"
	"wuliang/internal/items"
	"wuliang/internal/org"
)

// Printables: badges (工作牌), desk signs (台签) for a person and a window,
// the item card (明白卡) and the notice-board poster. They use their own
// layout (templates/print_layout.html) and print.css, which gives each kind
// its paper size through named CSS pages, so the browser's print dialog and
// the server's PDF (pdf.go) come out the same.

// publicURL is the address the public reaches wuliang at, for QR codes:
// --public-url when set, else what this request came to.
func (s *Server) publicURL(r *http.Request) string {
	if s.PublicURL != "" {
		return strings.TrimRight(s.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// qrDataURL draws a QR code of text as a PNG data URL, allowed by the CSP.
func qrDataURL(text string) (template.URL, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, 256)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

type badge struct {
	Person     org.Staff
	PublicURL  string
	QR         template.URL
	PartyMark  bool
	UnitName   string
	EmployeeNo string
	Honours    []string // the honours the person holds now, with their period
}

type badgesData struct {
	Pages     [][]badge // ten cards to an A4 sheet
	HasEmblem bool      // the unit uploaded its emblem; else a red 共产党员 mark
}

const badgesPerSheet = 10

// printBadges lays out badges on A4 sheets: the people of a department, or
// those listed by id.
func (s *Server) printBadges(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	active := true
	f := org.StaffFilter{DepartmentID: formID(r, "department"), Active: &active}
	people, _, err := s.org.StaffList(r.Context(), st.unit.ID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// ?staff=1,2 or ?staff=1&staff=2 (the staff list's checkboxes).
	if ids := r.URL.Query()["staff"]; len(ids) > 0 {
		want := map[int64]bool{}
		for _, v := range strings.Split(strings.Join(ids, ","), ",") {
			if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				want[id] = true
			}
		}
		var chosen []org.Staff
		for _, p := range people {
			if want[p.ID] {
				chosen = append(chosen, p)
			}
		}
		people = chosen
	}
	var d badgesData
	if _, err := s.org.Emblem(r.Context(), st.unit.ID); err == nil {
		d.HasEmblem = true
	}
	standing, err := s.honours.Current(r.Context(), st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	held := map[int64][]string{}
	for _, a := range standing {
		if a.Subject == honours.SubjectPerson {
			held[a.SubjectID] = append(held[a.SubjectID], a.Period+" "+a.KindName)
		}
	}
	base := s.publicURL(r)
	for i, p := range people {
		url := base + "/p/" + st.unit.Code + "/staff/" + itoa(p.ID)
		qr, err := qrDataURL(url)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if i%badgesPerSheet == 0 {
			d.Pages = append(d.Pages, nil)
		}
		d.Pages[len(d.Pages)-1] = append(d.Pages[len(d.Pages)-1], badge{Person: p, PublicURL: url, QR: qr, PartyMark: p.IsPartyMember(), UnitName: st.unit.Name,
			Honours: held[p.ID]})
	}
	s.printPage(w, r, "print_badges", "title.badges", d)
}

type deskSignData struct {
	Person      *org.Staff
	Window      *org.Department
	Items       []items.Item
	OnDuty      []org.Staff
	Commitments []commitments.Commitment
}

// printDeskSignStaff: a person's desk sign — name, post, political status,
// duties, items handled — folded as a tent, readable from both sides.
func (s *Server) printDeskSignStaff(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	p, err := s.org.Staff(r.Context(), st.unit.ID, id)
	if err != nil || !p.Active {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	active := true
	its, err := s.items.List(r.Context(), st.unit.ID, items.Filter{HandlerID: p.ID, Active: &active})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.printPage(w, r, "print_desksign", "title.desksign", deskSignData{Person: &p, Items: its})
}

// printDeskSignWindow: a window's desk sign — name, duties, items, who is
// on duty and their B posts.
func (s *Server) printDeskSignWindow(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	dep, err := s.org.Department(r.Context(), st.unit.ID, id)
	if err != nil || !dep.Active {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	active := true
	d := deskSignData{Window: &dep}
	if d.Items, err = s.items.List(r.Context(), st.unit.ID, items.Filter{DepartmentID: dep.ID, Active: &active}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.OnDuty, _, err = s.org.StaffList(r.Context(), st.unit.ID, org.StaffFilter{DepartmentID: dep.ID, Active: &active}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.printPage(w, r, "print_desksign", "title.desksign", d)
}

// printItem: the item card to hang at the window, A5 (or A4 with ?size=a4).
func (s *Server) printItem(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	it, err := s.items.Item(r.Context(), st.unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	qr, err := qrDataURL(s.publicURL(r) + "/p/" + st.unit.Code + "/items/" + itoa(it.ID))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	size := "a5"
	if r.URL.Query().Get("size") == "a4" {
		size = "a4"
	}
	s.printPage(w, r, "print_item", "title.item", struct {
		Item items.Item
		QR   template.URL
		Size string
	}{it, qr, size})
}

// printPage renders a printable with the unit of the session, as HTML or,
// with ?format=pdf, as a PDF made by headless Chromium.
func (s *Server) printPage(w http.ResponseWriter, r *http.Request, name, titleKey string, data any) {
	st := current(r)
	p := page{Title: s.printerOf(st.unit).Get(titleKey), Unit: st.unit, Path: r.URL.Path, RawQuery: r.URL.RawQuery, D: data, printer: s.printerOf(st.unit),
		Posted: r.Method == http.MethodPost}
	if r.URL.Query().Get("format") == "pdf" {
		s.sendPDF(w, r, name, p)
		return
	}
	s.write(w, r, http.StatusOK, name, p)
}
