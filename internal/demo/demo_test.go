package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/cases"
	"wuliang/internal/commitments"
	"wuliang/internal/database"
	"wuliang/internal/demo"
	"wuliang/internal/items"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/sitetest"
	"wuliang/internal/testdb"
)

var cst = time.FixedZone("CST", 8*3600)

// The demo is what people see first; it must hold what the issues promise.
// It stands at a fixed moment here, so the test gives the same answer on
// every day of the year.
func TestDemoDataSet(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, cst)
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		t.Parallel()
		ctx := context.Background()
		loaded, err := demo.Load(ctx, db, now)
		if err != nil || !loaded {
			t.Fatalf("load: %v %v", loaded, err)
		}
		if again, err := demo.Load(ctx, db, now); err != nil || again {
			t.Fatalf("a second load must do nothing: %v %v", again, err)
		}
		checkDemo(t, db, now)
	})
}

// Wherever in the calendar the demo is started, it holds the same: at the
// first and the last minute of a month inside a quarter, and of a year,
// which are those of a quarter and a month too.
func TestDemoAtPeriodEdges(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 10, 31, 23, 59, 0, 0, cst), time.Date(2026, 11, 1, 0, 0, 0, 0, cst),
		time.Date(2026, 12, 31, 23, 59, 0, 0, cst), time.Date(2027, 1, 1, 0, 0, 0, 0, cst),
	} {
		t.Run(at.Format("2006-01-02T15:04"), func(t *testing.T) {
			t.Parallel()
			// Loaded by the wuliang command, outside the race detector: the
			// test above loads it in process.
			checkDemo(t, sitetest.DemoAt(at).SQLite(t), at)
		})
	}
}

