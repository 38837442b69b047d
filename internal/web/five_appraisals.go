package web

import (
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"wuliang/internal/fiveappraisal"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

type fiveData struct {
	List     []fiveappraisal.Round
	Draft    fiveappraisal.Draft
	Staff    []org.Staff
	Round    fiveappraisal.Round
	State    string
	Tasks    fiveappraisal.Tasks
	Progress []fiveappraisal.Progress
	Results  []fiveappraisal.Result
	Mine     *fiveappraisal.Result
	Others   []org.Staff // people who may still be added
	Comments []fiveappraisal.Comment
	Person   fiveappraisal.Result
	Form     fiveForm
	Parts    []string
	Chart    template.HTML // the parts of each total
	Grades   []int
	Shares   []string
	Admin    bool
	Decides  bool
	HallURL  string
	Now      time.Time
}

// fiveForm keeps what was typed into a part's form after a refusal.
type fiveForm struct {
	Part   string
	Target int64
	Grade  int
	Body   string
	Peer   map[int64]int
}

// Leader reports whether a person is ticked as a leader on the new form.
func (d fiveData) Leader(id int64) bool { return slices.Contains(d.Draft.LeaderIDs, id) }

// PeerGrade is the grade typed for a peer, to show the ballot again.
func (d fiveData) PeerGrade(target int64) int { return d.Form.Peer[target] }

func (s *Server) fiveList(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	list, err := s.five.List(r.Context(), st.unit.ID, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "five_appraisals", "title.five_appraisals", fiveData{List: list, Admin: st.user.IsAdmin(), Now: s.five.Now()}, nil)
}

func (s *Server) fiveForm(w http.ResponseWriter, r *http.Request, status int, d fiveData, ps locale.Problems) {
	var err error
	if _, d.Staff, err = s.formChoices(r); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Parts, d.Grades, d.Shares = fiveappraisal.Parts, fiveappraisal.Grades, fiveappraisal.Shares
	s.render(w, r, status, "five_form", "title.five_new", d, ps)
}

// fiveNew starts the form with the party's defaults and the leading
// group's leaders ticked.
func (s *Server) fiveNew(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	d := fiveData{Draft: fiveappraisal.NewDraft(s.five.Now(), org.Location(st.unit.Timezone))}
	leaders, err := s.org.LeadingGroup(r.Context(), st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, l := range leaders {
		if l.Role == "leader" || l.Role == "deputy" {
			d.Draft.LeaderIDs = append(d.Draft.LeaderIDs, l.StaffID)
		}
	}
	s.fiveForm(w, r, http.StatusOK, d, nil)
}

// formInt reads a whole number; anything else is -1, which every range
// check refuses.
func formInt(r *http.Request, name string) int {
	v, err := strconv.Atoi(strings.TrimSpace(textnorm.FoldWidth(r.PostFormValue(name))))
	if err != nil {
		return -1
	}
	return v
}

func (s *Server) fiveCreate(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	d := fiveappraisal.Draft{Title: r.PostFormValue("title"), PeriodFrom: r.PostFormValue("period_from"), PeriodTo: r.PostFormValue("period_to"),
		MembersOnly: r.PostFormValue("members_only") == "on", Share: r.PostFormValue("share"), Standards: r.PostFormValue("standards"),
		OpensAt: r.PostFormValue("opens_at"), ClosesAt: r.PostFormValue("closes_at")}
	for i, p := range fiveappraisal.Parts {
		d.Weights[i] = formInt(r, "weight_"+p)
	}
	for _, g := range fiveappraisal.Grades {
		d.Points[g] = formInt(r, "points_"+strconv.Itoa(g))
		if g != fiveappraisal.Failing {
			d.Thresholds[g] = formInt(r, "threshold_"+strconv.Itoa(g))
		}
	}
	for _, v := range r.PostForm["leaders"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			d.LeaderIDs = append(d.LeaderIDs, id)
		}
	}
	id, err := s.five.Create(r.Context(), actorOf(r), st.unit.ID, d, org.Location(st.unit.Timezone))
	if ps, ok := locale.AsProblems(err); ok {
		s.fiveForm(w, r, http.StatusBadRequest, fiveData{Draft: d}, ps)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/five-appraisals/"+itoa(id), "flash.saved")
}

// loadFive loads the round in the path, or answers 404.
func (s *Server) loadFive(w http.ResponseWriter, r *http.Request) (fiveappraisal.Round, bool) {
	id, _ := pathID(r, "id")
	round, err := s.five.Get(r.Context(), current(r).unit.ID, id)
	if errors.Is(err, fiveappraisal.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return round, false
	}
	if err != nil {
		s.fail(w, r, err)
		return round, false
	}
	return round, true
}

func (s *Server) fiveShow(w http.ResponseWriter, r *http.Request) {
	if round, ok := s.loadFive(w, r); ok {
		s.fivePage(w, r, http.StatusOK, round, fiveForm{}, nil)
	}
}

// fivePage is a round as its user needs it: their own tasks while it is
// open; for the office the progress, then the results to confirm and
// publish; for everyone their own result once published.
func (s *Server) fivePage(w http.ResponseWriter, r *http.Request, status int, round fiveappraisal.Round, form fiveForm, ps locale.Problems) {
	st := current(r)
	ctx := r.Context()
	d := fiveData{Round: round, State: round.State(s.five.Now()), Form: form, Parts: fiveappraisal.Parts, Grades: fiveappraisal.Grades,
		Admin: st.user.IsAdmin(), HallURL: "/p/" + st.unit.Code + "/five-appraisals/" + itoa(round.ID)}
	var err error
	if d.State == fiveappraisal.StateOpen {
		if d.Tasks, err = s.five.TasksOf(ctx, st.unit.ID, round, st.user); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if d.Admin && !round.Closed() {
		if d.Progress, err = s.five.Progress(ctx, st.unit.ID, round.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Others, err = s.fiveOthers(r, d.Progress); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if round.Closed() {
		all, err := s.five.Results(ctx, st.unit.ID, round.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for i, x := range all {
			if fiveappraisal.CanDecide(st.user, x.Target) {
				d.Results, d.Decides = append(d.Results, x), true
			}
			if round.PublishedAt != nil && st.user.StaffID != 0 && x.StaffID == st.user.StaffID {
				d.Mine = &all[i]
			}
		}
		d.Chart = s.partsChart(s.printerOf(current(r).unit), round, d.Results)
	}
	s.render(w, r, status, "five_show", "title.five_appraisal", d, ps)
}

// fiveOthers are the active people not yet in the round.
func (s *Server) fiveOthers(r *http.Request, in []fiveappraisal.Progress) ([]org.Staff, error) {
	_, staff, err := s.formChoices(r)
	var out []org.Staff
	for _, p := range staff {
		if !slices.ContainsFunc(in, func(x fiveappraisal.Progress) bool { return x.StaffID == p.ID }) {
			out = append(out, p)
		}
	}
	return out, err
}

// fiveDone answers a write on a round: back to the round, or the round
// again with the message and what was typed.
func (s *Server) fiveDone(w http.ResponseWriter, r *http.Request, round fiveappraisal.Round, form fiveForm, err error, flash string) {
	switch {
	case err == nil:
		s.redirect(w, r, "/five-appraisals/"+itoa(round.ID), flash)
	case errors.Is(err, fiveappraisal.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case errors.Is(err, fiveappraisal.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden, "five.not_yours")
	default:
		ps, ok := locale.AsProblems(err)
		if !ok {
			s.fail(w, r, err)
			return
		}
		s.fivePage(w, r, statusOf(err), round, form, ps)
	}
}

// fiveGive takes a self-appraisal, or a branch or leader comment.
func (s *Server) fiveGive(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.submitted", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		grade, _ := strconv.Atoi(r.PostFormValue("grade"))
		in := fiveappraisal.Signed{Part: r.PathValue("part"), TargetID: formID(r, "target"), Grade: grade, Body: r.PostFormValue("body")}
		err := s.five.Give(r.Context(), actorOf(r), st.user, st.unit.ID, round.ID, in)
		return fiveForm{Part: in.Part, Target: in.TargetID, Grade: grade, Body: in.Body}, err
	})
}

// fivePeer takes a member's peer ballot: peer_{target} = grade.
func (s *Server) fivePeer(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.submitted", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		grades := readBallot(r)
		return fiveForm{Part: fiveappraisal.PartPeer, Peer: grades}, s.five.Vote(r.Context(), actorOf(r), st.user, st.unit.ID, round.ID, grades)
	})
}

// readBallot reads the boxes named peer_{target}; a box left empty is a
// peer not graded now, anything but a number a grade the store refuses.
func readBallot(r *http.Request) map[int64]int {
	grades := map[int64]int{}
	for name, values := range r.PostForm {
		rest, ok := strings.CutPrefix(name, "peer_")
		if !ok || len(values) == 0 || values[0] == "" {
			continue
		}
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			continue
		}
		g, err := strconv.Atoi(values[0])
		if err != nil {
			g = -1
		}
		grades[id] = g
	}
	return grades
}

// fivePublic takes the office's 群众测评 score for a person, with its source.
func (s *Server) fivePublic(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.saved", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		return fiveForm{}, s.five.PublicScore(r.Context(), actorOf(r), st.unit.ID, round.ID, formID(r, "target"), formInt(r, "score"), r.PostFormValue("source"))
	})
}

// fiveAddPerson adds someone who joined after the round was made.
func (s *Server) fiveAddPerson(w http.ResponseWriter, r *http.Request) {
	s.fiveWrite(w, r, "flash.saved", func(st *state, round fiveappraisal.Round) (fiveForm, error) {
		return fiveForm{}, s.five.AddPerson(r.Context(), actorOf(r), st.unit.ID, round.ID, formID(r, "staff"))
	})
}
