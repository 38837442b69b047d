package api

import (
	"net/http"

	"wuliang/internal/apikeys"
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

// ratingCreate: POST /api/v1/ratings from a rating device. 201 only once
// the rating is durably stored.
func (a *API) ratingCreate(w http.ResponseWriter, r *http.Request) {
	var in ratingRequest
	if !a.decode(w, r, &in) {
		return
	}
	if in.Channel == "" {
		in.Channel = ratings.ChannelDevice
	}
	k, _ := r.Context().Value(keyContext{}).(apikeys.Key)
	rating, err := a.ratings.Submit(r.Context(), unitOf(r), ratings.Input{Token: in.Token, StaffID: in.StaffID, DepartmentID: in.WindowID,
		Level: in.Level, Reasons: in.Reasons, Comment: in.Comment, Channel: in.Channel, Device: "key:" + k.Prefix})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.json(w, http.StatusCreated, rating)
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
