package ratings

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/rectification"
)

// writer stores ratings in groups: it takes every job waiting, writes them
// in one transaction with one audit batch, commits (durably, as the
// database is set up: synchronous=FULL on SQLite), and only then answers
// each. A burst of a thousand ratings costs a few commits, not a thousand.
type writer struct {
	db      *database.DB
	now     func() time.Time
	jobs    chan *job
	guarded chan *job // ratings without a case from the public: counted against the limits
	mu      sync.RWMutex
	closed  bool // held under mu: no job is queued after the channels close
	running sync.WaitGroup
	stored  func(unitID int64, r Rating)
	expired func(ctx context.Context, unitID int64, state string, updated time.Time, completed sql.NullTime) bool
}

// ErrClosed is the answer to a rating handed in after the store was
// closed, while its server shuts down.
var ErrClosed = errors.New("ratings: the writer is closed")

// maxGroup bounds one transaction.
const maxGroup = 512

// gatherFor is how long a writer that finds a few jobs already waiting
// (a load, not one person at a counter) waits for more before it begins,
// and gatherUpTo is how many waiting are enough not to. A commit costs the
// same few pages and one wait for the disk whether it carries ten ratings
// or a hundred: on SQLite, under 256 clients, groups grew from about 30 to
// 60 and the rate by about a tenth (cmd/ratingload). A lone rating never
// waits. PostgreSQL's commit_delay with commit_siblings is the same idea.
const (
	gatherFor  = time.Millisecond
	gatherUpTo = 64
)

// writersOn is how many groups are written at once. SQLite has one writer
// connection, so one. PostgreSQL writes two: while one group commits (the
// audit head is held from its last statements to the commit, so commits
// go in turn anyway) the next resolves its tokens and inserts. More were
// slower when measured (cmd/ratingload, 256 clients: 8 writers about 3,300
// ratings/s, 2 about 4,000): smaller groups, more commits, and more
// transactions waiting on the same head and the same units' rows that
// every rating's foreign keys lock.
func writersOn(e database.Engine) int {
	if e == database.Postgres {
		return 2
	}
	return 1
}

func startWriter(db *database.DB, now func() time.Time, stored func(unitID int64, r Rating),
	expired func(ctx context.Context, unitID int64, state string, updated time.Time, completed sql.NullTime) bool) *writer {
	w := &writer{db: db, now: now, jobs: make(chan *job, 4*maxGroup), guarded: make(chan *job, maxGroup), stored: stored, expired: expired}
	for range writersOn(db.Engine) {
		w.running.Go(func() { w.run(w.jobs) })
	}
	// One writer counts the limits, and on PostgreSQL it holds a lock that
	// the guarded writers of other servers wait for: counts and inserts of
	// unverified ratings never interleave.
	w.running.Go(func() { w.run(w.guarded) })
	return w
}

// send queues a job, unless the writer is closed.
func (w *writer) send(ctx context.Context, j *job) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return ErrClosed
	}
	select {
	case w.queue(j) <- j:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops taking jobs, lets the goroutines store every job queued,
// and returns when they have ended.
func (w *writer) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.jobs)
		close(w.guarded)
	}
	w.mu.Unlock()
	w.running.Wait()
}

// queue is where a job goes.
func (w *writer) queue(j *job) chan *job {
	if limited(j) {
		return w.guarded
	}
	return w.jobs
}

// limited: every rating without a case, a device's too, is counted against
// the limits, by one writer at a time.
func limited(j *job) bool { return !j.verified }

func (w *writer) run(jobs chan *job) {
	for first := range jobs {
		group := []*job{first}
		if n := len(jobs); n > 0 && n < gatherUpTo {
			time.Sleep(gatherFor)
		}
	more:
		for len(group) < maxGroup {
			select {
			case j, open := <-jobs:
				if !open {
					break more
				}
				group = append(group, j)
			default:
				break more
			}
		}
		w.commit(group)
	}
}

