package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"wuliang/internal/fiveappraisal"
	"wuliang/internal/reviews"
)

// reviewList: GET /api/v1/reviews?month=2026-10, the published monthly
// review meetings of a month (last month by default) with every review.
func (a *API) reviewList(w http.ResponseWriter, r *http.Request) {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = time.Now().AddDate(0, -1, 0).Format("2006-01")
	}
	m, ok := reviews.ParseMonth(month)
	if !ok {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "month")
		return
	}
	list, err := a.reviews.Month(r.Context(), unitOf(r), m.Format("2006-01"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if list == nil {
		list = []reviews.Meeting{}
	}
	a.json(w, http.StatusOK, map[string]any{"month": m.Format("2006-01"), "meetings": list})
}

// fiveRoundList: GET /api/v1/appraisal-rounds, the unit's 五评 rounds.
func (a *API) fiveRoundList(w http.ResponseWriter, r *http.Request) {
	list, err := a.five.List(r.Context(), unitOf(r), false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	type round struct {
		fiveappraisal.Round
		State string `json:"state"`
	}
	out := []round{}
	for _, x := range list {
		out = append(out, round{Round: x, State: x.State(time.Now())})
	}
	a.json(w, http.StatusOK, map[string]any{"rounds": out})
}

// fiveResults: GET /api/v1/appraisal-rounds/{id}/results, published rounds
// only: per person each part's score, the total and the confirmed grade.
// Peer grades are a score and a count; nothing says who gave them.
func (a *API) fiveResults(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.error(w, http.StatusNotFound, "error.not_found")
		return
	}
	round, err := a.five.Get(r.Context(), unitOf(r), id)
	if errors.Is(err, fiveappraisal.ErrNotFound) || (err == nil && round.PublishedAt == nil) {
		a.error(w, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	list, err := a.five.Results(r.Context(), unitOf(r), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	type person struct {
		StaffID   int64               `json:"staff_id"`
		Name      string              `json:"name"`
		Branch    string              `json:"branch,omitempty"`
		Rank      int                 `json:"rank,omitempty"`
		Scores    map[string]*float64 `json:"scores"`
		PeerVotes int                 `json:"peer_votes"`
		Total     *float64            `json:"total"`
		Grade     string              `json:"grade"`
	}
	out := []person{}
	for _, x := range list {
		p := person{StaffID: x.StaffID, Name: x.Name, Branch: x.Branch, Rank: x.Rank, Scores: map[string]*float64{}, PeerVotes: x.PeerVotes,
			Total: points(x.Total), Grade: x.Grade}
		for i, part := range fiveappraisal.Parts {
			p.Scores[part] = points(x.Scores[i])
		}
		out = append(out, p)
	}
	a.json(w, http.StatusOK, map[string]any{"round": round, "results": out})
}

func points(centi *int) *float64 {
	if centi == nil {
		return nil
	}
	v := centiPoints(*centi)
	return &v
}
