package activities

import (
	"context"
	"fmt"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/notifications"
)

// Messages are left in the catalogue's default language, like every
// in-app notification.
var printer = locale.NewPrinter(locale.Default)

func userIDs(ctx context.Context, tx *database.Tx, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("activities: recipients: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// notifyApprovers tells the person's branch secretary and window lead that
// a claim waits; the office sees every claim on its page anyway.
func notifyApprovers(ctx context.Context, tx *database.Tx, unitID int64, c Claim, kindName string, except int64) error {
	to, err := userIDs(ctx, tx, `SELECT id FROM users WHERE unit_id = $1 AND active = TRUE AND id <> $2 AND COALESCE(staff_id, 0) <> $3
		AND ((role = $4 AND branch_id = $5 AND branch_id > 0) OR (role = $6 AND department_id = $7 AND department_id > 0)) ORDER BY id`,
		unitID, except, c.StaffID, accounts.RoleBranchSecretary, c.BranchID, accounts.RoleWindowLead, c.WindowID)
	if err != nil {
		return err
	}
	return notifications.Send(ctx, tx, unitID, to, printer.Get("activities.notify_claim", c.Name, kindName), fmt.Sprintf("/activities/claims/%d", c.ID))
}

// notifyPerson tells the users acting as a person.
func notifyPerson(ctx context.Context, tx *database.Tx, unitID, staffID int64, body, link string) error {
	to, err := userIDs(ctx, tx, `SELECT id FROM users WHERE unit_id = $1 AND active = TRUE AND staff_id = $2 AND staff_id > 0 ORDER BY id`, unitID, staffID)
	if err != nil {
		return err
	}
	return notifications.Send(ctx, tx, unitID, to, body, link)
}

// notifyExpected tells everyone expected at a session when and where it is.
func notifyExpected(ctx context.Context, tx *database.Tx, unitID int64, x Session, body string) error {
	to, err := userIDs(ctx, tx, `SELECT u.id FROM users u JOIN staff s ON s.id = u.staff_id AND s.unit_id = u.unit_id
		WHERE u.unit_id = $1 AND u.active = TRUE AND `+expectedAt("$2", "$3")+` ORDER BY u.id`, unitID, x.Scope, x.ScopeID)
	if err != nil {
		return err
	}
	return notifications.Send(ctx, tx, unitID, to, body, fmt.Sprintf("/activities/sessions/%d", x.ID))
}
