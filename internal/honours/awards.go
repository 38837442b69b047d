package honours

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Award is a confirmed honour: who, which kind, which period.
type Award struct {
	ID            int64      `json:"id"`
	KindID        int64      `json:"kind_id"`
	KindCode      string     `json:"kind_code"`
	KindName      string     `json:"kind"`
	Moves         bool       `json:"moves"`
	SelectionID   int64      `json:"selection_id"`
	Subject       string     `json:"subject"` // window or person
	SubjectID     int64      `json:"subject_id"`
	Name          string     `json:"name"`
	Period        string     `json:"period"`
	From          time.Time  `json:"from"`
	To            time.Time  `json:"to"`
	CertificateNo string     `json:"certificate_no"`
	ConfirmedBy   string     `json:"confirmed_by"`
	ConfirmedAt   time.Time  `json:"confirmed_at"`
	RevokedBy     string     `json:"revoked_by,omitempty"`
	RevokeReason  string     `json:"revoke_reason,omitempty"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	// Passed says a moving honour (流动红旗) has since gone to a later
	// period's holder.
	Passed bool `json:"passed,omitempty"`
}

// Revoked reports whether the honour was taken back.
func (a Award) Revoked() bool { return a.RevokedAt != nil }

const awardQuery = `SELECT h.id, k.id, k.code, k.name, k.moves, h.selection_id, h.subject, h.subject_id, h.name, h.period, h.period_from, h.period_to,
	h.certificate_no, h.confirmed_by, h.confirmed_at, h.revoked_by, h.revoke_reason, h.revoked_at
	FROM honours h JOIN honour_kinds k ON k.id = h.kind_id AND k.unit_id = h.unit_id`

func scanAward(r database.Scanner) (Award, error) {
	var a Award
	var revoked sql.NullTime
	err := r.Scan(&a.ID, &a.KindID, &a.KindCode, &a.KindName, &a.Moves, &a.SelectionID, &a.Subject, &a.SubjectID, &a.Name, &a.Period, &a.From, &a.To,
		&a.CertificateNo, &a.ConfirmedBy, &a.ConfirmedAt, &a.RevokedBy, &a.RevokeReason, &revoked)
	a.RevokedAt = timeOf(revoked)
	return a, err
}

// AwardFilter narrows the unit's honours.
type AwardFilter struct {
	Period      string
	Subject     string // window or person, with SubjectID
	SubjectID   int64
	SelectionID int64
	Live        bool // leave out revoked honours
}

// Awards lists the unit's honours, newest period first, each moving
// honour marked when a later holder has it now.
func (s *Store) Awards(ctx context.Context, unitID int64, f AwardFilter) ([]Award, error) {
	all, err := s.awards(ctx, unitID)
	if err != nil {
		return nil, err
	}
	var out []Award
	for _, a := range all {
		switch {
		case f.Period != "" && a.Period != f.Period,
			f.Subject != "" && (a.Subject != f.Subject || a.SubjectID != f.SubjectID),
			f.SelectionID != 0 && a.SelectionID != f.SelectionID,
			f.Live && a.Revoked():
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// awards is every honour of the unit, newest first, with Passed set: a
// moving honour passes once a later period of its kind has a live holder.
func (s *Store) awards(ctx context.Context, unitID int64) ([]Award, error) {
	rows, err := s.db.QueryContext(ctx, awardQuery+` WHERE h.unit_id = $1 ORDER BY h.period_to DESC, k.id, h.id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("honours: awards: %w", err)
	}
	list, err := database.Collect(rows, scanAward)
	if err != nil {
		return nil, err
	}
	latest := map[int64]time.Time{} // kind → the newest period with a live holder
	for i, a := range list {
		if !a.Moves || a.Revoked() {
			continue
		}
		if to, ok := latest[a.KindID]; ok && to.After(a.To) {
			list[i].Passed = true
			continue
		}
		latest[a.KindID] = a.To
	}
	return list, nil
}

// Current lists the honours that stand now: every moving honour's
// latest holder, and the other honours of the newest period each kind
// was awarded for.
func (s *Store) Current(ctx context.Context, unitID int64) ([]Award, error) {
	all, err := s.awards(ctx, unitID)
	if err != nil {
		return nil, err
	}
	newest := map[int64]time.Time{}
	var out []Award
	for _, a := range all {
		if a.Revoked() || a.Passed {
			continue
		}
		if to, ok := newest[a.KindID]; ok && to.After(a.To) {
			continue
		}
		newest[a.KindID] = a.To
		out = append(out, a)
	}
	return out, nil
}

// Award returns one honour of the unit.
func (s *Store) Award(ctx context.Context, unitID, id int64) (Award, error) {
	all, err := s.awards(ctx, unitID)
	if err != nil {
		return Award{}, err
	}
	for _, a := range all {
		if a.ID == id {
			return a, nil
		}
	}
	return Award{}, ErrNotFound
}

// ErrRevoked refuses revoking twice.
var ErrRevoked = locale.NewError("honours.already_revoked")

// Revoke takes a confirmed honour back with a written reason. Nothing else
// of a confirmed honour can change.
func (s *Store) Revoke(ctx context.Context, actor audit.Actor, unitID, id int64, reason string) error {
	reason = textnorm.CleanMultiline(reason)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "reason", "honours.revoke_reason", reason, MaxReasonLen, true)
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		before, err := scanAward(tx.QueryRowContext(ctx, awardQuery+` WHERE h.unit_id = $1 AND h.id = $2`, unitID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("honours: award %d: %w", id, err)
		}
		if before.Revoked() {
			return ErrRevoked
		}
		if _, err := tx.ExecContext(ctx, `UPDATE honours SET revoked_by = $1, revoke_reason = $2, revoked_at = $3 WHERE unit_id = $4 AND id = $5`,
			actor.Name, reason, s.now(), unitID, id); err != nil {
			return fmt.Errorf("honours: revoke: %w", err)
		}
		after, err := scanAward(tx.QueryRowContext(ctx, awardQuery+` WHERE h.unit_id = $1 AND h.id = $2`, unitID, id))
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "revoke", Entity: "honour", EntityID: id, Before: before, After: after})
	})
}
