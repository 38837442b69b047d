package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
)

// scoreView is one period's results as a page shows them: live, or one
// frozen version.
type scoreView struct {
	Period   period.Period
	Periods  []string
	Level    scoring.Level
	Levels   []scoring.Level
	Scores   scoring.Scores
	Frozen   *scoring.Frozen  // the version shown, when it is frozen
	Versions []scoring.Frozen // the period's frozen versions, newest first
	Live     bool             // the facts as they are now, not a frozen version
	Changes  []scoring.Change // what this version changed against the one before
	Warnings []scoring.Warning
	Scheme   scoring.LevelScheme
	Shown    []scoring.Result
	CanOpen  map[int64]bool
	Office   bool
}

// lastQuarter is the quarter before this one: what the office freezes.
func lastQuarter(unit org.Unit) period.Period {
	loc := org.Location(unit.Timezone)
	q := period.QuarterOf(database.Now(), loc)
	return period.QuarterOf(q.From.AddDate(0, 0, -1), loc)
}

// loadScores reads ?period= (the last full quarter by default), ?version=
// (a frozen version; the newest by default) or ?live=1, and ?level=.
func (s *Server) loadScores(r *http.Request, unit org.Unit) (scoreView, error) {
	q := r.URL.Query()
	loc := org.Location(unit.Timezone)
	v := scoreView{Period: lastQuarter(unit), Periods: periodChoices(loc), Level: scoring.Level(q.Get("level")), Levels: scoring.Levels}
	if code := q.Get("period"); code != "" {
		p, err := period.Parse(code, loc)
		if err != nil {
			return v, err
		}
		v.Period = p
	}
	if !slices.Contains(scoring.Levels, v.Level) {
		v.Level = scoring.Window
	}
	ctx := r.Context()
	var err error
	if v.Versions, err = s.schemes.FrozenVersions(ctx, unit.ID, v.Period.Code); err != nil {
		return v, err
	}
	version, _ := strconv.Atoi(q.Get("version"))
	switch {
	case q.Get("live") == "1" || len(v.Versions) == 0:
		v.Live = true
		v.Scores, err = s.scoring.Score(ctx, unit.ID, v.Period)
	default:
		if version == 0 {
			version = v.Versions[0].Version
		}
		var f scoring.Frozen
		if f, err = s.schemes.FrozenVersion(ctx, unit.ID, v.Period.Code, version); err == nil {
			v.Frozen, v.Scores = &f, f.Scores
			if version > 1 {
				prev, err := s.schemes.FrozenVersion(ctx, unit.ID, v.Period.Code, version-1)
				if err != nil {
					return v, err
				}
				v.Changes = scoring.Diff(prev.Scores, f.Scores)
			}
		}
	}
	if err != nil {
		return v, err
	}
	v.Scheme, _ = v.Scores.LevelScheme(v.Level)
	return v, nil
}

// mayOpenScore says who may open a subject's score: the office; a person
// their own; a branch secretary their branch and its people; a window lead
// their window and its people.
func mayOpenScore(u accounts.User, level scoring.Level, id int64, staff map[int64]org.Staff) bool {
	switch level {
	case scoring.Person:
		return mayExplain(u, staff[id])
	case scoring.Window:
		return u.IsAdmin() || (u.Role == accounts.RoleWindowLead && u.DepartmentID == id)
	}
	return u.IsAdmin() || (u.Role == accounts.RoleBranchSecretary && u.BranchID == id)
}

// staffByID indexes the unit's people, for scope checks.
func (s *Server) staffByID(r *http.Request, unitID int64) (map[int64]org.Staff, error) {
	list, _, err := s.org.StaffList(r.Context(), unitID, org.StaffFilter{})
	out := map[int64]org.Staff{}
	for _, p := range list {
		out[p.ID] = p
	}
	return out, err
}

// scoreList is 五创's results: the office sees every subject, a secretary
// or window lead their own people (ranks stay the unit's), a person is
// taken to their own score.
func (s *Server) scoreList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	u := st.user
	if !u.IsAdmin() && u.Role != accounts.RoleBranchSecretary && u.Role != accounts.RoleWindowLead {
		if u.StaffID == 0 {
			s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
			return
		}
		http.Redirect(w, r, "/scores/person/"+itoa(u.StaffID)+"?"+r.URL.RawQuery, http.StatusSeeOther)
		return
	}
	v, err := s.loadScores(r, st.unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	staff, err := s.staffByID(r, st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Office, v.CanOpen = u.IsAdmin(), map[int64]bool{}
	for _, res := range v.Scores.Levels[v.Level] {
		if mayOpenScore(u, v.Level, res.Subject.ID, staff) {
			v.CanOpen[res.Subject.ID] = true
			v.Shown = append(v.Shown, res)
		}
	}
	if v.Office {
		v.Warnings = scoring.Warnings(v.Scores)
	}
	s.render(w, r, http.StatusOK, "scores", "title.scores", v, nil)
}

// scoreFreeze keeps the period's live results as its next version; after
// the first, with the note that says what was corrected.
func (s *Server) scoreFreeze(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	p, err := period.Parse(r.PostFormValue("period"), org.Location(st.unit.Timezone))
	var sc scoring.Scores
	if err == nil {
		versions, verr := s.schemes.FrozenVersions(r.Context(), st.unit.ID, p.Code)
		switch {
		case verr != nil:
			err = verr
		case len(versions) > 0:
			// a correction keeps the frozen scheme: the difference is the facts'
			sc, err = s.scoring.Rescore(r.Context(), st.unit.ID, p, versions[0].SchemeVersion)
		default:
			sc, err = s.scoring.Score(r.Context(), st.unit.ID, p)
		}
	}
	if err == nil {
		sc, err = s.scoring.WithFacts(r.Context(), st.unit.ID, sc)
	}
	var f scoring.Frozen
	if err == nil {
		f, err = s.schemes.Freeze(r.Context(), actorOf(r), st.unit.ID, sc, r.PostFormValue("note"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/scores?period="+url.QueryEscape(p.Code)+"&version="+strconv.Itoa(f.Version), "flash.scores_frozen")
}

// scorePublish makes a frozen version the period's public one.
func (s *Server) scorePublish(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	code := r.PostFormValue("period")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if err := s.schemes.Publish(r.Context(), actorOf(r), st.unit.ID, code, version); err != nil {
		if errors.Is(err, scoring.ErrNotFound) {
			s.errorPage(w, r, http.StatusNotFound, "error.not_found")
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/scores?period="+url.QueryEscape(code)+"&version="+strconv.Itoa(version), "flash.scores_published")
}

// levelWords is the catalogue as the unit speaks, for the workbook.
func (s *Server) levelWords(unit org.Unit) func(string, ...any) string {
	return s.printerOf(unit).Get
}
