package web

import (
	"io"
	"net/http"

	"wuliang/internal/commitments"
	"wuliang/internal/locale"
)

// commitmentAction runs one state change and goes back to the commitment.
func (s *Server) commitmentAction(w http.ResponseWriter, r *http.Request, do func(id int64) error) {
	id, _ := pathID(r, "id")
	err := do(id)
	if _, ok := locale.AsProblems(err); ok {
		s.fail(w, r, err)
		return
	}
	if err != nil {
		s.commitmentFailed(w, r, err)
		return
	}
	s.redirect(w, r, "/commitments/"+itoa(id), "flash.saved")
}

func (s *Server) commitmentSubmit(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	s.commitmentAction(w, r, func(id int64) error {
		return s.commitments.Submit(r.Context(), actorOf(r), st.user, st.unit.ID, id)
	})
}

func (s *Server) commitmentApprove(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	s.commitmentAction(w, r, func(id int64) error {
		return s.commitments.Approve(r.Context(), actorOf(r), st.user, st.unit.ID, id)
	})
}

func (s *Server) commitmentReturn(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	s.commitmentAction(w, r, func(id int64) error {
		return s.commitments.Return(r.Context(), actorOf(r), st.user, st.unit.ID, id, r.PostFormValue("reason"))
	})
}

func (s *Server) commitmentClose(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	s.commitmentAction(w, r, func(id int64) error {
		return s.commitments.Close(r.Context(), actorOf(r), st.user, st.unit.ID, id, r.PostFormValue("outcome"))
	})
}

// fulfilmentAdd records a fulfilment with an optional evidence file.
func (s *Server) fulfilmentAdd(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	in := commitments.FulfilmentInput{OnDate: r.PostFormValue("on_date"), Body: r.PostFormValue("body")}
	if file, header, err := r.FormFile("file"); err == nil {
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, commitments.MaxEvidenceBytes+1))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		in.Data, in.FileName = data, header.Filename
	}
	s.commitmentAction(w, r, func(id int64) error {
		_, err := s.commitments.AddFulfilment(r.Context(), actorOf(r), st.user, st.unit.ID, id, in)
		return err
	})
}

// fulfilmentReview accepts or rejects a fulfilment entry.
func (s *Server) fulfilmentReview(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	fid, _ := pathID(r, "id")
	cid := formID(r, "commitment")
	err := s.commitments.Review(r.Context(), actorOf(r), st.user, st.unit.ID, fid, r.PostFormValue("review") == "accept", r.PostFormValue("note"))
	if _, ok := locale.AsProblems(err); ok {
		s.fail(w, r, err)
		return
	}
	if err != nil {
		s.commitmentFailed(w, r, err)
		return
	}
	s.redirect(w, r, "/commitments/"+itoa(cid), "flash.saved")
}
