package web

import (
	"net/http"

	"wuliang/internal/commitments"
	"wuliang/internal/org"
)

type commitmentListData struct {
	ToApprove []commitments.Commitment
	Mine      []commitments.Commitment
	State     string
	States    []string
}

// commitmentList shows the commitments the user may see, and those waiting
// for the user's approval first.
func (s *Server) commitmentList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	d := commitmentListData{State: r.URL.Query().Get("state"),
		States: []string{commitments.StateDraft, commitments.StateSubmitted, commitments.StateReturned, commitments.StatePublic, commitments.StateClosed}}
	f := commitments.Filter{ScopeOf: &st.user, Today: org.Today(st.unit.Timezone)}
	if d.State != "" {
		f.States = []string{d.State}
	}
	all, err := s.commitments.List(r.Context(), st.unit.ID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	waiting, err := s.commitments.List(r.Context(), st.unit.ID, commitments.Filter{States: []string{commitments.StateSubmitted}, Today: f.Today})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range waiting {
		if commitments.CanApprove(st.user, c) {
			d.ToApprove = append(d.ToApprove, c)
		}
	}
	d.Mine = all
	s.render(w, r, http.StatusOK, "commitments", "title.commitments", d, nil)
}
