package database

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notify sends each payload, in order, to every process listening on
// channel. On PostgreSQL it is one statement of pg_notify calls, delivered
// to the other servers on the same database when it commits; SQLite is
// one process's file, so there is nobody else to tell and it does nothing.
func (db *DB) Notify(ctx context.Context, channel string, payloads ...string) error {
	if db.Engine != Postgres || len(payloads) == 0 {
		return nil
	}
	// WITH ORDINALITY and the ORDER BY keep the calls in the payloads'
	// order, which is the order the listeners hear them in.
	_, err := db.write.ExecContext(ctx, `SELECT pg_notify($1, p.payload) FROM unnest($2::text[]) WITH ORDINALITY AS p(payload, n) ORDER BY p.n`,
		channel, payloads)
	if err != nil {
		return fmt.Errorf("database: notify %s (%d): %w", channel, len(payloads), err)
	}
	return nil
}

// Listen hands fn every payload sent on channel by any server of the
// database until ctx ends. It holds one connection of its own (LISTEN
// needs a session that is not returned to a pool) and opens a new one
// when that is lost. ready, if not nil, is called each time it listens.
// On SQLite it returns at once: Notify sends nothing there.
func (db *DB) Listen(ctx context.Context, channel string, ready func(), fn func(payload string)) {
	if db.Engine != Postgres {
		return
	}
	for wait := 100 * time.Millisecond; ctx.Err() == nil; wait = min(2*wait, 10*time.Second) {
		if db.listenOnce(ctx, channel, ready, fn) {
			wait = 100 * time.Millisecond // it listened: a loss later starts the back-off afresh
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// listenOnce listens on one connection until it fails or ctx ends, and
// says whether it got as far as listening.
func (db *DB) listenOnce(ctx context.Context, channel string, ready func(), fn func(string)) bool {
	conn, err := pgx.Connect(ctx, db.dsn)
	if err != nil {
		return false
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return false
	}
	if ready != nil {
		ready()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true
		}
		fn(n.Payload)
	}
}
