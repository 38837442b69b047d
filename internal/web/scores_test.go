package web_test

import (
	"bytes"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/demo"
	"wuliang/internal/period"
	"wuliang/internal/sitetest"
)

// The scores' pages as each role meets them, the API, and the workbook,
// on the demo whose last full quarter is frozen and published.
func TestScorePages(t *testing.T) {
	sitetest.Shared(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		center := s.Units["demo-center"].ID
		loc := time.FixedZone("CST", 8*3600)
		last := period.QuarterOf(demo.LastFullQuarter(sitetest.Demo.In(loc)), loc).Code
		this := period.QuarterOf(sitetest.Demo, loc).Code
		tax, medical := deptID(db, center, "税务窗口"), deptID(db, center, "医保窗口")
		var staff, lead string
		db.QueryRowContext(ctx, `SELECT staff_id FROM users WHERE username = 'center-staff'`).Scan(&staff)
		db.QueryRowContext(ctx, `SELECT department_id FROM users WHERE username = 'center-lead'`).Scan(&lead)
		other := s.StaffID("demo-center", "ZX0001")
		s.Run(t, []sitetest.Scenario{
			{Name: "the office's published quarter", As: "center-admin", Path: "/scores", Status: 200,
				Contains: []string{"五创评分", last, "第 1 版", "公布于", "一票否决", "样本不足", "先进", "后进", "导出 Excel", "权重试算"}},
			{Name: "people, calibrated reviews", As: "center-admin", Path: "/scores?level=person", Status: 200, Contains: []string{"例会点评", "五评总分", "无数据"}},
			{Name: "this quarter live, with the warnings", As: "center-admin", Path: "/scores?period=" + this, Status: 200,
				Contains: []string{"实时计算,尚未冻结", "数据不一致,公布前请核实", "冻结本期结果"}},
			{Name: "a person is taken to their own score", As: "center-staff", Path: "/scores", Status: 303, Contains: []string{`href="/scores/person/` + staff + `?`}},
			{Name: "a person's own score", As: "center-staff", Path: "/scores/person/" + staff, Status: 200, Contains: []string{"得分明细", "每项指标背后的记录", "按时办结率", "好评率"}, NotContains: []string{"冻结本期结果"}},
			{Name: "my record links my score", As: "center-staff", Path: "/staff/" + staff, Status: 200, Contains: []string{`href="/scores/person/` + staff + `"`, "五创评分与得分明细"}},
			{Name: "not another person's", As: "center-staff", Path: "/scores/person/" + other, Status: 403},
			{Name: "a window lead sees their window", As: "center-lead", Path: "/scores", Status: 200, Contains: []string{`href="/scores/window/` + lead + `?`}, NotContains: []string{"冻结本期结果", `href="/scores/window/` + medical + `?`}},
			{Name: "a window lead opens their window", As: "center-lead", Path: "/scores/window/" + lead, Status: 200, Contains: []string{"每项指标背后的记录"}},
			{Name: "explain a window to its facts", As: "center-admin", Path: "/scores/window/" + tax + "?period=" + last, Status: 200,
				Contains: []string{"得分明细", "按时办结率", `href="/cases/`, "威尔逊下限", "查看"}},
			{Name: "supervisors are kept out", As: "center-supervisor", Path: "/scores", Status: 403},
			{Name: "an unknown level", As: "center-admin", Path: "/scores/floor/1", Status: 404},
			{Name: "a malformed id", As: "center-admin", Path: "/scores/window/abc", Status: 404},
			{Name: "another unit's window", As: "hospital-admin", Path: "/scores/window/" + tax, Status: 404},
			{Name: "a malformed period", As: "center-admin", Path: "/scores?period=2026-Q9", Status: 400, Contains: []string{"期间格式不对"}},
			{Name: "script in the level", As: "center-admin", Path: "/scores?level=%3Cscript%3E", Status: 200, NotContains: []string{"<script>"}},
			{Name: "the scheme editor is the office's", As: "center-staff", Path: "/scores/scheme", Status: 403},
			{Name: "the scheme editor", As: "center-admin", Path: "/scores/scheme", Status: 200, Contains: []string{"现行方案:第 1 版", "威尔逊下限", "一票否决", "投诉查实"}},
			{Name: "the hospital speaks of 科室 and 病区", As: "hospital-admin", Path: "/scores/scheme", Status: 200, Contains: []string{"科室、病区"}, NotContains: []string{">窗口<"}},
			{Name: "what-if needs a frozen period", As: "center-admin", Path: "/scores/what-if?period=" + this, Status: 400, Contains: []string{"请先冻结"}},
			{Name: "what-if moves people", As: "center-admin", Path: "/scores/what-if?period=" + last + "&level=window&w0=10&w1=10&w2=10&w3=70", Status: 200,
				Contains: []string{"试算总分", "冻结名次", "↑"}},
			{Name: "what-if with letters", As: "center-admin", Path: "/scores/what-if?period=" + last + "&w0=abc", Status: 200, Contains: []string{"权重须大于 0"}},
			{Name: "what-if is the office's", As: "center-lead", Path: "/scores/what-if?period=" + last, Status: 403},
			{Name: "the honours' shortlist", As: "center-admin", Path: "/honours", Status: 200,
				Contains: []string{"五创评选", "流动红旗窗口", "优秀共产党员", "候选名单", "入选候选", "<td>一票否决:", "受到通报批评</td>"}},
			{Name: "群众满意窗口 leaves out the under-sampled", As: "center-admin", Path: "/honours?kind=2", Status: 200, Contains: []string{"群众满意窗口 · 候选名单", "决定这项荣誉的指标样本不足"}},
			{Name: "a yearly honour on a quarter: the page says why", As: "center-admin", Path: "/honours?kind=5&period=" + last, Status: 200, Contains: []string{"评选周期"}},
			{Name: "everyone sees the selections, only the office the kinds", As: "center-lead", Path: "/honours", Status: 200,
				Contains: []string{"五创评选", "现有荣誉"}, NotContains: []string{"荣誉项目", `action="/honours/selections"`}},
			{Name: "another unit's honour", As: "hospital-admin", Path: "/honours?kind=1", Status: 404},
			{Name: "the hospital's honours, nothing published", As: "hospital-admin", Path: "/honours", Status: 200, Contains: []string{"流动红旗窗口", "还没有公布的评分结果"}},
			{Name: "the public formula", Path: "/p/demo-center/scores", Status: 200, Contains: []string{"五创评分公示", "评分办法", "威尔逊下限", "一票否决"}, NotContains: []string{"/cases/"}},
			{Name: "the portal links the formula", Path: "/p/demo-center", Status: 200, Contains: []string{`href="/p/demo-center/scores"`}},
			{Name: "nothing published at the hospital", Path: "/p/demo-hospital/scores", Status: 200, Contains: []string{"还没有公布的评分结果"}},
			{Name: "an unpublished period on the portal", Path: "/p/demo-center/scores?period=" + this, Status: 404},
			{Name: "scores API", As: "key:demo-center", Path: "/api/v1/scores?level=window", Status: 200,
				Contains: []string{`"scheme_version":1`, `"level":"window"`, `"normalise":"wilson"`, `"gap":"sample"`, `"vetoes":[{"rule":`}},
			{Name: "scores API, one window with its facts", As: "key:demo-center", Path: "/api/v1/scores/window/" + tax + "?period=" + last, Status: 200,
				Contains: []string{`"facts":`, `"kind":"case"`, `"link":"/cases/`, `"moved_since_frozen":[]`}},
			{Name: "scores API, a bad level", As: "key:demo-center", Path: "/api/v1/scores?level=floor", Status: 400, Contains: []string{"level"}},
			{Name: "scores API, an unpublished period", As: "key:demo-center", Path: "/api/v1/scores?period=" + this, Status: 404},
			{Name: "scores API, the hospital has none", As: "key:demo-hospital", Path: "/api/v1/scores", Status: 404, Contains: []string{"还没有公布"}},
			{Name: "scores API, another unit's window", As: "key:demo-hospital", Path: "/api/v1/scores/window/" + tax, Status: 404},
		})

		t.Run("workbook", func(t *testing.T) {
			res := s.Get(s.As("center-admin"), "/scores.xlsx?period="+last)
			if res.Status != 200 {
				t.Fatalf("status %d", res.Status)
			}
			f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(f.GetSheetList(), ","); got != "窗口,个人,支部,评分办法" {
				t.Errorf("sheets %s", got)
			}
			rows, _ := f.GetRows("窗口")
			if len(rows) < 12 || rows[1][1] != "窗口" || !strings.Contains(strings.Join(rows[1], ","), "好评率 换算值") {
				t.Errorf("window sheet: %v", rows[:min(3, len(rows))])
			}
			formula, _ := f.GetRows("评分办法")
			if !strings.Contains(strings.Join(formula[0], ""), "权重 × 换算值") {
				t.Errorf("formula sheet: %v", formula[0])
			}
			if s.Get(s.As("center-lead"), "/scores.xlsx").Status != 403 {
				t.Error("a window lead exported the whole unit's scores")
			}
		})

		t.Run("explain opens fast", func(t *testing.T) {
			c := s.As("center-admin")
			var took []time.Duration
			for range 7 {
				start := time.Now()
				if res := s.Get(c, "/scores/window/"+tax+"?period="+last); res.Status != 200 {
					t.Fatalf("status %d", res.Status)
				}
				took = append(took, time.Since(start))
			}
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			t.Logf("explain of a window: median %v of %d", took[len(took)/2], len(took))
			if limit := 200 * time.Millisecond; !raceEnabled && took[len(took)/2] > limit {
				t.Errorf("explain of a window takes %v (median), want under %v", took[len(took)/2], limit)
			}
		})

		t.Run("recompute from the public page", func(t *testing.T) { recomputePublic(t, s) })
	})
}

