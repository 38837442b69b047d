package web

import (
	"encoding/csv"
	"errors"
	"html/template"
	"net/http"

	"wuliang/internal/appraisal"
)

type inviteCard struct {
	appraisal.Invite
	URL string
	QR  template.URL
}

type inviteCardsData struct {
	Round appraisal.Round
	Pages [][]inviteCard // eight cards to an A4 sheet
}

const invitesPerSheet = 8

// roundInvites loads a round and its open invitations, each with its link;
// ?group= narrows them to one group.
func (s *Server) roundInvites(w http.ResponseWriter, r *http.Request) (appraisal.Round, []inviteCard, bool) {
	st := current(r)
	id, _ := pathID(r, "id")
	round, err := s.appraisals.Get(r.Context(), st.unit.ID, id)
	if errors.Is(err, appraisal.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return round, nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return round, nil, false
	}
	list, err := s.appraisals.Invites(r.Context(), st.unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return round, nil, false
	}
	group := r.URL.Query().Get("group")
	var cards []inviteCard
	for _, inv := range list {
		if inv.AnsweredAt != nil || (group != "" && inv.Group != group) {
			continue
		}
		cards = append(cards, inviteCard{Invite: inv, URL: s.publicURL(r) + "/a/" + inv.Token})
	}
	return round, cards, true
}

// appraisalPrint lays out the unanswered invitations as cards with a QR
// code, to hand out or post.
func (s *Server) appraisalPrint(w http.ResponseWriter, r *http.Request) {
	round, cards, ok := s.roundInvites(w, r)
	if !ok {
		return
	}
	d := inviteCardsData{Round: round}
	for i := range cards {
		qr, err := qrDataURL(cards[i].URL)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cards[i].QR = qr
		if i%invitesPerSheet == 0 {
			d.Pages = append(d.Pages, nil)
		}
		d.Pages[len(d.Pages)-1] = append(d.Pages[len(d.Pages)-1], cards[i])
	}
	s.printPage(w, r, "print_invites", "title.appraisal_invites", d)
}

// appraisalInviteList sends the unanswered invitations as a CSV list (UTF-8
// with a byte-order mark, so Excel reads the Chinese) to send by SMS or mail.
func (s *Server) appraisalInviteList(w http.ResponseWriter, r *http.Request) {
	_, cards, ok := s.roundInvites(w, r)
	if !ok {
		return
	}
	p := s.printerOf(current(r).unit)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="invitations.csv"`)
	w.Write([]byte("\ufeff"))
	out := csv.NewWriter(w)
	out.Write([]string{p.Get("appraisal.group"), p.Get("appraisal.label"), p.Get("appraisal.link")})
	for _, c := range cards {
		out.Write([]string{p.Get("appraisal.group." + c.Group), csvSafe(c.Label), c.URL})
	}
	out.Flush()
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
		return "'" + v
	}
	return v
}
