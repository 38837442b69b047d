package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/locale"
)

// Login checks a username and password and opens a session. Failures are
// counted per username and per address across every instance (they live in
// the database); past the limit, even the right password is refused until
// the window has passed.
func (s *Store) Login(ctx context.Context, username, password, ip, userAgent string) (string, User, error) {
	username = strings.TrimSpace(username)
	since := database.Now().Add(-lockWindow)
	var userFails, ipFails int
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM login_attempts WHERE username = $1 AND success = FALSE AND at > $3),
		(SELECT count(*) FROM login_attempts WHERE ip = $2 AND success = FALSE AND at > $3)`,
		username, ip, since).Scan(&userFails, &ipFails)
	if err != nil {
		return "", User{}, fmt.Errorf("accounts: count failures: %w", err)
	}
	if userFails >= maxUserFailures || ipFails >= maxIPFailures {
		return "", User{}, locale.NewError("error.login_locked", int(lockWindow.Minutes()))
	}
	var u User
	var hash string
	err = s.db.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE username = $1 AND active = TRUE`, username).
		Scan(&u.ID, &u.UnitID, &u.Username, &u.DisplayName, &u.Role, &u.StaffID, &u.BranchID, &u.DepartmentID, &u.Active, &u.MustChange, &u.CreatedAt, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", User{}, fmt.Errorf("accounts: find user: %w", err)
	}
	ok := err == nil && CheckPassword(hash, password)
	if err != nil {
		CheckPassword(dummyHash, password)
	}
	var token string
	txErr := s.db.Tx(ctx, func(tx *database.Tx) error {
		now := database.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (username, ip, success, at) VALUES ($1, $2, $3, $4)`,
			truncate(username, 64), ip, ok, now); err != nil {
			return fmt.Errorf("accounts: record attempt: %w", err)
		}
		if !ok {
			return nil
		}
		var err error
		token, err = insertSession(ctx, tx, u, ip, userAgent, now)
		return err
	})
	if txErr != nil {
		return "", User{}, txErr
	}
	if !ok {
		return "", User{}, locale.NewError("error.login_failed")
	}
	return token, u, nil
}

// OpenSession opens a session for an active user whose identity was
// established some other way: the site tests log in with it, so that only
// the tests about logging in pay for the password hash.
func (s *Store) OpenSession(ctx context.Context, userID int64, ip, userAgent string) (string, error) {
	var token string
	err := s.db.Tx(ctx, func(tx *database.Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1 AND active = TRUE`, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("accounts: find user: %w", err)
		}
		token, err = insertSession(ctx, tx, u, ip, userAgent, database.Now())
		return err
	})
	return token, err
}

func insertSession(ctx context.Context, tx *database.Tx, u User, ip, userAgent string, now time.Time) (string, error) {
	token, tokenHash := newToken()
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, unit_id, created_at, expires_at, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		tokenHash, u.ID, database.NullID(u.UnitID), now, now.Add(SessionLifetime), ip, truncate(userAgent, 200))
	if err != nil {
		return "", fmt.Errorf("accounts: create session: %w", err)
	}
	return token, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// SessionUser returns the user and session of a session token, or
// ErrNotFound when it is unknown, expired or its user was disabled.
func (s *Store) SessionUser(ctx context.Context, token string) (User, Session, error) {
	var u User
	var sess Session
	err := s.db.QueryRowContext(ctx, `SELECT u.id, COALESCE(u.unit_id, 0), u.username, u.display_name, u.role,
		COALESCE(u.staff_id, 0), COALESCE(u.branch_id, 0), COALESCE(u.department_id, 0), u.active, u.must_change_password, u.created_at,
		COALESCE(s.unit_id, 0), s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE`, hashToken(token), database.Now()).
		Scan(&u.ID, &u.UnitID, &u.Username, &u.DisplayName, &u.Role, &u.StaffID, &u.BranchID, &u.DepartmentID,
			&u.Active, &u.MustChange, &u.CreatedAt, &sess.UnitID, &sess.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return u, sess, ErrNotFound
	}
	if err != nil {
		return u, sess, fmt.Errorf("accounts: read session: %w", err)
	}
	sess.UserID = u.ID
	return u, sess, nil
}

// Logout ends a session.
func (s *Store) Logout(ctx context.Context, token string) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token))
		return err
	})
}

// SetSessionUnit makes a system administrator's session act in a unit.
func (s *Store) SetSessionUnit(ctx context.Context, token string, unitID int64) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET unit_id = $1 WHERE token_hash = $2`, database.NullID(unitID), hashToken(token))
		return err
	})
}

// Purge deletes expired sessions and login attempts older than a day.
func (s *Store) Purge(ctx context.Context) error {
	now := database.Now()
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now); err != nil {
			return fmt.Errorf("accounts: purge sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE at < $1`, now.Add(-24*time.Hour)); err != nil {
			return fmt.Errorf("accounts: purge attempts: %w", err)
		}
		return nil
	})
}