var (
	partRe   = regexp.MustCompile(`<tr data-indicator="([a-z_]+)" data-weight="([0-9.]+)" data-normalise="([a-z]+)" data-full="([0-9.]+)" data-min="([0-9]+)">`)
	adjRe    = regexp.MustCompile(`<tr data-(bonus|deduction)="([a-z_]+)" data-per="([0-9.]+)" data-cap="([0-9.]+)">`)
	rowRe    = regexp.MustCompile(`(?s)<tr data-window="(\d+)" data-total="(-?[0-9.]+)" data-rank="(\d+)">(.*?)</tr>`)
	cellRe   = regexp.MustCompile(`<td data-part="([a-z_]+)" data-count="(-?[0-9.]+)" data-of="([0-9.]+)" data-sample="(\d+)" data-raw="(-?[0-9.e-]+)" data-normalised="([0-9.]+)" data-points="([0-9.]+)" data-gap="([a-z]*)">`)
	adjUseRe = regexp.MustCompile(`data-adj="(bonus|deduction)" data-indicator="([a-z_]+)" data-units="([0-9.]+)" data-points="([0-9.]+)"`)
)

// recomputePublic takes the portal's formula and each window's published
// values and computes every window's total again, with nothing but the
// page: the normalised value of each part from its raw figures (by the
// part's rule, ranks among the windows shown), its points, the bonuses
// and deductions from their units and caps.
func recomputePublic(t *testing.T, s *sitetest.Site) {
	body := s.Get(s.As(""), "/p/demo-center/scores").Body
	type part struct {
		ind, norm string
		weight    float64
		full      float64
		min       int
	}
	var parts []part
	for _, m := range partRe.FindAllStringSubmatch(body, -1) {
		w, _ := strconv.ParseFloat(m[2], 64)
		full, _ := strconv.ParseFloat(m[4], 64)
		minN, _ := strconv.Atoi(m[5])
		parts = append(parts, part{ind: m[1], norm: m[3], weight: w, full: full, min: minN})
	}
	adj := map[string][2]float64{}
	for _, m := range adjRe.FindAllStringSubmatch(body, -1) {
		per, _ := strconv.ParseFloat(m[3], 64)
		cap, _ := strconv.ParseFloat(m[4], 64)
		adj[m[1]+":"+m[2]] = [2]float64{per, cap}
	}
	rows := rowRe.FindAllStringSubmatch(body, -1)
	if len(parts) != 4 || len(rows) < 5 {
		t.Fatalf("the page shows %d parts and %d windows", len(parts), len(rows))
	}
	type cell struct {
		count, of, raw, normalised, points float64
		sample                             int
		gap                                string
	}
	cells := make([]map[string]cell, len(rows))
	for i, r := range rows {
		cells[i] = map[string]cell{}
		for _, m := range cellRe.FindAllStringSubmatch(r[4], -1) {
			var c cell
			c.count, _ = strconv.ParseFloat(m[2], 64)
			c.of, _ = strconv.ParseFloat(m[3], 64)
			c.sample, _ = strconv.Atoi(m[4])
			c.raw, _ = strconv.ParseFloat(m[5], 64)
			c.normalised, _ = strconv.ParseFloat(m[6], 64)
			c.points, _ = strconv.ParseFloat(m[7], 64)
			c.gap = m[8]
			cells[i][m[1]] = c
		}
	}
	round := func(x float64, places int) float64 { p := math.Pow(10, float64(places)); return math.Round(x*p) / p }
	checked := 0
	for i, r := range rows {
		total := 0.0
		for _, p := range parts {
			c := cells[i][p.ind]
			if c.gap != "" || c.sample < p.min {
				if c.points != 0 {
					t.Errorf("window %s: %s has a gap (%q) but %.2f points", r[1], p.ind, c.gap, c.points)
				}
				continue
			}
			var n float64
			switch p.norm {
			case "scale":
				n = math.Min(1, math.Max(0, c.raw/p.full))
			case "wilson":
				const z = 1.959963984540054
				q, m := c.count/c.of, c.of
				n = math.Max(0, (q+z*z/(2*m)-z*math.Sqrt(q*(1-q)/m+z*z/(4*m*m)))/(1+z*z/m))
			case "rank":
				better, same, ranked := 0, 0, 0
				for j := range rows {
					o := cells[j][p.ind]
					if o.gap != "" || o.sample < p.min {
						continue
					}
					ranked++
					switch {
					case o.raw > c.raw:
						better++
					case o.raw == c.raw:
						same++
					}
				}
				n = 1
				if ranked > 1 {
					n = 1 - (float64(better)+float64(same-1)/2)/float64(ranked-1)
				}
			}
			n = round(n, 4)
			if n != c.normalised {
				t.Errorf("window %s: %s normalised %.4f on the page, %.4f recomputed", r[1], p.ind, c.normalised, n)
			}
			total += round(p.weight*n, 2)
		}
		for _, m := range adjUseRe.FindAllStringSubmatch(r[4], -1) {
			units, _ := strconv.ParseFloat(m[3], 64)
			rule := adj[m[1]+":"+m[2]]
			pts := math.Min(units*rule[0], rule[1])
			if m[1] == "bonus" {
				total += pts
			} else {
				total -= pts
			}
		}
		want, _ := strconv.ParseFloat(r[2], 64)
		if round(total, 2) != want {
			t.Errorf("window %s: the page says %.2f, its own numbers give %.2f", r[1], want, round(total, 2))
		}
		checked++
	}
	t.Logf("recomputed %d windows' totals from the public page", checked)
}

