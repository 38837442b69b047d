package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
)

// Store reads and writes accounts and sessions.
type Store struct {
	db *database.DB
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db} }

// ErrNotFound is returned for a user or session that does not exist in scope.
var ErrNotFound = failure.Wrap("accounts", failure.NotFound)

// Session and rate-limit settings.
const (
	SessionLifetime   = 12 * time.Hour
	lockWindow        = 15 * time.Minute
	maxUserFailures   = 5
	maxIPFailures     = 30
	minPasswordLength = 8
	maxPasswordLength = 128
)

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$`)

const userColumns = `id, COALESCE(unit_id, 0), username, display_name, role, COALESCE(staff_id, 0),
	COALESCE(branch_id, 0), COALESCE(department_id, 0), active, must_change_password, created_at`

func scanUser(row database.Scanner) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.UnitID, &u.Username, &u.DisplayName, &u.Role, &u.StaffID, &u.BranchID, &u.DepartmentID, &u.Active, &u.MustChange, &u.CreatedAt)
	return u, err
}

// NewUser is what creates an account.
type NewUser struct {
	UnitID      int64
	Username    string
	DisplayName string
	Password    string
	// PasswordHash, when set, is stored instead of hashing Password: a
	// loader that creates many logins with one password hashes it once.
	PasswordHash string
	Role         string
	StaffID      int64
	BranchID     int64
	DepartmentID int64
}

func checkPassword(ps *locale.Problems, password string) {
	n := utf8.RuneCountInString(password)
	if n < minPasswordLength || n > maxPasswordLength {
		ps.Add("password", "error.password_length", minPasswordLength, maxPasswordLength)
	}
}

// validate checks the input alone; references are checked in the transaction.
func (in NewUser) validate() locale.Problems {
	var ps locale.Problems
	if !usernamePattern.MatchString(in.Username) {
		ps.Add("username", "error.username_invalid")
	}
	if utf8.RuneCountInString(in.DisplayName) > 50 {
		ps.Add("display_name", "error.too_long", locale.NewPrinter(locale.Default).Get("field.display_name"), 50)
	}
	if in.PasswordHash == "" {
		checkPassword(&ps, in.Password)
	}
	switch {
	case in.Role == RoleSystemAdmin && in.UnitID != 0, in.Role != RoleSystemAdmin && in.UnitID == 0:
		ps.Add("role", "error.role_invalid")
	case in.Role != RoleSystemAdmin && !slices.Contains(Roles, in.Role):
		ps.Add("role", "error.role_invalid")
	case in.Role == RoleBranchSecretary && in.BranchID == 0:
		ps.Add("branch", "error.role_needs_branch")
	case in.Role == RoleWindowLead && in.DepartmentID == 0:
		ps.Add("department", "error.role_needs_department")
	case in.Role == RoleStaff && in.StaffID == 0:
		ps.Add("staff", "error.role_needs_staff")
	}
	return ps
}

// belongs reports whether a non-zero id of table is the unit's. table is a
// constant of this package.
func belongs(ctx context.Context, tx *database.Tx, table string, unitID, id int64) bool {
	if id == 0 {
		return true
	}
	var one int
	return tx.QueryRowContext(ctx, `SELECT 1 FROM `+table+` WHERE unit_id = $1 AND id = $2`, unitID, id).Scan(&one) == nil
}

// CreateUser adds an account.
func (s *Store) CreateUser(ctx context.Context, actor audit.Actor, in NewUser) (int64, error) {
	if ps := in.validate(); len(ps) > 0 {
		return 0, ps
	}
	hash, err := in.PasswordHash, error(nil)
	if hash == "" {
		if hash, err = HashPassword(in.Password); err != nil {
			return 0, err
		}
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		var ps locale.Problems
		if !belongs(ctx, tx, "staff", in.UnitID, in.StaffID) {
			ps.Add("staff", "error.staff_unknown")
		}
		if !belongs(ctx, tx, "branches", in.UnitID, in.BranchID) {
			ps.Add("branch", "error.branch_unknown")
		}
		if !belongs(ctx, tx, "departments", in.UnitID, in.DepartmentID) {
			ps.Add("department", "error.department_unknown")
		}
		var other int64
		if tx.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, in.Username).Scan(&other) == nil {
			ps.Add("username", "error.username_taken")
		}
		if len(ps) > 0 {
			return ps
		}
		now := database.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO users (unit_id, username, display_name, password_hash, role, staff_id,
			branch_id, department_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			database.NullID(in.UnitID), in.Username, in.DisplayName, hash, in.Role, database.NullID(in.StaffID), database.NullID(in.BranchID),
			database.NullID(in.DepartmentID), now).Scan(&id)
		if database.IsUniqueViolation(err) {
			return locale.FieldProblem("username", "error.username_taken")
		}
		if err != nil {
			return fmt.Errorf("accounts: insert user: %w", err)
		}
		after, err := userByID(ctx, tx, in.UnitID, id)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: in.UnitID, Action: "create", Entity: "user", EntityID: id, After: after})
	})
	return id, err
}

func userByID(ctx context.Context, q database.Querier, unitID, id int64) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE COALESCE(unit_id, 0) = $1 AND id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("accounts: user %d: %w", id, err)
	}
	return u, nil
}

// User returns one of the unit's accounts.
func (s *Store) User(ctx context.Context, unitID, id int64) (User, error) {
	return userByID(ctx, s.db, unitID, id)
}

// Users lists the unit's accounts.
func (s *Store) Users(ctx context.Context, unitID int64) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE COALESCE(unit_id, 0) = $1 ORDER BY id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("accounts: list users: %w", err)
	}
	return database.Collect(rows, scanUser)
}

// SetUserActive disables or enables an account; disabling ends its sessions.
func (s *Store) SetUserActive(ctx context.Context, actor audit.Actor, unitID, id int64, active bool) error {
	if !active && id == actor.UserID {
		return locale.NewError("error.user_disable_self")
	}
	return s.changeUser(ctx, actor, unitID, id, "set_active", func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET active = $1, updated_at = $2 WHERE unit_id = $3 AND id = $4`,
			active, database.Now(), unitID, id)
		return err
	}, !active)
}

