package web

import (
	"errors"
	"net/http"
	"net/url"
	"wuliang/internal/events"

	"wuliang/internal/fiveappraisal"
	"wuliang/internal/org"
)

// fiveWrite runs one write on the round in the path and answers it: back
// to the round, or the round again with the message and what was typed.
func (s *Server) fiveWrite(w http.ResponseWriter, r *http.Request, flash string, write func(st *state, round fiveappraisal.Round) (fiveForm, error)) {
	round, ok := s.loadFive(w, r)
	if !ok {
		return
	}
	form, err := write(current(r), round)
	s.fiveDone(w, r, round, form, err, flash)
}

// fiveRemind leaves a message for everyone with a part still to give.
func (s *Server) fiveRemind(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.reminded", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		_, err := s.five.Remind(r.Context(), actorOf(r), st.unit.ID, round.ID)
		return fiveForm{}, err
	})
}

// fiveClose freezes the round and counts its results.
func (s *Server) fiveClose(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.closed", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		return fiveForm{}, s.five.Close(r.Context(), actorOf(r), st.unit.ID, round.ID, org.Location(st.unit.Timezone))
	})
}

// fiveConfirm records the branch committee's confirmation of the proposed
// grades the user decides on.
func (s *Server) fiveConfirm(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.saved", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		_, err := s.five.Confirm(r.Context(), actorOf(r), st.user, st.unit.ID, round.ID)
		return fiveForm{}, err
	})
}

// fiveOverride sets another grade, with the office's written reason.
func (s *Server) fiveOverride(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.saved", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		form := fiveForm{Part: "override", Target: formID(r, "target"), Body: r.PostFormValue("reason")}
		return form, s.five.Override(r.Context(), actorOf(r), st.user, st.unit.ID, round.ID, form.Target, r.PostFormValue("grade"), form.Body)
	})
}

// fivePlan keeps the follow-up plan for a 基本合格 or 不合格 member.
func (s *Server) fivePlan(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.saved", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		form := fiveForm{Part: "plan", Target: formID(r, "target"), Body: r.PostFormValue("plan")}
		return form, s.five.Plan(r.Context(), actorOf(r), st.user, st.unit.ID, round.ID, form.Target, form.Body)
	})
}

func (s *Server) fivePublish(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.published", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		err := s.five.Publish(r.Context(), actorOf(r), st.unit.ID, round.ID)
		if err == nil {
			s.events.Publish(events.Event{Unit: st.unit.ID, Kind: events.Facts}) // the screens' appraisal results
		}
		return fiveForm{}, err
	})
}

// closedFive loads a closed round in the path with its results.
func (s *Server) closedFive(w http.ResponseWriter, r *http.Request, unitID int64) (fiveappraisal.Round, []fiveappraisal.Result, bool) {
	id, _ := pathID(r, "id")
	round, err := s.five.Get(r.Context(), unitID, id)
	if errors.Is(err, fiveappraisal.ErrNotFound) || (err == nil && !round.Closed()) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return round, nil, false
	}
	var list []fiveappraisal.Result
	if err == nil {
		list, err = s.five.Results(r.Context(), unitID, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return round, nil, false
	}
	return round, list, true
}

// fiveExcel sends the office's result table, with reasons and plans.
func (s *Server) fiveExcel(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	round, list, ok := s.closedFive(w, r, st.unit.ID)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(round.Title+"-结果.xlsx"))
	w.Header().Set("Cache-Control", "private, no-store")
	if err := fiveappraisal.Excel(w, st.unit.Name, round, list, true); err != nil {
		s.log.Error("five appraisal workbook", "err", err)
	}
}

// fivePrint is the printable result table for the hall's notice board.
func (s *Server) fivePrint(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	round, list, ok := s.closedFive(w, r, st.unit.ID)
	if !ok {
		return
	}
	s.printPage(w, r, "print_five", "title.five_print", fiveData{Round: round, Results: list, Parts: fiveappraisal.Parts,
		Chart: s.partsChart(s.printerOf(st.unit), round, list)})
}

// fivePerson shows the office everything about one person in the round:
// self-appraisal, branch and leader comments, the public score's source.
func (s *Server) fivePerson(w http.ResponseWriter, r *http.Request) {
	round, ok := s.loadFive(w, r)
	if !ok {
		return
	}
	st := current(r)
	target, _ := pathID(r, "target")
	comments, err := s.five.Comments(r.Context(), st.unit.ID, round.ID, target)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	targets, err := s.five.Targets(r.Context(), st.unit.ID, round.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := fiveData{Round: round, Comments: comments, Parts: fiveappraisal.Parts}
	found := false
	for _, t := range targets {
		if t.ID == target {
			d.Person.Target, found = t, true
		}
	}
	if !found {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	s.render(w, r, http.StatusOK, "five_person", "title.five_person", d, nil)
}

// portalFive is the hall's page of a published round.
func (s *Server) portalFive(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	round, list, ok := s.closedFive(w, r, unit.ID)
	if !ok {
		return
	}
	if round.PublishedAt == nil {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	// Like every portal page, the hall's shows only people still serving.
	list, err := currentOnly(s, r, unit.ID, list, func(x fiveappraisal.Result) int64 { return x.StaffID })
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPublic(w, r, unit, "portal_five", round.Title, fiveData{Round: round, Results: list, Parts: fiveappraisal.Parts,
		Chart: s.partsChart(s.printerOf(unit), round, list)})
}
