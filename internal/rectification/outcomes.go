package rectification

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"wuliang/internal/calendar"
	"wuliang/internal/database"
)

// Outcome is how the handling of one bad rating has gone, for the rating
// report's 整改率 and 按期整改率.
type Outcome struct {
	Contacted bool   // verified with the rater
	Rectified bool   // rectified
	OnTime    bool   // verified and rectified within the unit's periods
	Answer    string // the rater's answer at the follow-up
}

// RatingOutcomes returns the outcome of every bad rating given in [from,
// to), by rating id. A rating's rectification is opened with it, at the
// same moment.
func RatingOutcomes(ctx context.Context, db *database.DB, unitID int64, from, to time.Time) (map[int64]Outcome, error) {
	p, err := periodsOf(ctx, db, unitID)
	if err != nil {
		return nil, err
	}
	sc, err := calendar.NewStore(db).Schedule(ctx, unitID)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT x.rating_id, x.created_at, x.verified_at, x.rectified_at, x.method, x.followup_answer
		FROM rectifications x WHERE x.unit_id = $1 AND x.source = 'rating' AND x.created_at >= $2 AND x.created_at < $3`, unitID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("rectification: outcomes: %w", err)
	}
	defer rows.Close()
	between := func(a, b time.Time) int { return sc.Calendar.Between(a.In(sc.Location), b.In(sc.Location)) }
	out := map[int64]Outcome{}
	for rows.Next() {
		var id int64
		var at time.Time
		var verified, rectified sql.NullTime
		var method string
		var o Outcome
		if err := rows.Scan(&id, &at, &verified, &rectified, &method, &o.Answer); err != nil {
			return nil, fmt.Errorf("rectification: outcomes: %w", err)
		}
		o.Contacted, o.Rectified = verified.Valid, rectified.Valid
		if o.Rectified {
			limit := p.Rectify
			if method == "ledger" {
				limit = p.Ledger
			}
			o.OnTime = verified.Valid && between(at, verified.Time) <= p.Verify && between(verified.Time, rectified.Time) <= limit
		}
		out[id] = o
	}
	return out, rows.Err()
}

// FollowedUp reports whether the handling of a rating has closed with the
// rater's answer, which opens the one follow-up rating (追评).
func FollowedUp(ctx context.Context, db *database.DB, unitID, ratingID int64) (bool, error) {
	var done bool
	err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM rectifications WHERE unit_id = $1 AND rating_id = $2 AND state = 'closed'
		AND followup_answer NOT IN ('', 'anonymous'))`, unitID, ratingID).Scan(&done)
	if err != nil {
		return false, fmt.Errorf("rectification: followed up: %w", err)
	}
	return done, nil
}
