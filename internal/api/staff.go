package api

import (
	"errors"
	"net/http"
	"strconv"

	"wuliang/internal/org"
)

type staffJSON struct {
	org.Staff
	PhotoURL string `json:"photo_url"`
}

type staffPage struct {
	Total  int         `json:"total"`
	Limit  int         `json:"limit"`
	Offset int         `json:"offset"`
	Staff  []staffJSON `json:"staff"`
}

const (
	defaultLimit = 100
	maxLimit     = 1000
)

// staffList: GET /api/v1/staff?q=&department_id=&branch_id=&political_status=&active=&limit=&offset=
func (a *API) staffList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := org.StaffFilter{Query: q.Get("q"), PoliticalStatus: q.Get("political_status"), Limit: defaultLimit}
	var ok bool
	if f.DepartmentID, ok = queryID(r, "department_id"); !ok {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "department_id")
		return
	}
	if f.BranchID, ok = queryID(r, "branch_id"); !ok {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "branch_id")
		return
	}
	if f.Active, ok = queryActive(r); !ok {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "active")
		return
	}
	if f.Limit, f.Offset, ok = a.queryPage(w, r, defaultLimit, maxLimit); !ok {
		return
	}
	list, total, err := a.org.StaffList(r.Context(), unitOf(r), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	page := staffPage{Total: total, Limit: f.Limit, Offset: f.Offset, Staff: make([]staffJSON, 0, len(list))}
	for _, s := range list {
		page.Staff = append(page.Staff, toStaffJSON(s))
	}
	a.json(w, http.StatusOK, page)
}

func toStaffJSON(s org.Staff) staffJSON {
	return staffJSON{Staff: s, PhotoURL: "/api/v1/staff/" + strconv.FormatInt(s.ID, 10) + "/photo"}
}

// staffFromPath loads the key's unit's person named in the path, or answers 404.
func (a *API) staffFromPath(w http.ResponseWriter, r *http.Request) (org.Staff, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.error(w, http.StatusNotFound, "error.not_found")
		return org.Staff{}, false
	}
	s, err := a.org.Staff(r.Context(), unitOf(r), id)
	if err != nil {
		a.fail(w, r, err)
		return org.Staff{}, false
	}
	return s, true
}

// staffShow: GET /api/v1/staff/{id}
func (a *API) staffShow(w http.ResponseWriter, r *http.Request) {
	if s, ok := a.staffFromPath(w, r); ok {
		a.json(w, http.StatusOK, toStaffJSON(s))
	}
}

// departmentList: GET /api/v1/departments
func (a *API) departmentList(w http.ResponseWriter, r *http.Request) {
	list, err := a.org.Departments(r.Context(), unitOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if list == nil {
		list = []org.Department{}
	}
	a.json(w, http.StatusOK, map[string]any{"departments": list})
}

// branchList: GET /api/v1/branches
func (a *API) branchList(w http.ResponseWriter, r *http.Request) {
	list, err := a.org.Branches(r.Context(), unitOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if list == nil {
		list = []org.Branch{}
	}
	a.json(w, http.StatusOK, map[string]any{"branches": list})
}

// staffPhoto: GET /api/v1/staff/{id}/photo, the JPEG photo or an SVG
// placeholder, for badges and screens.
func (a *API) staffPhoto(w http.ResponseWriter, r *http.Request) {
	s, ok := a.staffFromPath(w, r)
	if !ok {
		return
	}
	data, err := a.org.Photo(r.Context(), unitOf(r), s.ID)
	if errors.Is(err, org.ErrNotFound) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write(org.PlaceholderPhoto(s))
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Write(data)
}
