package events_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/events"
	"wuliang/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func receive(t *testing.T, s *events.Subscription, wait time.Duration) (events.Event, bool) {
	t.Helper()
	select {
	case e, open := <-s.C():
		return e, open
	case <-time.After(wait):
		return events.Event{}, false
	}
}

// An event reaches its unit's subscribers, of this server and (on
// PostgreSQL) of another on the same database, and nobody else's.
func TestBus(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		bus := events.New(db, quiet)
		defer bus.Close()
		mine, theirs := bus.Subscribe(1), bus.Subscribe(2)
		bus.Publish(events.Event{Unit: 1, Kind: events.Rating, Ref: 7})
		if e, ok := receive(t, mine, time.Second); !ok || e.Ref != 7 || e.At.IsZero() {
			t.Fatalf("own unit: %+v %v", e, ok)
		}
		if e, ok := receive(t, theirs, 100*time.Millisecond); ok {
			t.Fatalf("another unit heard %+v", e)
		}
		if db.Engine == database.Postgres {
			other := events.New(db, quiet)
			defer other.Close()
			far := other.Subscribe(1)
			<-other.Ready()
			bus.Publish(events.Event{Unit: 1, Kind: events.Notice})
			if e, ok := receive(t, far, 2*time.Second); !ok || e.Kind != events.Notice {
				t.Fatalf("the other server: %+v %v", e, ok)
			}
			if e, ok := receive(t, mine, time.Second); !ok || e.Kind != events.Notice {
				t.Fatalf("own server: %+v %v", e, ok)
			}
			if e, ok := receive(t, mine, 300*time.Millisecond); ok {
				t.Fatalf("own event heard twice (once back from PostgreSQL): %+v", e)
			}
			// A burst, as under a rating load, goes in batches and is heard
			// whole and in order (within a subscriber's buffer).
			burst := events.Buffer - 24
			for i := range burst {
				bus.Publish(events.Event{Unit: 1, Kind: events.Rating, Ref: int64(i)})
			}
			for i := range burst {
				e, ok := receive(t, far, 5*time.Second)
				if !ok || e.Ref != int64(i) {
					t.Fatalf("the other server's event %d of the burst: %+v %v", i, e, ok)
				}
				if e, ok := receive(t, mine, time.Second); !ok || e.Ref != int64(i) {
					t.Fatalf("own event %d of the burst: %+v %v", i, e, ok)
				}
			}
		}
		// A subscriber that stops reading is dropped, not waited for.
		slow := bus.Subscribe(1)
		for i := range events.Buffer + 1 {
			bus.Publish(events.Event{Unit: 1, Kind: events.Rating, Ref: int64(i)})
		}
		n := 0
		for range slow.C() {
			n++
		}
		if n != events.Buffer {
			t.Fatalf("the slow subscriber got %d before being dropped", n)
		}
		mine.Close()
		theirs.Close()
		bus.Close()
		if after := bus.Subscribe(1); after != nil {
			if _, open := <-after.C(); open {
				t.Fatal("subscribed to a closed bus")
			}
		}
	})
}
