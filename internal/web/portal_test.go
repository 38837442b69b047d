package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/items"
	"wuliang/internal/org"
	"wuliang/internal/sitetest"
)

var actor = audit.Actor{Name: "test"}

// The portal shows what is meant for the public and nothing else. This
// crawls every page reachable from the unit's portal home and checks each.
func TestPortalLeaksNothing(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		center := s.Units["demo-center"]
		store := org.NewStore(db)
		staff, _, _ := store.StaffList(ctx, center.ID, org.StaffFilter{})

		// One person left — one who handled cases this month, so the
		// period's figures hold their work — one item retired, the
		// hospital has an item.
		var busy int64
		db.QueryRowContext(ctx, `SELECT handler_id FROM cases WHERE unit_id = $1 AND completed_at IS NOT NULL
			ORDER BY completed_at DESC LIMIT 1`, center.ID).Scan(&busy)
		leaver := staff[10]
		for _, p := range staff {
			if p.ID == busy {
				leaver = p
			}
		}
		if err := store.SetStaffActive(ctx, actor, center.ID, leaver.ID, false); err != nil {
			t.Fatal(err)
		}
		its, _ := items.NewStore(db).List(ctx, center.ID, items.Filter{})
		retired := its[3]
		if err := items.NewStore(db).SetActive(ctx, actor, center.ID, retired.ID, false); err != nil {
			t.Fatal(err)
		}
		hospital := s.Units["demo-hospital"]
		hd, _ := store.Departments(ctx, hospital.ID)
		hospitalItem, err := items.NewStore(db).Create(ctx, actor, hospital.ID, items.Input{Name: "门诊病历复印", DepartmentID: hd[5].ID})
		if err != nil {
			t.Fatal(err)
		}

		guest := sitetest.NewClient()
		phone := regexp.MustCompile(`1[3-9]\d{9}`)
		check := func(where, body string) {
			t.Helper()
			for _, p := range staff {
				if p.Phone != "" && strings.Contains(body, p.Phone) {
					t.Errorf("%s shows %s's phone", where, p.Name)
				}
			}
			if m := phone.FindString(body); m != "" {
				t.Errorf("%s shows a mobile number %s", where, m)
			}
			if strings.Contains(body, "ZX00") || strings.Contains(body, "HG00") {
				t.Errorf("%s shows an employee number", where)
			}
			if strings.Contains(body, leaver.Name+"<") || strings.Contains(body, retired.Name+"<") || strings.Contains(body, "门诊病历复印") {
				t.Errorf("%s shows someone who left, a retired item or another unit's item", where)
			}
		}
		link := regexp.MustCompile(`href="(/p/demo-center/[^"]*)"`)
		seen := map[string]bool{}
		queue := []string{"/p/demo-center", "/p/demo-center/search?q=" + url.QueryEscape("身份证")}
		for len(queue) > 0 {
			path := queue[0]
			queue = queue[1:]
			if seen[path] {
				continue
			}
			seen[path] = true
			res := s.Get(guest, path)
			if res.Status != 200 {
				t.Fatalf("%s: %d", path, res.Status)
			}
			if strings.Contains(path, "/photo") {
				continue
			}
			check(path, res.Body)
			for _, m := range link.FindAllStringSubmatch(res.Body, -1) {
				if u := strings.ReplaceAll(m[1], "&amp;", "&"); !seen[u] {
					queue = append(queue, u)
				}
			}
		}
		if len(seen) < 100 {
			t.Fatalf("the crawl reached only %d pages", len(seen))
		}
		// The hall screen shows the portal's facts: its page and what its
		// stream sends are held to the same rules.
		token, _ := registerScreen(t, db, center.ID)
		screen := s.Get(guest, "/s/"+token)
		if screen.Status != 200 || !strings.Contains(screen.Body, "今日评价") {
			t.Fatalf("screen page: %d", screen.Status)
		}
		check("/s/…", strings.ReplaceAll(screen.Body, token, "TOKEN")) // a hex token may hold eleven digits
		stream := sitetest.OpenStream(t, s.Srv.URL+"/s/"+token+"/events")
		check("/s/…/events", panelsHTML(t, stream.Next(t, 10*time.Second, "panels")))
		stream.Close()

		hospitalPerson := s.StaffID("demo-hospital", "HG0001")
		s.Run(t, []sitetest.Scenario{
			{Name: "unknown unit", Path: "/p/no-such-unit", Status: 404},
			{Name: "person who left", Path: "/p/demo-center/staff/" + itoa(leaver.ID), Status: 404, NotContains: []string{leaver.Name + "<"}},
			{Name: "photo of a person who left", Path: "/p/demo-center/staff/" + itoa(leaver.ID) + "/photo", Status: 404},
			{Name: "retired item", Path: "/p/demo-center/items/" + itoa(retired.ID), Status: 404},
			{Name: "another unit's person", Path: "/p/demo-center/staff/" + hospitalPerson, Status: 404},
			{Name: "another unit's item", Path: "/p/demo-center/items/" + strconv.FormatInt(hospitalItem, 10), Status: 404, NotContains: []string{"门诊病历复印"}},
			{Name: "another unit's window", Path: "/p/demo-center/windows/" + itoa(hd[5].ID), Status: 404},
			{Name: "the hospital's own item", Path: "/p/demo-hospital/items/" + strconv.FormatInt(hospitalItem, 10), Status: 200, Contains: []string{"门诊病历复印"}},
			{Name: "search escapes the query", Path: "/p/demo-center/search?q=" + url.QueryEscape(`<script>alert(1)</script>`), Status: 200,
				Contains: []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, NotContains: []string{"<script>alert(1)"}},
			{Name: "search by material", Path: "/p/demo-center/search?q=" + url.QueryEscape("营业执照"), Status: 200, Contains: []string{"营业执照变更登记", "清税证明开具"}},
			{Name: "poster PDF needs a login", Path: "/p/demo-center/board/1?print=1&format=pdf", Status: 401},
			{Name: "search of a huge query", Path: "/p/demo-center/search?q=" + strings.Repeat("证", 5000), Status: 200},
		})
		if res := s.Get(guest, "/p/demo-center/staff/"+s.StaffID("demo-center", "ZX0013")+"/photo"); res.Status != http.StatusOK || !strings.Contains(res.Body, "<svg") {
			t.Fatalf("public photo: %d", res.Status)
		}
	})
}

