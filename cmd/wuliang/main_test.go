package main_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/cases"
	"wuliang/internal/casetest"
	"wuliang/internal/database"
	"wuliang/internal/hall"
	"wuliang/internal/items"
	"wuliang/internal/orgtest"
	"wuliang/internal/sitetest"
	"wuliang/internal/testdb"
	"wuliang/internal/todo"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// wuliangBinary builds the command once for all tests of this package.
func wuliangBinary(t *testing.T) string {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wuliang-bin")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "wuliang")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = err
			t.Log(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return binary
}

type server struct {
	cmd    *exec.Cmd
	URL    string
	stdout strings.Builder
}

// start runs "wuliang serve" on a free port and waits until it listens.
func start(t *testing.T, dir string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(wuliangBinary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Dir = dir
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			s.stdout.WriteString(line + "\n")
			if m := listening.FindStringSubmatch(line); m != nil {
				ready <- m[1]
			}
		}
		close(ready)
	}()
	select {
	case u, ok := <-ready:
		if !ok {
			t.Fatalf("server exited before listening:\n%s", s.stdout.String())
		}
		s.URL = u
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start:\n%s", s.stdout.String())
	}
	return s
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// login signs in through the form, as a browser does.
func login(t *testing.T, base, username, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get(t, c, base+"/login")
	u, _ := url.Parse(base)
	var csrf string
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "wl_csrf" {
			csrf = ck.Value
		}
	}
	res, err := c.PostForm(base+"/login", url.Values{"username": {username}, "password": {password}, "csrf_token": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/" {
		t.Fatalf("login as %s ended on %s", username, res.Request.URL)
	}
	return c
}

// The README's run command on a fresh machine: the demo loads, the printed
// login works, a backup can be taken while it runs, and it stops cleanly.
func TestServeDemoOnFreshSQLite(t *testing.T) {
	testdb.OnSQLite(t)
	dir := t.TempDir()
	s := start(t, dir, "--demo")
	out := s.stdout.String()
	m := regexp.MustCompile(`(?m)^\s+(center-admin)\s`).FindStringSubmatch(out)
	pw := regexp.MustCompile(`password (\S+)\)`).FindStringSubmatch(out)
	if m == nil || pw == nil {
		t.Fatalf("no demo login printed:\n%s", out)
	}
	if code, body := get(t, http.DefaultClient, s.URL+"/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Fatalf("healthz: %d %q", code, body)
	}
	c := login(t, s.URL, m[1], pw[1])
	if code, body := get(t, c, s.URL+"/staff"); code != 200 || !strings.Contains(body, "李祥生") {
		t.Fatalf("staff list: %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "wuliang.db")); err != nil {
		t.Fatalf("default database file: %v", err)
	}

	backup := exec.Command(wuliangBinary(t), "backup", "--db", "sqlite:wuliang.db", "copy.db")
	backup.Dir = dir
	if out, err := backup.CombinedOutput(); err != nil {
		t.Fatalf("backup while serving: %v %s", err, out)
	}
	verify := exec.Command(wuliangBinary(t), "audit", "verify", "--db", "sqlite:copy.db")
	verify.Dir = dir
	if out, err := verify.CombinedOutput(); err != nil || !strings.Contains(string(out), "intact") {
		t.Fatalf("the backup's audit trail: %v %s", err, out)
	}

	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("stop: %v", err)
	}
}

// Two instances started at the same moment on one empty PostgreSQL database
// both come up; the schema and the demo are created once.
func TestTwoInstancesOnOneEmptyPostgres(t *testing.T) {
	dsn := testdb.PostgresDSN(t)
	wuliangBinary(t)
	var wg sync.WaitGroup
	servers := make([]*server, 2)
	for i := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			servers[i] = start(t, t.TempDir(), "--demo", "--db", dsn)
		}()
	}
	wg.Wait()
	for i, s := range servers {
		if s == nil {
			t.Fatalf("instance %d did not start", i)
		}
		if code, _ := get(t, http.DefaultClient, s.URL+"/healthz"); code != 200 {
			t.Fatalf("instance %d healthz %d", i, code)
		}
	}
	// A login made on one instance is valid on the other: sessions live in
	// the database.
	c := login(t, servers[0].URL, "center-admin", "demo1234")
	u0, _ := url.Parse(servers[0].URL)
	u1, _ := url.Parse(servers[1].URL)
	c.Jar.SetCookies(u1, c.Jar.Cookies(u0))
	if code, body := get(t, c, servers[1].URL+"/staff?q=ZX"); code != 200 || !strings.Contains(body, "共 54 人") {
		t.Fatalf("the other instance: %d (demo loaded twice or session not shared)", code)
	}
}

