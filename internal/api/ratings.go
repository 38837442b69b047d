package api

import (
	"net/http"

	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
)

type ratingRequest struct {
	Token    string   `json:"token"`
	StaffID  int64    `json:"staff_id"`
	WindowID int64    `json:"window_id"`
	Level    int      `json:"level"`
	Reasons  []string `json:"reasons"`
	Comment  string   `json:"comment"`
	Channel  string   `json:"channel"`
}

// ratingCreate: POST /api/v1/ratings from a rating device registered to a
// window. With a case's token it rates that case; without, only its window
// or a person serving there, at most once every ratings.DeviceEvery. 201
// only once the rating is durably stored.
func (a *API) ratingCreate(w http.ResponseWriter, r *http.Request) {
	var in ratingRequest
	if !a.decode(w, r, &in) {
		return
	}
	k := keyOf(r)
	if in.Channel != "" && in.Channel != ratings.ChannelDevice {
		a.error(w, http.StatusBadRequest, "api.device_channel")
		return
	}
	rating, err := a.ratings.Submit(r.Context(), k.UnitID, ratings.Input{Token: in.Token, StaffID: in.StaffID, DepartmentID: in.WindowID,
		Level: in.Level, Reasons: in.Reasons, Comment: in.Comment, Channel: ratings.ChannelDevice, Device: "key:" + k.Prefix,
		DeviceWindow: k.WindowID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.json(w, http.StatusCreated, rating)
}

// exchange: GET /api/v1/exchange?period=2026-11 for the provincial 好差评
// platform: the period's ratings as the national standard's records.
func (a *API) exchange(w http.ResponseWriter, r *http.Request) {
	unit, err := a.org.Unit(r.Context(), unitOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	loc := org.Location(unit.Timezone)
	p, err := period.Parse(r.URL.Query().Get("period"), loc)
	if err != nil {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "period")
		return
	}
	records, err := a.ratings.Exchange(r.Context(), unit.ID, p.From, p.To, loc)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if records == nil {
		records = []ratings.Record{}
	}
	a.json(w, http.StatusOK, map[string]any{"period": p.Code, "records": records})
}

// ratingList: GET /api/v1/ratings?period=2026-11|2026-Q4&person=&window=&case=&limit=&offset=
func (a *API) ratingList(w http.ResponseWriter, r *http.Request) {
	var f ratings.Filter
	var ok bool
	for _, p := range []struct {
		name string
		into *int64
	}{{"person", &f.StaffID}, {"window", &f.DepartmentID}, {"case", &f.CaseID}} {
		if *p.into, ok = queryID(r, p.name); !ok {
			a.error(w, http.StatusBadRequest, "api.bad_parameter", p.name)
			return
		}
	}
	if v := r.URL.Query().Get("period"); v != "" {
		unit, err := a.org.Unit(r.Context(), unitOf(r))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		p, err := period.Parse(v, org.Location(unit.Timezone))
		if err != nil {
			a.error(w, http.StatusBadRequest, "api.bad_parameter", "period")
			return
		}
		f.From, f.To = p.From, p.To
	}
	if f.Limit, f.Offset, ok = a.queryPage(w, r, defaultLimit, maxLimit); !ok {
		return
	}
	list, total, err := a.ratings.List(r.Context(), unitOf(r), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if list == nil {
		list = []ratings.Rating{}
	}
	a.json(w, http.StatusOK, map[string]any{"total": total, "limit": f.Limit, "offset": f.Offset, "ratings": list})
}
