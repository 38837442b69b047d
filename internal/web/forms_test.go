package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"wuliang/internal/org"
	"wuliang/internal/sitetest"
)

func deptOf(t *testing.T, s *sitetest.Site, code, name string) string {
	list, _ := org.NewStore(s.DB).Departments(ctx, s.Units[code].ID)
	for _, d := range list {
		if d.Name == name {
			return itoa(d.ID)
		}
	}
	t.Fatalf("no department %s", name)
	return ""
}

func staffForm(dept string, edits ...string) url.Values {
	f := url.Values{"name": {"测试人员"}, "employee_no": {"T001"}, "department": {dept}, "political_status": {"masses"}}
	for i := 0; i+1 < len(edits); i += 2 {
		f.Set(edits[i], edits[i+1])
	}
	return f
}

// Every bad form gets a clear Chinese message on the form, with what was
// typed kept, and saves nothing.
func TestStaffFormBadInput(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		tax := deptOf(t, s, "demo-center", "税务窗口")
		hospitalDept := deptOf(t, s, "demo-hospital", "中药房")
		s.Run(t, []sitetest.Scenario{
			{Name: "empty name", As: "center-admin", Method: "POST", Path: "/staff", Form: staffForm(tax, "name", " 　"), Status: 400, Contains: []string{"请填写姓名"}},
			{Name: "huge name", As: "center-admin", Method: "POST", Path: "/staff", Form: staffForm(tax, "name", strings.Repeat("名", 10_000)), Status: 400, Contains: []string{"姓名不能超过 50 个字"}},
			{Name: "bad phone keeps what was typed", As: "center-admin", Method: "POST", Path: "/staff", Form: staffForm(tax, "phone", "12345", "post", "窗口工作人员"), Status: 400,
				Contains: []string{"手机号码格式不正确", `value="12345"`, `value="窗口工作人员"`}},
			{Name: "employee number taken", As: "center-admin", Method: "POST", Path: "/staff", Form: staffForm(tax, "employee_no", "ZX0001"), Status: 400, Contains: []string{"工号 ZX0001 已被本单位其他人员使用"}},
			{Name: "another unit's department", As: "center-admin", Method: "POST", Path: "/staff", Form: staffForm(hospitalDept), Status: 400, Contains: []string{"所选科室/窗口不存在或不属于本单位"}},
			{Name: "malformed department", As: "center-admin", Method: "POST", Path: "/staff", Form: staffForm("1; DROP TABLE staff"), Status: 400, Contains: []string{"请选择所在科室/窗口"}},
			{Name: "another unit's person as backup", As: "center-admin", Method: "POST", Path: "/staff", Form: staffForm(tax, "backup_no", "HG0001"), Status: 400, Contains: []string{"本单位没有工号为 HG0001 的在岗人员"}},
			{Name: "script in name is shown as text", As: "center-admin", Method: "POST", Path: "/staff", Form: staffForm(tax, "name", `<script>alert("x")</script>`, "phone", "bad"), Status: 400,
				Contains: []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"}, NotContains: []string{`<script>alert("x")`}},
			{Name: "bad sort order", As: "center-admin", Method: "POST", Path: "/departments", Form: url.Values{"name": {"新窗口"}, "kind": {"window"}, "sort_order": {"abc"}}, Status: 400, Contains: []string{"排序须为"}},
			{Name: "duplicate department", As: "center-admin", Method: "POST", Path: "/departments", Form: url.Values{"name": {"税务窗口"}, "kind": {"window"}}, Status: 400, Contains: []string{"已有同名"}},
			{Name: "unknown department kind", As: "center-admin", Method: "POST", Path: "/departments", Form: url.Values{"name": {"新窗口"}, "kind": {"<b>"}}, Status: 400, Contains: []string{"类型不正确"}},
			{Name: "window with staff cannot close", As: "center-admin", Method: "POST", Path: "/departments/" + tax + "/active", Form: url.Values{"active": {"0"}}, Status: 400, Contains: []string{"名在岗人员"}},
			{Name: "empty branch name", As: "center-admin", Method: "POST", Path: "/branches", Form: url.Values{"name": {""}}, Status: 400, Contains: []string{"请填写名称"}},
			{Name: "branch secretary of another unit", As: "center-admin", Method: "POST", Path: "/branches", Form: url.Values{"name": {"第二支部"}, "secretary_no": {"HG0001"}}, Status: 400, Contains: []string{"HG0001"}},
			{Name: "leader unknown", As: "center-admin", Method: "POST", Path: "/leading-group", Form: url.Values{"employee_no": {"NOPE"}, "role": {"member"}}, Status: 400, Contains: []string{"本单位没有工号为 NOPE"}},
			{Name: "leader twice", As: "center-admin", Method: "POST", Path: "/leading-group", Form: url.Values{"employee_no": {"ZX0001"}, "role": {"member"}}, Status: 400, Contains: []string{"已是领导小组成员"}},
			{Name: "user bad username", As: "center-admin", Method: "POST", Path: "/users", Form: url.Values{"username": {"张三"}, "password": {"password1"}, "role": {"unit_admin"}}, Status: 400, Contains: []string{"用户名须为"}},
			{Name: "user system admin by a unit admin", As: "center-admin", Method: "POST", Path: "/users", Form: url.Values{"username": {"root2"}, "password": {"password1"}, "role": {"system_admin"}}, Status: 400, Contains: []string{"角色不正确"}},
			{Name: "user staff of another unit", As: "center-admin", Method: "POST", Path: "/users", Form: url.Values{"username": {"zz9"}, "password": {"password1"}, "role": {"staff"}, "staff_no": {"HG0002"}}, Status: 400, Contains: []string{"HG0002"}},
			{Name: "apikey without name", As: "center-admin", Method: "POST", Path: "/apikeys", Form: url.Values{"name": {""}}, Status: 400, Contains: []string{"请填写密钥用途"}},
			{Name: "password mismatch", As: "center-staff", Method: "POST", Path: "/account/password", Form: url.Values{"old_password": {"demo1234"}, "password": {"newpassword1"}, "password_again": {"other"}}, Status: 400, Contains: []string{"两次输入的新密码不一致"}},
			{Name: "unit code with Chinese", As: "admin", Method: "POST", Path: "/admin/units", Form: url.Values{"code": {"中心"}, "name": {"新中心"}, "kind": {"center"}}, Status: 400, Contains: []string{"单位代码须为"}},
		})
		if _, total, _ := org.NewStore(db).StaffList(ctx, s.Units["demo-center"].ID, org.StaffFilter{Query: "T001"}); total != 0 {
			t.Fatal("a refused form saved a person")
		}
	})
}

