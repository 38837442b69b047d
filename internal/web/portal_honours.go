package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/feedback"
	"wuliang/internal/honours"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// portalPeriod is one period's honours on the portal.
type portalPeriod struct {
	Period string
	Awards []honours.Award
}

type portalHonoursData struct {
	Current   []honours.Award
	Periods   []portalPeriod
	Exemplars []honours.Exemplar
}

// byPeriod groups honours, newest period first, as Awards lists them.
func byPeriod(list []honours.Award) []portalPeriod {
	var out []portalPeriod
	for _, a := range list {
		if len(out) == 0 || out[len(out)-1].Period != a.Period {
			out = append(out, portalPeriod{Period: a.Period})
		}
		out[len(out)-1].Awards = append(out[len(out)-1].Awards, a)
	}
	return out
}

// portalHonours lists the unit's standing honours and every past period's,
// with the published exemplar stories. Revoked honours are not shown.
func (s *Server) portalHonours(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	var d portalHonoursData
	all, err := s.honours.Awards(r.Context(), unit.ID, honours.AwardFilter{Live: true})
	if err == nil {
		if d.Current, err = s.honours.Current(r.Context(), unit.ID); err == nil {
			d.Exemplars, err = s.honours.Exemplars(r.Context(), unit.ID, true)
		}
	}
	var serving map[int64]bool
	if err == nil {
		serving, err = s.servingNow(r.Context(), unit.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Current, d.Exemplars = ofServing(serving, d.Current, d.Exemplars)
	all, _ = ofServing(serving, all, nil)
	d.Periods = byPeriod(all)
	s.renderPublic(w, r, unit, "portal_honours", s.printerOf(unit).Get("title.portal_honours"), d)
}

type publicityItem struct {
	Sel      honours.Selection
	Proposed []honours.Nominee
}

type publicityData struct {
	Items  []publicityItem
	Form   feedback.Input
	Code   string
	Voting []honours.Selection // public votes open now
}

// portalPublicity is the 公示 page: every proposal in its 公示期, and the
// form to object to one. An objection is a message of the suggestion box:
// the sender follows it by its code, the office answers it, and no honour
// is confirmed while one is unanswered.
func (s *Server) portalPublicity(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	today := org.Today(unit.Timezone)
	var d publicityData
	status := http.StatusOK
	var ps locale.Problems
	items, voting, err := s.publicity(r, unit.ID, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Items, d.Voting = items, voting
	if r.Method == http.MethodPost {
		d.Form = feedback.Input{Kind: feedback.KindObjection, SelectionID: formID(r, "selection"), Name: r.PostFormValue("name"),
			Phone: r.PostFormValue("phone"), Body: r.PostFormValue("body")}
		d.Form.Address = s.clientIP(r)
		var err error
		if d.Code, status, ps, err = s.object(r, unit.ID, items, &d.Form); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p := page{Public: true, Title: s.printerOf(unit).Get("title.publicity"), Unit: unit, Path: r.URL.Path, CSRF: current(r).csrf, Problems: ps,
		D: d, printer: s.printerOf(unit)}
	s.write(w, r, status, "portal_publicity", p)
}

// object files an objection against a selection in its 公示期, naming
// the candidate it is about when one is chosen.
func (s *Server) object(r *http.Request, unitID int64, items []publicityItem, in *feedback.Input) (string, int, locale.Problems, error) {
	var item *publicityItem
	for i := range items {
		if items[i].Sel.ID == in.SelectionID {
			item = &items[i]
		}
	}
	if item == nil {
		return "", http.StatusConflict, locale.FieldProblem("selection", "honours.not_in_publicity"), nil
	}
	if id := formID(r, "candidate"); id != 0 {
		for _, n := range item.Proposed {
			if n.ID != id {
				continue
			}
			if item.Sel.Subject() == honours.SubjectWindow {
				in.DepartmentID = n.SubjectID
			} else {
				in.StaffID = n.SubjectID
			}
		}
	}
	code, err := s.feedback.Send(r.Context(), unitID, *in)
	if err == nil {
		return code, http.StatusCreated, nil, nil
	}
	ps, ok := locale.AsProblems(err)
	switch {
	case !ok:
		return "", 0, nil, err
	case errors.Is(err, feedback.ErrTooOften):
		return "", http.StatusTooManyRequests, ps, nil
	}
	return "", http.StatusBadRequest, ps, nil
}

// publicity lists the selections in their 公示期 today with whom they
// propose, and the public votes open now.
func (s *Server) publicity(r *http.Request, unitID int64, today string) ([]publicityItem, []honours.Selection, error) {
	list, err := s.honours.Selections(r.Context(), unitID, "")
	if err != nil {
		return nil, nil, err
	}
	var items []publicityItem
	var voting []honours.Selection
	now := database.Now()
	for _, sel := range list {
		if sel.Stage == honours.StageVoting && sel.Vote == honours.VotePublic && sel.VoteUntil != nil && now.Before(*sel.VoteUntil) {
			voting = append(voting, sel)
		}
		if !sel.InPublicity(today) {
			continue
		}
		nominees, err := s.honours.Nominees(r.Context(), unitID, sel.ID)
		if err != nil {
			return nil, nil, err
		}
		it := publicityItem{Sel: sel}
		for _, n := range nominees {
			if n.Proposed {
				it.Proposed = append(it.Proposed, n)
			}
		}
		items = append(items, it)
	}
	return items, voting, nil
}

type publicVoteData struct {
	Sel      honours.Selection
	Nominees []honours.Nominee
	Tally    honours.Tally
	Phone    string
	Done     bool
}

// portalVote is a public vote: one ballot per phone number per day; the
// count shows only once the selection's minimum of voters has voted.
func (s *Server) portalVote(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	id, _ := pathID(r, "id")
	sel, err := s.honours.Selection(r.Context(), unit.ID, id)
	if err == nil && sel.Vote != honours.VotePublic {
		err = honours.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := publicVoteData{Sel: sel}
	status := http.StatusOK
	var ps locale.Problems
	if r.Method == http.MethodPost {
		d.Phone = textnorm.NormalizePhone(r.PostFormValue("phone"))
		if d.Phone == "" || !textnorm.ValidPhone(d.Phone) {
			ps, status = locale.FieldProblem("phone", "honours.vote_phone"), http.StatusBadRequest
		} else {
			sum := sha256.Sum256([]byte(unit.Code + ":" + d.Phone))
			voter := "phone:" + hex.EncodeToString(sum[:12]) + ":" + org.Today(unit.Timezone)
			err := s.honours.Vote(r.Context(), audit.Actor{Name: "public"}, unit.ID, sel.ID, voter, choices(r, "choice"))
			if ps, ok = locale.AsProblems(err); ok {
				status = statusOf(err)
			} else if err != nil {
				s.fail(w, r, err)
				return
			} else {
				d.Done, status = true, http.StatusCreated
			}
		}
	}
	if d.Nominees, err = s.honours.Nominees(r.Context(), unit.ID, sel.ID); err == nil {
		d.Tally, err = s.honours.Tally(r.Context(), unit.ID, sel)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := page{Public: true, Title: s.printerOf(unit).Get("title.public_vote"), Unit: unit, Path: r.URL.Path, CSRF: current(r).csrf, Problems: ps,
		D: d, printer: s.printerOf(unit)}
	s.write(w, r, status, "portal_vote", p)
}

// portalExemplar is one published story.
func (s *Server) portalExemplar(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	id, _ := pathID(r, "id")
	e, err := s.honours.Exemplar(r.Context(), unit.ID, id)
	if err == nil && e.State != honours.ExemplarPublished {
		err = honours.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPublic(w, r, unit, "portal_exemplar", e.Title, e)
}

// portalExemplarPhoto serves a published story's photo.
func (s *Server) portalExemplarPhoto(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	id, _ := pathID(r, "id")
	s.writeExemplarPhoto(w, r, unit.ID, id, true)
}

type exemplarYear struct {
	Year      int
	Exemplars []honours.Exemplar
}

// portalExemplars lists the unit's published 典型示范 stories by year.
func (s *Server) portalExemplars(w http.ResponseWriter, r *http.Request) {
	unit, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	list, err := s.honours.Exemplars(r.Context(), unit.ID, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var years []exemplarYear
	for _, e := range list {
		if len(years) == 0 || years[len(years)-1].Year != e.Year {
			years = append(years, exemplarYear{Year: e.Year})
		}
		years[len(years)-1].Exemplars = append(years[len(years)-1].Exemplars, e)
	}
	s.renderPublic(w, r, unit, "portal_exemplars", s.printerOf(unit).Get("title.exemplars"), years)
}