// checkDemo checks the demo loaded into db as standing at now.
func checkDemo(t *testing.T, db *database.DB, now time.Time) {
	ctx := context.Background()
	store := org.NewStore(db)
	for _, code := range []string{"demo-center", "demo-hospital"} {
		u, err := store.UnitByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		staff, total, _ := store.StaffList(ctx, u.ID, org.StaffFilter{})
		statuses, backups := map[string]int{}, 0
		for _, s := range staff {
			statuses[s.PoliticalStatus]++
			if s.BackupID != 0 {
				backups++
			}
		}
		if total < 40 || len(statuses) != 4 || backups < total*3/4 {
			t.Errorf("%s: %d staff, statuses %v, %d with a B post", code, total, statuses, backups)
		}
	}
	center, _ := store.UnitByCode(ctx, "demo-center")
	leaders, _ := store.LeadingGroup(ctx, center.ID)
	if len(leaders) < 3 || leaders[0].StaffName != "李祥生" || leaders[0].Role != "leader" || leaders[len(leaders)-1].StaffName != "马先军" {
		t.Errorf("leading group: %+v", leaders)
	}
	depts, _ := store.Departments(ctx, center.ID)
	windows := 0
	list, _ := items.NewStore(db).List(ctx, center.ID, items.Filter{})
	perWindow := map[int64]int{}
	for _, it := range list {
		if len(it.Materials) == 0 || len(it.Handlers) == 0 {
			t.Errorf("item %s has no materials or handlers", it.Name)
		}
		perWindow[it.DepartmentID]++
	}
	for _, d := range depts {
		if d.Kind == org.KindWindow {
			windows++
			if perWindow[d.ID] == 0 {
				t.Errorf("window %s has no items", d.Name)
			}
		}
	}
	if windows < 8 || len(list) < 60 {
		t.Errorf("%d windows, %d items", windows, len(list))
	}
	// A case on yellow, whatever the random draws: the light and its to-do
	// are there to be seen.
	clock := func() time.Time { return now }
	if yellow, _, _ := cases.NewStore(db).WithClock(clock).List(ctx, center.ID, cases.Filter{Signal: cases.SignalYellow}); len(yellow) == 0 {
		t.Error("no case of the centre is on yellow")
	}
	// Study sessions and contests are held on working days, in both units.
	work := calendar.National()
	for _, u := range []string{"demo-center", "demo-hospital"} {
		unit, _ := store.UnitByCode(ctx, u)
		act := activities.NewStore(db)
		sessions, _ := act.Sessions(ctx, unit.ID, accounts.User{Role: accounts.RoleUnitAdmin, UnitID: unit.ID})
		contests, _ := act.Contests(ctx, unit.ID)
		if len(sessions) < 6 || len(contests) < 2 {
			t.Errorf("%s: %d study sessions, %d contests", u, len(sessions), len(contests))
		}
		for _, x := range sessions {
			if !work.IsWorkday(x.StartsAt.In(cst)) {
				t.Errorf("%s: the session %s is on %s, not a working day", u, x.Title, x.StartsAt.In(cst).Format(time.DateOnly))
			}
		}
		for _, x := range contests {
			if day, _ := time.Parse(time.DateOnly, x.HeldOn); !work.IsWorkday(day) {
				t.Errorf("%s: the contest %s is on %s, not a working day", u, x.Title, x.HeldOn)
			}
		}
	}
	// What is unread still waits: nobody starts with two months of stale
	// messages.
	var worst, unread int
	db.QueryRowContext(ctx, `SELECT COALESCE(max(n), 0), COALESCE(sum(n), 0) FROM (SELECT count(*) AS n FROM notifications WHERE read_at IS NULL GROUP BY user_id) x`).Scan(&worst, &unread)
	if worst > 10 || unread == 0 {
		t.Errorf("%d unread notifications in all, %d for one person", unread, worst)
	}
	// The hospital's people promise what the plan asks of medical staff.
	hospitalUnit, _ := store.UnitByCode(ctx, "demo-hospital")
	promised, _ := commitments.NewStore(db).List(ctx, hospitalUnit.ID, commitments.Filter{Today: now.Format(time.DateOnly)})
	medical := 0
	for _, c := range promised {
		if strings.Contains(c.Body, "救死扶伤") || strings.Contains(c.Body, "服务水平") || strings.Contains(c.Body, "惠及") {
			medical++
		}
		if strings.Contains(c.Body, "办事指南") || strings.Contains(c.Body, "窗口事项") {
			t.Errorf("the hospital promises as a service centre: %s", c.Body)
		}
	}
	if medical == 0 {
		t.Errorf("none of the hospital's %d commitments is about 救死扶伤, 服务水平 or 惠及群众", len(promised))
	}
	// The hospital serves as a hospital: its own services, each with what to
	// bring and who handles it, and a secretary for every branch.
	hospital, _ := store.UnitByCode(ctx, "demo-hospital")
	served, _ := items.NewStore(db).List(ctx, hospital.ID, items.Filter{})
	for _, it := range served {
		if len(it.Materials) == 0 || len(it.Handlers) == 0 {
			t.Errorf("hospital item %s has no materials or handlers", it.Name)
		}
	}
	if len(served) < 20 {
		t.Errorf("the hospital has %d service items", len(served))
	}
	branches, _ := store.Branches(ctx, hospital.ID)
	for _, b := range branches {
		if b.SecretaryID == 0 {
			t.Errorf("hospital branch %s has no secretary", b.Name)
		}
	}
	public, _ := commitments.NewStore(db).List(ctx, center.ID, commitments.Filter{States: []string{commitments.StatePublic, commitments.StateClosed}, Today: "2026-11-26"})
	members, late, kept := 0, 0, 0
	staff, _, _ := store.StaffList(ctx, center.ID, org.StaffFilter{})
	for _, s := range staff {
		if s.IsPartyMember() {
			members++
		}
	}
	for _, c := range public {
		if c.Late {
			late++
		}
		if c.Status() == "kept" {
			kept++
		}
	}
	if len(public) < members/2 || late == 0 || kept == 0 {
		t.Errorf("%d public commitments for %d members, %d late, %d kept", len(public), members, late, kept)
	}
	// Two months of counter work, with something true on every page.
	count := func(q string) int {
		var n int
		if err := db.QueryRowContext(ctx, q, center.ID).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	facts := map[string]int{
		"cases":                   count(`SELECT count(*) FROM cases WHERE unit_id = $1`),
		"completed":               count(`SELECT count(*) FROM cases WHERE unit_id = $1 AND state = 'completed'`),
		"overdue":                 count(`SELECT count(*) FROM cases WHERE unit_id = $1 AND overdue_at IS NOT NULL`),
		"overdue, still open":     count(`SELECT count(*) FROM cases WHERE unit_id = $1 AND overdue_at IS NOT NULL AND state = 'accepted'`),
		"referred":                count(`SELECT count(*) FROM case_events WHERE unit_id = $1 AND action = 'acknowledged'`),
		"notices":                 count(`SELECT count(*) FROM case_notices WHERE unit_id = $1`),
		"breaches":                count(`SELECT count(*) FROM case_notices WHERE unit_id = $1 AND breach = TRUE`),
		"spot checks":             count(`SELECT count(*) FROM spot_checks WHERE unit_id = $1`),
		"absences":                count(`SELECT count(*) FROM spot_check_entries WHERE unit_id = $1 AND status = 'absent'`),
		"whereabouts":             count(`SELECT count(*) FROM whereabouts WHERE unit_id = $1`),
		"decided":                 count(`SELECT count(*) FROM accountability WHERE unit_id = $1 AND state <> 'open'`),
		"open records":            count(`SELECT count(*) FROM accountability WHERE unit_id = $1 AND state = 'open'`),
		"ratings":                 count(`SELECT count(*) FROM ratings WHERE unit_id = $1`),
		"bad ratings":             count(`SELECT count(*) FROM ratings WHERE unit_id = $1 AND level <= 2`),
		"rectified":               count(`SELECT count(*) FROM rectifications WHERE unit_id = $1 AND state = 'closed'`),
		"invalid ratings":         count(`SELECT count(*) FROM ratings WHERE unit_id = $1 AND valid = FALSE`),
		"replied messages":        count(`SELECT count(*) FROM feedback WHERE unit_id = $1 AND reply_public = TRUE`),
		"complaint rectified":     count(`SELECT count(*) FROM rectifications WHERE unit_id = $1 AND source = 'complaint' AND state = 'closed'`),
		"observations":            count(`SELECT count(*) FROM observations WHERE unit_id = $1`),
		"observation photos":      count(`SELECT count(*) FROM observations WHERE unit_id = $1 AND photo_type = 'image/jpeg'`),
		"observations rectified":  count(`SELECT count(*) FROM rectifications WHERE unit_id = $1 AND source = 'observation' AND state = 'closed'`),
		"closed published rounds": count(`SELECT count(*) FROM appraisal_rounds WHERE unit_id = $1 AND state = 'closed' AND published = TRUE`),
		"npc answers": count(`SELECT count(*) FROM appraisal_answers a JOIN appraisal_invites i ON i.id = a.invite_id
			WHERE a.unit_id = $1 AND i.group_key = 'npc'`),
		"cppcc answers": count(`SELECT count(*) FROM appraisal_answers a JOIN appraisal_invites i ON i.id = a.invite_id
			WHERE a.unit_id = $1 AND i.group_key = 'cppcc'`),
		"unanswered invites": count(`SELECT count(*) FROM appraisal_invites WHERE unit_id = $1 AND answered_at IS NULL`),
	}
	t.Logf("demo counter work: %v", facts)
	minimum := map[string]int{"cases": 300, "completed": 200, "overdue": 3, "overdue, still open": 2, "referred": 3, "notices": 20,
		"breaches": 1, "spot checks": 4, "absences": 1, "whereabouts": 20, "decided": 3, "open records": 1,
		"ratings": 150, "bad ratings": 5, "rectified": 2, "invalid ratings": 1, "replied messages": 3,
		"complaint rectified": 1, "observations": 4, "observation photos": 1, "observations rectified": 1, "closed published rounds": 1,
		"npc answers": 20, "cppcc answers": 20, "unanswered invites": 5}
	for k, min := range minimum {
		if facts[k] < min {
			t.Errorf("demo has %d %s, want at least %d", facts[k], k, min)
		}
	}
	fiveComparisons(t, db, center.ID, now)
	// Every demo login is active and shares the one password hash, so a
	// single login with the demo password proves them all (argon2 is
	// slow on purpose, and slower still under the race detector).
	var hashes, active int
	db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT password_hash), COUNT(*) FROM users WHERE active = TRUE`).Scan(&hashes, &active)
	for _, l := range demo.Logins {
		var n int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1 AND active = TRUE`, l.Username).Scan(&n)
		if n != 1 {
			t.Errorf("login %s: no active account", l.Username)
		}
	}
	if _, _, err := accounts.NewStore(db).Login(ctx, demo.Logins[len(demo.Logins)-1].Username, demo.Password, "127.0.0.1", "test"); err != nil || hashes != 1 || active < len(demo.Logins) {
		t.Errorf("demo logins: %v; %d hashes among %d active accounts", err, hashes, active)
	}
	if breach, _, err := audit.Verify(ctx, db); breach != nil || err != nil {
		t.Errorf("audit trail: %+v %v", breach, err)
	}
}