// Unicode goes in and comes out as typed; HTML is text on every page.
func TestStaffCreateAndShow(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		c := s.As("center-admin")
		tax := deptOf(t, s, "demo-center", "税务窗口")
		res := s.Post(c, "/staff", staffForm(tax, "name", `欧阳<img src=x onerror=alert(1)>😀`, "employee_no", "ＴＸ０１", "phone", "１３９００００１１１１", "backup_no", "ZX0013"))
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Status, sitetest.Snippet(res.Body))
		}
		loc := res.Header.Get("Location")
		if first := s.Get(c, loc); !strings.Contains(first.Body, "已保存") {
			t.Error("no message after saving")
		}
		for _, path := range []string{loc, "/staff?q=TX01", "/windows", "/audit"} {
			page := s.Get(c, path)
			if page.Status != 200 || strings.Contains(page.Body, "<img src=x") || !strings.Contains(page.Body, "欧阳&lt;img src=x onerror=alert(1)&gt;😀") {
				t.Errorf("%s does not show the name as text: %d", path, page.Status)
			}
		}
		page := s.Get(c, loc)
		for _, want := range []string{"TX01", "13900001111"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("record lacks %q", want)
			}
		}
	})
}

// Two clicks on "save" at once create one person; the other click gets the
// form back with a message.
func TestDoubleSubmit(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		c := s.As("center-admin")
		form := staffForm(deptOf(t, s, "demo-center", "税务窗口"), "employee_no", "DBL1")
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = s.Post(c, "/staff", form).Status
			}()
		}
		wg.Wait()
		if statuses[0]+statuses[1] != http.StatusSeeOther+http.StatusBadRequest {
			t.Fatalf("statuses %v", statuses)
		}
		if _, total, _ := org.NewStore(db).StaffList(ctx, s.Units["demo-center"].ID, org.StaffFilter{Query: "DBL1"}); total != 1 {
			t.Fatalf("%d people saved", total)
		}
	})
}

