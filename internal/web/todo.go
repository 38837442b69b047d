package web

import (
	"net/http"

	"wuliang/internal/database"
	"wuliang/internal/todo"
)

type todoData struct {
	List  todo.List
	Kinds []string
}

// todoPage is 办公室待办: everything overdue or waiting on the viewer,
// read live from the facts, each line linking to where it is handled.
func (s *Server) todoPage(w http.ResponseWriter, r *http.Request) {
	st := current(r)
	list, err := s.todo.Of(r.Context(), st.unit, st.user, database.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "todo", "title.todo", todoData{List: list, Kinds: todo.Kinds}, nil)
}
