package roster_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/orgtest"
	"wuliang/internal/roster"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

var header = []any{"姓名*", "性别", "工号*", "职务", "科室/窗口*", "党支部", "政治面貌", "手机号码", "B岗工号", "状态", "岗位职责"}

// book writes rows under the header into an .xlsx.
func book(t testing.TB, head []any, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{head}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// snapshot is what must not change when an import is refused.
func snapshot(t *testing.T, db *database.DB, unitID int64) string {
	t.Helper()
	var b bytes.Buffer
	if err := roster.Export(ctx, org.NewStore(db), unitID, &b); err != nil {
		t.Fatal(err)
	}
	var seq int64
	db.QueryRowContext(ctx, `SELECT seq FROM audit_head`).Scan(&seq)
	list, _, _ := org.NewStore(db).StaffList(ctx, unitID, org.StaffFilter{})
	return fmt.Sprintf("%d %d %+v", seq, len(list), list)
}

func row(name, no, dept string) []any {
	return []any{name, "女", no, "窗口工作人员", dept, "", "群众", "13900000000", "", "在岗", ""}
}

func TestBadRostersChangeNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		store := org.NewStore(db)
		huge := strings.Repeat("长", 5<<20/3)
		cases := []struct {
			name    string
			data    []byte
			fileKey string // a problem with the whole file
			line    int    // or a problem at this row and column
			column  string
			says    string // what the message at that cell must quote
		}{
			{"empty file", nil, "roster.empty_file", 0, "", ""},
			{"not excel", []byte("姓名,工号\n张三,1\n"), "roster.not_excel", 0, "", ""},
			{"zip that is not excel", []byte("PK\x03\x04garbage"), "roster.not_excel", 0, "", ""},
			{"header only", book(t, header), "roster.no_rows", 0, "", ""},
			{"missing columns", book(t, []any{"姓名", "电话"}, []any{"张三", "1"}), "roster.missing_columns", 0, "", ""},
			{"missing name", book(t, header, row("", "N1", "税务窗口")), "", 2, "姓名", ""},
			{"duplicate employee number", book(t, header, row("甲", "N1", "税务窗口"), row("乙", "N1", "税务窗口")), "", 3, "工号", ""},
			{"employee number of the unit is fine, twice in file is not", book(t, header, row("甲", "ZZ01", "税务窗口"), row("乙", "ＺＺ０１", "税务窗口")), "", 3, "工号", ""},
			{"unknown department", book(t, header, row("甲", "N1", "不存在的窗口")), "", 2, "科室/窗口", ""},
			{"bad phone", book(t, header, []any{"甲", "", "N1", "", "税务窗口", "", "", "1234", "", "", ""}), "", 2, "手机号码", ""},
			{"bad political status", book(t, header, []any{"甲", "", "N1", "", "税务窗口", "", "民主人士", "", "", "", ""}), "", 2, "政治面貌", "民主人士"},
			{"bad gender", book(t, header, []any{"甲", "雄", "N1", "", "税务窗口"}), "", 2, "性别", "雄"},
			{"unknown branch", book(t, header, []any{"甲", "", "N1", "", "税务窗口", "第九支部", "", "", "", "", ""}), "", 2, "党支部", ""},
			{"unknown backup", book(t, header, []any{"甲", "", "N1", "", "税务窗口", "", "", "", "N9", "", ""}), "", 2, "B岗工号", ""},
			{"5 MB cell", book(t, header, []any{"甲", "", "N1", huge, "税务窗口"}), "workbook.cell_too_long", 0, "", ""},
			{"good rows and one bad", book(t, header, row("甲", "N1", "税务窗口"), row("乙", "N2", "税务窗口"), row("丙", "N3", "火星窗口")), "", 4, "科室/窗口", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := snapshot(t, db, u.ID)
				p, _, err := roster.Import(ctx, store, orgtest.Actor, u.ID, c.data)
				if c.fileKey != "" {
					le, ok := locale.AsError(err)
					if !ok || le.Key != c.fileKey {
						t.Fatalf("got %v, want %s", err, c.fileKey)
					}
				} else {
					if !errors.Is(err, roster.ErrProblems) {
						t.Fatalf("got %v, want problems", err)
					}
					found := false
					for _, pr := range p.Problems {
						at := pr.Line == c.line && pr.Column == c.column
						found = found || at
						if at && !strings.Contains(pr.Err.Error(), c.says) {
							t.Errorf("the message %q does not quote the cell %q", pr.Err.Error(), c.says)
						}
						if !strings.ContainsFunc(pr.Err.Error(), func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
							t.Errorf("message not in Chinese: %q", pr.Err.Error())
						}
						if len(pr.Err.Error()) > 400 {
							t.Errorf("message repeats the huge cell: %d bytes", len(pr.Err.Error()))
						}
					}
					if !found {
						t.Fatalf("no problem at row %d %s: %+v", c.line, c.column, p.Problems)
					}
				}
				if after := snapshot(t, db, u.ID); after != before {
					t.Fatal("the database changed after a refused import")
				}
			})
		}
	})
}

