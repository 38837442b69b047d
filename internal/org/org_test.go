package org_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"testing"

	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

// fields returns the fields a failed write complained about.
func fields(err error) []string {
	ps, ok := locale.AsProblems(err)
	if !ok {
		return nil
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.Field)
	}
	return out
}

func TestStaffInputRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := org.NewStore(db)
		base := func() org.StaffInput {
			return org.StaffInput{Name: "赵六", EmployeeNo: "A100", DepartmentID: a.Window, PoliticalStatus: org.StatusMember}
		}
		cases := []struct {
			name  string
			edit  func(*org.StaffInput)
			field string // "" means it must be saved
		}{
			{"valid", func(in *org.StaffInput) {}, ""},
			{"empty name", func(in *org.StaffInput) { in.Name = "  　 " }, "name"},
			{"huge name", func(in *org.StaffInput) { in.Name = strings.Repeat("长", 51) }, "name"},
			{"huge duties", func(in *org.StaffInput) { in.Duties = strings.Repeat("职", 100_000) }, "duties"},
			{"empty employee number", func(in *org.StaffInput) { in.EmployeeNo = "" }, "employee_no"},
			{"employee number with script", func(in *org.StaffInput) { in.EmployeeNo = "<script>" }, "employee_no"},
			{"bad phone", func(in *org.StaffInput) { in.Phone = "12345" }, "phone"},
			{"emoji phone", func(in *org.StaffInput) { in.Phone = "138😀0000000" }, "phone"},
			{"no department", func(in *org.StaffInput) { in.DepartmentID = 0 }, "department"},
			{"another unit's department", func(in *org.StaffInput) { in.DepartmentID = b.Window }, "department"},
			{"another unit's branch", func(in *org.StaffInput) { in.BranchID = b.Branch }, "branch"},
			{"another unit's backup", func(in *org.StaffInput) { in.BackupID = b.Staff[0] }, "backup"},
			{"unknown status", func(in *org.StaffInput) { in.PoliticalStatus = "民主党派" }, "political_status"},
			{"unknown gender", func(in *org.StaffInput) { in.Gender = "x" }, "gender"},
			{"taken employee number", func(in *org.StaffInput) { in.EmployeeNo = "ZZ01" }, "employee_no"},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := base()
				in.EmployeeNo = in.EmployeeNo + string(rune('a'+i))
				c.edit(&in)
				_, err := s.CreateStaff(ctx, orgtest.Actor, a.ID, in)
				got := fields(err)
				if c.field == "" {
					if err != nil {
						t.Fatalf("not saved: %v", err)
					}
					return
				}
				if !contains(got, c.field) {
					t.Fatalf("error %v does not name %s", err, c.field)
				}
				if _, isText := locale.AsProblems(err); !isText || !hasHan(err.Error()) {
					t.Fatalf("message is not Chinese: %q", err.Error())
				}
			})
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// People type on Chinese keyboards: full-width digits and spaces are folded,
// HTML is kept as text (templates escape it), emoji in names survive.
func TestStaffInputNormalisation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		s := org.NewStore(db)
		id, err := s.CreateStaff(ctx, orgtest.Actor, a.ID, org.StaffInput{
			Name: "　欧阳 <b>娜娜</b>😀 ", EmployeeNo: "Ａ０１２３", Phone: "１３８ ００００ ９９９９", DepartmentID: a.Window,
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Staff(ctx, a.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "欧阳 <b>娜娜</b>😀" || got.EmployeeNo != "A0123" || got.Phone != "13800009999" || got.PoliticalStatus != org.StatusMasses {
			t.Fatalf("normalised to %+v", got)
		}
	})
}

func TestAnotherUnitsIdsFindNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := org.NewStore(db)
		if _, err := s.Staff(ctx, a.ID, b.Staff[0]); !errors.Is(err, org.ErrNotFound) {
			t.Fatalf("read across units: %v", err)
		}
		if err := s.UpdateStaff(ctx, orgtest.Actor, a.ID, b.Staff[0], org.StaffInput{Name: "x", EmployeeNo: "X1", DepartmentID: a.Window}); !errors.Is(err, org.ErrNotFound) {
			t.Fatalf("update across units: %v", err)
		}
		if err := s.SetStaffActive(ctx, orgtest.Actor, a.ID, b.Staff[0], false); !errors.Is(err, org.ErrNotFound) {
			t.Fatalf("deactivate across units: %v", err)
		}
		if _, err := s.Department(ctx, a.ID, b.Window); !errors.Is(err, org.ErrNotFound) {
			t.Fatalf("department across units: %v", err)
		}
		if err := s.SetPhoto(ctx, orgtest.Actor, a.ID, b.Staff[0], bytes.NewReader(pngBytes(t, 10, 10))); !errors.Is(err, org.ErrNotFound) {
			t.Fatalf("photo across units: %v", err)
		}
		list, total, err := s.StaffList(ctx, a.ID, org.StaffFilter{})
		if err != nil || total != 3 || len(list) != 3 {
			t.Fatalf("unit a lists %d of %d: %v", len(list), total, err)
		}
		for _, p := range list {
			if p.UnitID != a.ID {
				t.Fatalf("unit a's list holds %+v", p)
			}
		}
	})
}

