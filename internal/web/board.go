package web

import (
	"net/http"

	"wuliang/internal/commitments"
	"wuliang/internal/org"
)

// The party-member notice board (党员公示栏) of a branch: every member and
// probationary member with photo, post, window and current commitments. It
// is public, like the board in the hall, and prints as an A3 poster.

type boardMember struct {
	Person      publicPerson
	Commitments []commitments.Commitment
}

type boardData struct {
	Branch   org.Branch
	Members  []boardMember
	Branches []org.Branch
	Print    bool
}

func (s *Server) portalBoard(w http.ResponseWriter, r *http.Request) {
	u, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	id, _ := pathID(r, "id")
	b, err := s.org.Branch(r.Context(), u.ID, id)
	if err != nil || !b.Active {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	d := boardData{Branch: b, Print: r.URL.Query().Get("print") == "1"}
	active := true
	staff, _, err := s.org.StaffList(r.Context(), u.ID, org.StaffFilter{BranchID: b.ID, Active: &active})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	public, err := s.publicCommitments(r, u, commitments.Filter{BranchID: b.ID, OwnerKind: commitments.OwnerStaff})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byPerson := map[int64][]commitments.Commitment{}
	for _, c := range public {
		if c.State == commitments.StatePublic {
			byPerson[c.StaffID] = append(byPerson[c.StaffID], c)
		}
	}
	for _, p := range staff {
		if p.IsPartyMember() {
			d.Members = append(d.Members, boardMember{Person: toPublic(p), Commitments: byPerson[p.ID]})
		}
	}
	title := b.Name + s.printerOf(u).Get("board.title")
	if !d.Print {
		s.renderPublic(w, r, u, "portal_board", title, d)
		return
	}
	p := page{Public: true, Title: title, Unit: u, Path: r.URL.Path, RawQuery: r.URL.RawQuery, D: d, printer: s.printerOf(u)}
	if r.URL.Query().Get("format") == "pdf" {
		// A PDF starts a browser on the server: only for logged-in users,
		// so the public cannot keep the print slots busy.
		if !current(r).loggedIn {
			s.errorPage(w, r, http.StatusUnauthorized, "error.login_required")
			return
		}
		s.sendPDF(w, r, "print_board", p)
		return
	}
	s.write(w, r, http.StatusOK, "print_board", p)
}
