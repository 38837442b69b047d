package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/org"
	"wuliang/internal/sitetest"
)

func rosterFile(t *testing.T, rows ...[]any) []byte {
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{"姓名", "工号", "科室/窗口", "政治面貌", "手机号码"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRosterThroughTheBrowser(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		c := s.As("center-admin")
		unit := s.Units["demo-center"].ID
		count := func() int {
			_, n, _ := org.NewStore(db).StaffList(ctx, unit, org.StaffFilter{})
			return n
		}
		before := count()

		tmpl := s.Get(c, "/roster/template.xlsx")
		if tmpl.Status != 200 || !strings.Contains(tmpl.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("template: %d %s", tmpl.Status, tmpl.Header.Get("Content-Type"))
		}
		if _, err := excelize.OpenReader(strings.NewReader(tmpl.Body)); err != nil {
			t.Fatalf("template is not a workbook: %v", err)
		}

		bad := upload(t, s, c, "/roster/preview", "file", "名册.xlsx", []byte("not a workbook"))
		if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "这不是有效的 Excel 文件") {
			t.Fatalf("non-Excel: %d %s", bad.Status, sitetest.Snippet(bad.Body))
		}
		problems := upload(t, s, c, "/roster/preview", "file", "名册.xlsx", rosterFile(t,
			[]any{"新人甲", "NEW1", "税务窗口", "群众", "13900000001"},
			[]any{"", "NEW2", "火星窗口", "党员", "123"}))
		for _, want := range []string{"请填写姓名", "火星窗口", "手机号码格式不正确", "没有导入任何数据"} {
			if !strings.Contains(problems.Body, want) {
				t.Errorf("preview lacks %q", want)
			}
		}
		if strings.Contains(problems.Body, `name="upload_id"`) || count() != before {
			t.Fatal("a roster with problems can be confirmed or was imported")
		}

		good := upload(t, s, c, "/roster/preview", "file", "名册.xlsx", rosterFile(t,
			[]any{"新人甲", "NEW1", "税务窗口", "群众", "13900000001"},
			[]any{"新人乙", "NEW2", "社保窗口", "中共党员", "13900000002"}))
		m := regexp.MustCompile(`name="upload_id" value="(\d+)"`).FindStringSubmatch(good.Body)
		if good.Status != 200 || m == nil || count() != before {
			t.Fatalf("preview: %d, confirm form %v, %d staff", good.Status, m, count())
		}
		done := s.Post(c, "/roster/import", url.Values{"upload_id": {m[1]}})
		if done.Status != 200 || !strings.Contains(done.Body, "新增 2 人") || count() != before+2 {
			t.Fatalf("import: %d %s", done.Status, sitetest.Snippet(done.Body))
		}
		again := s.Post(c, "/roster/import", url.Values{"upload_id": {m[1]}})
		if again.Status != http.StatusUnprocessableEntity || !strings.Contains(again.Body, "已经导入过") || count() != before+2 {
			t.Fatalf("second confirm: %d", again.Status)
		}
		// Another admin cannot confirm this admin's upload, nor another unit's.
		other := s.Post(s.As("hospital-admin"), "/roster/import", url.Values{"upload_id": {m[1]}})
		if other.Status != http.StatusUnprocessableEntity {
			t.Fatalf("another unit confirmed the upload: %d", other.Status)
		}

		// Ticked on the confirmation, the import opens the accounts too.
		third := upload(t, s, c, "/roster/preview", "file", "名册.xlsx", rosterFile(t, []any{"新人丙", "NEW3", "税务窗口", "群众", "13900000003"}))
		m = regexp.MustCompile(`name="upload_id" value="(\d+)"`).FindStringSubmatch(third.Body)
		if m == nil || !strings.Contains(third.Body, `name="accounts"`) {
			t.Fatal("the confirmation offers no accounts")
		}
		slips := s.Post(c, "/roster/import", url.Values{"upload_id": {m[1]}, "accounts": {"1"}})
		if slips.Status != 200 || !strings.Contains(slips.Body, "新人丙") || !strings.Contains(slips.Body, ">new3<") || !strings.Contains(slips.Body, "登录口令条") {
			t.Fatalf("import with accounts: %d %s", slips.Status, sitetest.Snippet(slips.Body))
		}
		if lookup(t, s.DB, `SELECT count(*) FROM users WHERE username = 'new3' AND must_change_password = TRUE`) != "1" {
			t.Fatal("the imported person has no account that must change its password")
		}
		before++

		export := s.Get(c, "/roster/export.xlsx")
		f, err := excelize.OpenReader(strings.NewReader(export.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("人员名册")
		if len(rows) != before+3 || !strings.Contains(export.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export has %d rows for %d people", len(rows), before+2)
		}
	})
}
