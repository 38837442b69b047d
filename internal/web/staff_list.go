package web

import (
	"net/http"
	"net/url"
	"strconv"

	"wuliang/internal/org"
)

const staffPageSize = 50

type staffListData struct {
	Staff       []org.Staff
	Total       int
	Query       string
	Department  int64
	Branch      int64
	Status      string
	ShowLeft    bool
	Departments []org.Department
	Branches    []org.Branch
	Page, Pages int
	PrevURL     string
	NextURL     string
	Statuses    []string
}

// staffList is the staff directory with search by name, employee number,
// post or department, and filters.
func (s *Server) staffList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	ctx := r.Context()
	q := r.URL.Query()
	d := staffListData{
		Query: q.Get("q"), Department: formID(r, "department"), Branch: formID(r, "branch"),
		Status: q.Get("status"), ShowLeft: q.Get("left") == "1", Statuses: org.PoliticalStatuses,
	}
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = max(d.Page, 1)
	active := !d.ShowLeft
	f := org.StaffFilter{Query: d.Query, DepartmentID: d.Department, BranchID: d.Branch, PoliticalStatus: d.Status,
		Active: &active, Limit: staffPageSize, Offset: (d.Page - 1) * staffPageSize}
	scopeStaffFilter(st.user, &f)
	var err error
	if d.Staff, d.Total, err = s.org.StaffList(ctx, st.unit.ID, f); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Departments, err = s.org.Departments(ctx, st.unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Branches, err = s.org.Branches(ctx, st.unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pages = max(1, (d.Total+staffPageSize-1)/staffPageSize)
	pageURL := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return "/staff?" + v.Encode()
	}
	if d.Page > 1 {
		d.PrevURL = pageURL(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = pageURL(d.Page + 1)
	}
	s.render(w, r, http.StatusOK, "staff_list", "title.staff", d, nil)
}
