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

// Facts lists the period's sanctioned records.
func (s AccountabilitySource) Facts(ctx context.Context, unitID int64, p period.Period, _ string) ([]OwnedFact, error) {
	list, err := s.list(ctx, unitID, p)
	if err != nil {
		return nil, err
	}
	out := make([]OwnedFact, len(list))
	for i, rec := range list {
		out[i] = OwnedFact{Staff: rec.StaffID, FactRef: accountabilityFact(rec)}
	}
	return out, nil
}

// ReviewSource reads the monthly review scores (例会点评): each published
// entry's mean points, one fact per person and month, grouped by the
// meeting that gave it, so calibration can take out a lenient meeting.
type ReviewSource struct {
	Meetings interface {
		Lines(ctx context.Context, unitID int64, months []string) ([]reviews.Line, error)
	}
}

// Offers names its indicator.
func (ReviewSource) Offers() []string { return []string{"review_grade"} }

// lines reads the scores of every whole month of the period.
func (s ReviewSource) lines(ctx context.Context, unitID int64, p period.Period) ([]reviews.Line, error) {
	var months []string
	for m := p.From; m.Before(p.To); m = m.AddDate(0, 1, 0) {
		months = append(months, m.Format("2006-01"))
	}
	list, err := s.Meetings.Lines(ctx, unitID, months)
	if err != nil {
		return nil, errorf("reviews", err)
	}
	return list, nil
}

// Gather reads the period's months.
func (s ReviewSource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	list, err := s.lines(ctx, unitID, p)
	if err != nil {
		return Gathered{}, err
	}
	c := newCollect(r)
	people := map[int64]Value{}
	for _, l := range list {
		v := people[l.StaffID]
		people[l.StaffID] = Value{Count: v.Count + float64(l.ScoreCenti)/100, Total: v.Total + 1, Sample: v.Sample + 1,
			Group: fmt.Sprintf("%s:%d", l.Scope, l.ScopeID)}
	}
	c.people("review_grade", people)
	return c.Gathered, nil
}

// Facts lists the review lines, one per person and meeting.
func (s ReviewSource) Facts(ctx context.Context, unitID int64, p period.Period, _ string) ([]OwnedFact, error) {
	list, err := s.lines(ctx, unitID, p)
	if err != nil {
		return nil, err
	}
	out := make([]OwnedFact, len(list))
	for i, l := range list {
		out[i] = OwnedFact{Staff: l.StaffID, FactRef: FactRef{Kind: "review_entry", ID: l.MeetingID, At: l.At, Amount: float64(l.ScoreCenti) / 100,
			Label: "scoring.fact.review", Text: l.Name + " · " + l.Month, Link: link("/reviews/", l.MeetingID)}}
	}
	return out, nil
}
