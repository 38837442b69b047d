package attendance_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/attendance"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

var (
	ctx = context.Background()
	act = orgtest.Actor
	cst = time.FixedZone("CST", 8*3600)
)

func TestWhereaboutsNotes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		other := orgtest.New(t, db, "unit-b")
		// 张三 and 李四 serve at the window, each the other's B post.
		o := org.NewStore(db)
		for i, id := range u.Staff[:2] {
			p, _ := o.Staff(ctx, u.ID, id)
			in := p.Input()
			in.DepartmentID, in.BackupID = u.Window, u.Staff[1-i]
			if i == 0 {
				in.BackupID = 0 // set below, once 李四 is at the window
			}
			if err := o.UpdateStaff(ctx, act, u.ID, id, in); err != nil {
				t.Fatal(err)
			}
		}
		p, _ := o.Staff(ctx, u.ID, u.Staff[0])
		in := p.Input()
		in.BackupID = u.Staff[1]
		if err := o.UpdateStaff(ctx, act, u.ID, u.Staff[0], in); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 3, 8, 0, 0, 0, cst)
		s := attendance.NewStore(db).WithClock(func() time.Time { return now })
		office := orgtest.User(t, db, u.ID, "office", accounts.RoleUnitAdmin, 0, 0)
		zhang := orgtest.User(t, db, u.ID, "zhang", accounts.RoleStaff, u.Staff[0], 0)
		wang := orgtest.User(t, db, u.ID, "wang", accounts.RoleStaff, u.Staff[2], 0)
		note := attendance.NoteInput{StaffID: u.Staff[0], Kind: "business", Place: "县不动产登记中心 <b>送件</b>", StartsAt: "2026-11-03 09:00", EndsAt: "2026-11-03T11:00"}
		id, err := s.AddNote(ctx, act, zhang, u.ID, cst, note)
		if err != nil {
			t.Fatal(err)
		}
		status, _ := s.Status(ctx, u.ID, time.Date(2026, 11, 3, 10, 0, 0, 0, cst))
		var window attendance.DepartmentStatus
		for _, d := range status {
			if d.ID == u.Window {
				window = d
			}
		}
		if window.AtPost() != 1 || window.People[0].Away == nil || window.People[0].Away.CoverName != "李四" || len(window.People[1].Covering) != 1 {
			t.Fatalf("window status: %+v", window)
		}
		bad := []struct {
			name string
			who  accounts.User
			edit func(*attendance.NoteInput)
			want string
		}{
			{"ends before it starts", office, func(n *attendance.NoteInput) { n.StartsAt, n.EndsAt = "2026-11-04 11:00", "2026-11-04 09:00" }, "whereabouts.ends_before_start"},
			{"cover away too", office, func(n *attendance.NoteInput) {
				n.StaffID, n.CoverID, n.StartsAt, n.EndsAt = u.Staff[2], u.Staff[0], "2026-11-03 10:30", "2026-11-03 12:00"
			}, "whereabouts.cover_away"},
			{"overlapping note", zhang, func(n *attendance.NoteInput) { n.StartsAt = "2026-11-03 10:00"; n.EndsAt = "2026-11-03 12:00" }, "whereabouts.overlap"},
			{"unreadable time", zhang, func(n *attendance.NoteInput) { n.StartsAt = "明天上午" }, "whereabouts.time_invalid"},
			{"no place", zhang, func(n *attendance.NoteInput) { n.Place = " " }, "error.required"},
			{"huge place", zhang, func(n *attendance.NoteInput) { n.Place = strings.Repeat("地", 5000) }, "error.too_long"},
			{"bad kind", zhang, func(n *attendance.NoteInput) { n.Kind = "<script>" }, "whereabouts.kind_invalid"},
			{"forty days", zhang, func(n *attendance.NoteInput) { n.StartsAt, n.EndsAt = "2026-11-10 09:00", "2026-12-20 09:00" }, "whereabouts.too_long"},
			{"covers themselves", zhang, func(n *attendance.NoteInput) {
				n.StartsAt, n.EndsAt, n.CoverID = "2026-11-05 09:00", "2026-11-05 10:00", u.Staff[0]
			}, "whereabouts.cover_self"},
			{"another unit's cover", zhang, func(n *attendance.NoteInput) {
				n.StartsAt, n.EndsAt, n.CoverID = "2026-11-05 09:00", "2026-11-05 10:00", other.Staff[0]
			}, "whereabouts.cover_unknown"},
			{"another unit's person", office, func(n *attendance.NoteInput) { n.StaffID = other.Staff[0] }, "whereabouts.staff_unknown"},
		}
		for _, b := range bad {
			in := note
			b.edit(&in)
			if _, err := s.AddNote(ctx, act, b.who, u.ID, cst, in); locale.Key(err) != b.want {
				t.Errorf("%s: got %v, want %s", b.name, err, b.want)
			}
		}
		if _, err := s.AddNote(ctx, act, wang, u.ID, cst, attendance.NoteInput{StaffID: u.Staff[0], Kind: "leave", Place: "病假",
			StartsAt: "2026-11-06 08:30", EndsAt: "2026-11-06 17:30"}); !errors.Is(err, attendance.ErrForbidden) {
			t.Errorf("王五 wrote 张三's note: %v", err)
		}
		now = time.Date(2026, 11, 3, 10, 0, 0, 0, cst)
		if err := s.Back(ctx, act, zhang, u.ID, id); err != nil {
			t.Fatal(err)
		}
		if _, away, _ := attendance.AwayAt(ctx, db, u.ID, u.Staff[0], time.Date(2026, 11, 3, 10, 30, 0, 0, cst)); away {
			t.Fatal("back, yet still away")
		}
	})
}

