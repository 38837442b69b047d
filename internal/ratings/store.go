package ratings

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/rectification"
	"wuliang/internal/textnorm"
)

// Store reads ratings and takes new ones through its writer.
type Store struct {
	db     *database.DB
	now    func() time.Time
	once   sync.Once
	writer *writer
	// TokenDays, when set, overrides how long after a case is closed its
	// token still rates (the unit's setting otherwise).
	TokenDays int
	daysMu    sync.Mutex
	days      map[int64]cachedDays
	keyMu     sync.Mutex
	key       []byte
	stmtMu    sync.Mutex
	byToken   *sql.Stmt
	// stored, when set, hears of each rating once it is committed: the
	// hall screens' events.
	stored func(unitID int64, r Rating)
}

// OnStored makes fn hear of every rating this store commits, after the
// commit, from the writer's goroutine (so fn must not wait). Set it before
// the first rating.
func (s *Store) OnStored(fn func(unitID int64, r Rating)) { s.stored = fn }

// WithClock returns a store whose "now" is clock, for loading history. It
// has a writer of its own, which its Close stops.
func (s *Store) WithClock(clock func() time.Time) *Store {
	return &Store{db: s.db, TokenDays: s.TokenDays, now: database.Moved(clock)}
}

// Close stops the store's writer, if a rating started it, once every
// rating handed to it is stored. Ratings handed in afterwards get
// ErrClosed; reads go on working.
func (s *Store) Close() {
	s.once.Do(func() {}) // a writer starting now would never be closed
	if s.writer != nil {
		s.writer.close()
	}
}

// DefaultTokenDays is the period a case's token still rates after the case
// is closed, until the unit sets its own.
const DefaultTokenDays = 15

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store {
	return &Store{db: db, now: database.Now}
}

// Errors a submission can meet; each has a message for the public, and a
// kind that the pages and the API answer alike: 404 for a token nobody
// issued (or another unit's), 409 for one already used, 410 for an
// expired one, 429 over the limits.
var (
	ErrTokenUnknown = locale.NewError("rating.token_unknown").Of(failure.NotFound)
	ErrTokenUsed    = locale.NewError("rating.token_used").Of(failure.Conflict)
	ErrTokenExpired = locale.NewError("rating.token_expired").Of(failure.Gone)
	ErrTooOften     = locale.NewError("rating.too_often").Of(failure.TooMany)
	// ErrDeviceElsewhere refuses a registered device's rating of a person
	// or window it does not stand at.
	ErrDeviceElsewhere = locale.NewError("rating.device_elsewhere").Of(failure.Forbidden)
)

// Limits on ratings without a case (unverified), per unit. docs/features.md
// ("Ratings nobody can stuff") gives the reasons for each figure.
const (
	PerDevicePerTarget = 1  // a phone (its signed cookie) rates a person or a window once a day
	PerAddressPerHour  = 20 // an address sends at most this many an hour
	MaxComment         = 500
	// DeviceEvery is the least time between two ratings of a registered
	// rating device without a case: a person must walk up and press.
	DeviceEvery = 5 * time.Second
	// A burst is held: this many ratings of the same level for the same
	// person or window within BurstWindow, from one device, or from one
	// address through the public pages. A counter serves one person in a
	// few minutes at the busiest, so a device's burst is larger.
	BurstWindow  = 10 * time.Minute
	BurstDevice  = 4
	BurstAddress = 3
)

// Reasons lists the unit's reasons for bad ratings.
func (s *Store) Reasons(ctx context.Context, unitID int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM rating_reasons WHERE unit_id = $1 AND active = TRUE ORDER BY sort_order, id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("ratings: reasons: %w", err)
	}
	list, err := database.Collect(rows, func(r database.Scanner) (string, error) {
		var n string
		err := r.Scan(&n)
		return n, err
	})
	if err == nil && len(list) == 0 {
		list = DefaultReasons
	}
	return list, err
}

// job is a checked submission on its way to the writer.
type job struct {
	unitID, caseID, staffID, deptID int64
	target, channel                 string
	level                           int
	reasons                         []string
	comment                         string
	verified, followup              bool
	device                          bool // from a registered rating device, without a case
	held                            bool // part of a burst: stored, counted nowhere until reviewed
	source, address                 string
	token                           string    // a case's token the writer resolves; unitID, when set, must be the case's
	due                             time.Time // of a bad rating's first step
	done                            chan result
}

type result struct {
	rating Rating
	err    error
}

