package web

import (
	"html/template"
	"net/http"

	"wuliang/internal/events"
	"wuliang/internal/hall"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

// The office's page of hall screens and notices (/screens).

type screensData struct {
	Screens []hall.Screen
	Notices []hall.Notice
	Today   string
	Panels  []string
	// A screen just registered: its URL, shown this once, and its QR.
	NewURL string
	NewQR  template.URL
	Form   hall.ScreenInput
	Notice hall.NoticeInput
}

func (s *Server) showScreens(w http.ResponseWriter, r *http.Request, status int, d screensData, ps locale.Problems) {
	st := current(r)
	var err error
	if d.Screens, err = s.hall.Screens(r.Context(), st.unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Today = org.Today(st.unit.Timezone)
	if d.Notices, err = s.hall.Notices(r.Context(), st.unit.ID, d.Today, false); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Panels = hall.Panels
	if d.Form.Layout == "" {
		d.Form = hall.ScreenInput{Layout: hall.Landscape, Panels: hall.Panels}
	}
	if d.Form.Interval == "" {
		d.Form.Interval = "15"
	}
	s.render(w, r, status, "screens", "title.screens", d, ps)
}

// screenList: GET /screens.
func (s *Server) screenList(w http.ResponseWriter, r *http.Request) {
	s.showScreens(w, r, http.StatusOK, screensData{}, nil)
}

func screenInput(r *http.Request) hall.ScreenInput {
	_ = r.ParseForm()
	return hall.ScreenInput{Name: r.PostFormValue("name"), Layout: r.PostFormValue("layout"), Panels: r.PostForm["panels"],
		Interval: r.PostFormValue("interval")}
}

// screenCreate: POST /screens registers a screen and shows its URL once.
func (s *Server) screenCreate(w http.ResponseWriter, r *http.Request) {
	in := screenInput(r)
	token, _, err := s.hall.Register(r.Context(), actorOf(r), current(r).unit.ID, in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showScreens(w, r, http.StatusBadRequest, screensData{Form: in}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := screensData{NewURL: s.publicURL(r) + "/s/" + token}
	if d.NewQR, err = qrDataURL(d.NewURL); err != nil {
		s.fail(w, r, err)
		return
	}
	s.showScreens(w, r, http.StatusOK, d, nil)
}

// screenUpdate: POST /screens/{id}; open screens reload with the change.
func (s *Server) screenUpdate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	in := screenInput(r)
	_, err := s.hall.Update(r.Context(), actorOf(r), st.unit.ID, id, in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showScreens(w, r, http.StatusBadRequest, screensData{}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.events.Publish(events.Event{Unit: st.unit.ID, Kind: events.Screen, Ref: id})
	s.redirect(w, r, "/screens", "flash.saved")
}

// screenRevoke: POST /screens/{id}/revoke; its open stream ends at once.
func (s *Server) screenRevoke(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	if err := s.hall.Revoke(r.Context(), actorOf(r), st.unit.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.events.Publish(events.Event{Unit: st.unit.ID, Kind: events.Screen, Ref: id})
	s.redirect(w, r, "/screens", "flash.screen_revoked")
}

// noticeCreate: POST /screens/notices publishes a hall notice.
func (s *Server) noticeCreate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	in := hall.NoticeInput{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), EndsOn: r.PostFormValue("ends_on")}
	_, err := s.hall.Publish(r.Context(), actorOf(r), st.unit.ID, org.Today(st.unit.Timezone), in)
	if ps, ok := locale.AsProblems(err); ok {
		s.showScreens(w, r, http.StatusBadRequest, screensData{Notice: in}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.events.Publish(events.Event{Unit: st.unit.ID, Kind: events.Notice})
	s.redirect(w, r, "/screens", "flash.notice_published")
}

// noticeWithdraw: POST /screens/notices/{id}/withdraw.
func (s *Server) noticeWithdraw(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	if err := s.hall.Withdraw(r.Context(), actorOf(r), st.unit.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.events.Publish(events.Event{Unit: st.unit.ID, Kind: events.Notice})
	s.redirect(w, r, "/screens", "flash.notice_withdrawn")
}
