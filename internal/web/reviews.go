package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/reviews"
	"wuliang/internal/textnorm"
)

type reviewData struct {
	List       []reviews.Meeting
	Mine       []reviews.Entry
	Guidance   []reviews.Guided
	Settings   reviews.Settings
	Branches   []org.Branch
	Windows    []org.Department
	Month      string
	CanHold    bool
	Meeting    reviews.Meeting
	Editable   bool
	Grades     []int
	Dimensions []string
	Remarks    []string
	Public     []reviews.Named
}

// lastMonth is the month a meeting usually reviews.
func lastMonth(loc *time.Location) string {
	now := time.Now().In(loc)
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, -1, 0).Format("2006-01")
}

// reviewList: a person's own published reviews; for those who hold
// meetings, their meetings and the form to open one; for the office, the
// targeted-guidance list and the unit's points.
func (s *Server) reviewList(w http.ResponseWriter, r *http.Request) {
	s.reviewListPage(w, r, http.StatusOK, nil)
}

func (s *Server) reviewListPage(w http.ResponseWriter, r *http.Request, status int, ps locale.Problems) {
	st := current(r)
	ctx := r.Context()
	loc := org.Location(st.unit.Timezone)
	d := reviewData{Month: lastMonth(loc), CanHold: reviews.CanHold(st.user), Grades: reviews.Grades, Dimensions: reviews.Dimensions}
	var err error
	if st.user.StaffID != 0 {
		if d.Mine, err = s.reviews.Mine(ctx, st.unit.ID, st.user.StaffID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if d.CanHold {
		if d.List, err = s.reviews.List(ctx, st.unit.ID, st.user); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if st.user.IsAdmin() {
		month, _ := reviews.ParseMonth(time.Now().In(loc).Format("2006-01"))
		if d.Guidance, err = s.reviews.Guidance(ctx, st.unit.ID, month); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Settings, err = s.reviews.Settings(ctx, st.unit.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Branches, err = s.org.Branches(ctx, st.unit.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Windows, err = s.org.Departments(ctx, st.unit.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "reviews", "title.reviews", d, ps)
}

// reviewOpen opens (or finds) the meeting of a month for a scope.
func (s *Server) reviewOpen(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	scope, scopeID := r.PostFormValue("scope"), int64(0)
	switch {
	case st.user.Role == accounts.RoleBranchSecretary:
		scope, scopeID = reviews.ScopeBranch, st.user.BranchID
	case st.user.Role == accounts.RoleWindowLead:
		scope, scopeID = reviews.ScopeWindow, st.user.DepartmentID
	case scope == reviews.ScopeBranch:
		scopeID = formID(r, "branch")
	case scope == reviews.ScopeWindow:
		scopeID = formID(r, "window")
	}
	id, err := s.reviews.Open(r.Context(), actorOf(r), st.user, st.unit.ID, r.PostFormValue("month"), scope, scopeID)
	switch {
	case err == nil:
		s.redirect(w, r, "/reviews/"+itoa(id), "")
	case errors.Is(err, reviews.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
	default:
		if ps, ok := locale.AsProblems(err); ok {
			s.reviewListPage(w, r, http.StatusBadRequest, ps)
			return
		}
		s.fail(w, r, err)
	}
}

// visibleMeeting loads the meeting in the path if the user holds it.
func (s *Server) visibleMeeting(w http.ResponseWriter, r *http.Request) (reviews.Meeting, bool) {
	st := current(r)
	id, _ := pathID(r, "id")
	m, err := s.reviews.Get(r.Context(), st.unit.ID, id)
	if errors.Is(err, reviews.ErrNotFound) || (err == nil && !reviews.CanRecord(st.user, m.Scope, m.ScopeID)) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return m, false
	}
	if err != nil {
		s.fail(w, r, err)
		return m, false
	}
	return m, true
}

func (s *Server) reviewShow(w http.ResponseWriter, r *http.Request) {
	if m, ok := s.visibleMeeting(w, r); ok {
		s.reviewMeetingPage(w, r, http.StatusOK, m, nil)
	}
}

func (s *Server) reviewMeetingPage(w http.ResponseWriter, r *http.Request, status int, m reviews.Meeting, ps locale.Problems) {
	d := reviewData{Meeting: m, Editable: !m.Published(), Grades: reviews.Grades, Dimensions: reviews.Dimensions, Remarks: reviews.Remarks}
	s.render(w, r, status, "review_show", "title.review", d, ps)
}

// readReviewEntries reads each listed person's grades, notes and remark.
func readReviewEntries(r *http.Request) []reviews.EntryInput {
	var out []reviews.EntryInput
	for _, v := range r.PostForm["staff"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue
		}
		p := reviews.FieldPrefix(id)
		e := reviews.EntryInput{StaffID: id, Remark: r.PostFormValue(p + "remark"), RemarkNote: r.PostFormValue(p + "remark_note")}
		for i, dim := range reviews.Dimensions {
			e.Grades[i], _ = strconv.Atoi(r.PostFormValue(p + dim))
			e.Notes[i] = r.PostFormValue(p + dim + "_note")
		}
		out = append(out, e)
	}
	return out
}

// reviewSave keeps the summary and the reviews; after a refusal the page
// shows everything as typed.
func (s *Server) reviewSave(w http.ResponseWriter, r *http.Request) {
	m, ok := s.visibleMeeting(w, r)
	if !ok {
		return
	}
	st := current(r)
	in := readReviewEntries(r)
	summary := r.PostFormValue("summary")
	err := s.reviews.Save(r.Context(), actorOf(r), st.user, st.unit.ID, m.ID, summary, in)
	if err == nil {
		s.redirect(w, r, "/reviews/"+itoa(m.ID), "flash.saved")
		return
	}
	ps, ok := locale.AsProblems(err)
	if !ok {
		s.fail(w, r, err)
		return
	}
	m.Summary = summary
	for _, e := range in {
		for i := range m.Entries {
			if m.Entries[i].StaffID == e.StaffID {
				m.Entries[i].Grades, m.Entries[i].Notes, m.Entries[i].Remark, m.Entries[i].RemarkNote = e.Grades, e.Notes, e.Remark, e.RemarkNote
			}
		}
	}
	s.reviewMeetingPage(w, r, statusOf(err), m, ps)
}

func (s *Server) reviewPublish(w http.ResponseWriter, r *http.Request) {
	m, ok := s.visibleMeeting(w, r)
	if !ok {
		return
	}
	st := current(r)
	err := s.reviews.Publish(r.Context(), actorOf(r), st.user, st.unit.ID, m.ID)
	if ps, ok := locale.AsProblems(err); ok {
		s.reviewMeetingPage(w, r, http.StatusBadRequest, m, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/reviews/"+itoa(m.ID), "flash.published")
}

// reviewSettings keeps the unit's points per grade and what the public
// summary names.
func (s *Server) reviewSettings(w http.ResponseWriter, r *http.Request) {
	st := reviews.Settings{PublishReminded: r.PostFormValue("publish_reminded") == "on"}
	for _, g := range reviews.Grades {
		v, err := strconv.Atoi(textnorm.FoldWidth(r.PostFormValue("points_" + strconv.Itoa(g))))
		if err != nil {
			v = -1
		}
		st.Points[g] = v
	}
	err := s.reviews.SaveSettings(r.Context(), actorOf(r), current(r).unit.ID, st)
	if ps, ok := locale.AsProblems(err); ok {
		s.reviewListPage(w, r, http.StatusBadRequest, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/reviews", "flash.saved")
}

// portalReviews is the public summary: who was praised in the latest
// months, and who was reminded if the unit chooses.
func (s *Server) portalReviews(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	named, err := s.reviews.Public(r.Context(), unit.ID, 3)
	if err == nil {
		named, err = currentOnly(s, r, unit.ID, named, func(n reviews.Named) int64 { return n.StaffID })
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPublic(w, r, unit, "portal_reviews", s.printerOf(unit).Get("title.reviews_public"), reviewData{Public: named})
}