// hashed keeps an address or device id as a short digest: enough to count
// by, nothing to find a person by.
func hashed(s string) string {
	if s == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

// Case is what a rating page shows of the case a token rates.
type Case struct {
	ID, UnitID          int64
	HandlerID, WindowID int64
	No, Title, Handler  string
	Window              string
	Rated               bool
	FollowupOpen        bool // rated, rectified and followed up: one follow-up rating (追评) is open
}

// CaseByToken finds the case a token rates: unknown tokens, tokens of
// another unit (when unitID is not 0) and expired ones are refused.
func (s *Store) CaseByToken(ctx context.Context, unitID int64, token string) (Case, error) {
	var c Case
	var state string
	var updated time.Time
	var closed sql.NullTime
	if token == "" || len(token) > 64 {
		return c, ErrTokenUnknown
	}
	err := s.db.QueryRowContext(ctx, `SELECT c.id, c.unit_id, c.handler_id, COALESCE(c.department_id, 0), c.no, COALESCE(i.name, c.matter), h.name, COALESCE(d.name, ''), c.state,
		c.updated_at, c.completed_at,
		EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = c.id AND r.followup = FALSE)
		FROM cases c JOIN staff h ON h.id = c.handler_id AND h.unit_id = c.unit_id
		LEFT JOIN items i ON i.id = c.item_id AND i.unit_id = c.unit_id
		LEFT JOIN departments d ON d.id = c.department_id AND d.unit_id = c.unit_id
		WHERE c.rating_token = $1`, token).Scan(&c.ID, &c.UnitID, &c.HandlerID, &c.WindowID, &c.No, &c.Title, &c.Handler, &c.Window, &state, &updated, &closed, &c.Rated)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && unitID != 0 && c.UnitID != unitID) {
		return Case{}, ErrTokenUnknown
	}
	if err != nil {
		return c, fmt.Errorf("ratings: token: %w", err)
	}
	if s.expired(ctx, c.UnitID, state, updated, closed) {
		return c, ErrTokenExpired
	}
	if c.Rated {
		if c.FollowupOpen, err = s.followupOpen(ctx, c.UnitID, c.ID); err != nil {
			return c, err
		}
	}
	return c, nil
}