// The scheme editor refuses what does not hold, each with its message, and
// the version in force stays; a good scheme is the next version.
func TestSchemeEditor(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		db := s.DB
		center := s.Units["demo-center"].ID
		admin := s.As("center-admin")
		page := s.Get(admin, "/scores/scheme").Body
		form := formValues(page)
		if form.Get("window.parts.0.indicator") != "on_time" || form.Get("window.on") != "1" {
			t.Fatalf("the editor does not show the scheme in force: %v", form)
		}
		version := func() int {
			var v int
			db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM score_schemes WHERE unit_id = $1`, center).Scan(&v)
			return v
		}
		before := version()
		with := func(change func(url.Values)) url.Values {
			f := url.Values{}
			for k, v := range form {
				f[k] = append([]string(nil), v...)
			}
			change(f)
			return f
		}
		cases := []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"weights that do not add up", with(func(f url.Values) { f.Set("window.parts.0.weight", "40") }), 400, "各项权重合计须为 100,现在是 110"},
			{"a negative cap", with(func(f url.Values) { f.Set("window.deductions.0.cap", "-5") }), 400, "封顶分须大于 0"},
			{"a minimum sample of zero", with(func(f url.Values) { f.Set("window.parts.3.min_sample", "0") }), 400, "最少样本数至少为 1"},
			{"an indicator another unit might have", with(func(f url.Values) { f.Set("window.parts.1.indicator", "hospital_beds") }), 400, "本单位没有这项指标"},
			{"two vetoes on one fact", with(func(f url.Values) { f["vetoes"] = []string{"complaint_upheld", "complaint_upheld"} }), 400, "同一条一票否决规则只能选一次"},
			{"letters for a weight", with(func(f url.Values) { f.Set("person.parts.0.weight", "三十") }), 400, "请填写数字"},
			{"a note too long", with(func(f url.Values) { f.Set("note", strings.Repeat("说", 501)) }), 400, "500"},
			{"a 10 MB name", with(func(f url.Values) { f.Set("note", strings.Repeat("名", 10<<20/3)) }), 413, "提交的内容太大"},
			{"no level at all", with(func(f url.Values) { f.Del("window.on"); f.Del("person.on"); f.Del("branch.on") }), 400, "至少要有一个层级"},
			{"an unknown veto in script", with(func(f url.Values) { f["vetoes"] = []string{"<script>alert(1)</script>"} }), 400, "没有这条一票否决规则"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res := s.Post(admin, "/scores/scheme", c.form)
				if res.Status != c.status || !strings.Contains(res.Body, c.want) {
					t.Fatalf("status %d, want %d with %q\n%s", res.Status, c.status, c.want, sitetest.Snippet(res.Body))
				}
				if strings.Contains(res.Body, "<script>alert(1)") {
					t.Error("the refused veto came back unescaped")
				}
				if v := version(); v != before {
					t.Errorf("a refused scheme made version %d", v)
				}
			})
		}
		t.Run("a refused form keeps what was typed", func(t *testing.T) {
			res := s.Post(admin, "/scores/scheme", with(func(f url.Values) { f.Set("window.parts.0.weight", "40"); f.Set("note", "调整 😀 <b>x</b>") }))
			if !strings.Contains(res.Body, `value="40"`) || !strings.Contains(res.Body, "调整 😀 &lt;b&gt;x&lt;/b&gt;") {
				t.Errorf("typed values lost\n%s", sitetest.Snippet(res.Body))
			}
			// the county split's four parts and the two blank rows, as first shown: a refusal adds none
			if n := strings.Count(res.Body, `.indicator" aria-label`) - strings.Count(page, `.indicator" aria-label`); n != 0 {
				t.Errorf("the refused form has %d more rows than the first", n)
			}
		})
		t.Run("full-width numbers and a new version", func(t *testing.T) {
			res := s.Post(admin, "/scores/scheme", with(func(f url.Values) {
				f.Set("window.parts.0.weight", "２５")
				f.Set("window.parts.3.weight", "２５")
				f.Set("note", "好评率权重调为 25 <script>")
			}))
			if res.Status == 303 {
				res = s.Get(admin, "/scores/scheme")
			}
			if version() != before+1 {
				t.Fatalf("status %d, version %d\n%s", res.Status, version(), sitetest.Snippet(res.Body))
			}
			if !strings.Contains(res.Body, "好评率权重调为 25 &lt;script&gt;") {
				t.Error("the versions list lacks the escaped note")
			}
			var n int
			db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE unit_id = $1 AND entity = 'score_scheme'`, center).Scan(&n)
			if n != before+1 {
				t.Errorf("%d audit records of scheme versions, want %d", n, before+1)
			}
		})
		t.Run("freeze, correct and publish through the web", func(t *testing.T) {
			loc := time.FixedZone("CST", 8*3600)
			this := period.QuarterOf(sitetest.Demo, loc).Code
			if res := s.Post(admin, "/scores/freeze", url.Values{"period": {this}}); res.Status != 303 {
				t.Fatalf("freeze: %d\n%s", res.Status, sitetest.Snippet(res.Body))
			}
			if res := s.Get(admin, "/scores?period="+this); !strings.Contains(res.Body, "已冻结") || !strings.Contains(res.Body, "第 1 版,冻结于") {
				t.Errorf("after freezing\n%s", sitetest.Snippet(res.Body))
			}
			if res := s.Post(admin, "/scores/freeze", url.Values{"period": {this}}); res.Status != 400 || !strings.Contains(res.Body, "须写明更正原因") {
				t.Errorf("a correction without a reason: %d", res.Status)
			}
			if res := s.Post(admin, "/scores/freeze", url.Values{"period": {this}, "note": {"补录一件办结"}}); res.Status != 303 {
				t.Errorf("correction: %d", res.Status)
			}
			if res := s.Get(admin, "/scores?period="+this); !strings.Contains(res.Body, "第 2 版,冻结于") || !strings.Contains(res.Body, "补录一件办结") {
				t.Errorf("the correction's page\n%s", sitetest.Snippet(res.Body))
			}
			if res := s.Post(admin, "/scores/publish", url.Values{"period": {this}, "version": {"2"}}); res.Status != 303 {
				t.Errorf("publish: %d", res.Status)
			}
			if res := s.Get(s.As(""), "/p/demo-center/scores?period="+this); res.Status != 200 || !strings.Contains(res.Body, "第 2 版") {
				t.Errorf("portal after publishing: %d", res.Status)
			}
			if res := s.Post(admin, "/scores/publish", url.Values{"period": {this}, "version": {"9"}}); res.Status != 404 {
				t.Errorf("publishing a version that does not exist: %d", res.Status)
			}
			if res := s.Post(s.As("center-lead"), "/scores/freeze", url.Values{"period": {this}}); res.Status != 403 {
				t.Errorf("a window lead froze: %d", res.Status)
			}
			if res := s.Post(admin, "/scores/freeze", url.Values{"period": {"2026-Q9"}}); res.Status != 400 {
				t.Errorf("a bad period: %d", res.Status)
			}
		})
	})
}

