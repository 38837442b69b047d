package activities_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/notifications"
	"wuliang/internal/orgtest"
	"wuliang/internal/period"
	"wuliang/internal/testdb"
)

var (
	ctx = context.Background()
	loc = time.FixedZone("CST", 8*3600)
)

type cast struct {
	unit                              orgtest.Unit
	admin, secretary, lead, zhang, li accounts.User
}

func newCast(t *testing.T, db *database.DB, code string) cast {
	u := orgtest.New(t, db, code)
	mk := func(name, role string, staff, branch, dept int64) accounts.User {
		return orgtest.Login(t, db, accounts.NewUser{UnitID: u.ID, Username: code + "-" + name, Role: role, StaffID: staff, BranchID: branch, DepartmentID: dept})
	}
	return cast{unit: u,
		admin:     mk("admin", accounts.RoleUnitAdmin, 0, 0, 0),
		secretary: mk("sec", accounts.RoleBranchSecretary, 0, u.Branch, 0),
		lead:      mk("lead", accounts.RoleWindowLead, u.Staff[1], 0, u.Window),
		zhang:     mk("zhang", accounts.RoleStaff, u.Staff[0], 0, 0),
		li:        mk("li", accounts.RoleStaff, u.Staff[1], 0, 0),
	}
}

func kindOf(t *testing.T, s *activities.Store, unitID int64, form string) activities.Kind {
	t.Helper()
	ks, err := s.KindsOf(ctx, unitID, form)
	if err != nil || len(ks) == 0 {
		t.Fatalf("no %s kind: %v", form, err)
	}
	return ks[0]
}

