package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wuliang/internal/sitetest"
)

// countStream holds a stream open and counts its rating events.
func countStream(t *testing.T, ctx context.Context, url string, ratings *atomic.Int64, ready *sync.WaitGroup) {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		ready.Done()
		t.Errorf("stream: %v", err)
		return
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	first := true
	for sc.Scan() {
		switch line := sc.Text(); {
		case line == "event: panels" && first:
			first = false
			ready.Done()
		case line == "event: rating":
			ratings.Add(1)
		}
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// 200 screens on one server through a minute of ratings (about ten a
// second): every screen receives every rating, and the server's memory and
// goroutines stay flat. WULIANG_SCREEN_LOAD sets another duration.
func TestScreenManyClients(t *testing.T) {
	length := time.Minute
	if v := os.Getenv("WULIANG_SCREEN_LOAD"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatal(err)
		}
		length = d
	}
	s := sitetest.SQLite(t)
	center := s.Units["demo-center"]
	token, _ := registerScreen(t, s.DB, center.ID)
	const clients = 200
	http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = clients
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	counts := make([]atomic.Int64, clients)
	var ready, done sync.WaitGroup
	ready.Add(clients)
	for i := range clients {
		done.Go(func() { countStream(t, ctx, s.Srv.URL+"/s/"+token+"/events", &counts[i], &ready) })
	}
	ready.Wait()
	// Each rating proves its service with a case's token, as a device's do.
	perPerson := (50+int(length/(100*time.Millisecond)))/3 + 10
	device := s.DeviceKey("demo-center", "ZX0003")
	tokens := [][]string{s.Tokens("demo-center", "ZX0003", perPerson), s.Tokens("demo-center", "ZX0004", perPerson), s.Tokens("demo-center", "ZX0005", perPerson)}
	var posted, used atomic.Int64
	rate := func(i int) {
		n := int(used.Add(1) - 1)
		res := s.APIPost(device, "/api/v1/ratings", fmt.Sprintf(`{"token":%q,"level":%d}`, tokens[n%3][n/3], 3+i%3))
		if res.Status != 201 {
			t.Errorf("rating: %d %s", res.Status, res.Body)
			return
		}
		posted.Add(1)
	}
	// Warm up (templates, caches, connections), then measure.
	for i := range 50 {
		rate(i)
	}
	time.Sleep(time.Second)
	heapStart, goStart := heapInUse(), runtime.NumGoroutine()
	tick := time.NewTicker(100 * time.Millisecond)
	end := time.Now().Add(length)
	var heapMid uint64
	for i := 0; time.Now().Before(end); i++ {
		<-tick.C
		rate(i)
		if i == int(length/(200*time.Millisecond)) {
			heapMid = heapInUse()
		}
	}
	tick.Stop()
	// Every screen has every rating, within a few seconds.
	want := posted.Load()
	deadline := time.Now().Add(10 * time.Second)
	for {
		short := 0
		for i := range counts {
			if counts[i].Load() != want {
				short++
			}
		}
		if short == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d screens lack ratings (each should have %d, the first has %d)", short, clients, want, counts[0].Load())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Each screen's picture is built beside its stream, one at a time, and
	// the screens' minute ticks fall together here as they opened together:
	// a picture still being built when the ratings stop is given a moment
	// to finish. A goroutine that leaked never does.
	goEnd, settled := runtime.NumGoroutine(), time.Now()
	for settle := settled.Add(5 * time.Second); goEnd > goStart+20 && time.Now().Before(settle); goEnd = runtime.NumGoroutine() {
		time.Sleep(50 * time.Millisecond)
	}
	heapEnd, settling := heapInUse(), time.Since(settled)
	t.Logf("%d screens, %d ratings in %v: every screen got every rating; heap in use %d → %d → %d KB, goroutines %d → %d (after %v)",
		clients, want, length, heapStart>>10, heapMid>>10, heapEnd>>10, goStart, goEnd, settling.Round(time.Millisecond))
	if heapEnd > heapStart+16<<20 || heapEnd > heapMid+8<<20 {
		t.Errorf("the heap grew from %d KB to %d KB (%d KB at half time)", heapStart>>10, heapEnd>>10, heapMid>>10)
	}
	if goEnd > goStart+20 {
		t.Errorf("goroutines grew from %d to %d", goStart, goEnd)
	}
	if n := s.Stores.Events.Subscribers(); n != clients {
		t.Errorf("%d subscribers, want %d", n, clients)
	}
	cancel()
	done.Wait()
	for deadline := time.Now().Add(5 * time.Second); s.Stores.Events.Subscribers() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscriptions outlived their screens", s.Stores.Events.Subscribers())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
