package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/apikeys"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/sitetest"
	"wuliang/internal/testdb"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(stdin string, args ...string) result {
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
	return result{code, out.String(), errOut.String()}
}

func TestHelp(t *testing.T) {
	for _, cmd := range [][]string{{"workdays"}, {"serve"}, {"unit", "add"}, {"user", "add"}, {"apikey", "create"}, {"import", "staff"}, {"export", "staff"}, {"backup"}, {"audit", "verify"}} {
		r := run("", append(cmd, "--help")...)
		if r.code != 0 || !strings.Contains(r.stderr, "usage: wuliang "+strings.Join(cmd, " ")) || !strings.Contains(r.stderr, "-db") {
			t.Errorf("%v --help: %d %q", cmd, r.code, r.stderr)
		}
	}
	if r := run("", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "unknown command") {
		t.Errorf("unknown command: %+v", r)
	}
	if r := run("", "serve", "--no-such-flag"); r.code != 2 {
		t.Errorf("bad flag: %+v", r)
	}
}

func TestAdminCommands(t *testing.T) {
	// Beside the demo's units, as in a trial installation.
	sitetest.DemoTemplate.EachDSN(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		db, err := openDB(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if r := run("", "unit", "add", "--db", dsn, "--code", "test-center", "--name", "测试中心"); r.code != 0 {
			t.Fatalf("unit add: %+v", r)
		}
		if r := run("", "unit", "add", "--db", dsn, "--code", "坏代码", "--name", "x"); r.code != 1 || !strings.Contains(r.stderr, "单位代码须为") {
			t.Fatalf("bad unit: %+v", r)
		}
		if r := run("secret-password\n", "user", "add", "--db", dsn, "--role", "system_admin", "--username", "root"); r.code != 0 {
			t.Fatalf("system admin: %+v", r)
		}
		if r := run("", "user", "add", "--db", dsn, "--unit", "test-center", "--role", "unit_admin", "--username", "office"); r.code != 1 || !strings.Contains(r.stderr, "密码") {
			t.Fatalf("no password: %+v", r)
		}
		if r := run("pw\n", "user", "add", "--db", dsn, "--unit", "nowhere", "--role", "unit_admin", "--username", "office"); r.code != 1 || !strings.Contains(r.stderr, "没有代码为 nowhere 的单位") {
			t.Fatalf("unknown unit: %+v", r)
		}

		r := run("", "apikey", "create", "--db", dsn, "--unit", "test-center", "--name", "叫号机")
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		key := lines[len(lines)-1]
		if r.code != 0 || !strings.HasPrefix(key, "wl_") {
			t.Fatalf("apikey: %+v", r)
		}
		if _, err := apikeys.NewStore(db).Authenticate(context.Background(), key); err != nil {
			t.Fatalf("the printed key does not work: %v", err)
		}

		exported := filepath.Join(dir, "roster.xlsx")
		if r := run("", "export", "staff", "--db", dsn, "--unit", "demo-center", exported); r.code != 0 {
			t.Fatalf("export: %+v", r)
		}
		if r := run("", "import", "staff", "--db", dsn, "--unit", "demo-center", exported); r.code != 0 || !strings.Contains(r.stdout, "54 unchanged") {
			t.Fatalf("re-import of the export: %+v", r)
		}
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "工号", "科室/窗口"})
		f.SetSheetRow("Sheet1", "A2", &[]any{"", "Q1", "火星窗口"})
		bad := filepath.Join(dir, "bad.xlsx")
		f.SaveAs(bad)
		if r := run("", "import", "staff", "--db", dsn, "--unit", "demo-center", bad); r.code != 1 ||
			!strings.Contains(r.stderr, "第 2 行「姓名」") || !strings.Contains(r.stderr, "火星窗口") || !strings.Contains(r.stderr, "没有导入任何数据") {
			t.Fatalf("bad roster: %+v", r)
		}

		if r := run("", "audit", "verify", "--db", dsn); r.code != 0 || !strings.Contains(r.stdout, "intact") {
			t.Fatalf("verify: %+v", r)
		}
		head := run("", "audit", "head", "--db", dsn)
		headFile := filepath.Join(dir, "head.json")
		if err := os.WriteFile(headFile, []byte(head.stdout), 0o600); err != nil || head.code != 0 || !strings.Contains(head.stdout, `"hash"`) {
			t.Fatalf("head: %+v %v", head, err)
		}
		if r := run("", "audit", "verify", "--db", dsn, "--head", headFile); r.code != 0 {
			t.Fatalf("verify against the head: %+v", r)
		}
		if r := run("", "audit", "verify", "--db", dsn, "--head", filepath.Join(dir, "nothing.json")); r.code != 1 || !strings.Contains(r.stderr, "读不出链头文件") {
			t.Fatalf("a missing head file: %+v", r)
		}
		var rating int64
		db.QueryRowContext(context.Background(), `SELECT min(id) FROM ratings`).Scan(&rating)
		err = db.Tx(context.Background(), func(tx *database.Tx) error {
			_, err := tx.Exec(`UPDATE ratings SET level = CASE WHEN level = 1 THEN 5 ELSE 1 END WHERE id = $1`, rating)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := run("", "audit", "verify", "--db", dsn); r.code != 1 || !strings.Contains(r.stderr, "ratings 表第 "+strconv.FormatInt(rating, 10)+" 行的“level”") {
			t.Fatalf("a rating changed in the database: %+v", r)
		}
		var seq int64
		db.QueryRowContext(context.Background(), `SELECT max(seq) FROM audit_log WHERE entity = 'staff'`).Scan(&seq)
		err = db.Tx(context.Background(), func(tx *database.Tx) error {
			_, err := tx.Exec(`UPDATE audit_log SET after_json = '{"name":"篡改"}' WHERE seq = $1`, seq)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := run("", "audit", "verify", "--db", dsn); r.code != 1 || !strings.Contains(r.stderr, "第 "+strconv.FormatInt(seq, 10)+" 条的内容被改动过") {
			t.Fatalf("tampered trail: %+v", r)
		}
	})
}

func TestBackup(t *testing.T) {
	dsn := testdb.SQLiteDSN(t)
	file := filepath.Join(t.TempDir(), "backup.db")
	if r := run("", "unit", "add", "--db", dsn, "--code", "test-center", "--name", "测试中心"); r.code != 0 {
		t.Fatal(r)
	}
	if r := run("", "backup", "--db", dsn, file); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if r := run("", "apikey", "create", "--db", "sqlite:"+file, "--unit", "test-center", "--name", "x"); r.code != 0 {
		t.Fatalf("the backup is not a working database: %+v", r)
	}
	if r := run("", "backup", "--db", dsn, file); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("backup over a file: %+v", r)
	}
}

func TestWorkdays(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--from", "2026-09-30", "--add", "5"}, 0, "2026-10-13"},
		{[]string{"--from", "2026-09-30", "--add", "0"}, 0, "2026-09-30"},
		{[]string{"--from", "2025-09-30", "--add", "1"}, 0, "2025-10-09"},
		{[]string{"--from", "2026-09-30", "--to", "2026-10-13"}, 0, "5"},
		{[]string{"--from", "2026-02-13", "--to", "2026-02-28"}, 0, "6"}, // 2-14 and 2-28 are make-up Saturdays, 2-24 to 2-27
		{[]string{"--from", "2026-09-30"}, 2, ""},
		{[]string{"--from", "2026-09-30", "--add", "1", "--to", "2026-10-13"}, 2, ""},
		{[]string{"--from", "2026-09-31", "--add", "1"}, 1, ""},
		{[]string{"--from", "2026-09-30", "--add", "-1"}, 1, ""},
	}
	for _, tc := range cases {
		r := run("", append([]string{"workdays"}, tc.args...)...)
		if r.code != tc.code || strings.TrimSpace(r.stdout) != tc.out {
			t.Errorf("workdays %v: %d %q %q", tc.args, r.code, r.stdout, r.stderr)
		}
	}
	// A unit's own day off counts with --unit.
	dsn := testdb.SQLiteDSN(t)
	if r := run("", "unit", "add", "--db", dsn, "--code", "county", "--name", "县中心"); r.code != 0 {
		t.Fatal(r)
	}
	db, err := openDB(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var unitID int64
	db.QueryRowContext(context.Background(), `SELECT id FROM units WHERE code = 'county'`).Scan(&unitID)
	if err := calendar.NewStore(db).Add(context.Background(), cliActor, unitID, []calendar.Day{{Date: "2026-10-08", Kind: calendar.Off, Name: "县庆"}}); err != nil {
		t.Fatal(err)
	}
	if r := run("", "workdays", "--db", dsn, "--unit", "county", "--from", "2026-09-30", "--add", "1"); strings.TrimSpace(r.stdout) != "2026-10-09" {
		t.Fatalf("with the unit's day off: %+v", r)
	}
}
