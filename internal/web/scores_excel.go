package web

import (
	"net/http"
	"net/url"

	"wuliang/internal/scoring"
)

// scoresExcel sends the period's results (the version shown on /scores)
// as a workbook, for the office.
func (s *Server) scoresExcel(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	v, err := s.loadScores(r, st.unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("五创评分-"+v.Period.Code+".xlsx"))
	w.Header().Set("Cache-Control", "private, no-store")
	if err := scoring.Excel(w, st.unit.Name, v.Scores, s.levelWords(st.unit)); err != nil {
		s.log.Error("scores workbook", "err", err)
	}
}