var inputRe = regexp.MustCompile(`<(input|select|textarea)[^>]*name="([^"]+)"[^>]*>`)

// formValues reads the editor's form as a browser would send it: inputs'
// values, checked boxes, selected options.
func formValues(page string) url.Values {
	out := url.Values{}
	for _, m := range inputRe.FindAllStringSubmatchIndex(page, -1) {
		tag, name, full := page[m[2]:m[3]], page[m[4]:m[5]], page[m[0]:m[1]]
		switch tag {
		case "input":
			v := attr(full, "value")
			if strings.Contains(full, `type="checkbox"`) {
				if strings.Contains(full, " checked") {
					out.Add(name, v)
				}
				continue
			}
			out.Add(name, v)
		case "select":
			rest := page[m[1]:]
			rest = rest[:strings.Index(rest, "</select>")]
			v := ""
			if i := strings.Index(rest, " selected>"); i >= 0 {
				open := strings.LastIndex(rest[:i], "<option")
				v = attr(rest[open:i+10], "value")
			} else if strings.HasPrefix(rest, `<option value="`) {
				v = attr(rest, "value")
			}
			out.Add(name, v)
		case "textarea":
			rest := page[m[1]:]
			out.Add(name, rest[:strings.Index(rest, "</textarea>")])
		}
	}
	return out
}

func attr(tag, name string) string {
	i := strings.Index(tag, name+`="`)
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+2:]
	return strings.ReplaceAll(v[:strings.Index(v, `"`)], "&amp;", "&")
}