// SetPassword gives an account a new password (an admin's reset) and ends
// the account's sessions. The office knows the password, so the user must
// choose their own at the next login.
func (s *Store) SetPassword(ctx context.Context, actor audit.Actor, unitID, id int64, password string) error {
	return s.setPassword(ctx, actor, unitID, id, password, true)
}

func (s *Store) setPassword(ctx context.Context, actor audit.Actor, unitID, id int64, password string, mustChange bool) error {
	var ps locale.Problems
	if checkPassword(&ps, password); len(ps) > 0 {
		return ps
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.changeUser(ctx, actor, unitID, id, "set_password", func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3
			WHERE COALESCE(unit_id, 0) = $4 AND id = $5`, hash, mustChange, database.Now(), unitID, id)
		return err
	}, true)
}

// ChangeOwnPassword lets a user change their password after giving the old one.
func (s *Store) ChangeOwnPassword(ctx context.Context, u User, old, password string) error {
	var hash string
	if err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&hash); err != nil {
		return fmt.Errorf("accounts: read password: %w", err)
	}
	if !CheckPassword(hash, old) {
		return locale.FieldProblem("old_password", "error.old_password_wrong")
	}
	if old == password {
		return locale.FieldProblem("password", "error.password_unchanged")
	}
	return s.setPassword(ctx, audit.Actor{UserID: u.ID, Name: u.Username}, u.UnitID, u.ID, password, false)
}

// changeUser runs change on one of the unit's users, audits it and, when
// endSessions is set, logs the user out everywhere.
func (s *Store) changeUser(ctx context.Context, actor audit.Actor, unitID, id int64, action string, change func(*database.Tx) error, endSessions bool) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := userByID(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		if err := change(tx); err != nil {
			return fmt.Errorf("accounts: %s: %w", action, err)
		}
		if endSessions {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return fmt.Errorf("accounts: end sessions: %w", err)
			}
		}
		after, err := userByID(ctx, tx, unitID, id)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "user", EntityID: id, Before: before, After: after})
	})
}

// newToken returns a random token and the hash stored in its place.
func newToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
