package web_test

import (
	"bytes"
	"image"
	_ "image/png"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"wuliang/internal/audit"
	"wuliang/internal/items"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/sitetest"
)

// artifacts is where the PDFs and PNGs go: WULIANG_ARTIFACTS when set, so a
// person can look at them, else a temporary directory.
func artifacts(t *testing.T) string {
	if dir := os.Getenv("WULIANG_ARTIFACTS"); dir != "" {
		os.MkdirAll(dir, 0o755)
		return dir
	}
	return t.TempDir()
}

// The server prints each printable to PDF with headless Chromium; the PDF's
// text holds the person's or item's Chinese text, and every page renders to
// a PNG. The badge's QR code, read back from that PNG, opens the person's
// public page.
func TestBrowserPrintablesToPDF(t *testing.T) {
	sitetest.E2E(t, "chromium", "pdftotext", "pdftoppm")
	s := sitetest.SQLite(t)
	c := s.As("center-admin")
	unit := s.Units["demo-center"].ID
	person, err := org.NewStore(s.DB).StaffByEmployeeNo(ctx, unit, "ZX0013")
	if err != nil {
		t.Fatal(err)
	}
	its, _ := items.NewStore(s.DB).List(ctx, unit, items.Filter{Query: "食品经营许可证核发"})
	var branch int64
	s.DB.QueryRowContext(ctx, `SELECT id FROM branches WHERE unit_id = $1`, unit).Scan(&branch)
	var caseID, noticeID int64
	var recipient, material string
	s.DB.QueryRowContext(ctx, `SELECT c.id, n.id, c.recipient_name, n.materials FROM case_notices n JOIN cases c ON c.id = n.case_id
		WHERE n.unit_id = $1 ORDER BY n.id LIMIT 1`, unit).Scan(&caseID, &noticeID, &recipient, &material)
	material = material[strings.Index(material, `"name":"`)+8:]
	material = material[:strings.Index(material, `"`)]
	lastMonth := period.MonthOf(time.Now(), org.Location(s.Units["demo-center"].Timezone)).Previous()
	rep, err := s.Stores.Reports.Generate(ctx, audit.Actor{Name: "center-admin"}, s.Units["demo-center"], lastMonth)
	if err != nil {
		t.Fatal(err)
	}
	dir := artifacts(t)
	cases := []struct {
		name, path string
		want       []string
	}{
		{"badges", "/print/badges?staff=" + itoa(person.ID) + "&format=pdf", []string{person.Name, "某县行政服务中心", "共产党员", "ZX0013"}},
		{"desksign", "/print/desksign/staff/" + itoa(person.ID) + "?format=pdf", []string{person.Name, "窗口负责人", "主要职责"}},
		{"window-desksign", "/print/desksign/window/" + itoa(person.DepartmentID) + "?format=pdf", []string{"税务窗口", "在岗人员"}},
		{"item-card", "/print/items/" + itoa(its[0].ID) + "?format=pdf", []string{"食品经营许可证核发", "政策依据", "营业执照"}},
		{"notice-board", "/p/demo-center/board/" + itoa(branch) + "?print=1&format=pdf", []string{"党员公示栏", "李祥生"}},
		{"leading-group-report", "/reports/" + itoa(rep.ID) + "/print?format=pdf", []string{"领导小组工作报告", lastMonth.Label(), lastMonth.Previous().Label(),
			"办件与效能", "按时办结率", "群众评价与差评整改", "排队等候与满意度", "等候时间中位数", "五比", "责任追究", "承诺践诺", "各窗口按时办结率"}},
		{"one-time-notice", "/cases/" + itoa(caseID) + "/notices/" + itoa(noticeID) + "?format=pdf", []string{"一次性告知书", recipient, material, "盖章"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := s.Get(c, tc.path)
			if res.Status != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Body, "%PDF-") {
				t.Fatalf("%d %s", res.Status, res.Header.Get("Content-Type"))
			}
			pdf := filepath.Join(dir, tc.name+".pdf")
			os.WriteFile(pdf, []byte(res.Body), 0o644)
			text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			flat := strings.Join(strings.Fields(string(text)), "")
			for _, w := range tc.want {
				if !strings.Contains(flat, strings.ReplaceAll(w, " ", "")) {
					t.Errorf("the PDF's text lacks %q:\n%s", w, text)
				}
			}
			if out, err := exec.Command("pdftoppm", "-png", "-r", "150", pdf, filepath.Join(dir, tc.name)).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v %s", err, out)
			}
			pngs, _ := filepath.Glob(filepath.Join(dir, tc.name+"-*.png"))
			if len(pngs) == 0 {
				t.Fatal("no PNG of the page")
			}
			if tc.name == "badges" {
				decodeBadgeQR(t, s, pngs[0], person)
			}
		})
	}
}

func decodeBadgeQR(t *testing.T, s *sitetest.Site, png string, person org.Staff) {
	data, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	url := decodeQR(t, data)
	if !strings.HasPrefix(url, s.Srv.URL+"/p/demo-center/staff/") {
		t.Fatalf("the QR code holds %q", url)
	}
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(res.Body)
	if res.StatusCode != 200 || !strings.Contains(body.String(), person.Name) || strings.Contains(body.String(), person.Phone) {
		t.Fatalf("the QR code opens %s: %d", url, res.StatusCode)
	}
}

// decodeQR reads the QR code in a picture, as a phone's camera would.
func decodeQR(t *testing.T, picture []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(picture))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	result, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("no QR code found: %v", err)
	}
	return result.GetText()
}
