package web

import (
	"net/http"
	"wuliang/internal/followup"
	"wuliang/internal/honours"

	"wuliang/internal/audit"
	"wuliang/internal/org"
)

type staffShowData struct {
	Staff   org.Staff
	CanEdit bool
	// CanScore: the viewer may open the person's 五创 score (their own, their
	// people's, or the office's).
	CanScore bool
	History  []audit.Record
	Honours  []honours.Award
	// Plans are the person's improvement plans: shown to the office and to
	// the person themself, nobody else.
	Plans []followup.Plan
	// BackupLink: the viewer may open the B岗 person's record too; else the
	// name shows without a link.
	BackupLink bool
	// Record is 我的档案, for the person themself and the office.
	Record *staffRecord
}

// staffShow is one person's record, for those allowed to see it.
func (s *Server) staffShow(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	person, ok := s.visibleStaff(w, r)
	if !ok {
		return
	}
	d := staffShowData{Staff: person, CanEdit: st.user.IsAdmin(), CanScore: mayExplain(st.user, person)}
	if d.CanEdit {
		var err error
		d.History, err = audit.List(r.Context(), s.db, st.unit.ID, audit.Filter{Entity: "staff", EntityID: itoa(person.ID), Limit: 20})
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if person.BackupID != 0 {
		if b, err := s.org.Staff(r.Context(), st.unit.ID, person.BackupID); err == nil {
			d.BackupLink = canSeeStaff(st.user, b)
		}
	}
	var err error
	if d.Honours, err = s.honours.Awards(r.Context(), st.unit.ID, honours.AwardFilter{Subject: honours.SubjectPerson, SubjectID: person.ID}); err != nil {
		s.fail(w, r, err)
		return
	}
	if st.user.IsAdmin() || st.user.StaffID == person.ID {
		if d.Plans, err = s.followup.Plans(r.Context(), st.unit.ID, followup.SubjectPerson, person.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if mayReadRecord(st.user, person) {
		if d.Record, err = s.staffRecord(r.Context(), st.unit, person); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "staff_show", "title.staff_show", d, nil)
}

// visibleStaff loads the staff member named in the path if the user may see
// them, and answers 404 otherwise: someone out of scope learns nothing, not
// even that the id exists.
func (s *Server) visibleStaff(w http.ResponseWriter, r *http.Request) (org.Staff, bool) {
	st := current(r)
	id, ok := pathID(r, "id")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return org.Staff{}, false
	}
	person, err := s.org.Staff(r.Context(), st.unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return org.Staff{}, false
	}
	if !canSeeStaff(st.user, person) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return org.Staff{}, false
	}
	return person, true
}
