package web

import (
	"net/http"
	"net/url"

	"wuliang/internal/commitments"
	"wuliang/internal/org"
)

type commitmentShowData struct {
	C           commitments.Commitment
	Fulfilments []commitments.Fulfilment
	CanEdit     bool
	CanApprove  bool
	CanFulfil   bool
	Outcomes    []string
	Today       string
}

// visibleCommitment loads the commitment in the path if the user may see it
// (everyone may see public ones), and answers 404 otherwise.
func (s *Server) visibleCommitment(w http.ResponseWriter, r *http.Request) (commitments.Commitment, bool) {
	st := current(r)
	id, _ := pathID(r, "id")
	c, _, err := s.commitments.Get(r.Context(), st.unit.ID, id, org.Today(st.unit.Timezone))
	if err != nil {
		s.commitmentFailed(w, r, err)
		return c, false
	}
	public := c.State == commitments.StatePublic || c.State == commitments.StateClosed
	if !public && !commitments.CanSee(st.user, c) && !commitments.CanApprove(st.user, c) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return c, false
	}
	return c, true
}

func (s *Server) commitmentShow(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	c, ok := s.visibleCommitment(w, r)
	if !ok {
		return
	}
	today := org.Today(st.unit.Timezone)
	_, fs, err := s.commitments.Get(r.Context(), st.unit.ID, c.ID, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := commitmentShowData{C: c, Fulfilments: fs, CanEdit: commitments.CanEdit(st.user, c), CanApprove: commitments.CanApprove(st.user, c),
		CanFulfil: commitments.CanFulfil(st.user, c), Outcomes: commitments.Outcomes, Today: today}
	s.render(w, r, http.StatusOK, "commitment_show", "title.commitment", d, nil)
}

// fulfilmentFile sends a fulfilment's evidence to someone who may see its
// commitment, as a download so that nothing in it runs in the page.
func (s *Server) fulfilmentFile(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	name, ctype, data, cid, err := s.commitments.File(r.Context(), st.unit.ID, id)
	if err != nil {
		s.commitmentFailed(w, r, err)
		return
	}
	r.SetPathValue("id", itoa(cid))
	if _, ok := s.visibleCommitment(w, r); !ok {
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}
