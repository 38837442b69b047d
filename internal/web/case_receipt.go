package web

import (
	"html/template"
	"net/http"

	"wuliang/internal/cases"
	"wuliang/internal/items"
)

type receiptData struct {
	C         cases.Case
	Materials []items.Material // the item's checklist: what the counter takes in
	Thermal   bool             // 80 mm roll instead of A5
	RateURL   string           // empty once rated or past the rating window
	SMSURL    string           // the same link, for passing on by SMS or chat
	RateQR    template.URL
	TokenDays int
}

// caseReceipt is the 办事回执 the counter prints at acceptance or at
// completion and hands over: it carries the rating QR as long as the rules
// let the case be rated, so the citizen can rate when the matter is done.
func (s *Server) caseReceipt(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	c, _, _, ok := s.visibleCase(w, r)
	if !ok {
		return
	}
	d := receiptData{C: c, Thermal: r.URL.Query().Get("size") == "80mm"}
	if c.ItemID != 0 {
		it, err := s.items.Item(r.Context(), st.unit.ID, c.ItemID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Materials = it.Materials
	}
	days, err := s.ratings.Days(r.Context(), st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.TokenDays = days.Token
	// The same check the rating page makes: unknown, used or expired
	// tokens print no code that would only lead to a refusal.
	if tc, err := s.ratings.CaseByToken(r.Context(), st.unit.ID, c.RatingToken); err == nil && !tc.Rated {
		d.RateURL = s.publicURL(r) + "/r/" + c.RatingToken
		d.SMSURL = d.RateURL + "?via=sms"
		if d.RateQR, err = qrDataURL(d.RateURL); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.printPage(w, r, "print_receipt", "title.receipt", d)
}
