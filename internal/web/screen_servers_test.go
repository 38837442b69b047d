package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"wuliang/internal/apikeys"
	"wuliang/internal/audit"
	"wuliang/internal/casetest"
	"wuliang/internal/org"
	"wuliang/internal/sitetest"
	"wuliang/internal/testdb"
)

// serveProcess runs `wuliang serve` on dsn and returns its address; it is
// stopped when the test ends.
func serveProcess(t *testing.T, dsn string) string {
	t.Helper()
	bin, err := sitetest.Command()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("serve did not stop within 15 s of SIGTERM (an open stream holding it?)")
			<-done
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "wuliang: listening on "); ok {
				addr <- a
			}
		}
	}()
	select {
	case a := <-addr:
		return a
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
		return ""
	}
}

// Two serve processes on one PostgreSQL database: a rating posted to one
// reaches a screen whose stream the other holds, through LISTEN/NOTIFY,
// within a second (go test ./internal/web -run TestScreenAcrossServers -v
// with WULIANG_TEST_POSTGRES set logs the latency of 100 ratings).
func TestScreenAcrossServers(t *testing.T) {
	dsn := sitetest.DemoTemplate.PostgresDSN(t)
	db := testdb.Open(t, dsn)
	center, err := org.NewStore(db).UnitByCode(context.Background(), "demo-center")
	if err != nil {
		t.Fatal(err)
	}
	token, _ := registerScreen(t, db, center.ID)
	person, err := org.NewStore(db).StaffByEmployeeNo(context.Background(), center.ID, "ZX0002")
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := apikeys.NewStore(db).Create(context.Background(), audit.Actor{Name: "test"}, center.ID,
		apikeys.Spec{Name: "评价器", Scopes: []string{apikeys.ScopeDevice}, WindowID: person.DepartmentID})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := casetest.Tokens(context.Background(), db, center.ID, person.ID, 200)
	if err != nil {
		t.Fatal(err)
	}
	a, b := serveProcess(t, dsn), serveProcess(t, dsn)
	stream := sitetest.OpenStream(t, b+"/s/"+token+"/events")
	stream.Next(t, 10*time.Second, "panels")
	post := func(level int) (int64, time.Time) {
		start := time.Now()
		token := tokens[0]
		tokens = tokens[1:]
		req, _ := http.NewRequest("POST", a+"/api/v1/ratings", strings.NewReader(fmt.Sprintf(`{"token":%q,"level":%d}`, token, level)))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var id int64
		if res.StatusCode != 201 {
			t.Fatalf("rating: %d %s", res.StatusCode, body)
		}
		fmt.Sscanf(strings.SplitN(string(body), `"id":`, 2)[1], "%d", &id)
		return id, start
	}
	// The other server listens once the stream subscribed; a first rating
	// tells when that is (it may come before, and be missed).
	ready := time.Now().Add(10 * time.Second)
	for {
		id, _ := post(5)
		got := false
		deadline := time.After(time.Second)
	wait:
		for {
			select {
			case e := <-stream.Events:
				if e.Name == "rating" && sitetest.RatingOf(t, e) == id {
					got = true
					break wait
				}
			case <-deadline:
				break wait
			}
		}
		if got {
			break
		}
		if time.Now().After(ready) {
			t.Fatal("the second server never heard the first's ratings")
		}
	}
	var took []time.Duration
	for i := range 100 {
		id, start := post(4 + i%2)
		e := stream.Next(t, time.Second, "rating")
		if got := sitetest.RatingOf(t, e); got != id {
			t.Fatalf("rating %d: event for %d", id, got)
		}
		took = append(took, e.At.Sub(start))
	}
	slices.Sort(took)
	t.Logf("rating posted to one server → event on a screen held by another, 100 ratings: median %v, p99 %v, max %v",
		percentile(took, .5), percentile(took, .99), took[len(took)-1])
}
