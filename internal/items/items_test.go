package items_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"wuliang/internal/database"
	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

func licence(u orgtest.Unit) items.Input {
	return items.Input{
		Code: "3642000001", Name: "个体工商户设立登记", PolicyBasis: "《促进个体工商户发展条例》",
		Preconditions: "有经营能力的公民", Procedure: "申请\n受理\n\n审核\n发照", FeeStandard: "",
		TimeLimitDays: 1, HandlingUnit: "县市场监督管理局", Contact: "0713-1234567", DepartmentID: u.Window,
		Materials: []items.Material{
			{Name: "经营者身份证", Form: items.FormBoth, Copies: 1},
			{Name: "", Note: ""},
			{Name: "经营场所使用证明", Form: items.FormCopy, Copies: 1, Note: "租赁合同或房产证"},
		},
		HandlerIDs: []int64{u.Staff[0], u.Staff[1], u.Staff[0]},
	}
}

func keys(err error) []string {
	ps, _ := locale.AsProblems(err)
	var out []string
	for _, p := range ps {
		out = append(out, p.Err.Key)
	}
	return out
}

func TestCreateAndRead(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		s := items.NewStore(db)
		id, err := s.Create(ctx, orgtest.Actor, u.ID, licence(u))
		if err != nil {
			t.Fatal(err)
		}
		it, err := s.Item(ctx, u.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if it.FeeStandard != "不收费" || len(it.Procedure) != 4 || it.Procedure[2] != "审核" || len(it.Materials) != 2 ||
			it.Materials[1].Note != "租赁合同或房产证" || len(it.Handlers) != 2 || it.DepartmentName != "税务窗口" {
			t.Fatalf("%+v", it)
		}
		for q, want := range map[string]int{"身份证": 1, "个体": 1, "3642": 1, "营业执照": 0, "%": 0} {
			list, err := s.List(ctx, u.ID, items.Filter{Query: q})
			if err != nil || len(list) != want {
				t.Errorf("search %q: %d, want %d (%v)", q, len(list), want, err)
			}
		}
		byHandler, _ := s.List(ctx, u.ID, items.Filter{HandlerID: u.Staff[1]})
		if len(byHandler) != 1 {
			t.Fatalf("items of a handler: %d", len(byHandler))
		}
	})
}

func TestBadItems(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := items.NewStore(db)
		if _, err := s.Create(ctx, orgtest.Actor, a.ID, licence(a)); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			edit func(*items.Input)
			key  string
		}{
			{"no name", func(in *items.Input) { in.Name = "　" }, "error.required"},
			{"negative time limit", func(in *items.Input) { in.TimeLimitDays = -1 }, "item.time_limit_negative"},
			{"a year and a day", func(in *items.Input) { in.TimeLimitDays = 366 }, "item.time_limit_too_long"},
			{"same name", func(in *items.Input) {}, "item.name_taken"},
			{"huge policy", func(in *items.Input) { in.PolicyBasis = strings.Repeat("法", 100_000) }, "error.too_long"},
			{"material without name", func(in *items.Input) {
				in.Materials = []items.Material{{Note: "只有备注", Form: items.FormCopy, Copies: 1}}
			}, "item.material_name_required"},
			{"material twice", func(in *items.Input) {
				in.Materials = []items.Material{{Name: "身份证", Form: items.FormCopy, Copies: 1}, {Name: "身份证", Form: items.FormCopy, Copies: 1}}
			}, "item.material_duplicate"},
			{"zero copies", func(in *items.Input) {
				in.Materials = []items.Material{{Name: "身份证", Form: items.FormCopy, Copies: 0}}
			}, "item.material_copies_invalid"},
			{"bad form", func(in *items.Input) { in.Materials = []items.Material{{Name: "身份证", Form: "<b>", Copies: 1}} }, "item.material_form_invalid"},
			{"another unit's window", func(in *items.Input) { in.DepartmentID = b.Window }, "error.department_unknown"},
			{"another unit's handler", func(in *items.Input) { in.HandlerIDs = []int64{b.Staff[0]} }, "error.staff_unknown"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := licence(a)
				if c.name != "same name" {
					in.Name = "新事项 " + c.name
				}
				c.edit(&in)
				_, err := s.Create(ctx, orgtest.Actor, a.ID, in)
				found := false
				for _, k := range keys(err) {
					found = found || k == c.key
				}
				if !found {
					t.Fatalf("got %v, want %s", err, c.key)
				}
			})
		}
		list, _ := s.List(ctx, a.ID, items.Filter{})
		if len(list) != 1 {
			t.Fatalf("%d items saved", len(list))
		}
	})
}

func TestItemsStayInTheirUnit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := items.NewStore(db)
		id, err := s.Create(ctx, orgtest.Actor, a.ID, licence(a))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Item(ctx, b.ID, id); !errors.Is(err, items.ErrNotFound) {
			t.Fatalf("read from another unit: %v", err)
		}
		if err := s.Update(ctx, orgtest.Actor, b.ID, id, licence(b)); !errors.Is(err, items.ErrNotFound) {
			t.Fatalf("update from another unit: %v", err)
		}
		if err := s.SetActive(ctx, orgtest.Actor, b.ID, id, false); !errors.Is(err, items.ErrNotFound) {
			t.Fatalf("retire from another unit: %v", err)
		}
		if list, _ := s.List(ctx, b.ID, items.Filter{}); len(list) != 0 {
			t.Fatalf("unit b lists %d items of unit a", len(list))
		}
		// Retired items leave active lists, keep their record.
		if err := s.SetActive(ctx, orgtest.Actor, a.ID, id, false); err != nil {
			t.Fatal(err)
		}
		active := true
		if list, _ := s.List(ctx, a.ID, items.Filter{Active: &active}); len(list) != 0 {
			t.Fatal("a retired item is still listed as active")
		}
		if it, err := s.Item(ctx, a.ID, id); err != nil || it.Active {
			t.Fatalf("retired item: %+v %v", it, err)
		}
	})
}
