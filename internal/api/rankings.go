package api

import (
	"net/http"
	"time"

	"wuliang/internal/activities"
	"wuliang/internal/org"
	"wuliang/internal/period"
)

// rankingList: GET /api/v1/rankings?period=2026-Q3&dimension=quality, the
// 五比 ranking of a month, quarter or year (this quarter by default) on one
// of the five dimensions or the total (the default): people with their
// ranks in the unit, branch and window, windows and branches by points per
// head, each with its tier. For the hall screen and other systems.
func (a *API) rankingList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	unit, err := a.org.Unit(ctx, unitOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	loc := org.Location(unit.Timezone)
	p := period.QuarterOf(time.Now(), loc)
	if code := r.URL.Query().Get("period"); code != "" {
		if p, err = period.Parse(code, loc); err != nil {
			a.error(w, http.StatusBadRequest, "api.bad_parameter", "period")
			return
		}
	}
	dim := r.URL.Query().Get("dimension")
	if dim == "" {
		dim = activities.Total
	}
	if _, err := a.activities.SyncConduct(ctx, unit.ID, loc); err != nil {
		a.fail(w, r, err)
		return
	}
	rk, err := a.activities.Rank(ctx, unit.ID, p, dim)
	if err != nil {
		if dim != activities.Total {
			a.error(w, http.StatusBadRequest, "api.bad_parameter", "dimension")
			return
		}
		a.fail(w, r, err)
		return
	}
	type person struct {
		Rank         int                `json:"rank"`
		StaffID      int64              `json:"staff_id"`
		Name         string             `json:"name"`
		Window       string             `json:"window,omitempty"`
		Branch       string             `json:"branch,omitempty"`
		Points       float64            `json:"points"`
		Dimensions   map[string]float64 `json:"dimensions"`
		Total        float64            `json:"total"`
		RankInBranch int                `json:"rank_in_branch,omitempty"`
		RankInWindow int                `json:"rank_in_window,omitempty"`
		Tier         string             `json:"tier"`
	}
	type group struct {
		Rank    int     `json:"rank"`
		ID      int64   `json:"id"`
		Name    string  `json:"name"`
		Heads   int     `json:"heads"`
		Total   float64 `json:"total"`
		Average float64 `json:"average"`
		Tier    string  `json:"tier"`
	}
	people := []person{}
	for _, x := range rk.People {
		p := person{Rank: x.Rank, StaffID: x.StaffID, Name: x.Name, Window: x.Window, Branch: x.Branch, Points: centiPoints(x.Points),
			Dimensions: map[string]float64{}, Total: centiPoints(x.Score.Total), RankInBranch: x.RankInBranch, RankInWindow: x.RankInWindow, Tier: x.Tier}
		for i, d := range activities.Dimensions {
			p.Dimensions[d] = centiPoints(x.Score.Dims[i])
		}
		people = append(people, p)
	}
	groups := func(list []activities.Group) []group {
		out := []group{}
		for _, g := range list {
			out = append(out, group{Rank: g.Rank, ID: g.ID, Name: g.Name, Heads: g.Heads, Total: centiPoints(g.Total), Average: centiPoints(g.Average), Tier: g.Tier})
		}
		return out
	}
	a.json(w, http.StatusOK, map[string]any{"period": rk.Period, "dimension": rk.Dimension, "tiers": rk.Settings,
		"people": people, "windows": groups(rk.Windows), "branches": groups(rk.Branches)})
}

// centiPoints turns hundredths into points for JSON.
func centiPoints(c int) float64 { return float64(c) / 100 }
