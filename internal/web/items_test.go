package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/items"
	"wuliang/internal/sitetest"
)

func itemID(t *testing.T, s *sitetest.Site, code, name string) string {
	list, err := items.NewStore(s.DB).List(ctx, s.Units[code].ID, items.Filter{Query: name})
	if err != nil || len(list) == 0 {
		t.Fatalf("item %s: %v", name, err)
	}
	return itoa(list[0].ID)
}

func itemForm(window string, edits ...string) url.Values {
	f := url.Values{"name": {"测试事项"}, "window": {window}, "time_limit": {"3"}, "procedure": {"申请\n受理\n办结"},
		"material_name": {"身份证", "", "户口簿"}, "material_form": {"both", "original", "copy"}, "material_copies": {"1", "1", "２"},
		"material_note": {"", "", "复印首页"}, "handler_nos": {"ZX0013，ＺＸ００１４ ZX0015、ZX0016"}}
	for i := 0; i+1 < len(edits); i += 2 {
		f.Set(edits[i], edits[i+1])
	}
	return f
}

func TestItemPages(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		tax := deptOf(t, s, "demo-center", "税务窗口")
		licence := itemID(t, s, "demo-center", "个体工商户设立登记")
		s.Run(t, []sitetest.Scenario{
			{Name: "staff see the items", As: "center-staff", Path: "/items", Status: 200, Contains: []string{"个体工商户设立登记", "不动产登记资料查询"}},
			{Name: "search by material", As: "center-staff", Path: "/items?q=" + url.QueryEscape("营业执照"), Status: 200,
				Contains: []string{"营业执照变更登记", "清税证明开具"}, NotContains: []string{"居民身份证换领"}},
			{Name: "the card shows the eight disclosures", As: "center-staff", Path: "/items/" + licence, Status: 200,
				Contains: []string{"政策依据", "前置条件", "办理程序", "收费依据", "收费标准", "办理时限", "承办单位", "经营者身份证", "即办"}},
			{Name: "staff cannot edit", As: "center-staff", Path: "/items/" + licence + "/edit", Status: 403},
			{Name: "staff cannot retire", As: "center-staff", Method: "POST", Path: "/items/" + licence + "/active", Form: url.Values{"active": {"0"}}, Status: 403},
			{Name: "another unit's item", As: "hospital-admin", Path: "/items/" + licence, Status: 404, NotContains: []string{"个体工商户"}},
			{Name: "another unit's item edit", As: "hospital-admin", Method: "POST", Path: "/items/" + licence, Form: itemForm(""), Status: 404},
			{Name: "no name", As: "center-admin", Method: "POST", Path: "/items", Form: itemForm(tax, "name", ""), Status: 400, Contains: []string{"请填写事项名称"}},
			{Name: "negative time limit", As: "center-admin", Method: "POST", Path: "/items", Form: itemForm(tax, "time_limit", "-3"), Status: 400,
				Contains: []string{"办理时限不能为负数", `value="身份证"`, `value="复印首页"`}},
			{Name: "time limit in words", As: "center-admin", Method: "POST", Path: "/items", Form: itemForm(tax, "time_limit", "三天"), Status: 400, Contains: []string{"办理时限须为整数"}},
			{Name: "another unit's window", As: "center-admin", Method: "POST", Path: "/items", Form: itemForm(deptOf(t, s, "demo-hospital", "中药房")), Status: 400, Contains: []string{"不属于本单位"}},
			{Name: "another unit's handler", As: "center-admin", Method: "POST", Path: "/items", Form: itemForm(tax, "handler_nos", "HG0001"), Status: 400, Contains: []string{"HG0001"}},
			{Name: "duplicate name", As: "center-admin", Method: "POST", Path: "/items", Form: itemForm(tax, "name", "个体工商户设立登记"), Status: 400, Contains: []string{"同名的服务事项"}},
		})
		c := s.As("center-admin")
		res := s.Post(c, "/items", itemForm(tax, "name", `<script>alert(1)</script>代开发票`))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		card := s.Get(c, res.Header.Get("Location"))
		if strings.Contains(card.Body, "<script>alert(1)") || !strings.Contains(card.Body, "&lt;script&gt;alert(1)&lt;/script&gt;代开发票") ||
			!strings.Contains(card.Body, "户口簿") || !strings.Contains(card.Body, "复印首页") || !strings.Contains(card.Body, "3 个工作日") {
			t.Fatalf("card: %s", sitetest.Snippet(card.Body))
		}
		id := strings.TrimPrefix(res.Header.Get("Location"), "/items/")
		if r := s.Post(c, "/items/"+id+"/active", url.Values{"active": {"0"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("retire: %d", r.Status)
		}
		if list := s.Get(c, "/items"); strings.Contains(list.Body, "代开发票</a>") {
			t.Fatal("a retired item is still in the list")
		}
	})
}

