package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"wuliang/internal/appraisal"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// appraisalRows is how many question rows the new-round form offers.
const appraisalRows = 8

type appraisalData struct {
	List      []appraisal.Round
	Round     appraisal.Round
	Draft     appraisal.Draft
	Rows      []appraisal.Question // the form's question rows
	Staff     []org.Staff
	Windows   []org.Department
	Invites   []appraisal.Invite
	Results   appraisal.Results
	PublicURL string
	Groups    []string
	Subjects  []string
	Kinds     []string
}

// Chosen reports whether a person or window was ticked on the form.
func (d appraisalData) Chosen(id int64) bool {
	for _, x := range append(append([]int64{}, d.Draft.StaffIDs...), d.Draft.DepartmentIDs...) {
		if x == id {
			return true
		}
	}
	return false
}

// appraisalList: the office's rounds.
func (s *Server) appraisalList(w http.ResponseWriter, r *http.Request) {
	list, err := s.appraisals.List(r.Context(), current(r).unit.ID, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "appraisals", "title.appraisals", appraisalData{List: list}, nil)
}

func (s *Server) appraisalForm(w http.ResponseWriter, r *http.Request, status int, d appraisalData, ps locale.Problems) {
	var err error
	if d.Windows, d.Staff, err = s.formChoices(r); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Rows = append(d.Rows, d.Draft.Questions...)
	for len(d.Rows) < appraisalRows {
		d.Rows = append(d.Rows, appraisal.Question{Kind: appraisal.KindLevel})
	}
	d.Subjects, d.Kinds = appraisal.Subjects, appraisal.Kinds
	s.render(w, r, status, "appraisal_form", "title.appraisal_new", d, ps)
}

// appraisalNew offers the plan's topics as the first questions.
func (s *Server) appraisalNew(w http.ResponseWriter, r *http.Request) {
	d := appraisalData{Draft: appraisal.Draft{Subject: appraisal.SubjectPerson, Questions: appraisal.DefaultQuestions}}
	s.appraisalForm(w, r, http.StatusOK, d, nil)
}

// appraisalCreate saves a draft round.
func (s *Server) appraisalCreate(w http.ResponseWriter, r *http.Request) {
	d := appraisal.Draft{Title: r.PostFormValue("title"), Subject: r.PostFormValue("subject"), Intro: r.PostFormValue("intro")}
	texts, kinds, maxes := r.PostForm["q_text"], r.PostForm["q_kind"], r.PostForm["q_max"]
	for i, text := range texts {
		q := appraisal.Question{Text: text}
		if i < len(kinds) {
			q.Kind = kinds[i]
		}
		if i < len(maxes) {
			q.MaxScore, _ = strconv.Atoi(strings.TrimSpace(textnorm.FoldWidth(maxes[i])))
		}
		d.Questions = append(d.Questions, q)
	}
	for _, v := range r.PostForm["staff"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			d.StaffIDs = append(d.StaffIDs, id)
		}
	}
	for _, v := range r.PostForm["window"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			d.DepartmentIDs = append(d.DepartmentIDs, id)
		}
	}
	id, err := s.appraisals.Create(r.Context(), actorOf(r), current(r).unit.ID, d)
	if ps, ok := locale.AsProblems(err); ok {
		s.appraisalForm(w, r, http.StatusBadRequest, appraisalData{Draft: d}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/appraisals/"+itoa(id), "flash.saved")
}

func (s *Server) showAppraisal(w http.ResponseWriter, r *http.Request, status int, ps locale.Problems) {
	st := current(r)
	id, _ := pathID(r, "id")
	res, err := s.appraisals.Results(r.Context(), st.unit.ID, id)
	if errors.Is(err, appraisal.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := appraisalData{Round: res.Round, Results: res, PublicURL: s.publicURL(r), Groups: appraisal.Groups}
	if d.Invites, err = s.appraisals.Invites(r.Context(), st.unit.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "appraisal_show", "title.appraisal", d, ps)
}

func (s *Server) appraisalShow(w http.ResponseWriter, r *http.Request) {
	s.showAppraisal(w, r, http.StatusOK, nil)
}

// appraisalIssue issues invitations: one per name listed, or a number of
// unnamed ones.
func (s *Server) appraisalIssue(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	count, _ := strconv.Atoi(strings.TrimSpace(textnorm.FoldWidth(r.PostFormValue("count"))))
	labels := strings.Split(r.PostFormValue("labels"), "\n")
	_, err := s.appraisals.Issue(r.Context(), actorOf(r), current(r).unit.ID, id, r.PostFormValue("group"), labels, count)
	s.appraisalDone(w, r, id, err)
}

// appraisalMove opens, closes, publishes or withdraws a round.
func (s *Server) appraisalMove(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	err := s.appraisals.Move(r.Context(), actorOf(r), current(r).unit.ID, id, r.PathValue("action"))
	s.appraisalDone(w, r, id, err)
}

func (s *Server) appraisalDone(w http.ResponseWriter, r *http.Request, id int64, err error) {
	switch {
	case err == nil:
		s.redirect(w, r, "/appraisals/"+itoa(id), "flash.saved")
	case errors.Is(err, appraisal.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	default:
		if ps, ok := locale.AsProblems(err); ok {
			s.showAppraisal(w, r, statusOf(err), ps)
			return
		}
		s.fail(w, r, err)
	}
}
