package database

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// statements keeps SQLite's prepared statements by their text. modernc's
// driver parses a statement again on every call, and the same few hundred
// statements run over and over: parsing was half of the time of a demo
// load. PostgreSQL's driver (pgx) keeps its own per connection, so only
// SQLite uses this.
type statements struct {
	pool    *sql.DB
	mu      sync.RWMutex
	byQ     map[string]*sql.Stmt
	pending map[string]bool // seen inside a transaction, not prepared yet
}

func newStatements(pool *sql.DB) *statements {
	return &statements{pool: pool, byQ: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// maxStatements bounds the cache; a query built from filters has a few
// shapes, but nothing stops a caller from making many.
const maxStatements = 1024

// get returns the prepared statement of query, preparing it the first
// time, or nil for what is not worth keeping (or could not be prepared):
// the caller then runs the text as it is.
func (c *statements) get(ctx context.Context, query string) *sql.Stmt {
	st, known := c.lookup(query)
	if st != nil || !known {
		return st
	}
	// Prepare without holding the lock: on the writer's pool it waits for
	// the one connection, whose transaction may be asking for another
	// statement meanwhile.
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil // the plain call reports the error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if first := c.byQ[query]; first != nil || c.byQ == nil {
		st.Close() // prepared twice at once, or the database is closing
		return first
	}
	c.byQ[query] = st
	return st
}

// lookup returns the statement when it is prepared; known is whether the
// text should be (it is cacheable and there is room).
func (c *statements) lookup(query string) (st *sql.Stmt, known bool) {
	if c == nil || !cacheable(query) {
		return nil, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if st = c.byQ[query]; st != nil {
		return st, true
	}
	return nil, len(c.byQ) < maxStatements
}

// inTx returns the statement if it is prepared. If not, it notes the text
// to prepare once the transaction has released the writer's one
// connection: preparing on that pool now would wait for it forever.
func (c *statements) inTx(query string) *sql.Stmt {
	st, known := c.lookup(query)
	if st == nil && known {
		c.mu.Lock()
		if len(c.pending) < maxStatements {
			c.pending[query] = true
		}
		c.mu.Unlock()
	}
	return st
}

// preparePending prepares what transactions noted, outside them.
func (c *statements) preparePending(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	var todo []string
	for q := range c.pending {
		todo = append(todo, q)
	}
	clear(c.pending)
	c.mu.Unlock()
	for _, q := range todo {
		c.get(ctx, q)
	}
}

func (c *statements) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.byQ {
		st.Close()
	}
	c.byQ = nil
}

// cacheable: one data statement. Schema changes and pragmas run once, and
// a text of several statements would be cut to its first when prepared.
func cacheable(query string) bool {
	q := strings.TrimSpace(query)
	if strings.Contains(strings.TrimSuffix(q, ";"), ";") || len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:6]) {
	case "SELECT", "INSERT", "UPDATE", "DELETE":
		return true
	}
	return false
}

// QueryContext runs a read on the read pool, prepared once per text.
func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := db.reads.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a read of one row on the read pool, prepared once
// per text.
func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := db.reads.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.DB.QueryRowContext(ctx, query, args...)
}

// The statements of a write transaction run on the writer's connection,
// where the writer's cache has them prepared already.

// QueryContext runs query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.writes.inTx(query); st != nil {
		return tx.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query for one row in the transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.writes.inTx(query); st != nil {
		return tx.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// ExecContext runs a statement in the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.writes.inTx(query); st != nil {
		return tx.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}
