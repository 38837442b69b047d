package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/hall"
)

// sseEvent is one Server-Sent Event as a screen receives it.
type sseEvent struct {
	Name string
	Data string
	At   time.Time
}

// sseStream holds a screen's stream open and hands on its events.
type sseStream struct {
	resp   *http.Response
	events chan sseEvent
	cancel context.CancelFunc
}

func openStream(t testing.TB, url string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("open stream: %v", err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body.Close()
		cancel()
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &sseStream{resp: resp, events: make(chan sseEvent, 4096), cancel: cancel}
	go s.read()
	t.Cleanup(s.close)
	return s
}

func (s *sseStream) read() {
	defer close(s.events)
	sc := bufio.NewScanner(s.resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var e sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if e.Name != "" {
				e.At = time.Now()
				s.events <- e
			}
			e = sseEvent{}
		case strings.HasPrefix(line, "event: "):
			e.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			e.Data += strings.TrimPrefix(line, "data: ")
		}
	}
}

func (s *sseStream) close() {
	s.cancel()
	s.resp.Body.Close()
}

// next waits for the next event named one of names, skipping the others.
func (s *sseStream) next(t testing.TB, wait time.Duration, names ...string) sseEvent {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case e, open := <-s.events:
			if !open {
				t.Fatalf("stream ended while waiting for %v", names)
			}
			if slices.Contains(names, e.Name) {
				return e
			}
		case <-deadline:
			t.Fatalf("no %v within %v", names, wait)
		}
	}
}

// ratingOf reads a "rating" event's rating id.
func ratingOf(t testing.TB, e sseEvent) int64 {
	var d struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(e.Data), &d); err != nil {
		t.Fatalf("rating event %q: %v", e.Data, err)
	}
	return d.ID
}

// registerScreen registers a landscape screen with every panel and
// returns its token.
func registerScreen(t testing.TB, db *database.DB, unitID int64) (string, hall.Screen) {
	t.Helper()
	token, sc, err := hall.NewStore(db).Register(context.Background(), audit.Actor{Name: "test"}, unitID,
		hall.ScreenInput{Name: "大厅主屏", Layout: hall.Landscape, Panels: hall.Panels, Interval: "15"})
	if err != nil {
		t.Fatal(err)
	}
	return token, sc
}

// percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// panelsHTML joins a "panels" event's HTML, decoded, panel by panel.
func panelsHTML(t testing.TB, e sseEvent) string {
	t.Helper()
	var d struct {
		At     string            `json:"at"`
		Panels map[string]string `json:"panels"`
	}
	if err := json.Unmarshal([]byte(e.Data), &d); err != nil || len(d.Panels) == 0 {
		t.Fatalf("panels event %.200q: %v", e.Data, err)
	}
	var b strings.Builder
	for _, name := range hall.Panels {
		b.WriteString(d.Panels[name])
	}
	return b.String()
}