func TestSpotCheck(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		o := org.NewStore(db)
		for _, id := range u.Staff {
			p, _ := o.Staff(ctx, u.ID, id)
			in := p.Input()
			in.DepartmentID = u.Window
			if err := o.UpdateStaff(ctx, act, u.ID, id, in); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Date(2026, 11, 3, 15, 0, 0, 0, cst)
		s := attendance.NewStore(db).WithClock(func() time.Time { return now })
		office := orgtest.User(t, db, u.ID, "office", accounts.RoleUnitAdmin, 0, 0)
		zhang := orgtest.User(t, db, u.ID, "zhang", accounts.RoleStaff, u.Staff[0], 0)
		if _, err := s.AddNote(ctx, act, office, u.ID, cst, attendance.NoteInput{StaffID: u.Staff[1], Kind: "leave", Place: "事假",
			StartsAt: "2026-11-03 13:00", EndsAt: "2026-11-03 17:30", CoverID: u.Staff[0]}); err != nil {
			t.Fatal(err)
		}
		suggested, _ := s.Suggest(ctx, u.ID, u.Window, now)
		if len(suggested) != 3 || suggested[1].Status != attendance.OnLeave {
			t.Fatalf("suggested: %+v", suggested)
		}
		in := attendance.CheckInput{DepartmentID: u.Window, CheckedAt: "2026-11-03 14:40", Checker: "纪检组 王明",
			Findings: map[int64]string{u.Staff[0]: attendance.Present, u.Staff[1]: attendance.OnLeave, u.Staff[2]: attendance.Away}}
		if _, err := s.Record(ctx, act, zhang, u.ID, cst, in); !errors.Is(err, attendance.ErrForbidden) {
			t.Fatalf("staff recorded a check: %v", err)
		}
		if _, err := s.Record(ctx, act, office, u.ID, cst, in); locale.Key(err) != "spot_check.no_note" {
			t.Fatalf("away without a note: %v", err)
		}
		in.Findings[u.Staff[2]] = ""
		if _, err := s.Record(ctx, act, office, u.ID, cst, in); locale.Key(err) != "spot_check.finding_missing" {
			t.Fatalf("no finding: %v", err)
		}
		in.Findings[u.Staff[2]] = attendance.Absent
		future := in
		future.CheckedAt = "2026-11-03 16:00"
		if _, err := s.Record(ctx, act, office, u.ID, cst, future); locale.Key(err) != "spot_check.in_future" {
			t.Fatalf("check in the future: %v", err)
		}
		id, err := s.Record(ctx, act, office, u.ID, cst, in)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := s.Check(ctx, u.ID, id)
		recs, _ := accountability.NewStore(db).List(ctx, u.ID, accountability.Filter{Rule: accountability.RuleAbsence})
		if c.Absent != 1 || len(recs) != 1 || recs[0].StaffID != u.Staff[2] || recs[0].Link() != "/spot-checks/"+strconv.FormatInt(id, 10) {
			t.Fatalf("absence: %+v %+v", c, recs)
		}
	})
}
