package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/roster"
)

const previewRows = 200

type rosterData struct {
	Preview  *roster.Preview
	Shown    []roster.Row
	Problems []rosterProblem
	UploadID int64
	Filename string
	Result   *org.ImportResult
	MaxMiB   int
}

type rosterProblem struct {
	Line    int
	Column  string
	Message string
}

func (s *Server) rosterPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "roster", "title.roster", rosterData{MaxMiB: roster.MaxFileMiB}, nil)
}

func (s *Server) rosterTemplate(w http.ResponseWriter, r *http.Request) {
	unitID := current(r).unit.ID
	depts, err := s.org.Departments(r.Context(), unitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	branches, err := s.org.Branches(r.Context(), unitID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := roster.Template(&buf, depts, branches); err != nil {
		s.fail(w, r, err)
		return
	}
	sendExcel(w, "人员名册模板.xlsx", buf.Bytes())
}

func (s *Server) rosterExport(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	var buf bytes.Buffer
	if err := roster.Export(r.Context(), s.org, st.unit.ID, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendExcel(w, fmt.Sprintf("%s-人员名册-%s.xlsx", st.unit.Name, time.Now().Format("20060102")), buf.Bytes())
}

func sendExcel(w http.ResponseWriter, filename string, body []byte) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(filename))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}

// rosterPreview reads the uploaded workbook, keeps it, and shows every row
// and every problem before anything is written.
func (s *Server) rosterPreview(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	d := rosterData{MaxMiB: roster.MaxFileMiB}
	file, header, err := r.FormFile("file")
	if err != nil {
		s.rosterFailed(w, r, d, locale.NewError("roster.empty_file"))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, roster.MaxFileMiB<<20+1))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Filename = header.Filename
	lk, err := roster.LoadLookups(r.Context(), s.org, st.unit.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := roster.Parse(data, lk)
	if err != nil {
		s.rosterFailed(w, r, d, err)
		return
	}
	if p.OK() {
		if d.UploadID, err = roster.NewUploads(s.db).Stage(r.Context(), st.unit.ID, st.user.ID, header.Filename, data); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.showPreview(w, r, http.StatusOK, d, p)
}

func (s *Server) showPreview(w http.ResponseWriter, r *http.Request, status int, d rosterData, p *roster.Preview) {
	d.Preview = p
	d.Shown = p.Rows[:min(len(p.Rows), previewRows)]
	for _, pr := range p.Problems {
		d.Problems = append(d.Problems, rosterProblem{Line: pr.Line, Column: pr.Column, Message: s.printerOf(current(r).unit).Message(pr.Err)})
	}
	if !p.OK() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "roster", "title.roster", d, nil)
}

// rosterFailed shows a file-level problem (not Excel, empty, no header) on
// the roster page.
func (s *Server) rosterFailed(w http.ResponseWriter, r *http.Request, d rosterData, err error) {
	ps, ok := locale.AsProblems(err)
	if !ok {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "roster", "title.roster", d, ps)
}

// rosterImport applies a previewed roster, all rows or none.
func (s *Server) rosterImport(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	uploads := roster.NewUploads(s.db)
	id := formID(r, "upload_id")
	d := rosterData{MaxMiB: roster.MaxFileMiB, Filename: r.PostFormValue("filename")}
	data, err := uploads.Claim(r.Context(), st.unit.ID, st.user.ID, id)
	if err != nil {
		s.rosterFailed(w, r, d, err)
		return
	}
	p, res, err := roster.Import(r.Context(), s.org, actorOf(r), st.unit.ID, data)
	if err != nil {
		if rerr := uploads.Release(r.Context(), st.unit.ID, id); rerr != nil {
			s.log.Error("roster: release upload", "err", rerr)
		}
		if errors.Is(err, roster.ErrProblems) {
			s.showPreview(w, r, http.StatusUnprocessableEntity, d, p)
			return
		}
		s.rosterFailed(w, r, d, err)
		return
	}
	d.Result = &res
	// Ticked on the confirmation: the imported people who cannot log in
	// get accounts now, and the answer is their slips.
	if r.PostFormValue("accounts") == "1" {
		slips, skipped, err := s.createAccounts(r, 0, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(slips)+len(skipped) > 0 {
			s.sendSlips(w, r, slips, skipped)
			return
		}
	}
	s.render(w, r, http.StatusOK, "roster", "title.roster", d, nil)
}