// followupOpen reports whether a rated case may still get its one
// follow-up rating: its bad rating was rectified and the rater followed up.
func (s *Store) followupOpen(ctx context.Context, unitID, caseID int64) (bool, error) {
	var first int64
	var followed bool
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(CASE WHEN followup THEN 0 ELSE id END), 0), COALESCE(MAX(CASE WHEN followup THEN 1 ELSE 0 END), 0) = 1
		FROM ratings WHERE unit_id = $1 AND case_id = $2`, unitID, caseID).Scan(&first, &followed)
	if err != nil {
		return false, fmt.Errorf("ratings: follow-up: %w", err)
	}
	if first == 0 || followed {
		return false, nil
	}
	return rectification.FollowedUp(ctx, s.db, unitID, first)
}

// tokenCase is the lean lookup of the rating path: the case a token rates,
// refused when unknown, another unit's or expired. Whether it was rated
// already is left to the unique index, which is the only safe judge.
func (s *Store) tokenCase(ctx context.Context, unitID int64, token string) (Case, error) {
	var c Case
	var state string
	var updated time.Time
	var closed sql.NullTime
	if token == "" || len(token) > 64 {
		return c, ErrTokenUnknown
	}
	stmt, err := s.tokenStmt(ctx)
	if err != nil {
		return c, err
	}
	err = stmt.QueryRowContext(ctx, token).Scan(&c.ID, &c.UnitID, &c.HandlerID, &c.WindowID, &state, &updated, &closed)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && unitID != 0 && c.UnitID != unitID) {
		return Case{}, ErrTokenUnknown
	}
	if err != nil {
		return c, fmt.Errorf("ratings: token: %w", err)
	}
	if s.expired(ctx, c.UnitID, state, updated, closed) {
		return c, ErrTokenExpired
	}
	return c, nil
}

// tokenStmt is the lookup of a token, prepared once: it runs for every
// rating, and parsing it again each time cost a sixth of the rating path.
func (s *Store) tokenStmt(ctx context.Context) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if s.byToken != nil {
		return s.byToken, nil
	}
	stmt, err := s.db.PrepareContext(ctx, `SELECT c.id, c.unit_id, c.handler_id, COALESCE(c.department_id, 0), c.state, c.updated_at,
		c.completed_at FROM cases c WHERE c.rating_token = $1`)
	if err != nil {
		return nil, fmt.Errorf("ratings: prepare token lookup: %w", err)
	}
	s.byToken = stmt
	return stmt, nil
}

// expired: a token rates until TokenDays after the case was completed,
// withdrawn or refused.
func (s *Store) expired(ctx context.Context, unitID int64, state string, updated time.Time, completed sql.NullTime) bool {
	if state == "withdrawn" || state == "refused" {
		completed = sql.NullTime{Time: updated, Valid: true}
	}
	if !completed.Valid {
		return false
	}
	days := s.TokenDays
	if days == 0 {
		d, err := s.cachedDays(ctx, unitID)
		if err != nil {
			d = DefaultDays
		}
		days = d.Token
	}
	return s.now().After(completed.Time.AddDate(0, 0, days))
}

type cachedDays struct {
	days  Days
	until time.Time
}

// cachedDays is the unit's periods as read in the last half minute: the
// rating path asks for every rating.
func (s *Store) cachedDays(ctx context.Context, unitID int64) (Days, error) {
	s.daysMu.Lock()
	c, ok := s.days[unitID]
	s.daysMu.Unlock()
	if ok && time.Now().Before(c.until) {
		return c.days, nil
	}
	d, err := s.Days(ctx, unitID)
	if err != nil {
		return d, err
	}
	s.daysMu.Lock()
	if s.days == nil {
		s.days = map[int64]cachedDays{}
	}
	s.days[unitID] = cachedDays{days: d, until: time.Now().Add(30 * time.Second)}
	s.daysMu.Unlock()
	return d, nil
}

// check validates the level, reasons and comment against the unit's list.
func (s *Store) check(ctx context.Context, unitID int64, in *Input) error {
	var ps locale.Problems
	if in.Level < VeryDissatisfied || in.Level > VerySatisfied {
		ps.Add("level", "rating.level_invalid")
	}
	if !slices.Contains(Channels, in.Channel) {
		ps.Add("channel", "rating.channel_invalid")
	}
	in.Comment = textnorm.CleanMultiline(in.Comment)
	if utf8.RuneCountInString(in.Comment) > MaxComment {
		ps.Add("comment", "error.too_long", "留言", MaxComment)
	}
	if !Bad(in.Level) {
		in.Reasons = nil
	} else {
		known, err := s.Reasons(ctx, unitID)
		if err != nil {
			return err
		}
		var picked []string
		for _, r := range in.Reasons {
			r = textnorm.CleanText(r)
			if r == "" || slices.Contains(picked, r) {
				continue
			}
			if !slices.Contains(known, r) {
				ps.Add("reasons", "rating.reason_unknown", textnorm.Abbreviate(r, 20))
				break
			}
			picked = append(picked, r)
		}
		if len(picked) == 0 && len(ps) == 0 {
			ps.Add("reasons", "rating.reason_required")
		}
		in.Reasons = picked
	}
	return ps.Err()
}

// Submit checks a rating and stores it, returning once it is durable. With
// a token it rates that case (verified); otherwise it rates a person or a
// window of unitID (unverified, within the limits when it comes from the
// public rather than a device).
func (s *Store) Submit(ctx context.Context, unitID int64, in Input) (Rating, error) {
	j := &job{channel: in.Channel, level: in.Level, done: make(chan result, 1)}
	switch {
	case in.Token != "" && !Bad(in.Level):
		// Most ratings: the writer resolves the whole group's tokens in
		// one statement, in its transaction.
		if len(in.Token) > 64 {
			return Rating{}, ErrTokenUnknown
		}
		j.token, j.target, j.verified = in.Token, TargetCase, true
	case in.Token != "":
		// A bad rating needs its case's unit first: for the unit's
		// reasons and the date its 整改 is due.
		c, err := s.tokenCase(ctx, unitID, in.Token)
		if err != nil {
			return Rating{}, err
		}
		unitID = c.UnitID
		j.target, j.caseID, j.staffID, j.deptID, j.verified = TargetCase, c.ID, c.HandlerID, c.WindowID, true
	case in.StaffID != 0:
		j.target, j.staffID = TargetPerson, in.StaffID
		post, ok, err := org.ServingPost(ctx, s.db, unitID, in.StaffID)
		if err != nil {
			return Rating{}, fmt.Errorf("ratings: person: %w", err)
		}
		if !ok {
			return Rating{}, locale.FieldProblem("staff", "rating.target_unknown")
		}
		j.deptID = post.DepartmentID
	case in.DepartmentID != 0:
		j.target, j.deptID = TargetWindow, in.DepartmentID
		_, ok, err := org.ActiveDepartment(ctx, s.db, unitID, in.DepartmentID)
		if err != nil {
			return Rating{}, fmt.Errorf("ratings: window: %w", err)
		}
		if !ok {
			return Rating{}, locale.FieldProblem("window", "rating.target_unknown")
		}
	default:
		return Rating{}, locale.FieldProblem("target", "rating.target_required")
	}
	if !j.verified && in.DeviceWindow != 0 {
		if j.deptID != in.DeviceWindow {
			return Rating{}, ErrDeviceElsewhere
		}
		j.device = true
	}
	if err := s.check(ctx, unitID, &in); err != nil {
		return Rating{}, err
	}
	j.unitID, j.reasons, j.comment = unitID, in.Reasons, in.Comment
	if Bad(in.Level) {
		var err error
		if j.due, err = rectification.FirstDue(ctx, s.db, unitID, s.now()); err != nil {
			return Rating{}, err
		}
	}
	j.source, j.address = hashed(in.Device), hashed(in.Address)
	r, err := s.write(ctx, j)
	// A follow-up rating is the only second word on a case. Whether the
	// first is taken is for the unique index to say, so the rating path
	// asks no more of a token; only a rated case is asked about its
	// follow-up, and written again as one.
	if errors.Is(err, ErrTokenUsed) && j.target == TargetCase && !j.followup {
		open, ferr := s.followupOpen(ctx, j.unitID, j.caseID)
		if ferr != nil || !open {
			return r, cmp.Or(ferr, err)
		}
		again := *j
		again.followup, again.due, again.done = true, time.Time{}, make(chan result, 1)
		return s.write(ctx, &again)
	}
	return r, err
}

// write hands a job to the writer and waits until it is stored or refused.
func (s *Store) write(ctx context.Context, j *job) (Rating, error) {
	s.once.Do(func() { s.writer = startWriter(s.db, s.now, s.stored, s.expired) })
	if s.writer == nil {
		return Rating{}, ErrClosed
	}
	if err := s.writer.send(ctx, j); err != nil {
		return Rating{}, err
	}
	// The writer answers every job it took, so wait for it even if the
	// client has gone: the rating may be stored.
	r := <-j.done
	return r.rating, r.err
}

// Filter narrows a list.
type Filter struct {
	From, To     time.Time
	StaffID      int64
	DepartmentID int64
	CaseID       int64
	Level        int // one level only, e.g. VeryDissatisfied
	Limit        int
	Offset       int
}

// where is the filter as SQL over ratings r of the unit.
func (f Filter) where(unitID int64) (string, []any) {
	w := database.NewWhere(` WHERE r.unit_id = ?`, unitID)
	add := w.Add
	if !f.From.IsZero() {
		add(` AND r.created_at >= ?`, f.From.UTC())
	}
	if !f.To.IsZero() {
		add(` AND r.created_at < ?`, f.To.UTC())
	}
	if f.StaffID != 0 {
		add(` AND r.staff_id = ?`, f.StaffID)
	}
	if f.DepartmentID != 0 {
		add(` AND r.department_id = ?`, f.DepartmentID)
	}
	if f.CaseID != 0 {
		add(` AND r.case_id = ?`, f.CaseID)
	}
	if f.Level != 0 {
		add(` AND r.level = ?`, f.Level)
	}
	return w.SQL(), w.Args()
}

const ratingQuery = `SELECT r.id, r.target, COALESCE(r.case_id, 0), COALESCE(c.no, ''), COALESCE(r.staff_id, 0), COALESCE(s.name, ''),
	COALESCE(r.department_id, 0), COALESCE(d.name, ''), r.level, r.reasons, r.comment, r.channel, r.verified, r.followup, r.valid,
	r.comment_public, r.held, r.created_at
	FROM ratings r
	LEFT JOIN cases c ON c.id = r.case_id AND c.unit_id = r.unit_id
	LEFT JOIN staff s ON s.id = r.staff_id AND s.unit_id = r.unit_id
	LEFT JOIN departments d ON d.id = r.department_id AND d.unit_id = r.unit_id`

func scan(row database.Scanner) (Rating, error) {
	var r Rating
	var reasons string
	err := row.Scan(&r.ID, &r.Target, &r.CaseID, &r.CaseNo, &r.StaffID, &r.StaffName, &r.DepartmentID, &r.DepartmentName, &r.Level,
		&reasons, &r.Comment, &r.Channel, &r.Verified, &r.Followup, &r.Valid, &r.CommentPublic, &r.Held, &r.CreatedAt)
	if err == nil {
		json.Unmarshal([]byte(reasons), &r.Reasons)
	}
	r.Origin = originOf(r.Verified, r.Channel)
	if r.Reasons == nil {
		r.Reasons = []string{}
	}
	return r, err
}

// List returns the unit's ratings matching f, newest first, with the total.
func (s *Store) List(ctx context.Context, unitID int64, f Filter) ([]Rating, int, error) {
	where, args := f.where(unitID)
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM ratings r`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("ratings: count: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, ratingQuery+where+fmt.Sprintf(` ORDER BY r.created_at DESC, r.id DESC LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("ratings: list: %w", err)
	}
	list, err := database.Collect(rows, scan)
	return list, total, err
}

