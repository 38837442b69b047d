package accounts

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
)

// Slip is what the office hands a person for their first login: the
// username and a one-time password, printed once and never stored in the
// clear. The user must replace the password when logging in with it.
type Slip struct {
	UserID      int64
	Username    string
	DisplayName string
	Window      string
	Password    string
}

// Person is one roster entry that is to get an account.
type Person struct {
	StaffID    int64
	EmployeeNo string
	Name       string
	Window     string
}

// slipAlphabet leaves out what is misread on paper: 0/o, 1/l/i.
const slipAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// slipPassword is ten characters from slipAlphabet: about 49 bits, enough
// for a password that lives until its first use behind the login limits.
func slipPassword() string {
	b := make([]byte, 10)
	rand.Read(b)
	for i := range b {
		b[i] = slipAlphabet[int(b[i])%len(slipAlphabet)]
	}
	return string(b)
}

var notUsername = regexp.MustCompile(`[^a-z0-9._-]+`)

// usernameFor is the login derived from an employee number: the number in
// lower case, or, when another unit already uses it, the unit's code before
// it. A number that cannot be a username gets none (the person is skipped
// and told why).
func usernameFor(unitCode, employeeNo string, taken func(string) bool) string {
	base := strings.Trim(notUsername.ReplaceAllString(strings.ToLower(employeeNo), ""), "._-")
	for _, name := range []string{base, strings.ToLower(unitCode) + "-" + base} {
		if usernamePattern.MatchString(name) && !taken(name) {
			return name
		}
	}
	return ""
}

// CreateStaffAccounts gives every listed person without an account a staff
// login with a slip password. People who have an account are left alone,
// so running it twice makes no second account. The passwords are hashed
// before the transaction, which then only writes: each account audited.
func (s *Store) CreateStaffAccounts(ctx context.Context, actor audit.Actor, unitID int64, unitCode string, people []Person) ([]Slip, []string, error) {
	has, err := staffWithAccounts(ctx, s.db, unitID)
	if err != nil {
		return nil, nil, err
	}
	var todo []Person
	var hashes []string
	for _, p := range people {
		if !has[p.StaffID] {
			todo = append(todo, p)
			hashes = append(hashes, "")
		}
	}
	passwords := make([]string, len(todo))
	for i := range todo {
		passwords[i] = slipPassword()
		if hashes[i], err = HashPassword(passwords[i]); err != nil {
			return nil, nil, err
		}
	}
	var slips []Slip
	var skipped []string
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		slips, skipped = nil, nil
		if err := s.db.Lock(ctx, tx, database.LockStaffAccounts); err != nil {
			return err
		}
		has, err := staffWithAccounts(ctx, tx, unitID) // a double submit made them meanwhile
		if err != nil {
			return err
		}
		taken := func(name string) bool {
			var one int
			return tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE username = $1`, name).Scan(&one) == nil
		}
		for i, p := range todo {
			if has[p.StaffID] {
				continue
			}
			name := usernameFor(unitCode, p.EmployeeNo, taken)
			if name == "" {
				skipped = append(skipped, p.Name)
				continue
			}
			slip := Slip{Username: name, DisplayName: p.Name, Window: p.Window, Password: passwords[i]}
			if slip.UserID, err = insertSlipUser(ctx, tx, actor, unitID, p.StaffID, slip.Username, slip.DisplayName, hashes[i]); err != nil {
				return err
			}
			slips = append(slips, slip)
		}
		return nil
	})
	return slips, skipped, err
}

func staffWithAccounts(ctx context.Context, q database.Querier, unitID int64) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT staff_id FROM users WHERE unit_id = $1 AND staff_id IS NOT NULL`, unitID)
	if err != nil {
		return nil, fmt.Errorf("accounts: staff with accounts: %w", err)
	}
	ids, err := database.Collect(rows, func(r database.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	has := make(map[int64]bool, len(ids))
	for _, id := range ids {
		has[id] = true
	}
	return has, err
}

func insertSlipUser(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID, staffID int64, username, displayName, hash string) (int64, error) {
	now := database.Now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO users (unit_id, username, display_name, password_hash, role, staff_id,
		must_change_password, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $7) RETURNING id`,
		unitID, username, displayName, hash, RoleStaff, staffID, now).Scan(&id)
	if database.IsUniqueViolation(err) {
		return 0, locale.NewError("error.username_taken_retry", username)
	}
	if err != nil {
		return 0, fmt.Errorf("accounts: insert %s: %w", username, err)
	}
	after, err := userByID(ctx, tx, unitID, id)
	if err != nil {
		return 0, err
	}
	return id, audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "user", EntityID: id, After: after})
}

// ResetWithSlip gives one of the unit's accounts a new slip password: its
// sessions end and it must choose its own password at the next login.
func (s *Store) ResetWithSlip(ctx context.Context, actor audit.Actor, unitID, id int64) (Slip, error) {
	u, err := s.User(ctx, unitID, id)
	if err != nil {
		return Slip{}, err
	}
	if u.ID == actor.UserID {
		return Slip{}, locale.NewError("error.reset_self")
	}
	slip := Slip{UserID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Password: slipPassword()}
	return slip, s.SetPassword(ctx, actor, unitID, id, slip.Password)
}
