package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"wuliang/internal/accounts"
	"wuliang/internal/cases"
	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// caseForm is the registration form as typed.
type caseForm struct {
	cases.Registration
	Channels []string
	Staff    []org.Staff // whom a manager may register for; empty for staff
	Items    []items.Item
	Me       string
	Nonce    string // names this form: submitting it twice registers one case
}

func nonce() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) showCaseForm(w http.ResponseWriter, r *http.Request, status int, f caseForm, ps locale.Problems) {
	st := current(r)
	active := true
	list, err := s.items.List(r.Context(), st.unit.ID, items.Filter{Active: &active})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Items, f.Channels = list, cases.Channels
	if st.user.IsAdmin() || st.user.Role == accounts.RoleWindowLead {
		staff, _, err := s.org.StaffList(r.Context(), st.unit.ID, org.StaffFilter{Active: &active, Limit: 2000})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, p := range staff {
			if st.user.IsAdmin() || p.DepartmentID == st.user.DepartmentID || p.ID == st.user.StaffID {
				f.Staff = append(f.Staff, p)
			}
		}
	}
	if st.user.StaffID != 0 {
		if me, err := s.org.Staff(r.Context(), st.unit.ID, st.user.StaffID); err == nil {
			f.Me = me.Name
		}
	}
	s.render(w, r, status, "case_form", "title.case_new", f, ps)
}

func (s *Server) caseNew(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	f := caseForm{Registration: cases.Registration{FirstContactID: st.user.StaffID, Channel: "counter", ItemID: formID(r, "item")}}
	f.Nonce = nonce()
	s.showCaseForm(w, r, http.StatusOK, f, nil)
}

// caseCreate registers a matter; the first contact is the user unless a
// manager names someone else.
func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	f := caseForm{Registration: cases.Registration{FirstContactID: st.user.StaffID, ItemID: formID(r, "item"), Matter: r.PostFormValue("matter"),
		RecipientName: r.PostFormValue("recipient_name"), RecipientPhone: r.PostFormValue("recipient_phone"), Channel: r.PostFormValue("channel"),
		Notes: r.PostFormValue("notes")}}
	if id := formID(r, "first_contact"); id != 0 {
		f.FirstContactID = id
	}
	if f.Nonce = strings.TrimSpace(r.PostFormValue("nonce")); f.Nonce != "" && len(f.Nonce) <= 64 {
		f.RequestKey = "web:" + itoa(st.user.ID) + ":" + f.Nonce
	}
	c, err := s.cases.Register(r.Context(), actorOf(r), st.user, st.unit.ID, f.Registration)
	if errors.Is(err, cases.ErrForbidden) {
		err = locale.FieldProblem("first_contact", "case.not_yours")
	}
	if ps, ok := locale.AsProblems(err); ok {
		s.showCaseForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/cases/"+itoa(c.ID), "flash.case_registered")
}