// SigningKey returns the key that signs rating devices' cookies, made once
// per database so that every server accepts every other's cookies.
func (s *Store) SigningKey(ctx context.Context) ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	fresh := make([]byte, 32)
	rand.Read(fresh)
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (name, secret) VALUES ('rater', $1) ON CONFLICT (name) DO NOTHING`, hex.EncodeToString(fresh))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("ratings: signing key: %w", err)
	}
	var secret string
	if err := s.db.QueryRowContext(ctx, `SELECT secret FROM signing_keys WHERE name = 'rater'`).Scan(&secret); err != nil {
		return nil, fmt.Errorf("ratings: signing key: %w", err)
	}
	if s.key, err = hex.DecodeString(secret); err != nil {
		return nil, fmt.Errorf("ratings: signing key: %w", err)
	}
	return s.key, nil
}

// Summary counts valid ratings matching f: all, good (满意 and above) and
// bad (不满意 and below).
type Summary struct {
	Count, Good, Bad int
	Origins
	Weighed `json:"-"`
}

// GoodRate is 好评率 = weighted good ÷ weighted count, in percent; "—"
// without ratings. docs/features.md gives the weights.
func (s Summary) GoodRate() string { return s.rate() }

// Summarize counts the valid ratings matching f (its paging is ignored).
func (s *Store) Summarize(ctx context.Context, unitID int64, f Filter) (Summary, error) {
	d, err := s.cachedDays(ctx, unitID)
	if err != nil {
		return Summary{}, err
	}
	where, args := f.where(unitID)
	var sum Summary
	rows, err := s.db.QueryContext(ctx, `SELECT r.level, r.verified, r.channel, count(*) FROM ratings r`+where+` AND r.valid = TRUE
		GROUP BY r.level, r.verified, r.channel`, args...)
	if err != nil {
		return sum, fmt.Errorf("ratings: summary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var level, n int
		var byCase bool
		var channel string
		if err := rows.Scan(&level, &byCase, &channel, &n); err != nil {
			return sum, fmt.Errorf("ratings: summary: %w", err)
		}
		sum.Count += n
		sum.Origins.tally(originOf(byCase, channel), n)
		if level >= Satisfied {
			sum.Good += n
		}
		if Bad(level) {
			sum.Bad += n
		}
		sum.count(level, n*weight(byCase, d))
	}
	return sum, rows.Err()
}

// SetReasons replaces the unit's list of reasons for bad ratings, in
// order; reasons no longer listed stay on the ratings that gave them.
func (s *Store) SetReasons(ctx context.Context, actor audit.Actor, unitID int64, list []string) error {
	var clean []string
	for _, r := range list {
		r = textnorm.CleanText(r)
		if r == "" || slices.Contains(clean, r) {
			continue
		}
		if utf8.RuneCountInString(r) > 20 {
			return locale.FieldProblem("reasons", "rating.reason_too_long", textnorm.Abbreviate(r, 20))
		}
		clean = append(clean, r)
	}
	if len(clean) == 0 || len(clean) > 20 {
		return locale.FieldProblem("reasons", "rating.reasons_count")
	}
	before, err := s.Reasons(ctx, unitID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE rating_reasons SET active = FALSE WHERE unit_id = $1`, unitID); err != nil {
			return fmt.Errorf("ratings: reasons: %w", err)
		}
		for i, r := range clean {
			_, err := tx.ExecContext(ctx, `INSERT INTO rating_reasons (unit_id, name, sort_order, active) VALUES ($1, $2, $3, TRUE)
				ON CONFLICT (unit_id, name) DO UPDATE SET sort_order = excluded.sort_order, active = TRUE`, unitID, r, i)
			if err != nil {
				return fmt.Errorf("ratings: reason %q: %w", r, err)
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "rating_reasons", EntityID: unitID, Before: before, After: clean})
	})
}

