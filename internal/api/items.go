package api

import (
	"errors"
	"net/http"
	"strconv"

	"wuliang/internal/items"
)

// itemList: GET /api/v1/items?q=&window_id=&active=true|false|all
func (a *API) itemList(w http.ResponseWriter, r *http.Request) {
	f := items.Filter{Query: r.URL.Query().Get("q")}
	var ok bool
	if f.DepartmentID, ok = queryID(r, "window_id"); !ok {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "window_id")
		return
	}
	if f.Active, ok = queryActive(r); !ok {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "active")
		return
	}
	list, err := a.items.List(r.Context(), unitOf(r), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if list == nil {
		list = []items.Item{}
	}
	a.json(w, http.StatusOK, map[string]any{"items": list})
}

// itemShow: GET /api/v1/items/{id}
func (a *API) itemShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.error(w, http.StatusNotFound, "error.not_found")
		return
	}
	it, err := a.items.Item(r.Context(), unitOf(r), id)
	if errors.Is(err, items.ErrNotFound) {
		a.error(w, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.json(w, http.StatusOK, it)
}