// commit writes a group; a job refused by the rules gets its own error,
// and a failed commit fails every job of the group, none acknowledged.
func (w *writer) commit(group []*job) {
	results := make([]result, len(group))
	err := w.db.Tx(context.Background(), func(tx *database.Tx) error {
		now := w.now()
		// One prepared statement for the ratings of a group written one by
		// one: parsing the SQL once, not per rating, is most of what a
		// group saves on SQLite. Prepared when first needed: a group of
		// tokens is written in multi-row statements, and on PostgreSQL a
		// prepare and its close are two round trips.
		var insert *sql.Stmt
		defer func() {
			if insert != nil {
				insert.Close()
			}
		}()
		if limited(group[0]) {
			if err := w.db.Lock(context.Background(), tx, database.LockUnverifiedRatings); err != nil {
				return err
			}
		}
		refused, err := w.resolveTokens(tx, group)
		if err != nil {
			return err
		}
		stored, err := w.insertCases(tx, group, now)
		if err != nil {
			return err
		}
		var entries []audit.Entry
		for i, j := range group {
			results[i] = result{}
			if err, ok := refused[i]; ok {
				results[i].err = err
				continue
			}
			var burst []int64
			if limited(j) {
				if err := w.withinLimits(tx, j, now); err != nil {
					results[i].err = err
					continue
				}
				if burst, err = w.holdBurst(tx, j, now); err != nil {
					return err
				}
			}
			var r Rating
			if id, batched := stored[i]; batched {
				r, err = newRating(j, now), nil
				if r.ID = id; id == 0 {
					err = ErrTokenUsed
				}
			} else {
				if insert == nil {
					if insert, err = tx.PrepareContext(context.Background(), insertSQL); err != nil {
						return fmt.Errorf("ratings: prepare: %w", err)
					}
				}
				r, err = w.insert(insert, j, now)
			}
			if err != nil {
				if !errors.Is(err, ErrTokenUsed) {
					return err
				}
				results[i].err = err
				continue
			}
			results[i].rating = r
			entries = append(entries, audit.Entry{UnitID: j.unitID, Action: "create", Entity: "rating", EntityID: r.ID,
				After: map[string]any{"rating": r, "source": j.source}})
			for _, id := range burst {
				entries = append(entries, audit.Entry{UnitID: j.unitID, Action: "hold", Entity: "rating", EntityID: id,
					After: map[string]any{"held": HoldHeld, "valid": false, "burst_with": r.ID}})
			}
			if Bad(j.level) && !j.followup && !j.held {
				xid, err := rectification.OpenForRating(context.Background(), tx, rectification.BadRating{UnitID: j.unitID, RatingID: r.ID,
					StaffID: j.staffID, DepartmentID: j.deptID, Anonymous: !j.verified, Due: j.due}, now)
				if err != nil {
					return err
				}
				entries = append(entries, audit.Entry{UnitID: j.unitID, Action: "open", Entity: "rectification", EntityID: xid,
					After: map[string]any{"rating_id": r.ID, "state": rectification.StepVerify, "due_at": j.due}})
			}
		}
		return audit.AppendBatch(context.Background(), tx, audit.Actor{Name: "public"}, entries)
	})
	for i, j := range group {
		if err != nil {
			results[i] = result{err: fmt.Errorf("ratings: store a group of %d: %w", len(group), err)}
		}
		j.done <- results[i]
		if err == nil && results[i].err == nil && w.stored != nil {
			w.stored(j.unitID, results[i].rating)
		}
	}
}

// withinLimits applies the rules against stuffing to a rating without a
// case, counting what is stored and what this group already wrote.
func (w *writer) withinLimits(tx *database.Tx, j *job, now time.Time) error {
	var n int
	if j.device {
		err := tx.QueryRowContext(context.Background(), `SELECT count(*) FROM ratings WHERE unit_id = $1 AND source = $2 AND created_at > $3
			AND verified = FALSE`, j.unitID, j.source, now.Add(-DeviceEvery)).Scan(&n)
		if err != nil {
			return fmt.Errorf("ratings: count by device: %w", err)
		}
		if n > 0 {
			return ErrTooOften
		}
		return nil
	}
	if j.source != "" {
		err := tx.QueryRowContext(context.Background(), `SELECT count(*) FROM ratings WHERE unit_id = $1 AND source = $2 AND created_at > $3
			AND target = $4 AND COALESCE(staff_id, 0) = $5 AND COALESCE(department_id, 0) = $6`,
			j.unitID, j.source, now.Add(-24*time.Hour), j.target, j.staffID, j.deptID).Scan(&n)
		if err != nil {
			return fmt.Errorf("ratings: count by device: %w", err)
		}
		if n >= PerDevicePerTarget {
			return ErrTooOften
		}
	}
	if j.address != "" {
		err := tx.QueryRowContext(context.Background(), `SELECT count(*) FROM ratings WHERE unit_id = $1 AND address = $2 AND address <> '' AND created_at > $3
			AND verified = FALSE`, j.unitID, j.address, now.Add(-time.Hour)).Scan(&n)
		if err != nil {
			return fmt.Errorf("ratings: count by address: %w", err)
		}
		if n >= PerAddressPerHour {
			return ErrTooOften
		}
	}
	return nil
}