// A hospital speaks as a hospital: its portal invites patients and names
// its 医务人员; each department is called what it is (a window, a 科室, a
// 病区), and its pages for staff say 科室 where the centre's say 窗口.
func TestHospitalSpeaksAsHospital(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		guest := sitetest.NewClient()
		hospital := s.Units["demo-hospital"]
		home := s.Get(guest, "/p/demo-hospital")
		if home.Status != 200 || !strings.Contains(home.Body, "欢迎就医") || !strings.Contains(home.Body, "医保卡") {
			t.Fatalf("hospital portal: %d, no patient wording", home.Status)
		}
		if centre := s.Get(guest, "/p/demo-center"); strings.Contains(centre.Body, "欢迎就医") {
			t.Error("the centre's portal speaks as a hospital")
		}
		depts, _ := org.NewStore(s.DB).Departments(ctx, hospital.ID)
		want := map[string]string{"中药房": "评价本窗口", "医务科": "评价本科室", "内科病区": "评价本病区"}
		for _, d := range depts {
			w, ok := want[d.Name]
			if !ok {
				continue
			}
			delete(want, d.Name)
			if res := s.Get(guest, "/p/demo-hospital/windows/"+strconv.FormatInt(d.ID, 10)); res.Status != 200 || !strings.Contains(res.Body, w) {
				t.Errorf("%s: %d, want %q", d.Name, res.Status, w)
			}
		}
		if len(want) > 0 {
			t.Errorf("departments not in the demo: %v", want)
		}
		for user, words := range map[string][2]string{"hospital-admin": {"全部科室", "全部窗口"}, "center-admin": {"全部窗口", "全部科室"}} {
			res := s.Get(s.As(user), "/cases")
			if res.Status != 200 || !strings.Contains(res.Body, words[0]) || strings.Contains(res.Body, words[1]) {
				t.Errorf("%s's case list: %d, want %q and not %q", user, res.Status, words[0], words[1])
			}
		}
	})
}