// fiveComparisons: the last full quarter and this quarter so far hold
// activities, so that every month up to the last full one has points and
// every ranking of the last full quarter and of its year has a spread,
// with leaders and laggards.
func fiveComparisons(t *testing.T, db *database.DB, unitID int64, now time.Time) {
	ctx := context.Background()
	s := activities.NewStore(db)
	quarter := demo.LastFullQuarter(now.In(cst))
	for month := quarter; month.Before(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, cst)); month = month.AddDate(0, 1, 0) {
		var n int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM point_entries WHERE unit_id = $1 AND month = $2`, unitID, month.Format("2006-01")).Scan(&n)
		if n < 40 {
			t.Errorf("%s has %d point entries", month.Format("2006-01"), n)
		}
	}
	year, _ := period.Parse(quarter.Format("2006"), cst)
	for _, p := range []period.Period{period.QuarterOf(quarter, cst), year} {
		for _, dim := range append(activities.Dimensions, activities.Total) {
			r, err := s.Rank(ctx, unitID, p, dim)
			if err != nil {
				t.Fatal(err)
			}
			values, tiers := map[int]bool{}, map[string]int{}
			for _, x := range r.People {
				values[x.Points] = true
				tiers[x.Tier]++
			}
			// Innovation has few proposals: a spread, but no lagging tier
			// among the many with none.
			if len(values) < 3 || tiers[activities.TierLeading] == 0 || (dim != activities.Innovation && tiers[activities.TierLagging] == 0) {
				t.Errorf("%s %s: %d distinct points, tiers %v", p.Code, dim, len(values), tiers)
			}
		}
	}
	var pending, returned int
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_claims WHERE unit_id = $1 AND state = 'pending'`, unitID).Scan(&pending)
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_claims WHERE unit_id = $1 AND state = 'returned'`, unitID).Scan(&returned)
	if pending == 0 || returned == 0 {
		t.Errorf("claims: %d pending, %d returned", pending, returned)
	}
}
