package web

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/workbook"
)

type slipsData struct {
	Pages   [][]accounts.Slip // ten slips to an A4 sheet
	Skipped []string          // people whose employee number cannot be a login
	Login   string            // the address people log in at
}

// slipsPerSheet: two columns of five on A4, each slip big enough to read
// and to cut out along its dashed edge.
const slipsPerSheet = 10

// accountsCreate gives the chosen part of the roster (everyone, a window
// or a branch) staff accounts, and answers with their slips: printed now,
// as a PDF or as a workbook, since the passwords are never shown again.
func (s *Server) accountsCreate(w http.ResponseWriter, r *http.Request) {
	slips, skipped, err := s.createAccounts(r, formID(r, "department"), formID(r, "branch"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(slips) == 0 && len(skipped) == 0 {
		var ps locale.Problems
		ps.Add("scope", "users.everyone_has_account")
		s.showUsers(w, r, http.StatusBadRequest, usersData{}, ps)
		return
	}
	s.sendSlips(w, r, slips, skipped)
}

// createAccounts opens accounts for the active people of a window, a
// branch or (both 0) the whole unit who have none.
func (s *Server) createAccounts(r *http.Request, departmentID, branchID int64) ([]accounts.Slip, []string, error) {
	st := current(r)
	active := true
	f := org.StaffFilter{Active: &active, Limit: 5000, DepartmentID: departmentID, BranchID: branchID}
	people, _, err := s.org.StaffList(r.Context(), st.unit.ID, f)
	if err != nil {
		return nil, nil, err
	}
	list := make([]accounts.Person, len(people))
	for i, p := range people {
		list[i] = accounts.Person{StaffID: p.ID, EmployeeNo: p.EmployeeNo, Name: p.Name, Window: p.DepartmentName}
	}
	return s.accounts.CreateStaffAccounts(r.Context(), actorOf(r), st.unit.ID, st.unit.Code, list)
}

// userSlip resets one account's password to a new slip password.
func (s *Server) userSlip(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	slip, err := s.accounts.ResetWithSlip(r.Context(), actorOf(r), current(r).unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if u, err := s.accounts.User(r.Context(), current(r).unit.ID, id); err == nil && u.StaffID != 0 {
		if p, err := s.org.Staff(r.Context(), current(r).unit.ID, u.StaffID); err == nil {
			slip.Window = p.DepartmentName
		}
	}
	s.sendSlips(w, r, []accounts.Slip{slip}, nil)
}

// sendSlips answers a creation or reset with its slips, in the format the
// button asked for. Nothing of them is cached: the page holds passwords.
func (s *Server) sendSlips(w http.ResponseWriter, r *http.Request, slips []accounts.Slip, skipped []string) {
	w.Header().Set("Cache-Control", "no-store")
	st := current(r)
	if r.PostFormValue("format") == "xlsx" {
		sheet := workbook.Sheet{Name: "账号口令", Title: st.unit.Name + " 账号初始密码(首次登录须修改)",
			Header: []string{"姓名", "窗口/科室", "用户名", "初始密码"}, Widths: []float64{14, 20, 18, 16}}
		for _, sl := range slips {
			sheet.Rows = append(sheet.Rows, []any{sl.DisplayName, sl.Window, sl.Username, sl.Password})
		}
		var buf bytes.Buffer
		if err := sheet.Write(&buf); err != nil {
			s.fail(w, r, err)
			return
		}
		sendExcel(w, fmt.Sprintf("%s-账号口令-%s.xlsx", st.unit.Name, time.Now().Format("20060102-1504")), buf.Bytes())
		return
	}
	d := slipsData{Skipped: skipped, Login: s.publicURL(r) + "/login"}
	for i := 0; i < len(slips); i += slipsPerSheet {
		d.Pages = append(d.Pages, slips[i:min(i+slipsPerSheet, len(slips))])
	}
	if r.PostFormValue("format") == "pdf" {
		r.URL.RawQuery = "format=pdf"
	}
	s.printPage(w, r, "print_slips", "title.account_slips", d)
}