// Two servers on one PostgreSQL database run the overdue job as they start:
// every case past its deadline is marked once, with one timeline entry and
// one accountability record.
func TestOverdueJobWithTwoServers(t *testing.T) {
	dsn := testdb.PostgresDSN(t)
	db := testdb.Open(t, dsn)
	ctx := context.Background()
	u := orgtest.New(t, db, "unit-a")
	item, err := items.NewStore(db).Create(ctx, orgtest.Actor, u.ID, items.Input{Name: "个体工商户设立登记", TimeLimitDays: 1, DepartmentID: u.Window,
		HandlingUnit: "县市场监管局", Materials: []items.Material{{Name: "身份证", Form: "original", Copies: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	past := cases.NewStore(db).WithClock(func() time.Time { return time.Now().AddDate(0, 0, -10) })
	const n = 20
	for range n {
		c, err := past.Register(ctx, orgtest.Actor, cases.Machine, u.ID, cases.Registration{FirstContactID: u.Staff[0], ItemID: item,
			RecipientName: "刘备", RecipientPhone: "13900001234", Channel: "counter"})
		if err != nil {
			t.Fatal(err)
		}
		if err := past.Accept(ctx, orgtest.Actor, cases.Machine, u.ID, c.ID, cases.Acceptance{}); err != nil {
			t.Fatal(err)
		}
	}
	wuliangBinary(t)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start(t, t.TempDir(), "--db", dsn)
		}()
	}
	wg.Wait()
	count := func(q string) int {
		var k int
		if err := db.QueryRowContext(ctx, q, u.ID).Scan(&k); err != nil {
			t.Fatal(err)
		}
		return k
	}
	deadline := time.Now().Add(30 * time.Second)
	for count(`SELECT count(*) FROM cases WHERE unit_id = $1 AND overdue_at IS NOT NULL`) < n && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // let the slower server finish its pass
	events := count(`SELECT count(*) FROM case_events WHERE unit_id = $1 AND action = 'overdue'`)
	records := count(`SELECT count(*) FROM accountability WHERE unit_id = $1 AND rule = 'overdue'`)
	marked := count(`SELECT count(*) FROM cases WHERE unit_id = $1 AND overdue_at IS NOT NULL`)
	if marked != n || events != n || records != n {
		t.Fatalf("%d cases marked, %d timeline entries, %d records; want %d each", marked, events, records, n)
	}
}

// The server is killed (SIGKILL) in the middle of a load of ratings; after
// a restart, every rating that was answered 201 is in the database.
func TestRatingsSurviveKill(t *testing.T) {
	testdb.OnSQLite(t)
	dir := t.TempDir()
	s := start(t, dir, "--demo")
	db := testdb.Open(t, "sqlite:"+filepath.Join(dir, "wuliang.db"))
	rater := rateUnderLoad(t, dir, db, s.URL)
	time.Sleep(1500 * time.Millisecond)
	s.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
	s.cmd.Wait()
	acked := rater.stop()
	if len(acked) < 100 {
		t.Fatalf("only %d ratings acknowledged before the kill", len(acked))
	}
	db.Close()
	after := start(t, dir)
	db = testdb.Open(t, "sqlite:"+filepath.Join(dir, "wuliang.db"))
	missing := missingOf(t, db, acked)
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged ratings lost", missing, len(acked))
	}
	if code, _ := get(t, http.DefaultClient, after.URL+"/healthz"); code != 200 {
		t.Fatalf("restart: %d", code)
	}
	t.Logf("%d ratings acknowledged before SIGKILL, all stored", len(acked))
}

// rating load is 32 rating devices' clients posting a case's token each,
// from the demo centre's first window, until stopped or out of tokens.
type ratingLoad struct {
	keepGoing bool         // set before the load: a refused connection is retried, not the end
	refused   atomic.Int64 // connections refused while a server was down
	mu        sync.Mutex
	acked     []int64 // the ids of the ratings answered 201
	log       []ack   // the same, with the server that answered and when
	halt      chan struct{}
	wg        sync.WaitGroup
}

// ack is one rating answered 201.
type ack struct {
	id  int64
	via string // the server's URL
	at  time.Time
}

// answered is a copy of the acknowledgements so far.
func (l *ratingLoad) answered() []ack {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ack(nil), l.log...)
}

// acknowledged is a copy of what was answered 201 so far.
func (l *ratingLoad) acknowledged() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]int64(nil), l.acked...)
}