func upload(t *testing.T, s *sitetest.Site, c *http.Client, path, field, filename string, data []byte) sitetest.Response {
	return uploadWith(t, s, c, path, nil, field, filename, data)
}

// uploadWith posts a multipart form: fields, and a file unless data is nil.
func uploadWith(t *testing.T, s *sitetest.Site, c *http.Client, path string, fields url.Values, field, filename string, data []byte) sitetest.Response {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf_token", s.CSRF(c))
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if data == nil {
		w.Close()
		req, _ := http.NewRequest("POST", s.Srv.URL+path, &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		return s.Do(c, req)
	}
	part, _ := w.CreateFormFile(field, filename)
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest("POST", s.Srv.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return s.Do(c, req)
}

func pngOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{0, 90, 200, 255})
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func TestPhotoUpload(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		c := s.As("center-admin")
		person := s.StaffID("demo-center", "ZX0005")
		path := "/staff/" + person + "/photo"
		cases := []struct {
			name, file string
			data       []byte
			status     int
			message    string
		}{
			{"svg with script", "photo.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>`), 400, "照片须为 JPG 或 PNG"},
			{"text named jpg", "photo.jpg", []byte("hello"), 400, "照片须为 JPG 或 PNG"},
			{"empty", "photo.jpg", nil, 400, "请选择要上传的照片"},
			{"20 MB", "big.png", append(pngOf(4, 4), make([]byte, 20<<20)...), 400, "照片不能超过 8 MB"},
			{"30 MB body", "huge.png", make([]byte, 30<<20), 413, "最大 25 MB"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res := upload(t, s, c, path, "photo", tc.file, tc.data)
				if res.Status != tc.status || !strings.Contains(res.Body, tc.message) {
					t.Fatalf("%d %s", res.Status, sitetest.Snippet(res.Body))
				}
			})
		}
		if got := s.Get(c, path); !strings.Contains(got.Header.Get("Content-Type"), "svg") {
			t.Fatal("a refused upload replaced the placeholder")
		}
		if res := upload(t, s, c, path, "photo", "me.png", pngOf(600, 800)); res.Status != http.StatusSeeOther {
			t.Fatalf("good photo: %d", res.Status)
		}
		got := s.Get(c, path)
		cfg, format, err := image.DecodeConfig(strings.NewReader(got.Body))
		if err != nil || format != "jpeg" || cfg.Height != 480 || got.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("stored photo: %s %dx%d %v", format, cfg.Width, cfg.Height, err)
		}
	})
}

func TestEmblem(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		c := s.As("center-admin")
		if res := s.Get(c, "/print/badges?department="+deptOf(t, s, "demo-center", "税务窗口")); !strings.Contains(res.Body, `class="party-mark"`) || strings.Contains(res.Body, "emblem.jpg") {
			t.Fatal("without an emblem, badges must show the red mark")
		}
		if res := upload(t, s, c, "/emblem", "emblem", "党徽.svg", []byte(`<svg onload="alert(1)"/>`)); res.Status != 400 || !strings.Contains(res.Body, "JPG 或 PNG") {
			t.Fatalf("svg emblem: %d", res.Status)
		}
		if res := upload(t, s, s.As("center-staff"), "/emblem", "emblem", "党徽.png", pngOf(50, 50)); res.Status != 403 {
			t.Fatalf("staff uploaded the emblem: %d", res.Status)
		}
		if res := upload(t, s, c, "/emblem", "emblem", "党徽.png", pngOf(200, 200)); res.Status != http.StatusSeeOther {
			t.Fatalf("emblem: %d", res.Status)
		}
		if res := s.Get(c, "/print/badges?department="+deptOf(t, s, "demo-center", "税务窗口")); !strings.Contains(res.Body, `src="/emblem.jpg"`) {
			t.Fatal("badges do not use the uploaded emblem")
		}
		if res := s.Get(s.As("hospital-admin"), "/emblem.jpg"); res.Status != 404 {
			t.Fatalf("the hospital sees the centre's emblem: %d", res.Status)
		}
	})
}

