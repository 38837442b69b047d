package web

import (
	"errors"
	"net/http"
	"time"
	"wuliang/internal/events"

	"wuliang/internal/accounts"
	"wuliang/internal/attendance"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
)

type whereaboutsData struct {
	Notes []attendance.Note
	Form  attendance.NoteInput
	Staff []org.Staff // who may cover
	For   []org.Staff // whom the user may write a note for
	Kinds []string
	Now   time.Time
	user  accounts.User
}

// CanEnd says whether the user may end a note early.
func (d whereaboutsData) CanEnd(n attendance.Note) bool {
	return n.EndsAt.After(d.Now) && canWriteNoteFor(d.user, org.Staff{ID: n.StaffID, DepartmentID: n.DepartmentID})
}

func (s *Server) showWhereabouts(w http.ResponseWriter, r *http.Request, status int, form attendance.NoteInput, ps locale.Problems) {
	st := current(r)
	loc := org.Location(st.unit.Timezone)
	now := database.Now()
	d := whereaboutsData{Form: form, Kinds: attendance.Kinds, Now: now, user: st.user}
	if d.Form.StartsAt == "" {
		d.Form.StartsAt = now.In(loc).Format("2006-01-02T15:04")
		d.Form.EndsAt = now.Add(2 * time.Hour).In(loc).Format("2006-01-02T15:04")
	}
	var err error
	if d.Notes, err = s.attendance.Notes(r.Context(), st.unit.ID, now.Add(-7*24*time.Hour), 200); err != nil {
		s.fail(w, r, err)
		return
	}
	active := true
	if d.Staff, _, err = s.org.StaffList(r.Context(), st.unit.ID, org.StaffFilter{Active: &active, Limit: 2000}); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, p := range d.Staff {
		if canWriteNoteFor(st.user, p) {
			d.For = append(d.For, p)
		}
	}
	s.render(w, r, status, "whereabouts", "title.whereabouts", d, ps)
}

// whereaboutsPage lists the notes of the last week and those ahead, with
// the form to leave one.
func (s *Server) whereaboutsPage(w http.ResponseWriter, r *http.Request) {
	s.showWhereabouts(w, r, http.StatusOK, attendance.NoteInput{StaffID: current(r).user.StaffID, Kind: "business"}, nil)
}

func (s *Server) whereaboutsAdd(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	in := attendance.NoteInput{StaffID: formID(r, "staff"), Kind: r.PostFormValue("kind"), Place: r.PostFormValue("place"),
		StartsAt: r.PostFormValue("starts_at"), EndsAt: r.PostFormValue("ends_at"), CoverID: formID(r, "cover")}
	if in.StaffID == 0 {
		in.StaffID = st.user.StaffID
	}
	_, err := s.attendance.AddNote(r.Context(), actorOf(r), st.user, st.unit.ID, org.Location(st.unit.Timezone), in)
	if errors.Is(err, attendance.ErrForbidden) {
		err = locale.FieldProblem("staff", "whereabouts.not_yours")
	}
	if ps, ok := locale.AsProblems(err); ok {
		s.showWhereabouts(w, r, http.StatusBadRequest, in, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.events.Publish(events.Event{Unit: st.unit.ID, Kind: events.Status})
	s.redirect(w, r, "/whereabouts", "flash.saved")
}

func (s *Server) whereaboutsBack(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	id, _ := pathID(r, "id")
	err := s.attendance.Back(r.Context(), actorOf(r), st.user, st.unit.ID, id)
	switch {
	case errors.Is(err, attendance.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case errors.Is(err, attendance.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
	case err != nil:
		s.fail(w, r, err)
	default:
		s.events.Publish(events.Event{Unit: st.unit.ID, Kind: events.Status})
		s.redirect(w, r, "/whereabouts", "flash.saved")
	}
}

// canWriteNoteFor mirrors the rule of the attendance package for the form.
func canWriteNoteFor(u accounts.User, p org.Staff) bool {
	return u.IsAdmin() || u.StaffID == p.ID || (u.Role == accounts.RoleWindowLead && u.DepartmentID != 0 && u.DepartmentID == p.DepartmentID)
}

// statusPage shows every department's live status: who is at post, who
// is away and where, who covers (服务双岗).
func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	list, err := s.attendance.Status(r.Context(), st.unit.ID, database.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "status", "title.status", list, nil)
}
