package web

import (
	"net/http"

	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

func (s *Server) branchList(w http.ResponseWriter, r *http.Request) {
	list, err := s.org.Branches(r.Context(), current(r).unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "branches", "title.branches", list, nil)
}

type branchForm struct {
	ID          int64
	Name        string
	SecretaryNo string
}

func (s *Server) showBranchForm(w http.ResponseWriter, r *http.Request, status int, f branchForm, ps locale.Problems) {
	title := "title.branch_new"
	if f.ID != 0 {
		title = "title.branch_edit"
	}
	s.render(w, r, status, "branch_form", title, f, ps)
}

// saveBranch resolves the secretary's employee number and creates or
// updates the branch.
func (s *Server) saveBranch(w http.ResponseWriter, r *http.Request, id int64) {
	unitID := current(r).unit.ID
	f := branchForm{ID: id, Name: r.PostFormValue("name"), SecretaryNo: textnorm.FoldWidth(r.PostFormValue("secretary_no"))}
	in := org.BranchInput{Name: f.Name}
	var ps locale.Problems
	if f.SecretaryNo != "" {
		sec, ok := s.personByNo(r, f.SecretaryNo)
		if !ok {
			ps.Add("secretary", "error.staff_no_unknown", f.SecretaryNo)
		}
		in.SecretaryID = sec.ID
	}
	if len(ps) == 0 {
		var err error
		if id == 0 {
			_, err = s.org.CreateBranch(r.Context(), actorOf(r), unitID, in)
		} else {
			err = s.org.UpdateBranch(r.Context(), actorOf(r), unitID, id, in)
		}
		if ps, _ = locale.AsProblems(err); err != nil && ps == nil {
			s.fail(w, r, err)
			return
		}
	}
	if len(ps) > 0 {
		s.showBranchForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	s.redirect(w, r, "/branches", "flash.saved")
}

func (s *Server) branchNew(w http.ResponseWriter, r *http.Request) {
	s.showBranchForm(w, r, http.StatusOK, branchForm{}, nil)
}

func (s *Server) branchCreate(w http.ResponseWriter, r *http.Request) { s.saveBranch(w, r, 0) }

func (s *Server) branchEdit(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	unitID := current(r).unit.ID
	b, err := s.org.Branch(r.Context(), unitID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := branchForm{ID: b.ID, Name: b.Name}
	if b.SecretaryID != 0 {
		if sec, err := s.org.Staff(r.Context(), unitID, b.SecretaryID); err == nil {
			f.SecretaryNo = sec.EmployeeNo
		}
	}
	s.showBranchForm(w, r, http.StatusOK, f, nil)
}

func (s *Server) branchUpdate(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	if _, err := s.org.Branch(r.Context(), current(r).unit.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveBranch(w, r, id)
}

func (s *Server) branchSetActive(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	if err := s.org.SetBranchActive(r.Context(), actorOf(r), current(r).unit.ID, id, r.PostFormValue("active") == "1"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/branches", "flash.saved")
}
