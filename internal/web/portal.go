package web

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"wuliang/internal/appraisal"
	"wuliang/internal/attendance"
	"wuliang/internal/commitments"
	"wuliang/internal/database"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/honours"
	"wuliang/internal/items"
	"wuliang/internal/org"
	"wuliang/internal/ratings"
	"wuliang/internal/textnorm"
)

// The portal (网络平台) is public: no login, read only, one unit per URL
// (/p/{unit}/…). It shows active windows, active people and active items,
// and nothing that is not meant for the public: people reach the templates
// only as publicPerson, which has no phone or employee number to leak.

type publicPerson struct {
	ID             int64
	Name           string
	Post           string
	DepartmentID   int64
	DepartmentName string
	Status         string
	IsMember       bool
	Duties         string
	BackupName     string
}

func toPublic(s org.Staff) publicPerson {
	return publicPerson{ID: s.ID, Name: s.Name, Post: s.Post, DepartmentID: s.DepartmentID, DepartmentName: s.DepartmentName,
		Status: s.PoliticalStatus, IsMember: s.IsPartyMember(), Duties: s.Duties, BackupName: s.BackupName}
}

// portalUnit finds the active unit named in the path, or answers 404.
func (s *Server) portalUnit(w http.ResponseWriter, r *http.Request) (org.Unit, bool) {
	u, err := s.org.UnitByCode(r.Context(), r.PathValue("unit"))
	if err != nil || !u.Active {
		if err != nil && !errors.Is(err, org.ErrNotFound) {
			s.fail(w, r, err)
			return u, false
		}
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return u, false
	}
	return u, true
}

// activeStaff lists the unit's people on duty, optionally of one department.
func (s *Server) activeStaff(r *http.Request, unitID, deptID int64) ([]publicPerson, error) {
	active := true
	list, _, err := s.org.StaffList(r.Context(), unitID, org.StaffFilter{DepartmentID: deptID, Active: &active})
	out := make([]publicPerson, 0, len(list))
	for _, p := range list {
		out = append(out, toPublic(p))
	}
	return out, err
}

// currentOnly keeps the rows of people still active: public figures count
// the work of those who left in their windows and the unit, but do not
// name them.
func currentOnly[T any](s *Server, r *http.Request, unitID int64, rows []T, id func(T) int64) ([]T, error) {
	serving, err := s.servingNow(r.Context(), unitID)
	if err != nil {
		return nil, err
	}
	return keep(rows, serving, id), nil
}

// servingNow is the set of the unit's people who serve now.
func (s *Server) servingNow(ctx context.Context, unitID int64) (map[int64]bool, error) {
	active := true
	list, _, err := s.org.StaffList(ctx, unitID, org.StaffFilter{Active: &active})
	if err != nil {
		return nil, err
	}
	return servingOf(list), nil
}

func servingOf(staff []org.Staff) map[int64]bool {
	serving := make(map[int64]bool, len(staff))
	for _, p := range staff {
		serving[p.ID] = true
	}
	return serving
}

// ofServing is currentOnly's rule for honours: it keeps the honours and
// exemplar stories of windows and of the people who serve now. The portal
// and the hall screen show those only; an honour of someone who has left
// stays in the unit's records and on its prints, not where it would lead
// to a page that is no longer there.
func ofServing(serving map[int64]bool, awards []honours.Award, stories []honours.Exemplar) ([]honours.Award, []honours.Exemplar) {
	awards = slices.DeleteFunc(awards, func(a honours.Award) bool { return a.Subject != "window" && !serving[a.SubjectID] })
	stories = slices.DeleteFunc(stories, func(e honours.Exemplar) bool { return e.StaffID != 0 && !serving[e.StaffID] })
	return awards, stories
}

// keep returns the rows whose id is in the set.
func keep[T any](rows []T, set map[int64]bool, id func(T) int64) []T {
	var out []T
	for _, row := range rows {
		if set[id(row)] {
			out = append(out, row)
		}
	}
	return out
}

// offeredOnly keeps the rows of items still offered, and the row of work
// under no item: a retired item is no longer on the portal, so its figures
// are not either — they still count in the windows' and the unit's totals.
func offeredOnly[T any](s *Server, r *http.Request, unitID int64, rows []T, id func(T) int64) ([]T, error) {
	active := true
	its, err := s.items.List(r.Context(), unitID, items.Filter{Active: &active})
	if err != nil {
		return nil, err
	}
	offered := map[int64]bool{0: true}
	for _, it := range its {
		offered[it.ID] = true
	}
	return keep(rows, offered, id), nil
}

type portalWindow struct {
	Department org.Department
	People     []publicPerson
	Items      int
}

type portalHomeData struct {
	Windows    []portalWindow
	Branches   []org.Branch
	Query      string
	Appraisals []appraisal.Round // published results (评议结果公示)
	Five       []fiveappraisal.Round
	Honours    []honours.Award // those standing now, the red flag's holder first
}

