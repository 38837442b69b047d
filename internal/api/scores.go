package api

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"wuliang/internal/period"
	"wuliang/internal/scoring"
)

// scoresPage is a published period's results at one level.
type scoresPage struct {
	Period        period.Period       `json:"period"`
	Version       int                 `json:"version"`
	SchemeVersion int                 `json:"scheme_version"`
	PublishedAt   *time.Time          `json:"published_at"`
	Level         scoring.Level       `json:"level"`
	Scheme        scoring.LevelScheme `json:"scheme"`
	Vetoes        []string            `json:"vetoes"`
	Tiers         scoring.Tiers       `json:"tiers"`
	Results       []scoring.Result    `json:"results"`
}

// published reads ?period= (the newest published by default) and ?level=
// (windows by default, or the path's level): only published results
// leave the unit through the API.
func (a *API) published(w http.ResponseWriter, r *http.Request, level string) (scoring.Frozen, scoring.Level, bool) {
	unitID := unitOf(r)
	if level == "" {
		level = string(scoring.Window)
	}
	if !slices.Contains(scoring.Levels, scoring.Level(level)) {
		a.error(w, http.StatusBadRequest, "api.bad_parameter", "level")
		return scoring.Frozen{}, "", false
	}
	code := r.URL.Query().Get("period")
	if code == "" {
		list, err := a.schemes.PublishedPeriods(r.Context(), unitID)
		if err != nil {
			a.fail(w, r, err)
			return scoring.Frozen{}, "", false
		}
		if len(list) == 0 {
			a.error(w, http.StatusNotFound, "api.no_published_scores")
			return scoring.Frozen{}, "", false
		}
		code = list[0].Period
	}
	f, err := a.schemes.Published(r.Context(), unitID, code)
	if err != nil {
		a.fail(w, r, err)
		return f, "", false
	}
	return f, scoring.Level(level), true
}

// scoreList: GET /api/v1/scores?period=2026-Q3&level=person|window|branch,
// a published period's results with every part, veto and adjustment.
func (a *API) scoreList(w http.ResponseWriter, r *http.Request) {
	f, level, ok := a.published(w, r, r.URL.Query().Get("level"))
	if !ok {
		return
	}
	ls, _ := f.Scores.LevelScheme(level)
	a.json(w, http.StatusOK, scoresPage{Period: f.Scores.Period, Version: f.Version, SchemeVersion: f.SchemeVersion, PublishedAt: f.PublishedAt,
		Level: level, Scheme: ls, Vetoes: f.Scores.Scheme.Vetoes, Tiers: f.Scores.Scheme.Tiers, Results: orEmpty(f.Scores.Levels[level])})
}

// scoreShow: GET /api/v1/scores/{level}/{id}?period=…, one subject's
// published result with the dated facts behind each indicator, and the
// indicators whose facts changed since the period was frozen.
func (a *API) scoreShow(w http.ResponseWriter, r *http.Request) {
	f, level, ok := a.published(w, r, r.PathValue("level"))
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		a.error(w, http.StatusNotFound, "error.not_found")
		return
	}
	ex, err := a.scoring.Explain(r.Context(), unitOf(r), f.Scores, level, id, true)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ls, _ := f.Scores.LevelScheme(level)
	a.json(w, http.StatusOK, map[string]any{"period": f.Scores.Period, "version": f.Version, "scheme_version": f.SchemeVersion,
		"level": level, "scheme": ls, "result": ex.Result, "facts": ex.Facts, "moved_since_frozen": orEmpty(ex.Moved)})
}

func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