func TestItemsExcel(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		c := s.As("center-admin")
		unit := s.Units["demo-center"].ID
		count := func() (n, materials int) {
			list, _ := items.NewStore(db).List(ctx, unit, items.Filter{})
			for _, it := range list {
				materials += len(it.Materials)
			}
			return len(list), materials
		}
		n0, m0 := count()
		export := s.Get(c, "/items/export.xlsx")
		if export.Status != 200 {
			t.Fatalf("export: %d", export.Status)
		}
		f, err := excelize.OpenReader(strings.NewReader(export.Body))
		if err != nil {
			t.Fatal(err)
		}
		// Round trip: the export imports back without change in number.
		if res := upload(t, s, c, "/items/import", "file", "事项.xlsx", []byte(export.Body)); res.Status != http.StatusSeeOther {
			t.Fatalf("re-import: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		if n, m := count(); n != n0 || m != m0 {
			t.Fatalf("re-import changed %d/%d items/materials to %d/%d", n0, m0, n, m)
		}
		// A new item with its materials, plus problems: nothing is written.
		f.SetSheetRow("服务事项", "A100", &[]any{"", "新增事项甲", "税务窗口", "", "", "申请;受理", "", "", "2", "", "", "ZX0013"})
		f.SetSheetRow("申请材料", "A500", &[]any{"新增事项甲", "身份证", "原件和复印件", "1", ""})
		var good bytes.Buffer
		f.Write(&good)
		f.SetSheetRow("服务事项", "A101", &[]any{"", "新增事项乙", "火星窗口", "", "", "", "", "", "-1", "", "", "HG0001"})
		f.SetSheetRow("申请材料", "A501", &[]any{"不存在的事项", "身份证", "原件", "1", ""})
		f.SetSheetRow("申请材料", "A502", &[]any{"新增事项甲", "户口簿", "影印件", "1", ""})
		var bad bytes.Buffer
		f.Write(&bad)
		res := upload(t, s, c, "/items/import", "file", "事项.xlsx", bad.Bytes())
		for _, want := range []string{"火星窗口", "办理时限不能为负数", "HG0001", "不存在的事项", "影印件", "没有导入任何数据"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("problems lack %q", want)
			}
		}
		if n, _ := count(); res.Status != http.StatusUnprocessableEntity || n != n0 {
			t.Fatalf("a bad workbook: %d, %d items", res.Status, n)
		}
		if res := upload(t, s, c, "/items/import", "file", "事项.xlsx", []byte("not excel")); res.Status != 400 || !strings.Contains(res.Body, "不是有效的 Excel") {
			t.Fatalf("not excel: %d", res.Status)
		}
		if res := upload(t, s, s.As("center-staff"), "/items/import", "file", "事项.xlsx", good.Bytes()); res.Status != 403 {
			t.Fatalf("staff imported: %d", res.Status)
		}
		if res := upload(t, s, c, "/items/import", "file", "事项.xlsx", good.Bytes()); res.Status != http.StatusSeeOther {
			t.Fatalf("good import: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		list, _ := items.NewStore(db).List(ctx, unit, items.Filter{Query: "新增事项甲"})
		if len(list) != 1 || len(list[0].Materials) != 1 || list[0].TimeLimitDays != 2 || len(list[0].Procedure) != 2 || len(list[0].Handlers) != 1 {
			t.Fatalf("imported item: %+v", list)
		}
	})
}
