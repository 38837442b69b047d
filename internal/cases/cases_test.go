package cases_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/attendance"
	"wuliang/internal/cases"
	"wuliang/internal/database"
	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/notifications"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

var (
	ctx = context.Background()
	act = orgtest.Actor
	cst = time.FixedZone("CST", 8*3600)
)

// at is a moment in Beijing time.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

type fixture struct {
	unit                orgtest.Unit
	office, lead, zhang accounts.User
	li, wang            accounts.User
	item                int64 // 3 working days, at the window
	store               *cases.Store
	clock               *time.Time
}

func setup(t testing.TB, db *database.DB, code string, now time.Time) *fixture {
	u := orgtest.New(t, db, code)
	mk := func(name, role string, staff, dept int64) accounts.User {
		return orgtest.User(t, db, u.ID, code+"-"+name, role, staff, dept)
	}
	f := &fixture{unit: u, clock: &now}
	f.office = mk("office", accounts.RoleUnitAdmin, 0, 0)
	f.lead = mk("lead", accounts.RoleWindowLead, 0, u.Window)
	f.zhang = mk("zhang", accounts.RoleStaff, u.Staff[0], 0)
	f.li = mk("li", accounts.RoleStaff, u.Staff[1], 0)
	f.wang = mk("wang", accounts.RoleStaff, u.Staff[2], 0)
	id, err := items.NewStore(db).Create(ctx, act, u.ID, items.Input{Name: "个体工商户设立登记", TimeLimitDays: 3, DepartmentID: u.Window,
		HandlingUnit: "县市场监管局", Materials: []items.Material{{Name: "身份证", Form: "original", Copies: 1}, {Name: "经营场所证明", Form: "copy", Copies: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	f.item = id
	f.store = cases.NewStore(db).WithClock(func() time.Time { return *f.clock })
	return f
}

func (f *fixture) set(s string) { *f.clock = at(s) }

func (f *fixture) register(t *testing.T) cases.Case {
	t.Helper()
	c, err := f.store.Register(ctx, act, f.zhang, f.unit.ID, cases.Registration{FirstContactID: f.unit.Staff[0], ItemID: f.item,
		RecipientName: "刘 备", RecipientPhone: "１３９-0000-1234", Channel: "counter"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCaseLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db, "unit-a", at("2026-09-29 10:00"))
		c := f.register(t)
		if c.State != cases.StateRegistered || c.RecipientPhone != "13900001234" || c.HandlerID != f.unit.Staff[0] || c.DepartmentID != f.unit.Window ||
			!strings.HasPrefix(c.No, "2026-") || len(c.RatingToken) < 20 {
			t.Fatalf("registered: %+v", c)
		}
		// 一次性告知 before acceptance, then acceptance on the eve of National Day.
		if _, err := f.store.RequestMaterials(ctx, act, f.zhang, f.unit.ID, c.ID, cases.NoticeInput{Materials: []cases.MissingMaterial{{Name: "经营场所证明", Why: "未提供"}}}); err != nil {
			t.Fatal(err)
		}
		f.set("2026-09-30 17:45") // after closing on the day before the holiday
		if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{}); err != nil {
			t.Fatal(err)
		}
		got, _, _, _ := f.store.Get(ctx, f.unit.ID, c.ID)
		// It counts as accepted on 10-08, the first working day after the
		// holiday of 10-01…07; then 10-09, 10-10 (a make-up Saturday) and
		// 10-12 → due 10-12 17:30.
		if want := at("2026-10-12 17:30"); !got.Deadline.Equal(want) {
			t.Fatalf("deadline %v, want %v", got.Deadline.In(cst), want)
		}
		// 补正 after acceptance stops the clock for the working days it stands.
		f.set("2026-10-09 09:00")
		if _, err := f.store.RequestMaterials(ctx, act, f.zhang, f.unit.ID, c.ID, cases.NoticeInput{Materials: []cases.MissingMaterial{{Name: "经营场所证明", Why: "复印件不清晰"}}}); err != nil {
			t.Fatal(err)
		}
		paused, _, _, _ := f.store.Get(ctx, f.unit.ID, c.ID)
		if paused.Signal != cases.SignalPaused || paused.State != cases.StateWaiting {
			t.Fatalf("paused: %s %s", paused.State, paused.Signal)
		}
		f.set("2026-10-12 11:00") // 10-10 (make-up Saturday) and 10-12 stood
		if err := f.store.Resume(ctx, act, f.zhang, f.unit.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		got, _, _, _ = f.store.Get(ctx, f.unit.ID, c.ID)
		if want := at("2026-10-14 17:30"); !got.Deadline.Equal(want) || got.PausedDays != 2 {
			t.Fatalf("after 补正: due %v (%d days stood), want %v", got.Deadline.In(cst), got.PausedDays, want)
		}
		f.set("2026-10-13 16:00")
		if got, _, _, _ = f.store.Get(ctx, f.unit.ID, c.ID); got.Signal != cases.SignalYellow {
			t.Fatalf("one working day left: %s", got.Signal)
		}
		if err := f.store.Complete(ctx, act, f.zhang, f.unit.ID, c.ID, "已发放营业执照"); err != nil {
			t.Fatal(err)
		}
		got, events, notices, _ := f.store.Get(ctx, f.unit.ID, c.ID)
		if !got.OnTime() || got.Signal != cases.SignalGreen || len(notices) != 2 || notices[1].Breach {
			t.Fatalf("completed: on time %v, %s, %d notices", got.OnTime(), got.Signal, len(notices))
		}
		var leaked int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE before_json LIKE $1 OR after_json LIKE $1`, "%"+got.RatingToken+"%").Scan(&leaked)
		if leaked != 0 {
			t.Fatalf("the rating token is in %d audit records", leaked)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "registered,notice,accepted,notice,resumed,completed" {
			t.Fatalf("timeline: %v", actions)
		}
	})
}

func TestCaseRefusesBadInput(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db, "unit-a", at("2026-11-03 10:00"))
		other := setup(t, db, "unit-b", at("2026-11-03 10:00"))
		good := cases.Registration{FirstContactID: f.unit.Staff[0], ItemID: f.item, RecipientName: "刘备", RecipientPhone: "13900001234", Channel: "phone"}
		bad := []struct {
			name string
			edit func(*cases.Registration)
			want string
		}{
			{"unknown item", func(r *cases.Registration) { r.ItemID = 999999 }, "case.item_unknown"},
			{"another unit's item", func(r *cases.Registration) { r.ItemID = other.item }, "case.item_unknown"},
			{"another unit's person", func(r *cases.Registration) { r.FirstContactID = other.unit.Staff[0] }, "case.staff_unknown"},
			{"no name", func(r *cases.Registration) { r.RecipientName = "  " }, "error.required"},
			{"huge name", func(r *cases.Registration) { r.RecipientName = strings.Repeat("名", 10_000) }, "error.too_long"},
			{"bad phone", func(r *cases.Registration) { r.RecipientPhone = "<script>" }, "error.phone_invalid"},
			{"no phone", func(r *cases.Registration) { r.RecipientPhone = "" }, "case.phone_required"},
			{"bad channel", func(r *cases.Registration) { r.Channel = "pigeon" }, "case.channel_invalid"},
			{"nothing to do", func(r *cases.Registration) { r.ItemID = 0 }, "case.matter_required"},
		}
		for _, b := range bad {
			in := good
			b.edit(&in)
			if _, err := f.store.Register(ctx, act, f.office, f.unit.ID, in); locale.Key(err) != b.want {
				t.Errorf("%s: got %v, want %s", b.name, err, b.want)
			}
		}
		if _, err := f.store.Register(ctx, act, f.wang, f.unit.ID, good); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("王五 registered for 张三: %v", err)
		}
		free := good
		free.ItemID, free.Matter, free.RecipientName = 0, "咨询 <b>医保</b> 转移 🏥", "Ｌｉｕ 🙂"
		c, err := f.store.Register(ctx, act, f.zhang, f.unit.ID, free)
		if err != nil || c.Matter != free.Matter {
			t.Fatalf("free-text matter: %v %q", err, c.Matter)
		}
		if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{}); locale.Key(err) != "case.limit_required" {
			t.Errorf("accept without a limit: %v", err)
		}
		if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{At: "2026-11-04 09:00"}); locale.Key(err) != "case.accept_in_future" {
			t.Errorf("acceptance in the future: %v", err)
		}
		if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{At: "昨天"}); locale.Key(err) != "whereabouts.time_invalid" {
			t.Errorf("unreadable acceptance time: %v", err)
		}
		if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{At: "2026-11-02 09:00"}); locale.Key(err) != "case.accept_before_registration" {
			t.Errorf("acceptance before registration: %v", err)
		}
		if err := f.store.Accept(ctx, act, other.office, other.unit.ID, c.ID, cases.Acceptance{}); !errors.Is(err, cases.ErrNotFound) {
			t.Errorf("another unit accepted: %v", err)
		}
		two := 2
		if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{At: "２０２６-11-03 10:00", LimitDays: &two}); err != nil {
			t.Fatal(err)
		}
		if err := f.store.ChangeDeadline(ctx, act, f.lead, f.unit.ID, c.ID, "2026-11-20", " "); locale.Key(err) != "case.deadline_reason_required" {
			t.Errorf("deadline change without reason: %v", err)
		}
		if err := f.store.ChangeDeadline(ctx, act, f.zhang, f.unit.ID, c.ID, "2026-11-20", "需现场勘验"); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("the handler extended their own deadline: %v", err)
		}
		if err := f.store.ChangeDeadline(ctx, act, f.lead, f.unit.ID, c.ID, "2026-11-20", "需现场勘验"); err != nil {
			t.Fatal(err)
		}
		if err := f.store.Refuse(ctx, act, f.zhang, f.unit.ID, c.ID, "不符合条件"); locale.Key(err) != "case.wrong_state" {
			t.Errorf("refusing an accepted case: %v", err)
		}
		c2 := f.register(t)
		if err := f.store.Refuse(ctx, act, f.zhang, f.unit.ID, c2.ID, ""); locale.Key(err) != "case.refuse_reason_required" {
			t.Errorf("refusal without reason: %v", err)
		}
		if err := f.store.Refer(ctx, act, f.zhang, f.unit.ID, c2.ID, other.unit.Staff[0], "属其他窗口"); locale.Key(err) != "case.staff_unknown" {
			t.Errorf("referral to another unit: %v", err)
		}
		got, _, _, _ := f.store.Get(ctx, f.unit.ID, c2.ID)
		if got.State != cases.StateRegistered {
			t.Errorf("a refused change altered the case: %s", got.State)
		}
	})
}

// Two handlers act on one case at the same moment: one wins, the other is
// told, and the timeline shows one completion.
func TestCaseConcurrentChanges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db, "unit-a", at("2026-11-03 10:00"))
		for round := range 3 {
			c := f.register(t)
			if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, c.ID, cases.Acceptance{}); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, u := range []accounts.User{f.zhang, f.lead} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if round == 2 && i == 1 {
						errs[i] = f.store.Refer(ctx, act, u, f.unit.ID, c.ID, f.unit.Staff[2], "属办公室受理")
						return
					}
					errs[i] = f.store.Complete(ctx, act, u, f.unit.ID, c.ID, "办结")
				}()
			}
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("round %d: both or neither won: %v / %v", round, errs[0], errs[1])
			}
			for _, err := range errs {
				if err != nil && locale.Key(err) != "case.changed" && locale.Key(err) != "case.wrong_state" {
					t.Fatalf("round %d: unclear message: %v", round, err)
				}
			}
			_, events, _, _ := f.store.Get(ctx, f.unit.ID, c.ID)
			n := 0
			for _, e := range events {
				if e.Action == "completed" || e.Action == "referred" {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("round %d: %d completions or referrals on the timeline", round, n)
			}
		}
	})
}

// A referral leaves the first contact responsible until the receiver
// acknowledges.
func TestCaseReferral(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db, "unit-a", at("2026-11-03 10:00"))
		c := f.register(t)
		if err := f.store.Refer(ctx, act, f.zhang, f.unit.ID, c.ID, f.unit.Staff[2], "属办公室受理"); err != nil {
			t.Fatal(err)
		}
		got, _, _, _ := f.store.Get(ctx, f.unit.ID, c.ID)
		if got.HandlerID != f.unit.Staff[0] || !cases.CanSee(f.wang, got) || cases.CanHandle(f.wang, got) {
			t.Fatalf("before acknowledgement: handler %d", got.HandlerID)
		}
		if err := f.store.Acknowledge(ctx, act, f.li, f.unit.ID, c.ID); !errors.Is(err, cases.ErrForbidden) {
			t.Fatalf("someone else acknowledged: %v", err)
		}
		msgs, _ := notifications.NewStore(db).List(ctx, f.unit.ID, f.wang.ID, 10)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Body, c.No) {
			t.Fatalf("the receiver was not told: %+v", msgs)
		}
		if err := f.store.Acknowledge(ctx, act, f.wang, f.unit.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		got, _, _, _ = f.store.Get(ctx, f.unit.ID, c.ID)
		if got.HandlerID != f.unit.Staff[2] || got.State != cases.StateRegistered || got.DepartmentID != f.unit.Office || got.FirstContactID != f.unit.Staff[0] {
			t.Fatalf("after acknowledgement: %+v", got)
		}
		// Lists follow the same scope: the people involved, the window lead of
		// the case's window (now the office's), the office.
		for _, want := range []struct {
			who  accounts.User
			name string
			n    int
		}{{f.wang, "王五", 1}, {f.zhang, "张三 (first contact)", 1}, {f.li, "李四", 0}, {f.lead, "the tax window's lead", 0}, {f.office, "the office", 1}} {
			if _, n, err := f.store.List(ctx, f.unit.ID, cases.Filter{ScopeOf: &want.who}); err != nil || n != want.n {
				t.Errorf("%s sees %d cases, want %d (%v)", want.name, n, want.n, err)
			}
		}
	})
}

// A later notice asking for what the first did not list is a breach,
// unless the handler gives the reason.
func TestOneTimeNoticeBreach(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db, "unit-a", at("2026-11-03 10:00"))
		c := f.register(t)
		ask := func(reasonKind, reason string, names ...string) (cases.Notice, error) {
			var ms []cases.MissingMaterial
			for _, n := range names {
				ms = append(ms, cases.MissingMaterial{Name: n})
			}
			return f.store.RequestMaterials(ctx, act, f.zhang, f.unit.ID, c.ID, cases.NoticeInput{Materials: ms, ReasonKind: reasonKind, Reason: reason})
		}
		if _, err := ask("", ""); locale.Key(err) != "case.materials_required" {
			t.Fatalf("empty notice: %v", err)
		}
		first, err := ask("", "", "身份证", "身份证", "<script>alert(1)</script>")
		if err != nil || len(first.Materials) != 2 || first.Seq != 1 {
			t.Fatalf("first notice: %+v %v", first, err)
		}
		if n, err := ask("", "", "身份证"); err != nil || n.Breach {
			t.Fatalf("asking again for a listed material: %+v %v", n, err)
		}
		if _, err := ask("new_policy", "", "经营场所证明"); locale.Key(err) != "case.notice_reason_required" {
			t.Fatalf("reason kind without a reason: %v", err)
		}
		if n, err := ask("new_policy", "2026年11月起需提供", "经营场所证明"); err != nil || n.Breach || len(n.Unlisted) != 1 {
			t.Fatalf("a new material with a reason: %+v %v", n, err)
		}
		n, err := ask("", "", "租赁合同")
		if err != nil || !n.Breach {
			t.Fatalf("a new material without a reason: %+v %v", n, err)
		}
		recs, _ := accountability.NewStore(db).List(ctx, f.unit.ID, accountability.Filter{StaffID: f.unit.Staff[0], Rule: accountability.RuleNoticeBreach})
		if len(recs) != 1 || !strings.Contains(recs[0].Facts, "租赁合同") || recs[0].Link() != "/cases/"+itoa(c.ID) {
			t.Fatalf("breach record: %+v", recs)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// New cases for someone away on a whereabouts note go to their cover.
func TestCaseGoesToCover(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db, "unit-a", at("2026-11-03 10:00"))
		att := attendance.NewStore(db).WithClock(func() time.Time { return *f.clock })
		if _, err := att.AddNote(ctx, act, f.zhang, f.unit.ID, cst, attendance.NoteInput{StaffID: f.unit.Staff[0], Kind: "meeting", Place: "县政府三楼会议室",
			StartsAt: "2026-11-03 09:00", EndsAt: "2026-11-03 11:30", CoverID: f.unit.Staff[1]}); err != nil {
			t.Fatal(err)
		}
		c, err := f.store.Register(ctx, act, cases.Machine, f.unit.ID, cases.Registration{FirstContactID: f.unit.Staff[0], ItemID: f.item,
			RecipientName: "刘备", RecipientPhone: "13900001234", Channel: "counter"})
		if err != nil {
			t.Fatal(err)
		}
		_, events, _, _ := f.store.Get(ctx, f.unit.ID, c.ID)
		if c.HandlerID != f.unit.Staff[1] || len(events) != 2 || events[1].Action != "covered" {
			t.Fatalf("case for an absent person: handler %d, %+v", c.HandlerID, events)
		}
	})
}

// Yellow warns of a deadline near at hand. A case whose whole limit is a
// day or none (即办) would be yellow from acceptance on, so a one-day case
// turns yellow on its due day and an 即办 case in its last hour.
func TestYellowOnlyNearTheDeadline(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		f := setup(t, db, "unit-y", at("2026-11-25 10:00")) // a Wednesday
		for _, c := range []struct {
			limit int
			when  string
			want  string
		}{
			{0, "2026-11-25 10:05", cases.SignalGreen},
			{0, "2026-11-25 16:45", cases.SignalYellow},
			{0, "2026-11-25 17:45", cases.SignalRed},
			{1, "2026-11-25 16:00", cases.SignalGreen},
			{1, "2026-11-26 09:00", cases.SignalYellow},
			{3, "2026-11-27 09:00", cases.SignalYellow},
			{3, "2026-11-26 09:00", cases.SignalGreen},
		} {
			f.set("2026-11-25 10:00")
			cs, err := f.store.Register(ctx, act, f.zhang, f.unit.ID, cases.Registration{FirstContactID: f.unit.Staff[0], Matter: "开具证明",
				RecipientName: "关羽", RecipientPhone: "13900001111", Channel: "counter"})
			if err != nil {
				t.Fatal(err)
			}
			limit := c.limit
			if err := f.store.Accept(ctx, act, f.zhang, f.unit.ID, cs.ID, cases.Acceptance{LimitDays: &limit}); err != nil {
				t.Fatal(err)
			}
			f.set(c.when)
			if got, _, _, _ := f.store.Get(ctx, f.unit.ID, cs.ID); got.Signal != c.want {
				t.Errorf("limit %d at %s: %s, want %s", c.limit, c.when, got.Signal, c.want)
			}
		}
	})
}
