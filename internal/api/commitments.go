package api

import (
	"net/http"
	"slices"

	"wuliang/internal/commitments"
	"wuliang/internal/org"
)

// commitmentList: GET /api/v1/commitments?person=&window=&branch=&status=open|kept|partly|broken
// Only approved commitments: drafts and those waiting for approval are not
// public, so machines do not see them either.
func (a *API) commitmentList(w http.ResponseWriter, r *http.Request) {
	f := commitments.Filter{States: []string{commitments.StatePublic, commitments.StateClosed}}
	var ok bool
	for _, p := range []struct {
		name string
		into *int64
	}{{"person", &f.StaffID}, {"window", &f.DepartmentID}, {"branch", &f.BranchID}} {
		if *p.into, ok = queryID(r, p.name); !ok {
			a.error(w, http.StatusBadRequest, "api.bad_parameter", p.name)
			return
		}
	}
	status := r.URL.Query().Get("status")
	if status != "" && status != "open" && !slices.Contains(commitments.Outcomes, status) {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "status")
		return
	}
	unit, err := a.org.Unit(r.Context(), unitOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	f.Today = org.Today(unit.Timezone)
	list, err := a.commitments.List(r.Context(), unit.ID, f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	type item struct {
		commitments.Commitment
		Status string `json:"status"`
	}
	out := []item{}
	for _, c := range list {
		if status == "" || c.Status() == status {
			out = append(out, item{Commitment: c, Status: c.Status()})
		}
	}
	a.json(w, http.StatusOK, map[string]any{"commitments": out})
}
