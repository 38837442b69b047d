// Package events tells the open hall screens, at once, that a public fact
// changed: a rating was stored, a window's staff went away or came back, a
// notice was published. Within a process a Bus hands each event to every
// subscriber of its unit; with several servers on one PostgreSQL database
// it also sends the event through NOTIFY, and each server's listener hands
// on what the others sent, so a rating taken by one server reaches a screen
// held by another.
//
// An event says only what the public portal says; it is a nudge to look
// again, and carries no more than the screen shows.
package events

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"wuliang/internal/database"
)

// Kinds of event.
const (
	Rating = "rating" // a rating was stored: Ref is the rating, Data its window and level
	Status = "status" // someone of a window went away or came back
	Notice = "notice" // the office published or withdrew a hall notice
	Screen = "screen" // a screen was changed or revoked: Ref is the screen
	Facts  = "facts"  // anything else the screens show (honours, results): refresh the slow panels
)

// Event is one change in one unit.
type Event struct {
	Unit int64           `json:"unit"`
	Kind string          `json:"kind"`
	Ref  int64           `json:"ref,omitempty"`
	Data json.RawMessage `json:"data,omitempty"`
	At   time.Time       `json:"at"`
}

// channel is PostgreSQL's channel for the events of every unit.
const channel = "wuliang_events"

// Buffer is how many events a subscriber may fall behind before it is
// dropped (its stream ends and the screen reconnects for a fresh picture).
const Buffer = 1024

// Bus delivers events. The zero value is not usable; call New.
type Bus struct {
	db     *database.DB
	origin string
	log    *slog.Logger

	mu     sync.Mutex
	subs   map[int64]map[*Subscription]struct{}
	closed bool

	outbox  chan []byte
	ctx     context.Context
	stop    context.CancelFunc
	running sync.WaitGroup
	ready   chan struct{}
	// The listener starts with the first subscriber and the sender with
	// the first event, so a process that has neither holds no connection.
	listening, sending sync.Once
}

// wire is an event as sent between servers.
type wire struct {
	Origin string `json:"o"`
	Event
}

// New returns a bus on db. On PostgreSQL, once something subscribes, it
// listens for the other servers' events until Close.
func New(db *database.DB, log *slog.Logger) *Bus {
	var id [8]byte
	_, _ = rand.Read(id[:])
	ctx, stop := context.WithCancel(context.Background())
	b := &Bus{db: db, origin: hex.EncodeToString(id[:]), log: log, subs: map[int64]map[*Subscription]struct{}{},
		outbox: make(chan []byte, 4096), ctx: ctx, stop: stop, ready: make(chan struct{})}
	if db.Engine != database.Postgres {
		close(b.ready)
	}
	return b
}

// listen starts the listener, once; called with mu held and the bus open.
func (b *Bus) listen() {
	if b.db.Engine != database.Postgres {
		return
	}
	b.listening.Do(func() {
		var heard sync.Once
		b.running.Go(func() {
			b.db.Listen(b.ctx, channel, func() { heard.Do(func() { close(b.ready) }) }, b.received)
		})
	})
}

// Ready is closed once the bus hears the other servers (at once on
// SQLite); it starts listening if nothing has subscribed yet.
func (b *Bus) Ready() <-chan struct{} {
	b.mu.Lock()
	if !b.closed {
		b.listen()
	}
	b.mu.Unlock()
	return b.ready
}

// Publish hands e to this server's subscribers of its unit and sends it to
// the other servers. It never waits on a slow screen or on the database.
func (b *Bus) Publish(e Event) {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	b.deliver(e)
	if b.db.Engine != database.Postgres {
		return
	}
	payload, err := json.Marshal(wire{Origin: b.origin, Event: e})
	if err != nil || len(payload) > 7900 { // NOTIFY takes under 8000 bytes
		b.log.Warn("events: not sent to other servers", "kind", e.Kind, "err", err, "bytes", len(payload))
		return
	}
	b.mu.Lock()
	closed := b.closed
	if !closed {
		b.sending.Do(func() { b.running.Go(b.send) })
	}
	b.mu.Unlock()
	if closed {
		return
	}
	select {
	case b.outbox <- payload:
	default:
		b.log.Warn("events: outbox full, an event did not reach the other servers", "kind", e.Kind)
	}
}

// sendBatch bounds one statement of the sender: under a rating load the
// outbox fills faster than one NOTIFY per round trip could empty it.
const sendBatch = 256

// send writes the outbox to PostgreSQL in order, whatever has piled up
// since the last statement in one.
func (b *Bus) send() {
	ctx := b.ctx
	batch := make([]string, 0, sendBatch)
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-b.outbox:
			batch = append(batch[:0], string(p))
		more:
			for len(batch) < sendBatch {
				select {
				case p := <-b.outbox:
					batch = append(batch, string(p))
				default:
					break more
				}
			}
			if err := b.db.Notify(ctx, channel, batch...); err != nil && ctx.Err() == nil {
				b.log.Warn("events: notify", "err", err, "events", len(batch))
			}
		}
	}
}

// received hands on what another server sent.
func (b *Bus) received(payload string) {
	var w wire
	if err := json.Unmarshal([]byte(payload), &w); err != nil || w.Origin == b.origin {
		return
	}
	b.deliver(w.Event)
}

func (b *Bus) deliver(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs[e.Unit] {
		select {
		case s.c <- e:
		default:
			// Too far behind: end its stream rather than hold events for it
			// or block the others.
			b.drop(s)
		}
	}
}

// Subscription receives one unit's events until it is closed, or dropped
// for falling behind (C is then closed).
type Subscription struct {
	bus  *Bus
	unit int64
	c    chan Event
}

// C delivers the events.
func (s *Subscription) C() <-chan Event { return s.c }

// Subscribe starts receiving unit's events.
func (b *Bus) Subscribe(unit int64) *Subscription {
	s := &Subscription{bus: b, unit: unit, c: make(chan Event, Buffer)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(s.c)
		return s
	}
	if b.subs[unit] == nil {
		b.subs[unit] = map[*Subscription]struct{}{}
	}
	b.subs[unit][s] = struct{}{}
	b.listen()
	return s
}

// Close stops the subscription.
func (s *Subscription) Close() {
	s.bus.mu.Lock()
	defer s.bus.mu.Unlock()
	s.bus.drop(s)
}

// drop is called with mu held.
func (b *Bus) drop(s *Subscription) {
	if _, ok := b.subs[s.unit][s]; !ok {
		return
	}
	delete(b.subs[s.unit], s)
	if len(b.subs[s.unit]) == 0 {
		delete(b.subs, s.unit)
	}
	close(s.c)
}

// Subscribers counts the open subscriptions, for tests and health.
func (b *Bus) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, m := range b.subs {
		n += len(m)
	}
	return n
}

// Close ends every subscription (their streams end, so a server can shut
// down) and stops listening.
func (b *Bus) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		for _, m := range b.subs {
			for s := range m {
				b.drop(s)
			}
		}
	}
	b.mu.Unlock()
	b.stop()
	b.running.Wait()
}