func TestBadgesOfChosenPeople(t *testing.T) {
	s := sitetest.SQLite(t)
	c := s.As("center-admin")
	a, b := s.StaffID("demo-center", "ZX0013"), s.StaffID("demo-center", "ZX0020")
	res := s.Get(c, "/print/badges?staff="+a+"&staff="+b+"&staff="+s.StaffID("demo-hospital", "HG0001"))
	if res.Status != 200 || strings.Count(res.Body, `class="badge-card"`) != 2 || strings.Contains(res.Body, "HG0001") {
		t.Fatalf("badges of two chosen people (and none of another unit): %d, %d cards", res.Status, strings.Count(res.Body, `class="badge-card"`))
	}
	if list := s.Get(c, "/staff"); !strings.Contains(list.Body, `name="staff" value="`) {
		t.Fatal("the staff list offers no choice of people")
	}
	if res := s.Get(s.As("center-staff"), "/print/badges"); res.Status != 403 {
		t.Fatalf("staff printed badges: %d", res.Status)
	}
}

func TestCalendarPage(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		s.Run(t, []sitetest.Scenario{
			{Name: "national days shown with their notice", As: "center-admin", Path: "/calendar", Status: 200, Contains: []string{"国务院办公厅关于", "调休", "上班"}},
			{Name: "staff cannot change it", As: "center-staff", Method: "POST", Path: "/calendar", Form: url.Values{"date": {"2026-12-01"}, "kind": {"off"}, "name": {"县庆"}}, Status: 403},
			{Name: "bad date", As: "center-admin", Method: "POST", Path: "/calendar", Form: url.Values{"date": {"2026-02-30"}, "kind": {"off"}, "name": {"x"}}, Status: 400, Contains: []string{"无法识别"}},
			{Name: "no name", As: "center-admin", Method: "POST", Path: "/calendar", Form: url.Values{"date": {"2026-12-01"}, "kind": {"off"}}, Status: 400, Contains: []string{"请填写名称"}},
			{Name: "a local day off", As: "center-admin", Method: "POST", Path: "/calendar", Form: url.Values{"date": {"2026-12-01"}, "kind": {"off"}, "name": {"县庆"}, "source": {"县政府通知"}}, Status: 303},
			{Name: "the same day twice", As: "center-admin", Method: "POST", Path: "/calendar", Form: url.Values{"date": {"2026-12-01"}, "kind": {"work"}, "name": {"x"}}, Status: 400, Contains: []string{"已设置过"}},
			{Name: "listed", As: "center-admin", Path: "/calendar", Status: 200, Contains: []string{"县庆", "县政府通知"}},
			{Name: "not the hospital's", As: "hospital-admin", Path: "/calendar", Status: 200, NotContains: []string{"县政府通知"}},
		})
		if res := upload(t, s, s.As("center-admin"), "/calendar", "file", "2028.csv", []byte("2028-01-01,off,元旦,国务院办公厅关于2028年部分节假日安排的通知\nnot a line\n")); res.Status != 400 || !strings.Contains(res.Body, "文件格式不对") {
			t.Fatalf("bad file: %d", res.Status)
		}
		if res := upload(t, s, s.As("center-admin"), "/calendar", "file", "2028.csv", []byte("2028-01-01,off,元旦,国务院办公厅关于2028年部分节假日安排的通知\n")); res.Status != http.StatusSeeOther {
			t.Fatalf("file: %d", res.Status)
		}
	})
}
