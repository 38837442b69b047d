package web

import (
	"errors"
	"net/http"

	"wuliang/internal/scoring"
)

type portalScoresData struct {
	Periods []scoring.Frozen // the published periods, newest first
	Frozen  scoring.Frozen
	Scheme  scoring.LevelScheme
	Rows    []scoring.Result
	Inputs  scoring.Values
	Vetoes  []string
	Tiers   scoring.Tiers
}

// portalScores is the public formula (公示): for a published period, the
// scheme that scored it and each window's indicator values, enough for
// anyone to recompute a window's total.
func (s *Server) portalScores(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	var d portalScoresData
	var err error
	if d.Periods, err = s.schemes.PublishedPeriods(r.Context(), unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	title := s.printerOf(unit).Get("title.portal_scores")
	if len(d.Periods) == 0 {
		s.renderPublic(w, r, unit, "portal_scores", title, d)
		return
	}
	code := r.URL.Query().Get("period")
	if code == "" {
		code = d.Periods[0].Period
	}
	if d.Frozen, err = s.schemes.Published(r.Context(), unit.ID, code); err != nil {
		if errors.Is(err, scoring.ErrNotFound) {
			s.errorPage(w, r, http.StatusNotFound, "error.not_found")
			return
		}
		s.fail(w, r, err)
		return
	}
	sc := d.Frozen.Scores
	d.Scheme, _ = sc.LevelScheme(scoring.Window)
	d.Rows, d.Inputs, d.Vetoes, d.Tiers = sc.Levels[scoring.Window], sc.Inputs[scoring.Window], sc.Scheme.Vetoes, sc.Scheme.Tiers
	s.renderPublic(w, r, unit, "portal_scores", title, d)
}
