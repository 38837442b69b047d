package web

import (
	"net/http"
	"strconv"

	"wuliang/internal/activities"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type contestData struct {
	List    []activities.Contest
	Kinds   []activities.Kind
	Input   activities.ContestInput
	Contest activities.Contest
	People  []org.Staff
	Typed   map[int64]string
}

// contestList: the office's contests and the form to hold one.
func (s *Server) contestList(w http.ResponseWriter, r *http.Request) {
	s.contestListPage(w, r, http.StatusOK, activities.ContestInput{}, nil)
}

func (s *Server) contestListPage(w http.ResponseWriter, r *http.Request, status int, in activities.ContestInput, ps locale.Problems) {
	st := current(r)
	d := contestData{Input: in}
	var err error
	if d.List, err = s.activities.Contests(r.Context(), st.unit.ID); err == nil {
		d.Kinds, err = s.activities.KindsOf(r.Context(), st.unit.ID, activities.FormContest)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "activity_contests", "title.activity_contests", d, ps)
}

func (s *Server) contestCreate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	in := activities.ContestInput{KindID: formID(r, "kind"), Title: r.PostFormValue("title"), HeldOn: r.PostFormValue("held_on")}
	id, err := s.activities.CreateContest(r.Context(), actorOf(r), st.user, st.unit.ID, in)
	if err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.contestListPage(w, r, http.StatusBadRequest, in, ps) })
		return
	}
	s.redirect(w, r, "/activities/contests/"+itoa(id), "flash.saved")
}

func (s *Server) loadContest(w http.ResponseWriter, r *http.Request) (activities.Contest, bool) {
	id, _ := pathID(r, "id")
	c, err := s.activities.Contest(r.Context(), current(r).unit.ID, id)
	if err != nil {
		s.activityFailed(w, r, err, nil)
		return c, false
	}
	return c, true
}

// contestShow is the contest's page: the office runs it there; once its
// results are published, everyone in the unit may read them, since the
// points they earned link here from their ledger.
func (s *Server) contestShow(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContest(w, r)
	if !ok {
		return
	}
	if !current(r).user.IsAdmin() && c.PublishedAt == nil {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	s.contestPage(w, r, http.StatusOK, c, nil, nil)
}

func (s *Server) contestPage(w http.ResponseWriter, r *http.Request, status int, c activities.Contest, typed map[int64]string, ps locale.Problems) {
	st := current(r)
	d := contestData{Contest: c, Typed: typed}
	if c.PublishedAt == nil {
		var err error
		if d.People, _, err = s.org.StaffList(r.Context(), st.unit.ID, org.StaffFilter{Active: new(true)}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "activity_contest", "title.activity_contest", d, ps)
}

// contestEnter adds the ticked people to the contest.
func (s *Server) contestEnter(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContest(w, r)
	if !ok {
		return
	}
	var ids []int64
	for _, v := range r.PostForm["staff"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	st := current(r)
	if err := s.activities.Enter(r.Context(), actorOf(r), st.user, st.unit.ID, c.ID, ids); err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.contestPage(w, r, http.StatusBadRequest, c, nil, ps) })
		return
	}
	s.redirect(w, r, "/activities/contests/"+itoa(c.ID), "flash.saved")
}

// contestScore keeps the judges' scores; any field named score_<id> is
// read, so a score for someone not entered is refused, not dropped.
func (s *Server) contestScore(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContest(w, r)
	if !ok {
		return
	}
	scores := map[int64]string{}
	for name, vs := range r.PostForm {
		if len(name) > 6 && name[:6] == "score_" {
			if id, err := strconv.ParseInt(name[6:], 10, 64); err == nil && len(vs) > 0 {
				scores[id] = vs[0]
			}
		}
	}
	st := current(r)
	if err := s.activities.Score(r.Context(), actorOf(r), st.user, st.unit.ID, c.ID, scores); err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.contestPage(w, r, http.StatusBadRequest, c, scores, ps) })
		return
	}
	s.redirect(w, r, "/activities/contests/"+itoa(c.ID), "flash.saved")
}

func (s *Server) contestPublish(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContest(w, r)
	if !ok {
		return
	}
	st := current(r)
	if err := s.activities.PublishContest(r.Context(), actorOf(r), st.user, st.unit.ID, c.ID); err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.contestPage(w, r, http.StatusConflict, c, nil, ps) })
		return
	}
	s.redirect(w, r, "/activities/contests/"+itoa(c.ID), "flash.published")
}