// PublishComment lets the office show a rating's text on public pages, or
// take it back. Texts are never public before the office approves them.
func (s *Store) PublishComment(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, publish bool) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE ratings SET comment_public = $1 WHERE unit_id = $2 AND id = $3 AND comment <> ''`, publish, unitID, id)
		if err != nil {
			return fmt.Errorf("ratings: publish: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "publish_comment", Entity: "rating", EntityID: id,
			After: map[string]bool{"comment_public": publish}})
	})
}

// PublicComments are the approved texts of a person's ratings, newest first.
func (s *Store) PublicComments(ctx context.Context, unitID, staffID int64, limit int) ([]Rating, error) {
	rows, err := s.db.QueryContext(ctx, ratingQuery+` WHERE r.unit_id = $1 AND r.staff_id = $2 AND r.comment_public = TRUE AND r.valid = TRUE
		ORDER BY r.id DESC LIMIT $3`, unitID, staffID, limit)
	if err != nil {
		return nil, fmt.Errorf("ratings: public comments: %w", err)
	}
	return database.Collect(rows, scan)
}

// ErrNotFound is returned for a rating not in the unit.
var ErrNotFound = failure.Wrap("ratings", failure.NotFound)

// ErrForbidden is returned when the user may not change a rating.
var ErrForbidden = failure.Wrap("ratings", failure.Forbidden)

// Rated returns a rating as its rectification shows it.
func (s *Store) Rated(ctx context.Context, unitID, id int64) (rectification.Rated, error) {
	r, err := scan(s.db.QueryRowContext(ctx, ratingQuery+` WHERE r.unit_id = $1 AND r.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return rectification.Rated{}, ErrNotFound
	}
	if err != nil {
		return rectification.Rated{}, fmt.Errorf("ratings: rating %d: %w", id, err)
	}
	return rectification.Rated{ID: r.ID, CaseID: r.CaseID, CaseNo: r.CaseNo, Level: r.Level, Reasons: r.Reasons, Comment: r.Comment,
		CreatedAt: r.CreatedAt, StaffName: r.StaffName, DepartmentName: r.DepartmentName}, nil
}