func TestSearchFindsChineseNames(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		s := org.NewStore(db)
		for q, want := range map[string]int{"张": 1, "李四": 1, "zz0": 3, "税务": 2, "%": 0, "_": 0, "不存在": 0} {
			_, total, err := s.StaffList(ctx, a.ID, org.StaffFilter{Query: q})
			if err != nil || total != want {
				t.Errorf("search %q: %d found, want %d (%v)", q, total, want, err)
			}
		}
	})
}

// Two clicks on "save" for the same new person make one record.
func TestConcurrentCreateSameEmployeeNumber(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		s := org.NewStore(db)
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.CreateStaff(ctx, orgtest.Actor, a.ID, org.StaffInput{Name: "钱七", EmployeeNo: "DUP1", DepartmentID: a.Window})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !contains(fields(err), "employee_no"):
				t.Errorf("the loser got %v, not a message about the employee number", err)
			}
		}
		_, total, _ := s.StaffList(ctx, a.ID, org.StaffFilter{Query: "DUP1"})
		if ok != 1 || total != 1 {
			t.Fatalf("%d saves succeeded, %d stored", ok, total)
		}
	})
}

func TestDeactivation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		s := org.NewStore(db)
		if err := s.SetDepartmentActive(ctx, orgtest.Actor, a.ID, a.Window, false); err == nil {
			t.Fatal("a window with staff was deactivated")
		}
		if err := s.SetBranchActive(ctx, orgtest.Actor, a.ID, a.Branch, false); err == nil {
			t.Fatal("a branch with staff was deactivated")
		}
		// 李四 backs up 张三; when 李四 leaves, 张三 has no backup.
		zhang, _ := s.Staff(ctx, a.ID, a.Staff[0])
		in := org.StaffInput{Name: zhang.Name, EmployeeNo: zhang.EmployeeNo, DepartmentID: zhang.DepartmentID, BackupID: a.Staff[1], PoliticalStatus: zhang.PoliticalStatus}
		if err := s.UpdateStaff(ctx, orgtest.Actor, a.ID, zhang.ID, in); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStaffActive(ctx, orgtest.Actor, a.ID, a.Staff[1], false); err != nil {
			t.Fatal(err)
		}
		zhang, _ = s.Staff(ctx, a.ID, a.Staff[0])
		if zhang.BackupID != 0 {
			t.Fatalf("backup still points at a person who left: %+v", zhang)
		}
		left, _ := s.Staff(ctx, a.ID, a.Staff[1])
		if left.Active || left.Name != "李四" {
			t.Fatalf("the person who left: %+v", left)
		}
		in.BackupID = zhang.ID
		if err := s.UpdateStaff(ctx, orgtest.Actor, a.ID, zhang.ID, in); !contains(fields(err), "backup") {
			t.Fatalf("a person was made their own backup: %v", err)
		}
	})
}

func TestLeadingGroup(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := orgtest.New(t, db, "unit-a")
		b := orgtest.New(t, db, "unit-b")
		s := org.NewStore(db)
		if _, err := s.AddLeader(ctx, orgtest.Actor, a.ID, a.Staff[0], "leader", "全面负责"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddLeader(ctx, orgtest.Actor, a.ID, a.Staff[0], "member", ""); err == nil {
			t.Fatal("the same person was added twice")
		}
		if _, err := s.AddLeader(ctx, orgtest.Actor, a.ID, b.Staff[0], "member", ""); err == nil {
			t.Fatal("another unit's person joined the leading group")
		}
		if _, err := s.AddLeader(ctx, orgtest.Actor, a.ID, a.Staff[1], "king", ""); err == nil {
			t.Fatal("an unknown role was accepted")
		}
		list, err := s.LeadingGroup(ctx, a.ID)
		if err != nil || len(list) != 1 || list[0].StaffName != "张三" {
			t.Fatalf("%+v %v", list, err)
		}
		if err := s.RemoveLeader(ctx, orgtest.Actor, b.ID, list[0].ID); !errors.Is(err, org.ErrNotFound) {
			t.Fatalf("another unit removed a leader: %v", err)
		}
	})
}

func pngBytes(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 0, 0, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPreparePhoto(t *testing.T) {
	big := pngBytes(t, 2000, 1500)
	cases := []struct {
		name string
		data []byte
		key  string
	}{
		{"png is scaled to jpeg", big, ""},
		{"empty", nil, "error.photo_empty"},
		{"svg with script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "error.photo_type"},
		{"text renamed", []byte("这不是图片"), "error.photo_type"},
		{"gif header", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00"), "error.photo_type"},
		{"20 MB", append(pngBytes(t, 8, 8), make([]byte, 20<<20)...), "error.photo_too_large"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := org.PreparePhoto(c.data)
			if c.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				cfg, format, err := image.DecodeConfig(bytes.NewReader(out))
				if err != nil || format != "jpeg" || cfg.Width != 480 || cfg.Height != 360 {
					t.Fatalf("got %s %dx%d %v", format, cfg.Width, cfg.Height, err)
				}
				return
			}
			le, ok := locale.AsError(err)
			if !ok || le.Key != c.key {
				t.Fatalf("got %v, want %s", err, c.key)
			}
		})
	}
}

func TestEmployeeNos(t *testing.T) {
	got := strings.Join(org.EmployeeNos(" ZX0001 ZX0002，ＺＸ０００３、zx4;ZX5；\tZX6 "), "|")
	if got != "ZX0001|ZX0002|ZX0003|zx4|ZX5|ZX6" {
		t.Fatalf("%q", got)
	}
}
