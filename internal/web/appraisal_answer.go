package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"wuliang/internal/appraisal"
	"wuliang/internal/locale"
)

type answerData struct {
	In    appraisal.Invitation
	Given appraisal.Answers
	Done  bool
}

// Value is what was typed for a question about a target, to show the form
// again after a refusal.
func (d answerData) Value(target, question int64) string {
	return d.Given[appraisal.Key{TargetID: target, QuestionID: question}]
}

// Field names the box of a question about a target.
func (answerData) Field(target, question int64) string {
	return "a_" + strconv.FormatInt(target, 10) + "_" + strconv.FormatInt(question, 10)
}

// readAnswers collects the boxes named a_{target}_{question}.
func readAnswers(r *http.Request) appraisal.Answers {
	given := appraisal.Answers{}
	for name, values := range r.PostForm {
		rest, ok := strings.CutPrefix(name, "a_")
		if !ok || len(values) == 0 {
			continue
		}
		t, q, _ := strings.Cut(rest, "_")
		target, err1 := strconv.ParseInt(t, 10, 64)
		question, err2 := strconv.ParseInt(q, 10, 64)
		if err1 != nil || err2 != nil {
			given[appraisal.Key{}] = values[0] // refused as not of the round
			continue
		}
		given[appraisal.Key{TargetID: target, QuestionID: question}] = values[0]
	}
	return given
}

// appraisalAnswer: GET and POST /a/{token}, an outside evaluator's form.
// No login; the invitation answers once.
func (s *Server) appraisalAnswer(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	in, err := s.appraisals.ByToken(r.Context(), token)
	if err != nil {
		s.answerRefused(w, r, err)
		return
	}
	unit, err := s.org.Unit(r.Context(), in.UnitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := answerData{In: in}
	status := http.StatusOK
	var ps locale.Problems
	if r.Method == http.MethodPost {
		d.Given = readAnswers(r)
		err := s.appraisals.Answer(r.Context(), token, d.Given)
		switch {
		case err == nil:
			d.Done, status = true, http.StatusCreated
		case errors.Is(err, appraisal.ErrInviteUsed), errors.Is(err, appraisal.ErrNotOpen):
			s.answerRefused(w, r, err)
			return
		default:
			var ok bool
			if ps, ok = locale.AsProblems(err); !ok {
				s.fail(w, r, err)
				return
			}
			status = http.StatusBadRequest
		}
	}
	p := page{Public: true, Title: in.Round.Title, Unit: unit, Path: r.URL.Path, CSRF: current(r).csrf, Problems: ps, D: d, printer: s.printerOf(unit)}
	s.write(w, r, status, "appraisal_answer", p)
}

// answerRefused says why an invitation cannot answer: 404 unknown, 409
// used, 410 not open.
func (s *Server) answerRefused(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusNotFound
	switch {
	case errors.Is(err, appraisal.ErrInviteUsed):
		status = http.StatusConflict
	case errors.Is(err, appraisal.ErrNotOpen):
		status = http.StatusGone
	case !errors.Is(err, appraisal.ErrInviteUnknown):
		s.fail(w, r, err)
		return
	}
	le, _ := locale.AsError(err)
	s.errorPage(w, r, status, le.Key)
}

// portalAppraisal is a published round's result page, to show in the
// service hall (公示): response rates and each target's figures, without
// the evaluators or their comments.
func (s *Server) portalAppraisal(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	id, _ := pathID(r, "id")
	res, err := s.appraisals.Results(r.Context(), unit.ID, id)
	if errors.Is(err, appraisal.ErrNotFound) || (err == nil && !res.Round.Published) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPublic(w, r, unit, "portal_appraisal", res.Round.Title, appraisalData{Results: res, Round: res.Round})
}
