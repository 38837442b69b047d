package web

import (
	"net/http"

	"wuliang/internal/honours"
	"wuliang/internal/scoring"
)

type honourData struct {
	Kinds     []honours.Kind
	Kind      honours.Kind
	Periods   []scoring.Frozen // the published periods, newest first
	Period    string
	Shortlist *honours.Shortlist
}

// honourList is the office's honours: the kinds the unit awards and, for
// one kind and a published period, the shortlist its rule draws, with
// everyone it left out and why.
func (s *Server) honourList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	var d honourData
	var err error
	if d.Kinds, err = s.honours.Kinds(r.Context(), st.unit.ID); err == nil {
		d.Periods, err = s.schemes.PublishedPeriods(r.Context(), st.unit.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Kind = d.Kinds[0]
	if id := formID(r, "kind"); id != 0 {
		if d.Kind, err = s.honours.Kind(r.Context(), st.unit.ID, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.Period = r.URL.Query().Get("period")
	if d.Period == "" && len(d.Periods) > 0 {
		d.Period = d.Periods[0].Period
	}
	if d.Period != "" {
		sl, err := s.honours.Shortlist(r.Context(), st.unit.ID, d.Kind.ID, d.Period)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Shortlist = &sl
	}
	s.render(w, r, http.StatusOK, "honours", "title.honours", d, nil)
}
