package web

import (
	"context"
	"strconv"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/cases"
	"wuliang/internal/commitments"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
	"wuliang/internal/reviews"
)

// recordRows is how many of each kind the record shows; each section
// links to the page that has them all.
const recordRows = 5

// staffRecord is 我的档案: what a person promised, handled and was judged
// on, gathered from the packages that own each fact. Each row links to
// the fact's own page, one the viewer may open.
type staffRecord struct {
	Commitments []commitments.Commitment
	Cases       []cases.Case
	CaseCount   int
	Ratings     []ratings.Rating
	RatingCount int
	Reviews     []reviews.Entry
	Five        []fiveRecord
	Quarter     period.Period
	PointsCenti int // the quarter's 五比 points so far
	Faults      []accountability.Record
}

// fiveRecord is the person's result in one published 五评 round.
type fiveRecord struct {
	Round  fiveappraisal.Round
	Result fiveappraisal.Result
}

// mayReadRecord: the person themself and the office read the whole record.
func mayReadRecord(u accounts.User, p org.Staff) bool {
	return u.IsAdmin() || (u.StaffID != 0 && u.StaffID == p.ID)
}

func (s *Server) staffRecord(ctx context.Context, unit org.Unit, p org.Staff) (*staffRecord, error) {
	rec := &staffRecord{}
	loc := org.Location(unit.Timezone)
	now := time.Now().In(loc)
	var err error
	if rec.Commitments, err = s.commitments.List(ctx, unit.ID, commitments.Filter{StaffID: p.ID, Today: now.Format(time.DateOnly)}); err != nil {
		return nil, err
	}
	rec.Commitments = firstRows(rec.Commitments)
	if rec.Cases, rec.CaseCount, err = s.cases.List(ctx, unit.ID, cases.Filter{StaffID: p.ID, Limit: recordRows}); err != nil {
		return nil, err
	}
	if rec.Ratings, rec.RatingCount, err = s.ratings.List(ctx, unit.ID, ratings.Filter{StaffID: p.ID, Limit: recordRows}); err != nil {
		return nil, err
	}
	if rec.Reviews, err = s.reviews.Mine(ctx, unit.ID, p.ID); err != nil {
		return nil, err
	}
	rec.Reviews = firstRows(rec.Reviews)
	if rec.Five, err = s.fiveRecords(ctx, unit.ID, p.ID); err != nil {
		return nil, err
	}
	rec.Quarter = period.QuarterOf(now, loc)
	entries, err := s.activities.Entries(ctx, unit.ID, p.ID, rec.Quarter)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		rec.PointsCenti += e.Points
	}
	if rec.Faults, err = s.faults.List(ctx, unit.ID, accountability.Filter{StaffID: p.ID}); err != nil {
		return nil, err
	}
	rec.Faults = firstRows(rec.Faults)
	return rec, nil
}

// fiveRecords are the person's results in the last published rounds.
func (s *Server) fiveRecords(ctx context.Context, unitID, staffID int64) ([]fiveRecord, error) {
	rounds, err := s.five.List(ctx, unitID, true)
	if err != nil {
		return nil, err
	}
	var out []fiveRecord
	for _, round := range rounds {
		if len(out) == 2 {
			break
		}
		results, err := s.five.Results(ctx, unitID, round.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range results {
			if r.StaffID == staffID {
				out = append(out, fiveRecord{Round: round, Result: r})
			}
		}
	}
	return out, nil
}

// Points is the quarter's 五比 points as people read them.
func (r *staffRecord) Points() string {
	return strconv.FormatFloat(float64(r.PointsCenti)/100, 'f', -1, 64)
}

func firstRows[T any](rows []T) []T {
	return rows[:min(len(rows), recordRows)]
}
