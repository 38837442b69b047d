package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"wuliang/internal/cases"
	"wuliang/internal/org"
)

type caseListData struct {
	Cases      []cases.Case
	Total      int
	Page, Last int
	Referred   []cases.Case // waiting for this user's acknowledgement
	Red        int
	Yellow     int
	State      string
	Signal     string
	WindowID   int64
	Query      string
	Mine       bool
	States     []string
	Windows    []org.Department
	CanAdd     bool
	PageQuery  string // the filters, for the pager's links
}

const casesPerPage = 50

// caseList shows the cases the user may see, newest first, with the red
// and yellow cards counted first.
func (s *Server) caseList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	q := r.URL.Query()
	d := caseListData{State: q.Get("state"), Signal: q.Get("signal"), WindowID: formID(r, "window"), Query: q.Get("q"),
		Mine: q.Get("mine") == "1", States: cases.States, CanAdd: st.user.StaffID != 0 || st.user.IsAdmin()}
	if !slices.Contains(cases.States, d.State) {
		d.State = ""
	}
	if d.Signal != cases.SignalRed && d.Signal != cases.SignalYellow {
		d.Signal = ""
	}
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = max(d.Page, 1)
	f := cases.Filter{State: d.State, Signal: d.Signal, DepartmentID: d.WindowID, Query: d.Query, ScopeOf: &st.user,
		Limit: casesPerPage, Offset: (d.Page - 1) * casesPerPage}
	if d.Mine {
		f.StaffID = st.user.StaffID
	}
	var err error
	if d.Cases, d.Total, err = s.cases.List(r.Context(), st.unit.ID, f); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Last = max((d.Total+casesPerPage-1)/casesPerPage, 1)
	for _, sig := range []string{cases.SignalRed, cases.SignalYellow} {
		_, n, err := s.cases.List(r.Context(), st.unit.ID, cases.Filter{Signal: sig, ScopeOf: &st.user, Limit: 1})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if sig == cases.SignalRed {
			d.Red = n
		} else {
			d.Yellow = n
		}
	}
	if st.user.StaffID != 0 {
		referred, _, err := s.cases.List(r.Context(), st.unit.ID, cases.Filter{State: cases.StateReferred, StaffID: st.user.StaffID, Limit: 100})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, c := range referred {
			if c.ReferredTo == st.user.StaffID {
				d.Referred = append(d.Referred, c)
			}
		}
	}
	if d.Windows, err = s.org.Departments(r.Context(), st.unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	pq := url.Values{}
	for k, v := range map[string]string{"state": d.State, "signal": d.Signal, "q": d.Query} {
		if v != "" {
			pq.Set(k, v)
		}
	}
	if d.WindowID != 0 {
		pq.Set("window", itoa(d.WindowID))
	}
	if d.Mine {
		pq.Set("mine", "1")
	}
	d.PageQuery = pq.Encode()
	s.render(w, r, http.StatusOK, "cases", "title.cases", d, nil)
}
