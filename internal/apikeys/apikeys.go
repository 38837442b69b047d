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
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
)

// Key is a stored API key, without its secret.
type Key struct {
	ID         int64      `json:"id"`
	UnitID     int64      `json:"unit_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
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

// Create makes a key for the unit and returns it in plain text, the only
// time it is ever shown: "wl_" + 8 hex of lookup prefix + "_" + 64 hex secret.
func (s *Store) Create(ctx context.Context, actor audit.Actor, unitID int64, name string) (string, Key, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 50 {
		return "", Key{}, locale.NewError("error.apikey_name")
	}
	prefix, secret := RandomHex(4), RandomHex(32)
	plain := "wl_" + prefix + "_" + secret
	var k Key
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		now := database.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO api_keys (unit_id, name, prefix, key_hash, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, unitID, name, prefix, HashSecret(plain), now).Scan(&k.ID)
		if err != nil {
			return fmt.Errorf("apikeys: insert: %w", err)
		}
		k = Key{ID: k.ID, UnitID: unitID, Name: name, Prefix: prefix, CreatedAt: now}
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
	now := database.Now()
	cacheMu.Lock()
	c, ok := known[cacheID{s.db, digest}]
	cacheMu.Unlock()
	if ok && now.Before(c.until) {
		return c.key, nil
	}
	var k Key
	var hash string
	err := s.db.QueryRowContext(ctx, `SELECT id, unit_id, name, prefix, created_at, revoked_at, last_used_at, key_hash
		FROM api_keys WHERE prefix = $1`, parts[1]).
		Scan(&k.ID, &k.UnitID, &k.Name, &k.Prefix, &k.CreatedAt, &k.RevokedAt, &k.LastUsedAt, &hash)
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
	rows, err := s.db.QueryContext(ctx, `SELECT id, unit_id, name, prefix, created_at, revoked_at, last_used_at
		FROM api_keys WHERE unit_id = $1 ORDER BY id DESC`, unitID)
	if err != nil {
		return nil, fmt.Errorf("apikeys: list: %w", err)
	}
	return database.Collect(rows, func(row database.Scanner) (Key, error) {
		var k Key
		err := row.Scan(&k.ID, &k.UnitID, &k.Name, &k.Prefix, &k.CreatedAt, &k.RevokedAt, &k.LastUsedAt)
		return k, err
	})
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