// SetAside marks a rating invalid when the appeal against it is upheld:
// it is kept, exported marked, and counts nowhere.
func (s *Store) SetAside(ctx context.Context, tx *database.Tx, unitID, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE ratings SET valid = FALSE WHERE unit_id = $1 AND id = $2`, unitID, id); err != nil {
		return fmt.Errorf("ratings: set aside %d: %w", id, err)
	}
	// The rectification's own record names who upheld the appeal; this one
	// keeps the rating's row and its trail the same.
	return audit.Append(ctx, tx, audit.Actor{Name: "rectification"}, audit.Entry{UnitID: unitID, Action: "set_aside", Entity: "rating", EntityID: id,
		After: map[string]any{"valid": false}})
}

// Mirror is how the audit trail sees the ratings table: what audit verify
// compares each rating's row with.
var Mirror = audit.Mirror{Table: "ratings", Entity: "rating", Fields: map[string]audit.Field{
	"target":         {Column: "target", Kind: audit.Text},
	"case_id":        {Column: "COALESCE(case_id, 0)", Kind: audit.Number},
	"staff_id":       {Column: "COALESCE(staff_id, 0)", Kind: audit.Number},
	"window_id":      {Column: "COALESCE(department_id, 0)", Kind: audit.Number},
	"level":          {Column: "level", Kind: audit.Number},
	"comment":        {Column: "comment", Kind: audit.Text},
	"channel":        {Column: "channel", Kind: audit.Text},
	"verified":       {Column: "verified", Kind: audit.Flag},
	"followup":       {Column: "followup", Kind: audit.Flag},
	"valid":          {Column: "valid", Kind: audit.Flag},
	"held":           {Column: "held", Kind: audit.Text},
	"comment_public": {Column: "comment_public", Kind: audit.Flag},
}}

// In returns every rating matching f, oldest first, without List's page
// limit: the facts behind a report's figure, however many.
func (s *Store) In(ctx context.Context, unitID int64, f Filter) ([]Rating, error) {
	where, args := f.where(unitID)
	rows, err := s.db.QueryContext(ctx, ratingQuery+where+` ORDER BY r.created_at, r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ratings: in: %w", err)
	}
	return database.Collect(rows, scan)
}
