package scoring

import (
	"context"
	"fmt"

	"wuliang/internal/accountability"
	"wuliang/internal/period"
	"wuliang/internal/reviews"
)

// AccountabilitySource reads the points the office deducted (责任追究扣分)
// for faults of the period; a decision of 通报批评 vetoes.
type AccountabilitySource struct {
	Records interface {
		List(ctx context.Context, unitID int64, f accountability.Filter) ([]accountability.Record, error)
	}
}

// Offers names its indicator.
func (AccountabilitySource) Offers() []string { return []string{"deduction_points"} }

func (s AccountabilitySource) list(ctx context.Context, unitID int64, p period.Period) ([]accountability.Record, error) {
	list, err := s.Records.List(ctx, unitID, accountability.Filter{State: accountability.StateSanctioned, From: p.From, To: p.To})
	if err != nil {
		return nil, errorf("accountability", err)
	}
	return list, nil
}

func accountabilityFact(rec accountability.Record) FactRef {
	return FactRef{Kind: "accountability", ID: rec.ID, At: rec.OccurredAt, Amount: float64(rec.Points),
		Label: "accountability.sanction." + rec.Sanction, Text: rec.StaffName, Link: link("/accountability/", rec.ID)}
}

// Gather sums the sanctioned records that occurred in the period.
func (s AccountabilitySource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	list, err := s.list(ctx, unitID, p)
	if err != nil {
		return Gathered{}, err
	}
	c := newCollect(r)
	for _, rec := range list {
		c.fact("deduction_points", rec.StaffID, 0, float64(rec.Points), 0)
		if rec.Sanction == "circular" {
			c.hit("accountability_circular", rec.StaffID, 0, accountabilityFact(rec))
		}
	}
	return c.Gathered, nil
}

// Facts lists the subject's sanctioned records.
func (s AccountabilitySource) Facts(ctx context.Context, unitID int64, p period.Period, r Roster, level Level, subject int64, _ string) ([]FactRef, error) {
	list, err := s.list(ctx, unitID, p)
	if err != nil {
		return nil, err
	}
	var out []FactRef
	for _, rec := range list {
		if r.belongs(level, subject, rec.StaffID, 0) {
			out = append(out, accountabilityFact(rec))
		}
	}
	return sortFacts(out), nil
}

// ReviewSource reads the monthly review scores (例会点评): each published
// entry's mean points, one fact per person and month, grouped by the
// meeting that gave it, so calibration can take out a lenient meeting.
type ReviewSource struct {
	Meetings interface {
		Month(ctx context.Context, unitID int64, month string) ([]reviews.Meeting, error)
	}
}

// Offers names its indicator.
func (ReviewSource) Offers() []string { return []string{"review_grade"} }

// each calls fn for every scored entry of every whole month of the period.
func (s ReviewSource) each(ctx context.Context, unitID int64, p period.Period, fn func(reviews.Meeting, reviews.Entry)) error {
	for m := p.From; m.Before(p.To); m = m.AddDate(0, 1, 0) {
		meetings, err := s.Meetings.Month(ctx, unitID, m.Format("2006-01"))
		if err != nil {
			return errorf("reviews", err)
		}
		for _, mt := range meetings {
			for _, e := range mt.Entries {
				if e.ScoreCenti != nil {
					fn(mt, e)
				}
			}
		}
	}
	return nil
}

// Gather reads the period's months.
func (s ReviewSource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	c := newCollect(r)
	people := map[int64]Value{}
	err := s.each(ctx, unitID, p, func(mt reviews.Meeting, e reviews.Entry) {
		v := people[e.StaffID]
		people[e.StaffID] = Value{Count: v.Count + float64(*e.ScoreCenti)/100, Total: v.Total + 1, Sample: v.Sample + 1,
			Group: fmt.Sprintf("%s:%d", mt.Scope, mt.ScopeID)}
	})
	c.people("review_grade", people)
	return c.Gathered, err
}

// Facts lists the subject's review lines, one per meeting.
func (s ReviewSource) Facts(ctx context.Context, unitID int64, p period.Period, r Roster, level Level, subject int64, _ string) ([]FactRef, error) {
	var out []FactRef
	err := s.each(ctx, unitID, p, func(mt reviews.Meeting, e reviews.Entry) {
		if !r.belongs(level, subject, e.StaffID, 0) {
			return
		}
		at := mt.CreatedAt
		if mt.PublishedAt != nil {
			at = *mt.PublishedAt
		}
		out = append(out, FactRef{Kind: "review_entry", ID: mt.ID, At: at, Amount: float64(*e.ScoreCenti) / 100,
			Label: "scoring.fact.review", Text: e.Name + " · " + mt.Month + " " + mt.ScopeName, Link: link("/reviews/", mt.ID)})
	})
	return sortFacts(out), err
}