// The hospital works as a hospital: two months of its own cases, ratings,
// review meetings, a 五评 round and 五比 activities, written in its words,
// and none of the centre's.
func TestHospitalHasItsOwnWork(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		now := time.Now().In(time.FixedZone("CST", 8*3600))
		last := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, now.Location()).Format("2006-01")
		centre := []string{"税务窗口", "白沙镇公和村", "中心三楼会议室"}
		s.Run(t, []sitetest.Scenario{
			{Name: "cases", As: "hospital-admin", Path: "/cases?state=all", Status: 200, Contains: []string{`href="/cases/`}, NotContains: centre},
			{Name: "ratings", As: "hospital-admin", Path: "/ratings?period=" + last, Status: 200, Contains: []string{"评价明细", "门诊挂号收费处", `<td><a href="/cases/`}, NotContains: centre},
			{Name: "reviews", As: "hospital-admin", Path: "/reviews", Status: 200, Contains: []string{"门诊挂号收费处", `href="/reviews/`}, NotContains: centre},
			{Name: "five appraisal", As: "hospital-admin", Path: "/five-appraisals", Status: 200, Contains: []string{`href="/five-appraisals/`}},
			{Name: "study sessions", As: "hospital-admin", Path: "/activities/sessions", Status: 200, Contains: []string{"门诊四楼会议室"}, NotContains: centre},
			{Name: "activities", As: "hospital-admin", Path: "/activities", Status: 200, Contains: []string{"马曹庙镇卫生院"}, NotContains: centre},
			{Name: "contests", As: "hospital-admin", Path: "/activities/contests", Status: 200, Contains: []string{`href="/activities/contests/`}},
			{Name: "suggestion box", As: "hospital-admin", Path: "/feedback", Status: 200, Contains: []string{"中药房"}, NotContains: centre},
			{Name: "appraisals", As: "hospital-admin", Path: "/appraisals", Status: 200, Contains: []string{"科室服务民主评议"}},
		})
	})
}

// In a month's first working days the portal shows the month before, whole;
// from the fifth working day on, this month. A chosen month is shown as
// chosen, and the office's own pages always open on this month.
func TestPortalShowsASettledMonth(t *testing.T) {
	s := sitetest.SQLite(t)
	cst := time.FixedZone("CST", 8*3600)
	now := time.Now().In(cst)
	this := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, cst)
	want := this.Format("2006-01")
	if calendar.National().Between(this.AddDate(0, 0, -1), now.AddDate(0, 0, -1)) < 5 {
		want = this.AddDate(0, -1, 0).Format("2006-01")
	}
	selected := func(body string) string {
		m := regexp.MustCompile(`<option value="([^"]+)" selected>`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return m[1]
	}
	guest := sitetest.NewClient()
	for _, page := range []string{"/p/demo-center/ratings", "/p/demo-center/efficiency"} {
		if got := selected(s.Get(guest, page).Body); got != want {
			t.Errorf("%s opens on %q, want %q", page, got, want)
		}
		if got := selected(s.Get(guest, page+"?period="+this.Format("2006-01")).Body); got != this.Format("2006-01") {
			t.Errorf("%s with this month chosen shows %q", page, got)
		}
	}
	if got := selected(s.Get(s.As("center-admin"), "/ratings").Body); got != this.Format("2006-01") {
		t.Errorf("the office's ratings open on %q", got)
	}
}

// An honour of someone who has left is not shown where the public looks:
// not on the portal's honours page, not on the hall screen; the window's
// honour of the same quarter still is.
func TestHonoursOfPeopleWhoLeft(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		center := s.Units["demo-center"]
		current, err := s.Stores.Honours.Current(ctx, center.ID)
		if err != nil {
			t.Fatal(err)
		}
		var person, window string
		var leaverID int64
		for _, a := range current {
			switch {
			case a.Subject == "window" && window == "":
				window = a.Name
			case a.Subject != "window" && person == "":
				person, leaverID = a.Name, a.SubjectID
			}
		}
		if person == "" || window == "" {
			t.Fatalf("the demo has no standing honour of a person and of a window: %+v", current)
		}
		if err := org.NewStore(s.DB).SetStaffActive(ctx, actor, center.ID, leaverID, false); err != nil {
			t.Fatal(err)
		}
		guest := sitetest.NewClient()
		page := s.Get(guest, "/p/demo-center/honours")
		token, _ := registerScreen(t, s.DB, center.ID)
		stream := sitetest.OpenStream(t, s.Srv.URL+"/s/"+token+"/events")
		panels := panelsHTML(t, stream.Next(t, 10*time.Second, "panels"))
		stream.Close()
		for where, body := range map[string]string{"the portal's honours": page.Body, "the hall screen": panels} {
			if strings.Contains(body, person+"<") {
				t.Errorf("%s shows %s, who left", where, person)
			}
			if !strings.Contains(body, window) {
				t.Errorf("%s lacks the window honour of %s", where, window)
			}
		}
	})
}
