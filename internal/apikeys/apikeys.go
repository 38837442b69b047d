// Package apikeys holds the keys that machines (queue machines, rating
// devices, the provincial platform) use on the JSON API. A key belongs to one
// unit. Only its SHA-256 is stored: keys are 256-bit random, so a fast hash
// is enough, unlike passwords.
package apikeys

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/sync/singleflight"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// Key is a stored API key, without its secret.
type Key struct {
	ID         int64      `json:"id"`
	UnitID     int64      `json:"unit_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	Scopes     []string   `json:"scopes"`
	WindowID   int64      `json:"window_id,omitempty"` // a rating device's window
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Store reads and writes keys.
type Store struct{ db *database.DB }

// cachedKey is a key checked recently. A rating device sends thousands of
// requests a minute; checking its key against the database each time would
// cost as much as storing the ratings. The cache is the process's, so a key
// revoked here stops at once; on other servers within cacheFor.
type cachedKey struct {
	key   Key
	until time.Time
}

type cacheID struct {
	db     *database.DB
	digest string
}

var (
	cacheMu sync.Mutex
	known   = map[cacheID]cachedKey{}
)

const (
	cacheFor  = 10 * time.Second
	cacheSize = 1000
)

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

// ErrInvalid is returned for an unknown, malformed or revoked key.
var ErrInvalid = errors.New("apikeys: invalid key")

// lastUsedEvery limits how often a key's last use is written, so that a busy
// device does not turn every read into a write.
const lastUsedEvery = time.Minute

// Scopes: what a key may do. A key has at least one.
const (
	ScopeRead     = "read"           // read the unit's published facts: staff, items, ratings, scores…
	ScopeCases    = "cases"          // a queue machine: open cases and move them on
	ScopeDevice   = "ratings-device" // a counter rating device at one window
	ScopeExchange = "exchange"       // the provincial 好差评 platform: the exchange records
)

// Scopes lists them in the order the office's page offers them.
var Scopes = []string{ScopeRead, ScopeCases, ScopeDevice, ScopeExchange}

// Spec is a key as the office asks for it.
type Spec struct {
	Name     string
	Scopes   []string
	WindowID int64 // the window a rating device stands at; required with ScopeDevice
}

// Has reports whether the key may do scope.
func (k Key) Has(scope string) bool { return slices.Contains(k.Scopes, scope) }

// check cleans a spec: a name, known scopes, and a window of the unit for
// a rating device (and none otherwise).
func (s *Store) check(ctx context.Context, unitID int64, sp *Spec) error {
	var ps locale.Problems
	sp.Name = textnorm.CleanText(sp.Name)
	if sp.Name == "" || utf8.RuneCountInString(sp.Name) > 50 {
		ps.Add("name", "error.apikey_name")
	}
	var scopes []string
	for _, sc := range Scopes {
		if slices.Contains(sp.Scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	if len(scopes) == 0 || len(scopes) != len(slices.Compact(slices.Sorted(slices.Values(sp.Scopes)))) {
		ps.Add("scopes", "apikeys.scopes_invalid")
	}
	sp.Scopes = scopes
	switch {
	case !slices.Contains(scopes, ScopeDevice):
		sp.WindowID = 0
	case sp.WindowID == 0:
		ps.Add("window", "apikeys.window_required")
	default:
		_, ok, err := org.ActiveDepartment(ctx, s.db, unitID, sp.WindowID)
		if err != nil {
			return fmt.Errorf("apikeys: window: %w", err)
		}
		if !ok {
			ps.Add("window", "apikeys.window_required")
		}
	}
	return ps.Err()
}

// Create makes a key for the unit and returns it in plain text, the only
// time it is ever shown: "wl_" + 8 hex of lookup prefix + "_" + 64 hex secret.
func (s *Store) Create(ctx context.Context, actor audit.Actor, unitID int64, sp Spec) (string, Key, error) {
	if err := s.check(ctx, unitID, &sp); err != nil {
		return "", Key{}, err
	}
	prefix, secret := RandomHex(4), RandomHex(32)
	plain := "wl_" + prefix + "_" + secret
	var k Key
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		now := database.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO api_keys (unit_id, name, prefix, key_hash, created_at, scopes, window_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, unitID, sp.Name, prefix, HashSecret(plain), now,
			strings.Join(sp.Scopes, ","), database.NullID(sp.WindowID)).Scan(&k.ID)
		if err != nil {
			return fmt.Errorf("apikeys: insert: %w", err)
		}
		k = Key{ID: k.ID, UnitID: unitID, Name: sp.Name, Prefix: prefix, Scopes: sp.Scopes, WindowID: sp.WindowID, CreatedAt: now}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "api_key", EntityID: k.ID, After: k})
	})
	if err != nil {
		return "", Key{}, err
	}
	return plain, k, nil
}

// Authenticate returns the key that plain is, or ErrInvalid.
func (s *Store) Authenticate(ctx context.Context, plain string) (Key, error) {
	parts := strings.Split(plain, "_")
	if len(parts) != 3 || parts[0] != "wl" || len(parts[1]) != 8 || len(parts[2]) != 64 {
		return Key{}, ErrInvalid
	}
	digest := HashSecret(plain)
	cacheMu.Lock()
	c, ok := known[cacheID{s.db, digest}]
	cacheMu.Unlock()
	if ok && database.Now().Before(c.until) {
		return c.key, nil
	}
	// One look-up per key at a time: when the cache is cold or a key's
	// entry expires, the requests of a busy device arrive together, and
	// each would read the key and write its last use, one after another
	// on the key's row (on PostgreSQL, the first second of a load waited
	// up to 60 ms on that row per request).
	v, err, _ := lookups.Do(fmt.Sprintf("%p/%s", s.db, digest), func() (any, error) {
		return s.lookUp(context.WithoutCancel(ctx), parts[1], digest)
	})
	if err != nil {
		return Key{}, err
	}
	return v.(Key), nil
}

var lookups singleflight.Group

// lookUp reads the key from the database, notes its use, and caches it.
func (s *Store) lookUp(ctx context.Context, prefix, digest string) (Key, error) {
	now := database.Now()
	var hash string
	k, err := scanKey(s.db.QueryRowContext(ctx, keyQuery+` WHERE prefix = $1`, prefix), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrInvalid
	}
	if err != nil {
		return Key{}, fmt.Errorf("apikeys: look up: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(hash), []byte(digest)) != 1 || k.RevokedAt != nil {
		return Key{}, ErrInvalid
	}
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > lastUsedEvery {
		err := s.db.Tx(ctx, func(tx *database.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_keys SET last_used_at = $1 WHERE id = $2`, now, k.ID)
			return err
		})
		if err != nil {
			return Key{}, fmt.Errorf("apikeys: note use: %w", err)
		}
	}
	cacheMu.Lock()
	if len(known) >= cacheSize {
		clear(known)
	}
	known[cacheID{s.db, digest}] = cachedKey{key: k, until: now.Add(cacheFor)}
	cacheMu.Unlock()
	return k, nil
}