// portalHome: the unit's windows, who serves at each and how many items.
func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) {
	u, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	depts, err := s.org.Departments(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, err := s.activeStaff(r, u.ID, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	active := true
	its, err := s.items.List(r.Context(), u.ID, items.Filter{Active: &active})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var d portalHomeData
	branches, err := s.org.Branches(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, b := range branches {
		if b.Active {
			d.Branches = append(d.Branches, b)
		}
	}
	for _, dep := range depts {
		if !dep.Active || dep.Kind != org.KindWindow {
			continue
		}
		win := portalWindow{Department: dep}
		for _, p := range people {
			if p.DepartmentID == dep.ID {
				win.People = append(win.People, p)
			}
		}
		for _, it := range its {
			if it.DepartmentID == dep.ID {
				win.Items++
			}
		}
		d.Windows = append(d.Windows, win)
	}
	if d.Five, err = s.five.List(r.Context(), u.ID, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Appraisals, err = s.appraisals.List(r.Context(), u.ID, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Honours, err = s.honours.Current(r.Context(), u.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	slices.SortStableFunc(d.Honours, func(a, b honours.Award) int { return boolOrder(b.Moves) - boolOrder(a.Moves) })
	s.renderPublic(w, r, u, "portal_home", s.printerOf(u).Get("portal.home"), d)
}

type portalWindowData struct {
	Department  org.Department
	People      []publicPerson
	Items       []items.Item
	Commitments []commitments.Commitment
	Away        map[int64]*attendance.Note // who is away now, and who covers
	Honours     []honours.Award            // the window's, a moved red flag among them as history
}

// publicCommitments lists the approved (and judged) commitments matching f.
func (s *Server) publicCommitments(r *http.Request, u org.Unit, f commitments.Filter) ([]commitments.Commitment, error) {
	f.States = []string{commitments.StatePublic, commitments.StateClosed}
	f.Today = org.Today(u.Timezone)
	return s.commitments.List(r.Context(), u.ID, f)
}

// portalWindow: one window, its duties, people and items.
func (s *Server) portalWindow(w http.ResponseWriter, r *http.Request) {
	u, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	id, _ := pathID(r, "id")
	dep, err := s.org.Department(r.Context(), u.ID, id)
	if err != nil || !dep.Active {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	d := portalWindowData{Department: dep, Away: map[int64]*attendance.Note{}}
	if d.People, err = s.activeStaff(r, u.ID, dep.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	status, err := s.attendance.Status(r.Context(), u.ID, database.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, ds := range status {
		for _, p := range ds.People {
			if ds.ID == dep.ID && p.Away != nil {
				d.Away[p.StaffID] = p.Away
			}
		}
	}
	active := true
	if d.Items, err = s.items.List(r.Context(), u.ID, items.Filter{DepartmentID: dep.ID, Active: &active}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Commitments, err = s.publicCommitments(r, u, commitments.Filter{DepartmentID: dep.ID, OwnerKind: commitments.OwnerWindow}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Honours, err = s.honours.Awards(r.Context(), u.ID, honours.AwardFilter{Subject: honours.SubjectWindow, SubjectID: dep.ID, Live: true}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPublic(w, r, u, "portal_window", dep.Name, d)
}

// publicStaff loads an active person of the portal's unit, or answers 404.
func (s *Server) publicStaff(w http.ResponseWriter, r *http.Request, u org.Unit) (org.Staff, bool) {
	id, _ := pathID(r, "id")
	p, err := s.org.Staff(r.Context(), u.ID, id)
	if err != nil || !p.Active {
		if err != nil && !errors.Is(err, org.ErrNotFound) {
			s.fail(w, r, err)
			return p, false
		}
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return p, false
	}
	return p, true
}

type portalPersonData struct {
	Person      publicPerson
	Items       []items.Item
	Commitments []commitments.Commitment
	Ratings     ratings.Summary  // the last twelve months
	Comments    []ratings.Rating // texts the office approved
	Honours     []honours.Award
}

// portalPerson: a person's public page (亮身份、亮职责).
func (s *Server) portalPerson(w http.ResponseWriter, r *http.Request) {
	u, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	p, ok := s.publicStaff(w, r, u)
	if !ok {
		return
	}
	active := true
	its, err := s.items.List(r.Context(), u.ID, items.Filter{HandlerID: p.ID, Active: &active})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs, err := s.publicCommitments(r, u, commitments.Filter{StaffID: p.ID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sum, err := s.ratings.Summarize(r.Context(), u.ID, ratings.Filter{StaffID: p.ID, From: database.Now().AddDate(-1, 0, 0)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	comments, err := s.ratings.PublicComments(r.Context(), u.ID, p.ID, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	awards, err := s.honours.Awards(r.Context(), u.ID, honours.AwardFilter{Subject: honours.SubjectPerson, SubjectID: p.ID, Live: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPublic(w, r, u, "portal_person", p.Name, portalPersonData{Person: toPublic(p), Items: its, Commitments: cs, Ratings: sum, Comments: comments,
		Honours: awards})
}

// portalPhoto serves an active person's photo to the public.
func (s *Server) portalPhoto(w http.ResponseWriter, r *http.Request) {
	u, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	p, ok := s.publicStaff(w, r, u)
	if !ok {
		return
	}
	s.writePhoto(w, r, p)
}

// portalItem: an item's public card.
func (s *Server) portalItem(w http.ResponseWriter, r *http.Request) {
	u, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	id, _ := pathID(r, "id")
	it, err := s.items.Item(r.Context(), u.ID, id)
	if err != nil || !it.Active {
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	s.renderPublic(w, r, u, "portal_item", it.Name, it)
}

type portalSearchData struct {
	Query string
	Items []items.Item
}

// portalSearch finds items by name, code or a material they need.
func (s *Server) portalSearch(w http.ResponseWriter, r *http.Request) {
	u, ok := s.portalUnit(w, r)
	if !ok {
		return
	}
	d := portalSearchData{Query: textnorm.CleanText(r.URL.Query().Get("q"))}
	if len([]rune(d.Query)) > 50 {
		d.Query = string([]rune(d.Query)[:50])
	}
	if d.Query != "" {
		active := true
		var err error
		if d.Items, err = s.items.List(r.Context(), u.ID, items.Filter{Query: d.Query, Active: &active}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.renderPublic(w, r, u, "portal_search", s.printerOf(u).Get("portal.search"), d)
}

func boolOrder(b bool) int {
	if b {
		return 1
	}
	return 0
}
