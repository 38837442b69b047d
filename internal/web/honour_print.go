package web

import (
	"net/http"
	"time"

	"wuliang/internal/honours"
	"wuliang/internal/org"
)

type certificateData struct {
	Award     honours.Award
	Unit      org.Unit
	Window    *org.Department
	Person    *org.Staff
	Period    string // the period as people say it: 2026年第三季度
	Date      string // the day of confirmation, in Chinese
	HasEmblem bool
	Size      string // the plaque's paper: a4 or a3
}

// periodWords says a period code as a certificate does.
func periodWords(code string, from, to time.Time, loc *time.Location) string {
	f, l := from.In(loc), to.In(loc).AddDate(0, 0, -1)
	switch {
	case f.Month() == 1 && l.Month() == 12 && f.Year() == l.Year():
		return f.Format("2006") + "年度"
	case l.Month()-f.Month() == 2 && f.Day() == 1:
		return f.Format("2006") + "年第" + [...]string{"一", "二", "三", "四"}[(f.Month()-1)/3] + "季度"
	}
	return code
}

func (s *Server) certificate(w http.ResponseWriter, r *http.Request) (certificateData, bool) {
	st := current(r)
	id, _ := pathID(r, "id")
	a, err := s.honours.Award(r.Context(), st.unit.ID, id)
	if err != nil || a.Revoked() {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return certificateData{}, false
	}
	loc := org.Location(st.unit.Timezone)
	d := certificateData{Award: a, Unit: st.unit, Period: periodWords(a.Period, a.From, a.To, loc), Date: a.ConfirmedAt.In(loc).Format("2006年1月2日")}
	if _, err := s.org.Emblem(r.Context(), st.unit.ID); err == nil {
		d.HasEmblem = true
	}
	if a.Subject == honours.SubjectWindow {
		if dep, err := s.org.Department(r.Context(), st.unit.ID, a.SubjectID); err == nil {
			d.Window = &dep
		}
	} else if p, err := s.org.Staff(r.Context(), st.unit.ID, a.SubjectID); err == nil {
		d.Person = &p
	}
	return d, true
}

// printCertificate is the 荣誉证书, A4 landscape, with the unit's emblem.
func (s *Server) printCertificate(w http.ResponseWriter, r *http.Request) {
	if d, ok := s.certificate(w, r); ok {
		s.printPage(w, r, "print_certificate", "title.certificate", d)
	}
}

// printPlaque is the sign a window hangs while it holds the honour: A4
// landscape, or A3 with ?size=a3.
func (s *Server) printPlaque(w http.ResponseWriter, r *http.Request) {
	d, ok := s.certificate(w, r)
	if !ok {
		return
	}
	if d.Award.Subject != honours.SubjectWindow {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	d.Size = "a4l"
	if r.URL.Query().Get("size") == "a3" {
		d.Size = "a3l"
	}
	s.printPage(w, r, "print_plaque", "title.plaque", d)
}