// List returns the unit's keys, newest first.
func (s *Store) List(ctx context.Context, unitID int64) ([]Key, error) {
	rows, err := s.db.QueryContext(ctx, keyQuery+` WHERE unit_id = $1 ORDER BY id DESC`, unitID)
	if err != nil {
		return nil, fmt.Errorf("apikeys: list: %w", err)
	}
	return database.Collect(rows, func(row database.Scanner) (Key, error) {
		var hash string
		return scanKey(row, &hash)
	})
}

const keyQuery = `SELECT id, unit_id, name, prefix, scopes, COALESCE(window_id, 0), created_at, revoked_at, last_used_at, key_hash FROM api_keys`

func scanKey(row database.Scanner, hash *string) (Key, error) {
	var k Key
	var scopes string
	err := row.Scan(&k.ID, &k.UnitID, &k.Name, &k.Prefix, &scopes, &k.WindowID, &k.CreatedAt, &k.RevokedAt, &k.LastUsedAt, hash)
	k.Scopes = strings.Split(scopes, ",")
	return k, err
}

// Revoke ends a key for good.
func (s *Store) Revoke(ctx context.Context, actor audit.Actor, unitID, id int64) error {
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		now := database.Now()
		res, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = $1 WHERE unit_id = $2 AND id = $3 AND revoked_at IS NULL`, now, unitID, id)
		if err != nil {
			return fmt.Errorf("apikeys: revoke: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return locale.NewError("error.apikey_unknown")
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "revoke", Entity: "api_key", EntityID: id,
			After: map[string]any{"revoked_at": now}})
	})
	// Forget checked keys once the revocation is committed: this server
	// refuses the key at once, others within cacheFor.
	cacheMu.Lock()
	clear(known)
	cacheMu.Unlock()
	return err
}

// HashSecret is what is kept of a secret handed out once (an API key, a
// hall screen's token): its SHA-256, in hex.
func HashSecret(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// RandomHex is n random bytes in hex, for the parts of such a secret.
func RandomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
