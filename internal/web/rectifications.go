package web

import (
	"errors"
	"net/http"

	"wuliang/internal/locale"
	"wuliang/internal/rectification"
)

type rectificationData struct {
	List      []rectification.Rectification
	X         rectification.Rectification
	CanHandle bool
	CanAppeal bool
	CanDecide bool
	// CanOpenSource: the complaint and observation pages are the office's.
	CanOpenSource bool
	Methods       []string
	Answers       []string
}

// rectificationList: the office sees every bad rating's handling, a window
// lead the window's, the person rated their own.
func (s *Server) rectificationList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	list, err := s.rectify.List(r.Context(), st.unit.ID, &st.user, r.URL.Query().Get("all") != "1")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "rectifications", "title.rectifications", rectificationData{List: list}, nil)
}

func (s *Server) showRectification(w http.ResponseWriter, r *http.Request, status int, ps locale.Problems) {
	st := current(r)
	id, _ := pathID(r, "id")
	x, err := s.rectify.Get(r.Context(), st.unit.ID, id)
	if errors.Is(err, rectification.ErrNotFound) || (err == nil && !rectification.CanSee(st.user, x)) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := rectificationData{X: x, CanHandle: rectification.CanHandle(st.user, x) && x.Open() && x.State != rectification.StepAppeal,
		CanAppeal: st.user.StaffID != 0 && st.user.StaffID == x.StaffID && (x.State == rectification.StepVerify || x.State == rectification.StepRectify),
		CanDecide: st.user.IsAdmin() && st.user.StaffID != x.StaffID && x.State == rectification.StepAppeal,
		Methods:   rectification.Methods, Answers: rectification.Answers, CanOpenSource: st.user.IsAdmin()}
	s.render(w, r, status, "rectification", "title.rectification", d, ps)
}

func (s *Server) rectificationShow(w http.ResponseWriter, r *http.Request) {
	s.showRectification(w, r, http.StatusOK, nil)
}

// rectificationStep takes one step and shows the rectification again.
func (s *Server) rectificationStep(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	step := rectification.Step{Action: r.PostFormValue("action"), Note: r.PostFormValue("note"), Method: r.PostFormValue("method"), Answer: r.PostFormValue("answer")}
	err := s.rectify.Take(r.Context(), actorOf(r), st.user, st.unit.ID, id, step)
	switch {
	case err == nil:
		s.redirect(w, r, "/rectifications/"+itoa(id), "flash.saved")
	case errors.Is(err, rectification.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case errors.Is(err, rectification.ErrForbidden):
		s.showRectification(w, r, http.StatusForbidden, locale.FieldProblem("", "rectification.forbidden"))
	default:
		if ps, ok := locale.AsProblems(err); ok {
			s.showRectification(w, r, statusOf(err), ps)
			return
		}
		s.fail(w, r, err)
	}
}
