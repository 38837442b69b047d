package api

import (
	"net/http"

	"wuliang/internal/honours"
)

// publicAward is a confirmed honour as it leaves the unit: what the
// portal shows, no more.
type publicAward struct {
	Kind          string `json:"kind"`
	KindCode      string `json:"kind_code"`
	Subject       string `json:"subject"`
	SubjectID     int64  `json:"subject_id"`
	Name          string `json:"name"`
	Period        string `json:"period"`
	CertificateNo string `json:"certificate_no"`
	Moves         bool   `json:"moves"`
	Passed        bool   `json:"passed,omitempty"`
}

func publicAwards(list []honours.Award) []publicAward {
	out := make([]publicAward, 0, len(list))
	for _, a := range list {
		out = append(out, publicAward{Kind: a.KindName, KindCode: a.KindCode, Subject: a.Subject, SubjectID: a.SubjectID, Name: a.Name,
			Period: a.Period, CertificateNo: a.CertificateNo, Moves: a.Moves, Passed: a.Passed})
	}
	return out
}

// honourList: GET /api/v1/honours?period=2026-Q3, the confirmed honours
// still standing (revoked ones are left out), newest period first.
func (a *API) honourList(w http.ResponseWriter, r *http.Request) {
	list, err := a.honours.Awards(r.Context(), unitOf(r), honours.AwardFilter{Period: r.URL.Query().Get("period"), Live: true})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.json(w, http.StatusOK, map[string]any{"honours": publicAwards(list)})
}

// honourCurrent: GET /api/v1/honours/current, what the hall screen shows:
// the red flag's holder and each kind's newest honours.
func (a *API) honourCurrent(w http.ResponseWriter, r *http.Request) {
	list, err := a.honours.Current(r.Context(), unitOf(r))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.json(w, http.StatusOK, map[string]any{"honours": publicAwards(list)})
}
