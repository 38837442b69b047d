package web

import (
	"errors"
	"net/http"

	"wuliang/internal/feedback"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type feedbackData struct {
	Form      feedback.Input
	Kinds     []string
	Published []feedback.Message
	Windows   []org.Department
	Code      string
	Message   feedback.Message
	List      []feedback.Message
	Staff     []org.Staff
}

// portalFeedback is the public suggestion box: the form, and the replies
// the office published.
func (s *Server) portalFeedback(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	d := feedbackData{Kinds: feedback.Kinds, Form: feedback.Input{Kind: "suggestion", StaffID: formID(r, "staff"), DepartmentID: formID(r, "window")}}
	status := http.StatusOK
	var ps locale.Problems
	if r.Method == http.MethodPost {
		d.Form = feedback.Input{Kind: r.PostFormValue("kind"), StaffID: formID(r, "staff"), DepartmentID: formID(r, "window"),
			Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), Body: r.PostFormValue("body")}
		d.Form.Address = s.clientIP(r)
		code, err := s.feedback.Send(r.Context(), unit.ID, d.Form)
		if err == nil {
			d.Code, status = code, http.StatusCreated
		} else if ps, ok = locale.AsProblems(err); ok {
			status = http.StatusBadRequest
			if errors.Is(err, feedback.ErrTooOften) {
				status = http.StatusTooManyRequests
			}
		} else {
			s.fail(w, r, err)
			return
		}
	}
	var err error
	if d.Published, err = s.feedback.List(r.Context(), unit.ID, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Windows, err = s.org.Departments(r.Context(), unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	p := page{Public: true, Title: s.printerOf(unit).Get("title.feedback"), Unit: unit, Path: r.URL.Path, CSRF: current(r).csrf, Problems: ps,
		D: d, printer: s.printerOf(unit)}
	s.write(w, r, status, "portal_feedback", p)
}

// portalFeedbackTrack shows a message's progress to whoever has its code.
func (s *Server) portalFeedbackTrack(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	m, err := s.feedback.ByCode(r.Context(), unit.ID, r.URL.Query().Get("code"))
	if errors.Is(err, feedback.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "feedback.code_unknown")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPublic(w, r, unit, "portal_feedback_track", s.printerOf(unit).Get("title.feedback"), feedbackData{Message: m})
}

// feedbackList is the office's view of the box.
func (s *Server) feedbackList(w http.ResponseWriter, r *http.Request) {
	list, err := s.feedback.List(r.Context(), current(r).unit.ID, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "feedback_list", "title.feedback", feedbackData{List: list}, nil)
}

func (s *Server) showFeedback(w http.ResponseWriter, r *http.Request, status int, ps locale.Problems) {
	st := current(r)
	id, _ := pathID(r, "id")
	m, err := s.feedback.Get(r.Context(), st.unit.ID, id)
	if errors.Is(err, feedback.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	active := true
	staff, _, err := s.org.StaffList(r.Context(), st.unit.ID, org.StaffFilter{Active: &active, Limit: 2000})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "feedback_show", "title.feedback", feedbackData{Message: m, Staff: staff}, ps)
}

func (s *Server) feedbackShow(w http.ResponseWriter, r *http.Request) {
	s.showFeedback(w, r, http.StatusOK, nil)
}

// feedbackHandle records the office's assignment, reply and decision.
func (s *Server) feedbackHandle(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	h := feedback.Handling{AssigneeID: formID(r, "assignee"), Reply: r.PostFormValue("reply"), Publish: r.PostFormValue("publish") == "1",
		Upheld: r.PostFormValue("upheld")}
	err := s.feedback.Handle(r.Context(), actorOf(r), st.user, st.unit.ID, id, h)
	switch {
	case err == nil:
		s.redirect(w, r, "/feedback/"+itoa(id), "flash.saved")
	case errors.Is(err, feedback.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	default:
		if ps, ok := locale.AsProblems(err); ok {
			s.showFeedback(w, r, http.StatusBadRequest, ps)
			return
		}
		s.fail(w, r, err)
	}
}
