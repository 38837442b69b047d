package web

import (
	"net/http"
	"strconv"
	"strings"

	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

type itemListData struct {
	Items       []items.Item
	Query       string
	Department  int64
	ShowRetired bool
	Departments []org.Department
}

// itemList lists the unit's service items, searchable by name, code or
// material, for everyone in the unit.
func (s *Server) itemList(w http.ResponseWriter, r *http.Request) {
	unitID := current(r).unit.ID
	d := itemListData{Query: r.URL.Query().Get("q"), Department: formID(r, "window"), ShowRetired: r.URL.Query().Get("retired") == "1"}
	active := !d.ShowRetired
	var err error
	if d.Items, err = s.items.List(r.Context(), unitID, items.Filter{Query: d.Query, DepartmentID: d.Department, Active: &active}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Departments, err = s.org.Departments(r.Context(), unitID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "items", "title.items", d, nil)
}

// itemShow is the item's card (明白卡) with the eight disclosures.
func (s *Server) itemShow(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	it, err := s.items.Item(r.Context(), current(r).unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "item_show", "title.item", it, nil)
}

// blankMaterialRows is how many empty material rows the form offers; more
// can be added by saving and editing again.
const blankMaterialRows = 5

type itemForm struct {
	ID int64
	items.Input
	TimeLimitText string
	HandlerNos    string
	Forms         []string
	Departments   []org.Department
}

func itemFormFrom(it items.Item) itemForm {
	f := itemForm{ID: it.ID, Input: items.Input{Code: it.Code, Name: it.Name, PolicyBasis: it.PolicyBasis,
		Preconditions: it.Preconditions, Procedure: strings.Join(it.Procedure, "\n"), FeeBasis: it.FeeBasis,
		FeeStandard: it.FeeStandard, HandlingUnit: it.HandlingUnit, Contact: it.Contact, DepartmentID: it.DepartmentID,
		Materials: it.Materials}, TimeLimitText: strconv.Itoa(it.TimeLimitDays)}
	var nos []string
	for _, h := range it.Handlers {
		nos = append(nos, h.EmployeeNo)
	}
	f.HandlerNos = strings.Join(nos, " ")
	return f
}

// readItemForm reads the form; material rows come as parallel lists.
func (s *Server) readItemForm(r *http.Request) (itemForm, locale.Problems) {
	f := itemForm{Input: items.Input{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"),
		PolicyBasis: r.PostFormValue("policy_basis"), Preconditions: r.PostFormValue("preconditions"),
		Procedure: r.PostFormValue("procedure"), FeeBasis: r.PostFormValue("fee_basis"), FeeStandard: r.PostFormValue("fee_standard"),
		HandlingUnit: r.PostFormValue("handling_unit"), Contact: r.PostFormValue("contact"), DepartmentID: formID(r, "window")},
		TimeLimitText: textnorm.FoldWidth(r.PostFormValue("time_limit")), HandlerNos: r.PostFormValue("handler_nos")}
	var ps locale.Problems
	if f.TimeLimitText == "" {
		f.TimeLimitText = "0"
	}
	days, err := strconv.Atoi(f.TimeLimitText)
	if err != nil {
		ps.Add("time_limit", "item.time_limit_number")
	}
	f.TimeLimitDays = days
	names, forms, copies, notes := r.PostForm["material_name"], r.PostForm["material_form"], r.PostForm["material_copies"], r.PostForm["material_note"]
	for i := range names {
		m := items.Material{Name: names[i], Form: at(forms, i), Note: at(notes, i), Copies: 1}
		if c := textnorm.FoldWidth(at(copies, i)); c != "" {
			if m.Copies, err = strconv.Atoi(c); err != nil {
				m.Copies = 0 // reported by the item's validation
			}
		}
		f.Materials = append(f.Materials, m)
	}
	for _, no := range org.EmployeeNos(f.HandlerNos) {
		person, ok := s.personByNo(r, no)
		if !ok {
			ps.Add("handlers", "error.staff_no_unknown", no)
			continue
		}
		f.HandlerIDs = append(f.HandlerIDs, person.ID)
	}
	return f, ps
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

func (s *Server) showItemForm(w http.ResponseWriter, r *http.Request, status int, f itemForm, ps locale.Problems) {
	var err error
	if f.Departments, err = s.org.Departments(r.Context(), current(r).unit.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	f.Forms = items.MaterialForms
	for range blankMaterialRows {
		f.Materials = append(f.Materials, items.Material{Form: items.FormOriginal, Copies: 1})
	}
	title := "title.item_new"
	if f.ID != 0 {
		title = "title.item_edit"
	}
	s.render(w, r, status, "item_form", title, f, ps)
}

func (s *Server) itemNew(w http.ResponseWriter, r *http.Request) {
	s.showItemForm(w, r, http.StatusOK, itemForm{TimeLimitText: "0", Input: items.Input{DepartmentID: formID(r, "window")}}, nil)
}

func (s *Server) itemCreate(w http.ResponseWriter, r *http.Request) { s.saveItem(w, r, 0) }

func (s *Server) itemEdit(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	it, err := s.items.Item(r.Context(), current(r).unit.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showItemForm(w, r, http.StatusOK, itemFormFrom(it), nil)
}

func (s *Server) itemUpdate(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	if _, err := s.items.Item(r.Context(), current(r).unit.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveItem(w, r, id)
}

// saveItem creates (id 0) or updates an item from the form.
func (s *Server) saveItem(w http.ResponseWriter, r *http.Request, id int64) {
	f, ps := s.readItemForm(r)
	f.ID = id
	if len(ps) == 0 {
		unitID := current(r).unit.ID
		var err error
		if id == 0 {
			id, err = s.items.Create(r.Context(), actorOf(r), unitID, f.Input)
		} else {
			err = s.items.Update(r.Context(), actorOf(r), unitID, id, f.Input)
		}
		if ps, _ = locale.AsProblems(err); err != nil && ps == nil {
			s.fail(w, r, err)
			return
		}
	}
	if len(ps) > 0 {
		f.Materials = dropBlank(f.Materials)
		s.showItemForm(w, r, http.StatusBadRequest, f, ps)
		return
	}
	s.redirect(w, r, "/items/"+itoa(id), "flash.saved")
}

// dropBlank removes empty material rows before the form adds fresh ones.
func dropBlank(ms []items.Material) []items.Material {
	var out []items.Material
	for _, m := range ms {
		if strings.TrimSpace(m.Name) != "" || strings.TrimSpace(m.Note) != "" {
			out = append(out, m)
		}
	}
	return out
}

// itemSetActive retires an item or brings it back.
func (s *Server) itemSetActive(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	if err := s.items.SetActive(r.Context(), actorOf(r), current(r).unit.ID, id, r.PostFormValue("active") == "1"); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/items/"+itoa(id), "flash.saved")
}
