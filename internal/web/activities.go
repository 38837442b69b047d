package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
)

type activityData struct {
	Period     period.Period
	Mine       activities.Explain
	HasMine    bool
	Kinds      []activities.Kind
	MyClaims   []activities.Claim
	ToReview   []activities.Claim
	People     []org.Staff
	Input      activities.ClaimInput
	Claim      activities.Claim
	CanReview  bool
	Dimensions []string
	Today      string
}

// activityFailed turns an activities error into the right page; problems
// go back to the form through again.
func (s *Server) activityFailed(w http.ResponseWriter, r *http.Request, err error, again func(locale.Problems)) {
	switch {
	case errors.Is(err, activities.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "error.not_found")
	case errors.Is(err, activities.ErrForbidden):
		s.errorPage(w, r, http.StatusForbidden, "error.forbidden")
	default:
		if ps, ok := locale.AsProblems(err); ok && again != nil {
			again(ps)
			return
		}
		s.fail(w, r, err)
	}
}

// activityHome: the person's points this quarter and their claims, the
// form to record an activity, and for approvers the claims waiting.
func (s *Server) activityHome(w http.ResponseWriter, r *http.Request) {
	s.activityHomePage(w, r, http.StatusOK, activities.ClaimInput{}, nil)
}

func (s *Server) activityHomePage(w http.ResponseWriter, r *http.Request, status int, in activities.ClaimInput, ps locale.Problems) {
	st := current(r)
	ctx := r.Context()
	loc := org.Location(st.unit.Timezone)
	d := activityData{Period: period.QuarterOf(time.Now(), loc), Input: in, Dimensions: activities.Dimensions, Today: time.Now().In(loc).Format(time.DateOnly)}
	var err error
	if d.Kinds, err = s.activities.KindsOf(ctx, st.unit.ID, activities.ClaimForms...); err != nil {
		s.fail(w, r, err)
		return
	}
	if st.user.StaffID != 0 {
		d.HasMine = true
		if d.Mine, err = s.activities.Explain(ctx, st.unit.ID, st.user.StaffID, d.Period); err == nil {
			d.MyClaims, err = s.activities.MyClaims(ctx, st.unit.ID, st.user.StaffID)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if st.user.Is(accounts.RoleUnitAdmin, accounts.RoleSystemAdmin, accounts.RoleBranchSecretary, accounts.RoleWindowLead) {
		if d.ToReview, err = s.activities.ToReview(ctx, st.unit.ID, st.user); err != nil {
			s.fail(w, r, err)
			return
		}
		f := org.StaffFilter{Active: new(true)}
		switch st.user.Role {
		case accounts.RoleBranchSecretary:
			f.BranchID = st.user.BranchID
		case accounts.RoleWindowLead:
			f.DepartmentID = st.user.DepartmentID
		}
		if d.People, _, err = s.org.StaffList(ctx, st.unit.ID, f); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "activities", "title.activities", d, ps)
}

// claimSubmit records an activity with its evidence; a refused claim comes
// back with everything as typed (the file must be chosen again).
func (s *Server) claimSubmit(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	in := activities.ClaimInput{KindID: formID(r, "kind"), StaffID: formID(r, "staff"), DateFrom: r.PostFormValue("date_from"), DateTo: r.PostFormValue("date_to"),
		Quantity: r.PostFormValue("quantity"), Place: r.PostFormValue("place"), Team: r.PostFormValue("team"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	if file, header, err := r.FormFile("file"); err == nil {
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, activities.MaxEvidenceBytes+1))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		in.Data, in.FileName = data, header.Filename
	}
	id, err := s.activities.Submit(r.Context(), actorOf(r), st.user, st.unit.ID, org.Location(st.unit.Timezone), in)
	if err != nil {
		in.Data = nil
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.activityHomePage(w, r, http.StatusBadRequest, in, ps) })
		return
	}
	s.redirect(w, r, "/activities/claims/"+itoa(id), "flash.saved")
}

// visibleClaim loads the claim in the path for its claimant or someone who
// may approve it.
func (s *Server) visibleClaim(w http.ResponseWriter, r *http.Request) (activities.Claim, bool) {
	st := current(r)
	id, _ := pathID(r, "id")
	c, err := s.activities.Claim(r.Context(), st.unit.ID, id)
	if err == nil && !(st.user.StaffID == c.StaffID || activities.CanApprove(st.user, c)) {
		err = activities.ErrNotFound
	}
	if err != nil {
		s.activityFailed(w, r, err, nil)
		return c, false
	}
	return c, true
}

func (s *Server) claimShow(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.visibleClaim(w, r); ok {
		s.claimPage(w, r, http.StatusOK, c, nil)
	}
}

func (s *Server) claimPage(w http.ResponseWriter, r *http.Request, status int, c activities.Claim, ps locale.Problems) {
	d := activityData{Claim: c, CanReview: activities.CanApprove(current(r).user, c)}
	s.render(w, r, status, "activity_claim", "title.activity_claim", d, ps)
}

// claimReview approves or returns a claim.
func (s *Server) claimReview(w http.ResponseWriter, r *http.Request) {
	c, ok := s.visibleClaim(w, r)
	if !ok {
		return
	}
	st := current(r)
	err := s.activities.Review(r.Context(), actorOf(r), st.user, st.unit.ID, c.ID, r.PostFormValue("decision") == "approve", r.PostFormValue("note"))
	if err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) {
			s.claimPage(w, r, statusOf(err), c, ps)
		})
		return
	}
	s.redirect(w, r, "/activities/claims/"+itoa(c.ID), "flash.saved")
}

// claimResult records that an adopted proposal showed results.
func (s *Server) claimResult(w http.ResponseWriter, r *http.Request) {
	c, ok := s.visibleClaim(w, r)
	if !ok {
		return
	}
	st := current(r)
	err := s.activities.Result(r.Context(), actorOf(r), st.user, st.unit.ID, org.Location(st.unit.Timezone), c.ID, r.PostFormValue("result"))
	if err != nil {
		s.activityFailed(w, r, err, func(ps locale.Problems) { s.claimPage(w, r, http.StatusBadRequest, c, ps) })
		return
	}
	s.redirect(w, r, "/activities/claims/"+itoa(c.ID), "flash.saved")
}

// claimFile sends a claim's evidence to those who may see the claim.
func (s *Server) claimFile(w http.ResponseWriter, r *http.Request) {
	c, ok := s.visibleClaim(w, r)
	if !ok {
		return
	}
	name, ctype, data, err := s.activities.File(r.Context(), current(r).unit.ID, c.ID)
	if err != nil {
		s.activityFailed(w, r, err, nil)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}
