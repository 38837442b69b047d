package efficiency_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/accounts"
	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/efficiency"
	"wuliang/internal/items"
	"wuliang/internal/orgtest"
	"wuliang/internal/period"
	"wuliang/internal/testdb"
)

var cst = time.FixedZone("CST", 8*3600)

func TestReport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		u := orgtest.New(t, db, "unit-a")
		item, err := items.NewStore(db).Create(ctx, orgtest.Actor, u.ID, items.Input{Name: "个体工商户设立登记", TimeLimitDays: 3, DepartmentID: u.Window,
			HandlingUnit: "县市场监管局", Materials: []items.Material{{Name: "身份证", Form: "original", Copies: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 10, 12, 9, 0, 0, 0, cst)
		s := cases.NewStore(db).WithClock(func() time.Time { return now })
		office := accounts.User{ID: 0, Role: accounts.RoleUnitAdmin}
		var ids []int64
		for range 3 {
			c, err := s.Register(ctx, orgtest.Actor, office, u.ID, cases.Registration{FirstContactID: u.Staff[0], ItemID: item,
				RecipientName: "刘备", RecipientPhone: "13900001234", Channel: "counter"})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Accept(ctx, orgtest.Actor, office, u.ID, c.ID, cases.Acceptance{}); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		notice := func(name string) {
			if _, err := s.RequestMaterials(ctx, orgtest.Actor, office, u.ID, ids[2], cases.NoticeInput{Materials: []cases.MissingMaterial{{Name: name}}}); err != nil {
				t.Fatal(err)
			}
		}
		notice("身份证")
		notice("户口簿") // not in the first notice, no reason: a breach
		now = time.Date(2026, 10, 13, 10, 0, 0, 0, cst)
		s.Complete(ctx, orgtest.Actor, office, u.ID, ids[0], "")
		now = time.Date(2026, 10, 20, 10, 0, 0, 0, cst)
		if err := s.Complete(ctx, orgtest.Actor, office, u.ID, ids[1], ""); err != nil {
			t.Fatal(err)
		}
		// A fourth case, accepted on the 12th and still open when the sweep
		// finds it overdue: it weighs on the on-time rate while it stays open.
		now = time.Date(2026, 10, 12, 9, 30, 0, 0, cst)
		late, err := s.Register(ctx, orgtest.Actor, office, u.ID, cases.Registration{FirstContactID: u.Staff[0], ItemID: item,
			RecipientName: "关羽", RecipientPhone: "13900001235", Channel: "counter"})
		if err != nil || s.Accept(ctx, orgtest.Actor, office, u.ID, late.ID, cases.Acceptance{}) != nil {
			t.Fatal(err)
		}
		now = time.Date(2026, 10, 21, 9, 0, 0, 0, cst)
		if n, err := s.MarkOverdue(ctx); n != 1 || err != nil {
			t.Fatalf("sweep: %d %v", n, err)
		}
		e := efficiency.NewStore(db)
		for _, key := range []string{"2026-10", "2026-Q4"} {
			p, err := period.Parse(key, cst)
			if err != nil {
				t.Fatalf("period %s: %v", key, err)
			}
			r, err := e.Report(ctx, u.ID, p)
			if err != nil {
				t.Fatal(err)
			}
			want := efficiency.Figures{Registered: 4, Accepted: 4, Completed: 2, OnTime: 1, WorkingDays: 1 + 6, Overdue: 2, OpenOverdue: 1, Breaches: 1}
			// One of the two completed was on time, and the case still open
			// past its deadline is late too: 1 of 3.
			if r.Total != want || r.Total.OnTimeRate() != "33.3%" || r.Total.AverageDays() != "3.5" {
				t.Fatalf("%s: %+v", key, r.Total)
			}
			if len(r.Windows) != 1 || r.Windows[0].Figures != want || len(r.People) != 1 || r.People[0].Name != "张三" {
				t.Fatalf("%s rows: %+v %+v", key, r.Windows, r.People)
			}
			var buf bytes.Buffer
			if err := r.Excel(&buf, "测试单位"); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows("窗口")
			if len(rows) != 4 || rows[2][1] != "税务窗口" || rows[2][5] != "33.3%" || rows[1][8] != "期末超期未办结" || rows[2][8] != "1" {
				t.Fatalf("sheet: %v", rows)
			}
		}
		sept, _ := period.Parse("2026-09", cst)
		if r, _ := e.Report(ctx, u.ID, sept); r.Total != (efficiency.Figures{}) || len(r.Windows) != 1 {
			t.Fatalf("september: %+v", r)
		}
	})
}
