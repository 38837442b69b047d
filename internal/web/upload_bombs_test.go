package web_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wuliang/internal/sitetest"
)

// bomb is a minimal workbook whose one sheet unpacks to the header row and
// then what body writes, deflated as it is written: a few MB on disk, as
// much as body likes unpacked.
func bomb(t *testing.T, body func(w io.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	z.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	part := func(name, text string) {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, text)
	}
	part("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)
	part("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	part("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="人员名册" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+
		`<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>工号</t></is></c></row>`)
	body(w)
	io.WriteString(w, `</sheetData></worksheet>`)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Two roster bombs, one cell of 300 MB and a sheet that unpacks to 1 GiB,
// are refused within 5 s, the server's heap staying under 300 MB above
// where it started.
func TestUploadBombs(t *testing.T) {
	s := sitetest.SQLite(t)
	bigCell := bomb(t, func(w io.Writer) {
		io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
		chunk := strings.Repeat("A", 1<<20)
		for range 300 {
			io.WriteString(w, chunk)
		}
		io.WriteString(w, `</t></is></c></row>`)
	})
	manyRows := bomb(t, func(w io.Writer) {
		chunk := strings.Repeat(`<row><c t="inlineStr"><is><t>张三</t></is></c><c t="inlineStr"><is><t>N1</t></is></c></row>`, 10000)
		for n := 0; n < 1<<30; n += len(chunk) {
			io.WriteString(w, chunk)
		}
	})
	office := s.As("center-admin")
	for _, c := range []struct {
		name string
		data []byte
		path string
	}{
		{"a 300 MB cell", bigCell, "/roster/preview"},
		{"a sheet of 1 GiB", manyRows, "/roster/preview"},
		{"a 300 MB cell as items", bigCell, "/items/import"},
		{"a sheet of 1 GiB as items", manyRows, "/items/import"},
	} {
		t.Run(c.name, func(t *testing.T) {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapInuse
			var peak atomic.Uint64
			peak.Store(base)
			done := make(chan struct{})
			go func() {
				for {
					select {
					case <-done:
						return
					case <-time.After(5 * time.Millisecond):
					}
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
				}
			}()
			start := time.Now()
			res := upload(t, s, office, c.path, "file", "名册.xlsx", c.data)
			took := time.Since(start)
			close(done)
			grew := int64(peak.Load()) - int64(base)
			t.Logf("%d KB file: %d in %v, heap +%d MB", len(c.data)>>10, res.Status, took, grew>>20)
			if res.Status >= 500 || res.Status < 400 || !strings.Contains(res.Body, "解压后超过") {
				t.Errorf("status %d\n%s", res.Status, sitetest.Snippet(res.Body))
			}
			if took > 5*time.Second {
				t.Errorf("took %v", took)
			}
			if grew > 300<<20 {
				t.Errorf("the heap grew by %d MB", grew>>20)
			}
		})
	}
}