func TestImportNormalisesAndRoundTrips(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		store := org.NewStore(db)
		data := book(t, []any{" 姓名 ", "工号", "部门", "手机", "政治面貌", "B岗", "状态"},
			[]any{"  欧阳娜娜　", "ＸＹ００１", "税务窗口", "１３９ ００００ １１１１", "预备党员", "XY002", ""},
			[]any{"<script>alert(1)</script>", "XY002", "办公室", "0713-8888888", "", "", "离职"},
			[]any{"张三", "ZZ01", "办公室", "13800000001", "中共党员", "", "在岗"},
		)
		p, res, err := roster.Import(ctx, store, orgtest.Actor, u.ID, data)
		if err != nil {
			t.Fatalf("%v %+v", err, p)
		}
		if res.Created != 2 || res.Updated != 1 {
			t.Fatalf("result %+v", res)
		}
		x, err := store.StaffByEmployeeNo(ctx, u.ID, "XY001")
		if err != nil || x.Name != "欧阳娜娜" || x.Phone != "13900001111" || x.PoliticalStatus != org.StatusProbationary || x.BackupName != "<script>alert(1)</script>" {
			t.Fatalf("normalised row: %+v %v", x, err)
		}
		y, _ := store.StaffByEmployeeNo(ctx, u.ID, "XY002")
		if y.Active || y.Phone != "0713-8888888" {
			t.Fatalf("离职 row: %+v", y)
		}
		zhang, _ := store.StaffByEmployeeNo(ctx, u.ID, "ZZ01")
		if zhang.DepartmentID != u.Office {
			t.Fatalf("update by employee number did not move 张三: %+v", zhang)
		}

		// Export, then import the export: nothing changes.
		var out bytes.Buffer
		if err := roster.Export(ctx, store, u.ID, &out); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, db, u.ID)
		_, res, err = roster.Import(ctx, store, orgtest.Actor, u.ID, out.Bytes())
		if err != nil || res.Created != 0 || res.Updated != 0 || res.Unchanged != 5 {
			t.Fatalf("re-import of the export: %+v %v", res, err)
		}
		if after := snapshot(t, db, u.ID); after != before {
			t.Fatal("re-importing an export changed data")
		}
	})
}

func TestTemplateImportsAsIs(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		store := org.NewStore(db)
		depts, _ := store.Departments(ctx, u.ID)
		branches, _ := store.Branches(ctx, u.ID)
		var buf bytes.Buffer
		if err := roster.Template(&buf, depts, branches); err != nil {
			t.Fatal(err)
		}
		lk, err := roster.LoadLookups(ctx, store, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		p, err := roster.Parse(buf.Bytes(), lk)
		if err != nil || !p.OK() || len(p.Rows) != 1 || p.Rows[0].Department != "税务窗口" {
			t.Fatalf("the template's example row: %+v %v", p, err)
		}
	})
}

func largeRoster(t testing.TB, n int) []byte {
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{fmt.Sprintf("人员%05d", i), "男", fmt.Sprintf("L%05d", i), "窗口工作人员", "税务窗口", "中心党支部", "中共党员",
			fmt.Sprintf("139%08d", i), fmt.Sprintf("L%05d", (i+1)%n), "在岗", "受理业务"}
	}
	return book(t, header, rows...)
}

func TestImportLargeRoster(t *testing.T) {
	if testing.Short() {
		t.Skip("large roster skipped in -short")
	}
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		// The race detector slows this tenfold; a smaller roster still spans
		// several batches of database.BatchRows.
		n := 10_000
		if raceEnabled {
			n = 2_000
		}
		data := largeRoster(t, n)
		start := time.Now()
		_, res, err := roster.Import(ctx, org.NewStore(db), orgtest.Actor, u.ID, data)
		if err != nil || res.Created != n {
			t.Fatalf("%+v %v", res, err)
		}
		t.Logf("%d rows imported in %v", n, time.Since(start))
		_, total, _ := org.NewStore(db).StaffList(ctx, u.ID, org.StaffFilter{})
		if total != n+3 {
			t.Fatalf("%d staff", total)
		}
		last, err := org.NewStore(db).StaffByEmployeeNo(ctx, u.ID, fmt.Sprintf("L%05d", n-1))
		if err != nil || last.BackupName != "人员00000" {
			t.Fatalf("the last row's backup, named at the top of the file: %+v %v", last, err)
		}
	})
}

// BenchmarkImport10000 measures parsing, checking and writing a 10,000-row
// roster into a unit that has none of them yet, on each engine:
//
//	WULIANG_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test ./internal/roster -run '^$' -bench Import10000 -benchtime 3x -count 5
func BenchmarkImport10000(b *testing.B) {
	data := largeRoster(b, 10_000)
	engines := []struct {
		name string
		open func(testing.TB) *database.DB
	}{{"sqlite", testdb.SQLite}, {"postgres", testdb.Postgres}}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := e.open(b)
				u := orgtest.New(b, db, "unit-a")
				b.StartTimer()
				if _, _, err := roster.Import(ctx, org.NewStore(db), orgtest.Actor, u.ID, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
