package web

import (
	"net/http"

	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// staffForm holds the staff form as typed, so it can be shown again with
// the problems when saving fails.
type staffForm struct {
	ID              int64
	Name            string
	Gender          string
	EmployeeNo      string
	Post            string
	DepartmentID    int64
	BranchID        int64
	PoliticalStatus string
	Phone           string
	BackupNo        string
	Duties          string

	Departments []org.Department
	Branches    []org.Branch
	Statuses    []string
	Genders     []string
}

func staffFormFrom(s org.Staff, backupNo string) staffForm {
	return staffForm{ID: s.ID, Name: s.Name, Gender: s.Gender, EmployeeNo: s.EmployeeNo, Post: s.Post,
		DepartmentID: s.DepartmentID, BranchID: s.BranchID, PoliticalStatus: s.PoliticalStatus, Phone: s.Phone,
		BackupNo: backupNo, Duties: s.Duties}
}

func readStaffForm(r *http.Request) staffForm {
	return staffForm{Name: r.PostFormValue("name"), Gender: r.PostFormValue("gender"), EmployeeNo: r.PostFormValue("employee_no"),
		Post: r.PostFormValue("post"), DepartmentID: formID(r, "department"), BranchID: formID(r, "branch"),
		PoliticalStatus: r.PostFormValue("political_status"), Phone: r.PostFormValue("phone"),
		BackupNo: r.PostFormValue("backup_no"), Duties: r.PostFormValue("duties")}
}

// input resolves the backup's employee number to an id.
func (s *Server) staffInput(r *http.Request, f staffForm) (org.StaffInput, locale.Problems) {
	in := org.StaffInput{Name: f.Name, Gender: f.Gender, EmployeeNo: f.EmployeeNo, Post: f.Post, DepartmentID: f.DepartmentID,
		BranchID: f.BranchID, PoliticalStatus: f.PoliticalStatus, Phone: f.Phone, Duties: f.Duties}
	var ps locale.Problems
	if no := textnorm.FoldWidth(f.BackupNo); no != "" {
		b, ok := s.personByNo(r, no)
		if !ok {
			ps.Add("backup", "error.staff_no_unknown", no)
		} else {
			in.BackupID = b.ID
		}
	}
	return in, ps
}

// showStaffForm renders the form with the unit's lists filled in.
func (s *Server) showStaffForm(w http.ResponseWriter, r *http.Request, status int, f staffForm, ps locale.Problems) {
	var err error
	if f.Departments, f.Branches, err = s.unitLists(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f.Statuses, f.Genders = org.PoliticalStatuses, org.Genders
	title := "title.staff_new"
	if f.ID != 0 {
		title = "title.staff_edit"
	}
	s.render(w, r, status, "staff_form", title, f, ps)
}