// holdBurst decides whether j completes a burst: with the ratings of the
// same level for the same target from the same device (or, through the
// public pages, the same address) in the last BurstWindow, it makes a
// burst's size. Then j is held, and so are those before it that still
// count; it returns their ids. A burst is held whole, so none of it counts
// until the office has looked.
func (w *writer) holdBurst(tx *database.Tx, j *job, now time.Time) ([]int64, error) {
	// "address <> ''" lets the partial index serve (migration 0025).
	by, key, size := "address <> '' AND address", j.address, BurstAddress
	if j.device {
		by, key, size = "source", j.source, BurstDevice
	}
	if key == "" {
		return nil, nil
	}
	match := ` FROM ratings WHERE unit_id = $1 AND ` + by + ` = $2 AND created_at > $3 AND verified = FALSE AND level = $4
		AND target = $5 AND COALESCE(staff_id, 0) = $6 AND COALESCE(department_id, 0) = $7 AND held <> '` + HoldRejected + `'`
	args := []any{j.unitID, key, now.Add(-BurstWindow), j.level, j.target, j.staffID, j.deptID}
	var n int
	if err := tx.QueryRowContext(context.Background(), `SELECT count(*)`+match, args...).Scan(&n); err != nil {
		return nil, fmt.Errorf("ratings: count a burst: %w", err)
	}
	if n+1 < size {
		return nil, nil
	}
	j.held = true
	rows, err := tx.QueryContext(context.Background(), `UPDATE ratings SET held = '`+HoldHeld+`', valid = FALSE
		WHERE id IN (SELECT id`+match+` AND held = '' AND valid = TRUE) RETURNING id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ratings: hold a burst: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
}

// insert writes one rating; a case already rated (by another server, or
// earlier in the group) is refused by the unique index, not by a lock.
const (
	insertHead = `INSERT INTO ratings (unit_id, target, case_id, staff_id, department_id, level, reasons,
	comment, channel, verified, source, address, created_at, followup, valid, held) `
	insertTail = ` ON CONFLICT DO NOTHING RETURNING id`
	insertSQL  = insertHead + `VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)` + insertTail
)

// insertTypes are the PostgreSQL types of the insert's columns.
var insertTypes = []string{"bigint", "text", "bigint", "bigint", "bigint", "integer", "text",
	"text", "text", "boolean", "text", "text", "timestamptz", "boolean", "boolean", "text"}

// newRating is the rating a job stores, without its id.
func newRating(j *job, now time.Time) Rating {
	r := Rating{Target: j.target, CaseID: j.caseID, StaffID: j.staffID, DepartmentID: j.deptID, Level: j.level, Reasons: j.reasons,
		Comment: j.comment, Channel: j.channel, Verified: j.verified, Followup: j.followup, Valid: !j.held, CreatedAt: now,
		Origin: originOf(j.verified, j.channel)}
	if r.Reasons == nil {
		r.Reasons = []string{}
	}
	if j.held {
		r.Held = HoldHeld
	}
	return r
}

// row is a job's values in the order of the insert's columns.
func (j *job) row(now time.Time) []any {
	reasons, _ := json.Marshal(j.reasons)
	if j.reasons == nil {
		reasons = []byte("[]")
	}
	held := ""
	if j.held {
		held = HoldHeld
	}
	return []any{j.unitID, j.target, database.NullID(j.caseID), database.NullID(j.staffID), database.NullID(j.deptID), j.level, string(reasons),
		j.comment, j.channel, j.verified, j.source, j.address, now, j.followup, !j.held, held}
}

// resolveTokens finds the cases of the group's tokens in one statement
// per database.BatchRows, and fills each job with its case; a token
// unknown, another unit's or expired refuses its job (by its index).
func (w *writer) resolveTokens(tx *database.Tx, group []*job) (map[int]error, error) {
	var asked []int
	for i, j := range group {
		if j.token != "" && j.caseID == 0 {
			asked = append(asked, i)
		}
	}
	refused := map[int]error{}
	if len(asked) == 0 {
		return refused, nil
	}
	type tokenCase struct {
		id, unitID, handler, dept int64
		state                     string
		updated                   time.Time
		completed                 sql.NullTime
	}
	found := map[string]tokenCase{}
	tokens := tx.Rows("text")
	for _, i := range asked {
		tokens.Add(group[i].token)
	}
	err := tokens.Each(1, func(source string, args []any, _ bool) error {
		rows, err := tx.QueryContext(context.Background(), `SELECT rating_token, id, unit_id, handler_id, COALESCE(department_id, 0), state, updated_at,
			completed_at FROM cases WHERE rating_token IN (`+source+`)`, args...)
		if err != nil {
			return fmt.Errorf("ratings: resolve %d tokens: %w", len(asked), err)
		}
		defer rows.Close()
		for rows.Next() {
			var token string
			var c tokenCase
			if err := rows.Scan(&token, &c.id, &c.unitID, &c.handler, &c.dept, &c.state, &c.updated, &c.completed); err != nil {
				return fmt.Errorf("ratings: resolve tokens: %w", err)
			}
			found[token] = c
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("ratings: resolve tokens: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, i := range asked {
		j := group[i]
		c, ok := found[j.token]
		switch {
		case !ok || (j.unitID != 0 && j.unitID != c.unitID):
			refused[i] = ErrTokenUnknown
		case w.expired(context.Background(), c.unitID, c.state, c.updated, c.completed):
			refused[i] = ErrTokenExpired
		default:
			j.unitID, j.caseID, j.staffID, j.deptID = c.unitID, c.id, c.handler, c.dept
		}
	}
	return refused, nil
}

type caseKey struct {
	caseID   int64
	followup bool
}

// insertCases writes the group's ratings of cases in multi-row statements,
// which on the rating devices' path is most of a group: one statement per
// 500, not one per rating. It returns each such job's new id by its index
// in the group, 0 for a case already rated (by another server, earlier,
// or earlier in this group). The unique index decides, as for one row;
// rows come back by case, since RETURNING keeps no order.
func (w *writer) insertCases(tx *database.Tx, group []*job, now time.Time) (map[int]int64, error) {
	stored := map[int]int64{}
	var batch []int
	seen := map[caseKey]bool{}
	for i, j := range group {
		if j.caseID == 0 || limited(j) {
			continue
		}
		k := caseKey{j.caseID, j.followup}
		stored[i] = 0
		if !seen[k] {
			seen[k] = true
			batch = append(batch, i)
		}
	}
	ids := map[caseKey]int64{}
	rows := tx.Rows(insertTypes...)
	for _, i := range batch {
		rows.Add(group[i].row(now)...)
	}
	err := rows.Each(1, func(source string, args []any, _ bool) error {
		res, err := tx.QueryContext(context.Background(), insertHead+source+insertTail+`, case_id, followup`, args...)
		if err != nil {
			return fmt.Errorf("ratings: insert %d ratings of cases: %w", len(batch), err)
		}
		defer res.Close()
		for res.Next() {
			var id int64
			var k caseKey
			if err := res.Scan(&id, &k.caseID, &k.followup); err != nil {
				return fmt.Errorf("ratings: insert ratings of cases: %w", err)
			}
			ids[k] = id
		}
		if err := res.Close(); err != nil {
			return fmt.Errorf("ratings: insert ratings of cases: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, i := range batch {
		stored[i] = ids[caseKey{group[i].caseID, group[i].followup}]
	}
	return stored, nil
}

func (w *writer) insert(insert *sql.Stmt, j *job, now time.Time) (Rating, error) {
	r := newRating(j, now)
	err := insert.QueryRowContext(context.Background(), j.row(now)...).Scan(&r.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrTokenUsed
	}
	if err != nil {
		return r, fmt.Errorf("ratings: insert: %w", err)
	}
	return r, nil
}
