package sitetest

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Event is one Server-Sent Event as a hall screen receives it.
type Event struct {
	Name string
	Data string
	At   time.Time
}

// Stream holds a screen's event stream open and hands on its events.
type Stream struct {
	resp *http.Response
	// Events delivers the events in order; it is closed when the stream
	// ends (the server went away, or dropped the screen).
	Events chan Event
	cancel context.CancelFunc
}

// OpenStream opens a screen's /s/{token}/events; it is closed when the
// test ends.
func OpenStream(t testing.TB, url string) *Stream {
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
	s := &Stream{resp: resp, Events: make(chan Event, 65536), cancel: cancel}
	go s.read()
	t.Cleanup(s.Close)
	return s
}

func (s *Stream) read() {
	defer close(s.Events)
	sc := bufio.NewScanner(s.resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var e Event
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if e.Name != "" {
				e.At = time.Now()
				s.Events <- e
			}
			e = Event{}
		case strings.HasPrefix(line, "event: "):
			e.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			e.Data += strings.TrimPrefix(line, "data: ")
		}
	}
}

// Close ends the stream.
func (s *Stream) Close() {
	s.cancel()
	s.resp.Body.Close()
}

// Next waits for the next event named one of names, skipping the others.
func (s *Stream) Next(t testing.TB, wait time.Duration, names ...string) Event {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case e, open := <-s.Events:
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

// RatingOf reads a "rating" event's rating id.
func RatingOf(t testing.TB, e Event) int64 {
	t.Helper()
	var d struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(e.Data), &d); err != nil {
		t.Fatalf("rating event %q: %v", e.Data, err)
	}
	return d.ID
}