// stop ends the load and returns every acknowledged rating's id.
func (l *ratingLoad) stop() []int64 {
	close(l.halt)
	l.wg.Wait()
	return l.acknowledged()
}

func rateUnderLoad(t *testing.T, dir string, db *database.DB, base string) *ratingLoad {
	return rateOn(t, dir, "sqlite:wuliang.db", db, func(int) string { return base }, false)
}

// rateOn is rateUnderLoad on the database dsn, client i posting to
// target(i), asked again before each rating; with keepGoing a client whose
// server is down tries again rather than stopping.
func rateOn(t *testing.T, dir, dsn string, db *database.DB, target func(client int) string, keepGoing bool) *ratingLoad {
	t.Helper()
	var unit, staff int64
	var window string
	db.QueryRowContext(context.Background(), `SELECT u.id, s.id, d.name FROM staff s JOIN units u ON u.id = s.unit_id JOIN departments d ON d.id = s.department_id
		WHERE u.code = 'demo-center' ORDER BY s.id LIMIT 1`).Scan(&unit, &staff, &window)
	keyCmd := exec.Command(wuliangBinary(t), "apikey", "create", "--db", dsn, "--unit", "demo-center", "--name", "评价器",
		"--scopes", "ratings-device", "--window", window)
	keyCmd.Dir = dir
	out, err := keyCmd.Output()
	if err != nil {
		t.Fatalf("apikey: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	key := strings.TrimSpace(lines[len(lines)-1])
	// Every rating proves its case, as a device's do.
	tokens, err := casetest.Tokens(context.Background(), db, unit, staff, 40000)
	if err != nil {
		t.Fatal(err)
	}
	l := &ratingLoad{halt: make(chan struct{}), keepGoing: keepGoing}
	var next atomic.Int64
	for client := range 32 {
		l.wg.Go(func() {
			for {
				select {
				case <-l.halt:
					return
				default:
				}
				i := next.Add(1) - 1
				if i >= int64(len(tokens)) {
					return
				}
				base := target(client)
				req, _ := http.NewRequest("POST", base+"/api/v1/ratings", strings.NewReader(fmt.Sprintf(`{"token": %q, "level": 5}`, tokens[i])))
				req.Header.Set("Authorization", "Bearer "+key)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					if l.keepGoing {
						l.refused.Add(1)
						time.Sleep(20 * time.Millisecond)
						continue // its server is down; the device tries again
					}
					return // the server is gone
				}
				var r struct{ ID int64 }
				json.NewDecoder(res.Body).Decode(&r)
				res.Body.Close()
				if res.StatusCode == http.StatusCreated {
					l.mu.Lock()
					l.acked = append(l.acked, r.ID)
					l.log = append(l.log, ack{id: r.ID, via: base, at: time.Now()})
					l.mu.Unlock()
				}
			}
		})
	}
	return l
}

// The backup drill: a backup taken while rating devices post, restored
// as the only copy, passes audit verify, holds every rating acknowledged
// before it began, and serves.
func TestBackupUnderLoad(t *testing.T) {
	testdb.OnSQLite(t)
	dir := t.TempDir()
	s := start(t, dir, "--demo")
	db := testdb.Open(t, "sqlite:"+filepath.Join(dir, "wuliang.db"))
	rater := rateUnderLoad(t, dir, db, s.URL)
	time.Sleep(700 * time.Millisecond)
	before := rater.acknowledged()
	backup := exec.Command(wuliangBinary(t), "backup", "--db", "sqlite:wuliang.db", "restored.db")
	backup.Dir = dir
	if out, err := backup.CombinedOutput(); err != nil {
		t.Fatalf("backup under load: %v %s", err, out)
	}
	time.Sleep(300 * time.Millisecond)
	all := rater.stop()
	if len(before) < 50 || len(all) <= len(before) {
		t.Fatalf("the load: %d ratings before the backup, %d in all", len(before), len(all))
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	db.Close()
	verify := exec.Command(wuliangBinary(t), "audit", "verify", "--db", "sqlite:restored.db")
	verify.Dir = dir
	if out, err := verify.CombinedOutput(); err != nil || !strings.Contains(string(out), "intact") {
		t.Fatalf("audit verify on the restored copy: %v %s", err, out)
	}
	restored := testdb.Open(t, "sqlite:"+filepath.Join(dir, "restored.db"))
	missing := missingOf(t, restored, before)
	if missing > 0 {
		t.Fatalf("%d of the %d ratings acknowledged before the backup are not in it", missing, len(before))
	}
	restored.Close()
	served := start(t, dir, "--db", "sqlite:restored.db")
	if code, _ := get(t, http.DefaultClient, served.URL+"/healthz"); code != 200 {
		t.Fatalf("serving the restored copy: %d", code)
	}
	t.Logf("%d ratings acknowledged before the backup, %d in all; the copy verifies, holds them and serves", len(before), len(all))
}

// The three-instance drill: three serve processes on one PostgreSQL under
// rating load; one is killed with SIGKILL and started again. No rating
// answered 201 is lost, the hall screens' events continue (on a surviving
// server's screen, and on the killed one's once it reconnects), a session
// opened on one server is good on the others and on the restarted one, and
// each late case is marked overdue once however many servers ran the job.
// Each unit's daily summary goes out once, though every server's job and
// the restarted one's try to send it.
func TestThreeServersAndAKill(t *testing.T) {
	dsn := testdb.PostgresDSN(t) // skips without PostgreSQL
	dir := t.TempDir()
	first := start(t, dir, "--db", dsn, "--demo")
	db := testdb.Open(t, dsn)
	summariesDue(t, db)
	servers := []*server{first, start(t, dir, "--db", dsn), start(t, dir, "--db", dsn)}
	var mu sync.Mutex
	urls := []string{servers[0].URL, servers[1].URL, servers[2].URL}
	target := func(client int) string {
		mu.Lock()
		defer mu.Unlock()
		return urls[client%3]
	}
	office := login(t, servers[0].URL, "center-admin", "demo1234")
	// The hall screen: one held by a server that survives, one by the
	// server that will be killed.
	var centre int64
	db.QueryRowContext(context.Background(), `SELECT id FROM units WHERE code = 'demo-center'`).Scan(&centre)
	token, _, err := hall.NewStore(db).Register(context.Background(), audit.Actor{Name: "test"}, centre,
		hall.ScreenInput{Name: "大厅主屏", Layout: hall.Landscape, Panels: hall.Panels, Interval: "15"})
	if err != nil {
		t.Fatal(err)
	}
	survivor := sitetest.OpenStream(t, servers[2].URL+"/s/"+token+"/events")
	victim := sitetest.OpenStream(t, servers[1].URL+"/s/"+token+"/events")
	survivor.Next(t, 10*time.Second, "panels")
	victim.Next(t, 10*time.Second, "panels")
	rater := rateOn(t, dir, dsn, db, target, true)
	time.Sleep(1500 * time.Millisecond)
	servers[1].cmd.Process.Kill() // SIGKILL: no shutdown, no flush
	servers[1].cmd.Wait()
	killed := time.Now()
	killedAt := len(rater.acknowledged())
	time.Sleep(500 * time.Millisecond)
	restarted := start(t, dir, "--db", dsn)
	mu.Lock()
	urls[1] = restarted.URL
	mu.Unlock()
	// The killed server's screen lost its stream and reconnects, here to
	// the restarted server (a real screen retries after 3 s).
	for range victim.Events {
	}
	reconnected := sitetest.OpenStream(t, restarted.URL+"/s/"+token+"/events")
	reconnected.Next(t, 10*time.Second, "panels")
	time.Sleep(1500 * time.Millisecond)
	acked := rater.stop()
	lost := missingOf(t, db, acked)
	stored := len(acked) - lost
	t.Logf("three servers, one killed after %d ratings: acknowledged %d, stored %d, lost %d (%d posts refused while it was down)",
		killedAt, len(acked), stored, lost, rater.refused.Load())
	fmt.Printf("three-instance drill: acknowledged %d, stored %d, lost %d\n", len(acked), stored, lost)
	if lost > 0 || len(acked) < 100 {
		t.Fatalf("%d of %d acknowledged ratings lost", lost, len(acked))
	}
	screenThroughTheKill(t, rater.answered(), killed, servers[1].URL, restarted.URL, survivor, reconnected)
	// The office's session, opened on the first server, on the others.
	jar := office.Jar
	for _, base := range []string{servers[2].URL, restarted.URL} {
		u, _ := url.Parse(servers[0].URL)
		v, _ := url.Parse(base)
		jar.SetCookies(v, jar.Cookies(u))
		if code, body := get(t, office, base+"/ratings"); code != 200 || !strings.Contains(body, "好差评") {
			t.Fatalf("the session on %s: %d", base, code)
		}
	}
	// The jobs every server runs did their work once: each late case was
	// marked overdue once, each unit's daily summary went out once.
	var twice, marked, units, days, summaries, doubled int
	ctx := context.Background()
	db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT case_id FROM case_events WHERE action = 'overdue' GROUP BY case_id HAVING count(*) > 1) d`).Scan(&twice)
	db.QueryRowContext(ctx, `SELECT count(*) FROM case_events WHERE action = 'overdue'`).Scan(&marked)
	if twice > 0 || marked == 0 {
		t.Fatalf("overdue marks: %d cases marked twice, %d marks", twice, marked)
	}
	db.QueryRowContext(ctx, `SELECT count(*) FROM units`).Scan(&units)
	db.QueryRowContext(ctx, `SELECT count(*) FROM todo_reminders`).Scan(&days)
	db.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE link = $1`, todo.SummaryLink).Scan(&summaries)
	db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT user_id FROM notifications WHERE link = $1 GROUP BY user_id HAVING count(*) > 1) d`, todo.SummaryLink).Scan(&doubled)
	if days != units || summaries == 0 || doubled > 0 {
		t.Fatalf("daily summaries: %d unit-days sent for %d units, %d summaries, %d people with more than one", days, units, summaries, doubled)
	}
	t.Logf("%d overdue marks, none twice; the daily summary sent once for each of %d units (%d people, none twice)", marked, units, summaries)
}

// summariesDue moves every unit to a zone where it is now midday, so the
// daily summary (due from todo.SummaryHour) is due on every server that
// starts, whatever the hour the drill runs at. The zone is written directly:
// no page edits a unit's zone, and this is the drill's setting, not a fact.
func summariesDue(t *testing.T, db *database.DB) {
	t.Helper()
	offset := (12 - time.Now().UTC().Hour() + 24) % 24
	if offset > 12 {
		offset -= 24
	}
	zone := "Etc/UTC"
	switch {
	case offset > 0:
		zone = fmt.Sprintf("Etc/GMT-%d", offset) // POSIX signs: GMT-8 is UTC+8
	case offset < 0:
		zone = fmt.Sprintf("Etc/GMT+%d", -offset)
	}
	if _, err := db.ExecContext(context.Background(), `UPDATE units SET timezone = $1`, zone); err != nil {
		t.Fatal(err)
	}
}

// screenThroughTheKill checks the hall screens of the three-instance drill:
// the screen held by a surviving server heard every rating the living
// servers acknowledged after the kill, and the screen that reconnected to
// the restarted server hears the ratings of all three. An event is a nudge
// sent after the commit, so a killed server's last ones may be lost; they
// are counted, not required (the next picture holds their figures).
func screenThroughTheKill(t *testing.T, answered []ack, killed time.Time, victim, restarted string, survivor, reconnected *sitetest.Stream) {
	t.Helper()
	heard := func(s *sitetest.Stream) map[int64]bool {
		ids := map[int64]bool{}
		quiet := time.After(3 * time.Second) // the last events are on their way
		for {
			select {
			case e, open := <-s.Events:
				if !open {
					t.Fatal("a screen's stream ended on a server that was not killed")
				}
				if e.Name == "rating" {
					ids[sitetest.RatingOf(t, e)] = true
				}
			case <-quiet:
				return ids
			}
		}
	}
	onSurvivor, onReconnected := heard(survivor), heard(reconnected)
	var after, missed, fromVictim, victimHeard int
	via := map[string]int{}
	for _, a := range answered {
		if a.via == victim {
			fromVictim++
			if onSurvivor[a.id] {
				victimHeard++
			}
			continue
		}
		if onReconnected[a.id] {
			via[a.via]++
		}
		if a.at.After(killed) {
			after++
			if !onSurvivor[a.id] {
				missed++
			}
		}
	}
	t.Logf("hall screens: the surviving server's screen heard %d of the %d ratings acknowledged after the kill and %d of the killed server's %d; the reconnected screen heard %d ratings, by server %v",
		after-missed, after, victimHeard, fromVictim, len(onReconnected), via)
	if after == 0 || missed > 0 {
		t.Fatalf("the surviving screen missed %d of %d ratings acknowledged after the kill", missed, after)
	}
	if len(via) < 3 || via[restarted] == 0 {
		t.Fatalf("the reconnected screen heard ratings from %d servers (%v), not all three", len(via), via)
	}
}

// missingOf counts the ratings of ids that db does not hold.
func missingOf(t *testing.T, db *database.DB, ids []int64) int {
	t.Helper()
	missing := 0
	for _, id := range ids {
		var n int
		if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM ratings WHERE id = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		missing += 1 - n
	}
	return missing
}