func count(t *testing.T, db *database.DB, table string, unitID int64) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE unit_id = $1`, unitID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// told reports whether the user has a notification holding text.
func told(t *testing.T, db *database.DB, u accounts.User, text string) bool {
	t.Helper()
	list, err := notifications.NewStore(db).List(ctx, u.UnitID, u.ID, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range list {
		if strings.Contains(n.Body, text) {
			return true
		}
	}
	return false
}

func total(t *testing.T, s *activities.Store, unitID, staffID int64, code string) int {
	t.Helper()
	p, _ := period.Parse(code, time.UTC)
	x, err := s.Explain(ctx, unitID, staffID, p)
	if err != nil {
		t.Fatal(err)
	}
	return x.Score.Total
}

// A claim from submission to points: bad input is refused with the field
// and nothing is kept; a returned claim earns nothing; two approvals at
// once count once; only the person's secretary, window lead or the office
// approve, never the claimant.
func TestClaims(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c, other := newCast(t, db, "unit-a"), newCast(t, db, "unit-b")
		now := time.Date(2026, 8, 20, 2, 0, 0, 0, time.UTC)
		s := activities.NewStore(db).WithClock(func() time.Time { return now })
		visit := kindOf(t, s, c.unit.ID, activities.FormVisit)
		volunteer := kindOf(t, s, c.unit.ID, activities.FormVolunteer)
		good := activities.ClaimInput{KindID: visit.ID, DateFrom: "2026-08-03", DateTo: "2026-08-07", Quantity: "3", Place: "白沙镇公和村",
			Team: "马先军工作队", Body: "帮助制定发展规划 <script>alert(1)</script> 😀"}
		for _, b := range []struct {
			name string
			who  accounts.User
			edit func(in *activities.ClaimInput)
			want string
		}{
			{"negative hours", c.zhang, func(in *activities.ClaimInput) { in.KindID, in.Quantity = volunteer.ID, "-2" }, "activities.quantity_positive"},
			{"30 days inside a week", c.zhang, func(in *activities.ClaimInput) { in.Quantity = "30" }, "activities.days_span"},
			{"25 hours in a day", c.zhang, func(in *activities.ClaimInput) {
				in.KindID, in.DateFrom, in.Quantity = volunteer.ID, "2026-08-03", "25"
			}, "activities.hours_span"},
			{"no quantity", c.zhang, func(in *activities.ClaimInput) { in.Quantity = "" }, "activities.quantity_required"},
			{"letters for a quantity", c.zhang, func(in *activities.ClaimInput) { in.Quantity = "三天" }, "activities.quantity_invalid"},
			{"dates reversed", c.zhang, func(in *activities.ClaimInput) { in.DateFrom, in.DateTo = "2026-08-07", "2026-08-03" }, "activities.dates_order"},
			{"a day to come", c.zhang, func(in *activities.ClaimInput) { in.DateTo = "2026-09-01" }, "activities.date_future"},
			{"malformed date", c.zhang, func(in *activities.ClaimInput) { in.DateFrom = "8月3日" }, "activities.date_invalid"},
			{"empty body", c.zhang, func(in *activities.ClaimInput) { in.Body = "  " }, "error.required"},
			{"huge body", c.zhang, func(in *activities.ClaimInput) { in.Body = strings.Repeat("很", 100000) }, "error.too_long"},
			{"no place", c.zhang, func(in *activities.ClaimInput) { in.Place = "" }, "error.required"},
			{"another unit's person", c.admin, func(in *activities.ClaimInput) { in.StaffID = other.unit.Staff[0] }, "activities.staff_invalid"},
			{"another unit's kind", c.zhang, func(in *activities.ClaimInput) { in.KindID = kindOf(t, s, other.unit.ID, activities.FormVisit).ID }, "activities.kind_invalid"},
			{"a 50 MB evidence file", c.zhang, func(in *activities.ClaimInput) { in.Data = make([]byte, 50<<20) }, "error.evidence_too_large"},
			{"a script as evidence", c.zhang, func(in *activities.ClaimInput) { in.Data = []byte("<svg onload=alert(1)>") }, "error.evidence_type"},
		} {
			in := good
			b.edit(&in)
			if _, err := s.Submit(ctx, orgtest.Actor, b.who, c.unit.ID, loc, in); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v, want %s", b.name, err, b.want)
			}
		}
		if n := count(t, db, "activity_claims", c.unit.ID) + count(t, db, "activity_claims", other.unit.ID); n != 0 {
			t.Fatalf("refused claims kept: %d", n)
		}
		// Someone who does not oversee the person cannot claim for them.
		in := good
		in.StaffID = c.unit.Staff[2]
		if _, err := s.Submit(ctx, orgtest.Actor, c.lead, c.unit.ID, loc, in); !errors.Is(err, activities.ErrForbidden) {
			t.Errorf("a window lead claimed for another window's person: %v", err)
		}

		// Full-width digits are read; the text is kept as typed.
		in = good
		in.Quantity, in.DateFrom = "３", "２０２６-08-03"
		first, err := s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, in)
		if err != nil {
			t.Fatal(err)
		}
		if cl, _ := s.Claim(ctx, c.unit.ID, first); cl.Quantity != 300 || !strings.Contains(cl.Body, "<script>") || cl.State != activities.ClaimPending {
			t.Errorf("claim kept as %+v", cl)
		}
		if err := s.Review(ctx, orgtest.Actor, c.zhang, c.unit.ID, first, true, ""); !errors.Is(err, activities.ErrForbidden) {
			t.Errorf("the claimant approved their own claim: %v", err)
		}
		otherAdmin := other.admin
		if err := s.Review(ctx, orgtest.Actor, otherAdmin, other.unit.ID, first, true, ""); !errors.Is(err, activities.ErrNotFound) {
			t.Errorf("another unit's office approved: %v", err)
		}
		if err := s.Review(ctx, orgtest.Actor, c.secretary, c.unit.ID, first, false, ""); !locale.HasKey(err, "error.required") {
			t.Errorf("returned without a reason: %v", err)
		}
		if !told(t, db, c.secretary, "张三 申报了「下基层·结对帮扶」") || !told(t, db, c.lead, "张三 申报了") || told(t, db, c.zhang, "张三 申报了") {
			t.Errorf("the branch secretary and window lead were not told of the claim, or the claimant was")
		}
		if err := s.Review(ctx, orgtest.Actor, c.secretary, c.unit.ID, first, false, "缺少驻村记录"); err != nil {
			t.Fatal(err)
		}
		if !told(t, db, c.zhang, "被退回:缺少驻村记录") {
			t.Errorf("the claimant was not told why")
		}
		if got := total(t, s, c.unit.ID, c.unit.Staff[0], "2026-Q3"); got != 0 {
			t.Errorf("a returned claim earned %d", got)
		}
		if err := s.Review(ctx, orgtest.Actor, c.secretary, c.unit.ID, first, true, ""); !locale.HasKey(err, "activities.already_reviewed") {
			t.Errorf("a returned claim approved later: %v", err)
		}

		// Submitted again, approved by the secretary and the office at once.
		second, err := s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, good)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []accounts.User{c.secretary, c.admin} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Review(ctx, orgtest.Actor, who, c.unit.ID, second, true, "")
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("two approvals at once: %v / %v", errs[0], errs[1])
		}
		if !told(t, db, c.zhang, "已通过,记 9 分") {
			t.Errorf("the claimant was not told of the approval")
		}
		if got := total(t, s, c.unit.ID, c.unit.Staff[0], "2026-Q3"); got != 900 {
			t.Errorf("3 days at 3 points: %d hundredths", got)
		}
		if got := count(t, db, "point_entries", c.unit.ID); got != 1 {
			t.Errorf("%d ledger entries for one approval", got)
		}
		// The window lead approves the window's people, not the office's.
		in = good
		in.StaffID = c.unit.Staff[2]
		wang, err := s.Submit(ctx, orgtest.Actor, c.admin, c.unit.ID, loc, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Review(ctx, orgtest.Actor, c.lead, c.unit.ID, wang, true, ""); !errors.Is(err, activities.ErrForbidden) {
			t.Errorf("a window lead approved another window's person: %v", err)
		}
		if list, _ := s.ToReview(ctx, c.unit.ID, c.lead); len(list) != 0 {
			t.Errorf("the window lead's list shows %d claims of others", len(list))
		}
	})
}

// Innovation proposals earn on adoption and again, once, on results; the
// office reverses an entry only with a reason, once.
func TestInnovationAndReversal(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c := newCast(t, db, "unit-a")
		now := time.Date(2026, 8, 20, 2, 0, 0, 0, time.UTC)
		s := activities.NewStore(db).WithClock(func() time.Time { return now })
		k := kindOf(t, s, c.unit.ID, activities.FormInnovation)
		id, err := s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, activities.ClaimInput{KindID: k.ID, DateFrom: "2026-08-10", Title: "叫号与预约合并", Body: "预约号优先叫号"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Result(ctx, orgtest.Actor, c.admin, c.unit.ID, loc, id, "等候时间缩短"); !locale.HasKey(err, "activities.result_not_adopted") {
			t.Errorf("results before adoption: %v", err)
		}
		if err := s.Review(ctx, orgtest.Actor, c.admin, c.unit.ID, id, true, "采纳"); err != nil {
			t.Fatal(err)
		}
		if err := s.Result(ctx, orgtest.Actor, c.admin, c.unit.ID, loc, id, "平均等候时间由 25 分钟降到 12 分钟"); err != nil {
			t.Fatal(err)
		}
		if err := s.Result(ctx, orgtest.Actor, c.admin, c.unit.ID, loc, id, "再记一次"); !locale.HasKey(err, "activities.result_recorded") {
			t.Errorf("results twice: %v", err)
		}
		if got := total(t, s, c.unit.ID, c.unit.Staff[0], "2026-08"); got != 1500 {
			t.Errorf("adopted with results: %d, want 15 points", got)
		}
		p, _ := period.Parse("2026-08", time.UTC)
		entries, _ := s.Entries(ctx, c.unit.ID, c.unit.Staff[0], p)
		if len(entries) != 2 {
			t.Fatalf("%d entries", len(entries))
		}
		if err := s.Reverse(ctx, orgtest.Actor, c.secretary, c.unit.ID, entries[0].ID, "重复"); !errors.Is(err, activities.ErrForbidden) {
			t.Errorf("a secretary reversed: %v", err)
		}
		if err := s.Reverse(ctx, orgtest.Actor, c.admin, c.unit.ID, entries[0].ID, ""); !locale.HasKey(err, "error.required") {
			t.Errorf("reversed without a reason: %v", err)
		}
		if err := s.Reverse(ctx, orgtest.Actor, c.admin, c.unit.ID, entries[0].ID, "成效未经核实"); err != nil {
			t.Fatal(err)
		}
		if err := s.Reverse(ctx, orgtest.Actor, c.admin, c.unit.ID, entries[0].ID, "再撤一次"); !locale.HasKey(err, "activities.already_reversed") {
			t.Errorf("reversed twice: %v", err)
		}
		if got := total(t, s, c.unit.ID, c.unit.Staff[0], "2026-08"); got != 500 {
			t.Errorf("after the reversal: %d, want 5 points", got)
		}
		entries, _ = s.Entries(ctx, c.unit.ID, c.unit.Staff[0], p)
		if len(entries) != 3 || entries[0].Source != activities.SourceReversal && entries[1].Source != activities.SourceReversal {
			t.Errorf("the reversal is not its own entry: %+v", entries)
		}
		if cl, _ := s.Claim(ctx, c.unit.ID, id); cl.Points != 500 {
			t.Errorf("the claim shows %d after the reversal", cl.Points)
		}
	})
}

// A study session through its QR code: a wrong token, a person outside the
// branch and an early scan are refused; on time is present, past ten
// minutes late; a second scan keeps the first; closing records the absent
// and writes points once; nobody checks in after.
func TestSessionCheckIn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c := newCast(t, db, "unit-a")
		start := time.Date(2026, 9, 1, 7, 0, 0, 0, time.UTC) // 15:00 in Beijing
		now := start.Add(-time.Hour)
		s := activities.NewStore(db).WithClock(func() time.Time { return now })
		k := kindOf(t, s, c.unit.ID, activities.FormStudy)
		in := activities.SessionInput{KindID: k.ID, Topic: "charter", Title: "学党章", StartsAt: "2026-09-01T15:00", Scope: "unit"}
		if _, err := s.CreateSession(ctx, orgtest.Actor, c.lead, c.unit.ID, loc, in); !errors.Is(err, activities.ErrForbidden) {
			t.Errorf("a window lead organised a unit session: %v", err)
		}
		bad := in
		bad.Topic, bad.StartsAt, bad.Title = "party", "9月1日", ""
		if _, err := s.CreateSession(ctx, orgtest.Actor, c.admin, c.unit.ID, loc, bad); !locale.HasKey(err, "activities.topic_invalid") ||
			!locale.HasKey(err, "activities.time_invalid") || !locale.HasKey(err, "error.required") {
			t.Errorf("bad session: %v", err)
		}
		id, err := s.CreateSession(ctx, orgtest.Actor, c.admin, c.unit.ID, loc, in)
		if err != nil {
			t.Fatal(err)
		}
		if !told(t, db, c.li, "学习安排:学党章 · 学党章,2026-09-01 15:00") {
			t.Errorf("an expected person was not told of the session")
		}
		x, _ := s.Session(ctx, c.unit.ID, id)
		if len(x.Attendance) != 3 {
			t.Fatalf("expected %d people", len(x.Attendance))
		}
		if _, err := s.CheckIn(ctx, orgtest.Actor, c.unit.ID, id, x.Token, c.unit.Staff[0]); !locale.HasKey(err, "activities.checkin_early") {
			t.Errorf("an hour early: %v", err)
		}
		now = start.Add(-5 * time.Minute)
		if _, err := s.CheckIn(ctx, orgtest.Actor, c.unit.ID, id, "forged", c.unit.Staff[0]); !locale.HasKey(err, "activities.checkin_token") {
			t.Errorf("a forged token: %v", err)
		}
		if st, err := s.CheckIn(ctx, orgtest.Actor, c.unit.ID, id, x.Token, c.unit.Staff[0]); err != nil || st != activities.Present {
			t.Errorf("on time: %s %v", st, err)
		}
		now = start.Add(20 * time.Minute)
		if st, err := s.CheckIn(ctx, orgtest.Actor, c.unit.ID, id, x.Token, c.unit.Staff[0]); err != nil || st != activities.Present {
			t.Errorf("a second scan changed the first: %s %v", st, err)
		}
		if st, err := s.CheckIn(ctx, orgtest.Actor, c.unit.ID, id, x.Token, c.unit.Staff[1]); err != nil || st != activities.Late {
			t.Errorf("20 minutes late: %s %v", st, err)
		}
		if err := s.CloseSession(ctx, orgtest.Actor, c.lead, c.unit.ID, id, loc); !errors.Is(err, activities.ErrForbidden) {
			t.Errorf("a window lead closed the office's session: %v", err)
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_ = s.CloseSession(ctx, orgtest.Actor, c.admin, c.unit.ID, id, loc)
			}()
		}
		wg.Wait()
		x, _ = s.Session(ctx, c.unit.ID, id)
		if x.Count(activities.Present) != 1 || x.Count(activities.Late) != 1 || x.Count(activities.Absent) != 1 {
			t.Errorf("attendance after closing: %+v", x.Attendance)
		}
		if got := total(t, s, c.unit.ID, c.unit.Staff[0], "2026-09"); got != 200 {
			t.Errorf("present: %d", got)
		}
		if got := total(t, s, c.unit.ID, c.unit.Staff[1], "2026-09"); got != 100 {
			t.Errorf("late: %d", got)
		}
		if got := count(t, db, "point_entries", c.unit.ID); got != 2 {
			t.Errorf("%d entries after closing twice", got)
		}
		if _, err := s.CheckIn(ctx, orgtest.Actor, c.unit.ID, id, x.Token, c.unit.Staff[2]); !locale.HasKey(err, "activities.session_closed") {
			t.Errorf("checked in after closing: %v", err)
		}
		// A branch session expects only the branch.
		in.Scope, in.ScopeID = "branch", c.unit.Branch
		bid, err := s.CreateSession(ctx, orgtest.Actor, c.secretary, c.unit.ID, loc, in)
		if err != nil {
			t.Fatal(err)
		}
		bx, _ := s.Session(ctx, c.unit.ID, bid)
		if _, err := s.CheckIn(ctx, orgtest.Actor, c.unit.ID, bid, bx.Token, c.unit.Staff[2]); !locale.HasKey(err, "activities.checkin_not_expected") {
			t.Errorf("someone outside the branch checked in: %v", err)
		}
	})
}

// A contest: a score for someone not entered is refused and nothing is
// kept; results need every score; equal scores share a place and its
// points; publishing twice counts once.
func TestContest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c, other := newCast(t, db, "unit-a"), newCast(t, db, "unit-b")
		s := activities.NewStore(db)
		k := kindOf(t, s, c.unit.ID, activities.FormContest)
		if _, err := s.CreateContest(ctx, orgtest.Actor, c.admin, c.unit.ID, activities.ContestInput{KindID: k.ID, Title: "", HeldOn: "2026-13-01"}); !locale.HasKey(err, "error.required") || !locale.HasKey(err, "activities.date_invalid") {
			t.Errorf("bad contest: %v", err)
		}
		id, err := s.CreateContest(ctx, orgtest.Actor, c.admin, c.unit.ID, activities.ContestInput{KindID: k.ID, Title: "电脑操作技能比赛", HeldOn: "2026-09-15"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Enter(ctx, orgtest.Actor, c.admin, c.unit.ID, id, []int64{other.unit.Staff[0]}); !locale.HasKey(err, "activities.staff_invalid") {
			t.Errorf("entered another unit's person: %v", err)
		}
		if err := s.Enter(ctx, orgtest.Actor, c.admin, c.unit.ID, id, c.unit.Staff[:2]); err != nil {
			t.Fatal(err)
		}
		err = s.Score(ctx, orgtest.Actor, c.admin, c.unit.ID, id, map[int64]string{c.unit.Staff[0]: "95", c.unit.Staff[2]: "99"})
		if !locale.HasKey(err, "activities.contest_not_entered") {
			t.Errorf("scored someone not entered: %v", err)
		}
		for _, bad := range []string{"-1", "1001", "九十", "95.555"} {
			if err := s.Score(ctx, orgtest.Actor, c.admin, c.unit.ID, id, map[int64]string{c.unit.Staff[0]: bad}); !locale.HasKey(err, "activities.score_invalid") {
				t.Errorf("score %q: %v", bad, err)
			}
		}
		if x, _ := s.Contest(ctx, c.unit.ID, id); x.Entries[0].Score != nil || x.Entries[1].Score != nil {
			t.Errorf("a refused score was kept: %+v", x.Entries)
		}
		if err := s.Score(ctx, orgtest.Actor, c.admin, c.unit.ID, id, map[int64]string{c.unit.Staff[0]: "９５"}); err != nil {
			t.Fatal(err)
		}
		if err := s.PublishContest(ctx, orgtest.Actor, c.admin, c.unit.ID, id); !locale.HasKey(err, "activities.scores_missing") {
			t.Errorf("published with a score missing: %v", err)
		}
		if err := s.Enter(ctx, orgtest.Actor, c.admin, c.unit.ID, id, c.unit.Staff[2:]); err != nil {
			t.Fatal(err)
		}
		if err := s.Score(ctx, orgtest.Actor, c.admin, c.unit.ID, id, map[int64]string{c.unit.Staff[1]: "95", c.unit.Staff[2]: "80.5"}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			_ = s.PublishContest(ctx, orgtest.Actor, c.admin, c.unit.ID, id)
		}
		x, _ := s.Contest(ctx, c.unit.ID, id)
		places := map[int64]int{}
		for _, p := range x.Entries {
			places[p.StaffID] = *p.Place
		}
		if places[c.unit.Staff[0]] != 1 || places[c.unit.Staff[1]] != 1 || places[c.unit.Staff[2]] != 3 {
			t.Errorf("places: %v", places)
		}
		for i, want := range []int{1000, 1000, 600} {
			if got := total(t, s, c.unit.ID, c.unit.Staff[i], "2026-Q3"); got != want {
				t.Errorf("person %d: %d, want %d", i, got, want)
			}
		}
		if !told(t, db, c.zhang, "电脑操作技能比赛 成绩公布:第 1 名,记 10 分") {
			t.Errorf("a participant was not told the result")
		}
		if err := s.Score(ctx, orgtest.Actor, c.admin, c.unit.ID, id, map[int64]string{c.unit.Staff[2]: "100"}); !locale.HasKey(err, "activities.contest_published") {
			t.Errorf("rescored after results: %v", err)
		}
	})
}

// Conduct: decided accountability records deduct, once however often the
// sync runs; a dismissed one deducts nothing.
func TestConductSync(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c := newCast(t, db, "unit-a")
		s := activities.NewStore(db)
		acc := accountability.NewStore(db)
		at := time.Date(2026, 7, 3, 1, 0, 0, 0, time.UTC)
		var ids []int64
		err := db.Tx(ctx, func(tx *database.Tx) error {
			for i, rule := range []string{accountability.RuleOverdue, accountability.RuleAbsence, accountability.RuleComplaint} {
				id, _, err := accountability.Open(ctx, tx, orgtest.Actor, c.unit.ID, c.unit.Staff[0], rule, "test:"+rule, "事实", at.Add(time.Duration(i)*time.Hour))
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		decide := []accountability.Decision{{Outcome: "points", Points: 3}, {Outcome: "criticism"}, {Outcome: "dismissed", Reason: "投诉不属实"}}
		for i, d := range decide {
			if err := acc.Decide(ctx, orgtest.Actor, c.admin, c.unit.ID, ids[i], d); err != nil {
				t.Fatal(err)
			}
		}
		for range 2 {
			if _, err := s.SyncConduct(ctx, c.unit.ID, loc); err != nil {
				t.Fatal(err)
			}
		}
		p, _ := period.Parse("2026-07", time.UTC)
		x, _ := s.Explain(ctx, c.unit.ID, c.unit.Staff[0], p)
		if len(x.Entries) != 2 || x.Score.Of(activities.Conduct) != -500 {
			t.Errorf("conduct: %d entries, %d", len(x.Entries), x.Score.Of(activities.Conduct))
		}
	})
}

// Rankings: per person on a dimension with ranks in the unit, branch and
// window; windows by per-head average; another unit's points never count.
func TestRank(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c, other := newCast(t, db, "unit-a"), newCast(t, db, "unit-b")
		now := time.Date(2026, 9, 20, 2, 0, 0, 0, time.UTC)
		s := activities.NewStore(db).WithClock(func() time.Time { return now })
		approve := func(cs cast, staff int64, quantity string) {
			t.Helper()
			k := kindOf(t, s, cs.unit.ID, activities.FormVolunteer)
			id, err := s.Submit(ctx, orgtest.Actor, cs.admin, cs.unit.ID, loc, activities.ClaimInput{KindID: k.ID, StaffID: staff, DateFrom: "2026-09-02", Quantity: quantity, Place: "社区", Body: "义诊"})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Review(ctx, orgtest.Actor, cs.admin, cs.unit.ID, id, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		approve(c, c.unit.Staff[0], "4") // 张三, window and branch
		approve(c, c.unit.Staff[2], "6") // 王五, office
		approve(other, other.unit.Staff[1], "20")
		p, _ := period.Parse("2026-Q3", time.UTC)
		if _, err := s.Rank(ctx, c.unit.ID, p, "loyalty"); !locale.HasKey(err, "activities.dimension_invalid") {
			t.Errorf("unknown dimension: %v", err)
		}
		r, err := s.Rank(ctx, c.unit.ID, p, activities.Dedication)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.People) != 3 || r.People[0].StaffID != c.unit.Staff[2] || r.People[0].Points != 600 || r.People[2].Points != 0 {
			t.Fatalf("people: %+v", r.People)
		}
		if r.People[1].RankInWindow != 1 || r.People[2].RankInWindow != 2 || r.People[1].RankInBranch != 1 {
			t.Errorf("ranks within: %+v", r.People)
		}
		// The window of two has 4 points, 2 a head; the office of one 6.
		if len(r.Windows) != 2 || r.Windows[0].Name != "办公室" || r.Windows[1].Total != 400 || r.Windows[1].Average != 200 || r.Windows[1].Heads != 2 {
			t.Errorf("windows: %+v", r.Windows)
		}
		total, _ := s.Rank(ctx, c.unit.ID, p, activities.Total)
		if total.People[0].Points != 600 {
			t.Errorf("total: %+v", total.People[0])
		}
		// Eleven days of visits earn 33 points; the month counts 30, and the
		// person's page says so.
		k := kindOf(t, s, c.unit.ID, activities.FormVisit)
		id, err := s.Submit(ctx, orgtest.Actor, c.admin, c.unit.ID, loc, activities.ClaimInput{KindID: k.ID, StaffID: c.unit.Staff[1],
			DateFrom: "2026-09-01", DateTo: "2026-09-11", Quantity: "11", Place: "白沙镇公和村", Body: "驻村"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Review(ctx, orgtest.Actor, c.admin, c.unit.ID, id, true, ""); err != nil {
			t.Fatal(err)
		}
		x, err := s.Explain(ctx, c.unit.ID, c.unit.Staff[1], p)
		if err != nil || x.Score.Total != 3000 || len(x.Capped) != 1 || x.Capped[0].Raw != 3300 || x.Capped[0].Counted != 3000 || x.Capped[0].Month != "2026-09" {
			t.Errorf("capped visit: %d, %+v, %v", x.Score.Total, x.Capped, err)
		}
	})
}

// Kinds: the office's rules are checked field by field; a kind with points
// keeps its dimension; the tier shares stay within 0–50 %.
func TestKinds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c := newCast(t, db, "unit-a")
		now := time.Date(2026, 8, 20, 2, 0, 0, 0, time.UTC)
		s := activities.NewStore(db).WithClock(func() time.Time { return now })
		volunteer := kindOf(t, s, c.unit.ID, activities.FormVolunteer)
		good := activities.KindInput{Name: "志愿服务", Dimension: activities.Dedication, Rule: activities.RuleHour, Points: "1.5", MonthCap: "20", YearCap: "100", Active: true}
		for _, b := range []struct {
			name string
			edit func(in *activities.KindInput)
			want string
		}{
			{"no name", func(in *activities.KindInput) { in.Name = " " }, "error.required"},
			{"a rule the form cannot use", func(in *activities.KindInput) { in.Rule = activities.RuleRank }, "activities.rule_invalid"},
			{"negative points", func(in *activities.KindInput) { in.Points = "-2" }, "activities.points_negative"},
			{"points as words", func(in *activities.KindInput) { in.Points = "两分" }, "activities.points_invalid"},
			{"huge points", func(in *activities.KindInput) { in.Points = "99999" }, "activities.points_invalid"},
			{"month cap over year cap", func(in *activities.KindInput) { in.MonthCap = "200" }, "activities.cap_order"},
			{"unknown dimension", func(in *activities.KindInput) { in.Dimension = "loyalty" }, "activities.dimension_invalid"},
		} {
			in := good
			b.edit(&in)
			if _, err := s.SaveKind(ctx, orgtest.Actor, c.unit.ID, volunteer.ID, in); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		if _, err := s.SaveKind(ctx, orgtest.Actor, c.unit.ID, 0, activities.KindInput{Name: "扣分", Form: activities.FormConduct, Dimension: activities.Conduct, Rule: activities.RuleItem, Points: "-1"}); !locale.HasKey(err, "activities.form_invalid") {
			t.Errorf("added a conduct kind by hand: %v", err)
		}
		if _, err := s.SaveKind(ctx, orgtest.Actor, c.unit.ID, 0, activities.KindInput{Name: "技能比武", Form: activities.FormContest, Dimension: activities.Innovation, Rule: activities.RuleRank, RankPoints: "８，５, 3"}); err != nil {
			t.Fatal(err)
		}
		contests, _ := s.KindsOf(ctx, c.unit.ID, activities.FormContest)
		if len(contests) != 2 || contests[1].Dimension != activities.Innovation || len(contests[1].RankPoints) != 3 || contests[1].RankPoints[0] != 800 {
			t.Errorf("added kind: %+v", contests)
		}
		if _, err := s.SaveKind(ctx, orgtest.Actor, c.unit.ID, volunteer.ID, good); err != nil {
			t.Fatal(err)
		}
		// Once it has points, the kind keeps its dimension.
		id, err := s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, activities.ClaimInput{KindID: volunteer.ID, DateFrom: "2026-08-10", Quantity: "2", Place: "社区", Body: "义诊"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Review(ctx, orgtest.Actor, c.admin, c.unit.ID, id, true, ""); err != nil {
			t.Fatal(err)
		}
		moved := good
		moved.Dimension = activities.Quality
		if _, err := s.SaveKind(ctx, orgtest.Actor, c.unit.ID, volunteer.ID, moved); !locale.HasKey(err, "activities.dimension_locked") {
			t.Errorf("moved a kind with points: %v", err)
		}
		if got := total(t, s, c.unit.ID, c.unit.Staff[0], "2026-08"); got != 300 {
			t.Errorf("2 hours at 1.5: %d", got)
		}
		for _, st := range []activities.Settings{{LeadingPct: 60, LaggingPct: 20}, {LeadingPct: 20, LaggingPct: -1}} {
			if err := s.SaveSettings(ctx, orgtest.Actor, c.unit.ID, st); !locale.HasKey(err, "activities.share_invalid") {
				t.Errorf("shares %+v: %v", st, err)
			}
		}
		if err := s.SaveSettings(ctx, orgtest.Actor, c.unit.ID, activities.Settings{LeadingPct: 10, LaggingPct: 30}); err != nil {
			t.Fatal(err)
		}
		if st, _ := s.Settings(ctx, c.unit.ID); st.LeadingPct != 10 || st.LaggingPct != 30 {
			t.Errorf("settings: %+v", st)
		}
	})
}

// The same activity is claimed once: a double tap makes one claim, a visit
// overlapping another is refused, an approved one says so; a returned
// claim and a different activity on the same day go through.
func TestDuplicateClaims(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c := newCast(t, db, "unit-a")
		now := time.Date(2026, 8, 20, 2, 0, 0, 0, time.UTC)
		s := activities.NewStore(db).WithClock(func() time.Time { return now })
		visit := activities.ClaimInput{KindID: kindOf(t, s, c.unit.ID, activities.FormVisit).ID, DateFrom: "2026-08-03", DateTo: "2026-08-05", Quantity: "3", Place: "公和村", Body: "驻村"}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, visit)
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) || !locale.HasKey(errors.Join(errs...), "activities.claim_duplicate_pending") {
			t.Fatalf("two submits at once: %v / %v", errs[0], errs[1])
		}
		if n := count(t, db, "activity_claims", c.unit.ID); n != 1 {
			t.Fatalf("%d claims from a double tap", n)
		}
		overlap := visit
		overlap.DateFrom, overlap.DateTo, overlap.Quantity = "2026-08-05", "2026-08-06", "2"
		if _, err := s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, overlap); !locale.HasKey(err, "activities.claim_duplicate_pending") {
			t.Errorf("an overlapping visit: %v", err)
		}
		list, _ := s.MyClaims(ctx, c.unit.ID, c.unit.Staff[0])
		if err := s.Review(ctx, orgtest.Actor, c.admin, c.unit.ID, list[0].ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, visit); !locale.HasKey(err, "activities.claim_duplicate_approved") {
			t.Errorf("an approved visit claimed again: %v", err)
		}
		// The next days are another visit; volunteering twice a day at two places is two activities.
		later := visit
		later.DateFrom, later.DateTo = "2026-08-06", "2026-08-07"
		later.Quantity = "2"
		volunteer := activities.ClaimInput{KindID: kindOf(t, s, c.unit.ID, activities.FormVolunteer).ID, DateFrom: "2026-08-10", Quantity: "2", Place: "社区", Body: "义诊"}
		elsewhere := volunteer
		elsewhere.Place = "敬老院"
		for _, in := range []activities.ClaimInput{later, volunteer, elsewhere} {
			if _, err := s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, in); err != nil {
				t.Errorf("%s at %s: %v", in.DateFrom, in.Place, err)
			}
		}
		if _, err := s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, volunteer); !locale.HasKey(err, "activities.claim_duplicate_pending") {
			t.Errorf("the same volunteering twice: %v", err)
		}
	})
}

// The organiser's list takes present, late or absent for people expected,
// before closing; an innovation result needs words.
func TestMarkAndResultRefusals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c, other := newCast(t, db, "unit-a"), newCast(t, db, "unit-b")
		now := time.Date(2026, 9, 1, 7, 0, 0, 0, time.UTC)
		s := activities.NewStore(db).WithClock(func() time.Time { return now })
		id, err := s.CreateSession(ctx, orgtest.Actor, c.admin, c.unit.ID, loc, activities.SessionInput{KindID: kindOf(t, s, c.unit.ID, activities.FormStudy).ID,
			Topic: "law", Title: "学法规", StartsAt: "2026-09-01T15:00", Scope: "branch", ScopeID: c.unit.Branch})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []struct {
			name  string
			marks map[int64]string
			want  string
		}{
			{"an unknown status", map[int64]string{c.unit.Staff[0]: "excused"}, "activities.status_invalid"},
			{"someone outside the branch", map[int64]string{c.unit.Staff[2]: activities.Present}, "activities.checkin_not_expected"},
			{"another unit's person", map[int64]string{other.unit.Staff[0]: activities.Present}, "activities.checkin_not_expected"},
		} {
			if err := s.Mark(ctx, orgtest.Actor, c.admin, c.unit.ID, id, b.marks); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		if x, _ := s.Session(ctx, c.unit.ID, id); x.Count(activities.Present)+x.Count(activities.Absent) != 0 {
			t.Errorf("a refused mark was kept: %+v", x.Attendance)
		}
		if err := s.Mark(ctx, orgtest.Actor, c.admin, c.unit.ID, id, map[int64]string{c.unit.Staff[0]: activities.Late}); err != nil {
			t.Fatal(err)
		}
		if err := s.CloseSession(ctx, orgtest.Actor, c.admin, c.unit.ID, id, loc); err != nil {
			t.Fatal(err)
		}
		if err := s.Mark(ctx, orgtest.Actor, c.admin, c.unit.ID, id, map[int64]string{c.unit.Staff[0]: activities.Present}); !locale.HasKey(err, "activities.session_closed") {
			t.Errorf("marked after closing: %v", err)
		}
		k := kindOf(t, s, c.unit.ID, activities.FormInnovation)
		cid, err := s.Submit(ctx, orgtest.Actor, c.zhang, c.unit.ID, loc, activities.ClaimInput{KindID: k.ID, DateFrom: "2026-08-30", Title: "预约叫号", Body: "预约优先"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Review(ctx, orgtest.Actor, c.admin, c.unit.ID, cid, true, ""); err != nil {
			t.Fatal(err)
		}
		for note, want := range map[string]string{"": "error.required", " ": "error.required", strings.Repeat("效", 501): "error.too_long"} {
			if err := s.Result(ctx, orgtest.Actor, c.admin, c.unit.ID, loc, cid, note); !locale.HasKey(err, want) {
				t.Errorf("result of %d characters: %v", len(note), err)
			}
		}
		if cl, _ := s.Claim(ctx, c.unit.ID, cid); cl.ResultAt != nil {
			t.Errorf("a refused result was kept")
		}
	})
}
