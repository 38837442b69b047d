package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"wuliang/internal/accounts"
	"wuliang/internal/cases"
	"wuliang/internal/failure"
	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/ratings"
	"wuliang/internal/textnorm"
)

type caseShowData struct {
	C              cases.Case
	Events         []cases.Event
	Notices        []cases.Notice
	Materials      []items.Material // the item's checklist, for the notice form
	Staff          []org.Staff      // whom the case may be referred to
	CanHandle      bool
	CanAcknowledge bool
	CanDeadline    bool
	ReasonKinds    []string
	Form           url.Values // what was typed, shown again after a refusal
	Ratings        []ratings.Rating
	RateQR         template.URL // the case's rating link, for the recipient's phone
	RateURL        string
}

// visibleCase loads the case in the path if the user may see it.
func (s *Server) visibleCase(w http.ResponseWriter, r *http.Request) (cases.Case, []cases.Event, []cases.Notice, bool) {
	st := current(r)
	id, _ := pathID(r, "id")
	c, events, notices, err := s.cases.Get(r.Context(), st.unit.ID, id)
	if errors.Is(err, cases.ErrNotFound) || (err == nil && !cases.CanSee(st.user, c)) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return c, nil, nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return c, nil, nil, false
	}
	return c, events, notices, true
}

func (s *Server) showCase(w http.ResponseWriter, r *http.Request, status int, form url.Values, ps locale.Problems) {
	st := current(r)
	c, events, notices, ok := s.visibleCase(w, r)
	if !ok {
		return
	}
	d := caseShowData{C: c, Events: events, Notices: notices, CanHandle: cases.CanHandle(st.user, c) && c.Open(),
		CanAcknowledge: cases.CanAcknowledge(st.user, c), CanDeadline: cases.CanChangeDeadline(st.user, c) && c.Accepted() && c.Open(),
		ReasonKinds: cases.ReasonKinds, Form: form}
	var err error
	if d.Ratings, _, err = s.ratings.List(r.Context(), st.unit.ID, ratings.Filter{CaseID: c.ID}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.CanHandle && len(d.Ratings) == 0 {
		d.RateURL = s.publicURL(r) + "/r/" + c.RatingToken
		if d.RateQR, err = qrDataURL(d.RateURL); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if d.CanHandle {
		if c.ItemID != 0 {
			it, err := s.items.Item(r.Context(), st.unit.ID, c.ItemID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			d.Materials = it.Materials
		}
		active := true
		staff, _, err := s.org.StaffList(r.Context(), st.unit.ID, org.StaffFilter{Active: &active, Limit: 2000})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, p := range staff {
			if p.ID != c.HandlerID {
				d.Staff = append(d.Staff, p)
			}
		}
	}
	s.render(w, r, status, "case_show", "title.case", d, ps)
}

func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) {
	s.showCase(w, r, http.StatusOK, nil, nil)
}

// caseAction runs one step of a case named in the path; a refusal shows
// the case again with the message and what was typed.
func (s *Server) caseAction(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	ctx, actor, u := r.Context(), actorOf(r), st.user
	var err error
	switch r.PathValue("action") {
	case "accept":
		in := cases.Acceptance{At: strings.TrimSpace(r.PostFormValue("accepted_at"))}
		if v := strings.TrimSpace(textnorm.FoldWidth(r.PostFormValue("time_limit_days"))); v != "" {
			n, convErr := strconv.Atoi(v)
			if convErr != nil {
				n = -1
			}
			in.LimitDays = &n
		}
		err = s.cases.Accept(ctx, actor, u, st.unit.ID, id, in)
	case "notice":
		_, err = s.cases.RequestMaterials(ctx, actor, u, st.unit.ID, id, readNotice(r))
	case "resume":
		err = s.cases.Resume(ctx, actor, u, st.unit.ID, id)
	case "complete":
		err = s.cases.Complete(ctx, actor, u, st.unit.ID, id, r.PostFormValue("note"))
	case "refer":
		err = s.cases.Refer(ctx, actor, u, st.unit.ID, id, formID(r, "to"), r.PostFormValue("reason"))
	case "acknowledge":
		err = s.cases.Acknowledge(ctx, actor, u, st.unit.ID, id)
	case "withdraw":
		err = s.cases.Withdraw(ctx, actor, u, st.unit.ID, id, r.PostFormValue("reason"))
	case "refuse":
		err = s.cases.Refuse(ctx, actor, u, st.unit.ID, id, r.PostFormValue("reason"))
	case "deadline":
		err = s.cases.ChangeDeadline(ctx, actor, u, st.unit.ID, id, r.PostFormValue("deadline"), r.PostFormValue("reason"))
	default:
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if errors.Is(err, cases.ErrForbidden) && r.PathValue("action") == "deadline" {
		err = locale.NewError("case.deadline_forbidden").Of(failure.Forbidden)
	}
	s.caseDone(w, r, id, err)
}

func (s *Server) caseDone(w http.ResponseWriter, r *http.Request, id int64, err error) {
	switch {
	case err == nil:
		s.redirect(w, r, "/cases/"+itoa(id), "flash.saved")
	case errors.Is(err, cases.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case errors.Is(err, cases.ErrForbidden):
		s.showCase(w, r, http.StatusForbidden, r.PostForm, locale.FieldProblem("", "case.forbidden"))
	default:
		if ps, ok := locale.AsProblems(err); ok {
			s.showCase(w, r, statusOf(err), r.PostForm, ps)
			return
		}
		s.fail(w, r, err)
	}
}

// readNotice reads the ticked checklist materials (each with its reason)
// and the other missing materials written one per line as "名称:原因".
func readNotice(r *http.Request) cases.NoticeInput {
	in := cases.NoticeInput{Place: r.PostFormValue("place"), Contact: r.PostFormValue("contact"),
		ReasonKind: r.PostFormValue("reason_kind"), Reason: r.PostFormValue("reason")}
	for _, i := range r.PostForm["m"] {
		in.Materials = append(in.Materials, cases.MissingMaterial{Name: r.PostFormValue("name" + i), Why: r.PostFormValue("why" + i)})
	}
	for _, line := range strings.Split(r.PostFormValue("other"), "\n") {
		name, why, _ := strings.Cut(strings.Replace(line, "：", ":", 1), ":")
		if strings.TrimSpace(name) != "" {
			in.Materials = append(in.Materials, cases.MissingMaterial{Name: name, Why: why})
		}
	}
	if len(in.Materials) > cases.MaxNoticeLines*2 {
		in.Materials = in.Materials[:cases.MaxNoticeLines*2]
	}
	return in
}

// printNotice shows a one-time notice to print and hand over.
func (s *Server) printNotice(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	c, _, notices, ok := s.visibleCase(w, r)
	if !ok {
		return
	}
	nid, _ := pathID(r, "notice")
	for _, n := range notices {
		if n.ID == nid {
			s.printPage(w, r, "print_notice", "title.notice", struct {
				C cases.Case
				N cases.Notice
				U accounts.User
			}{c, n, st.user})
			return
		}
	}
	s.errorPage(w, r, http.StatusNotFound, "error.not_found")
}
