package scoring

import (
	"context"
	"fmt"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/efficiency"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
	"wuliang/internal/reviews"
)

// Values are a level's indicator values: by indicator, then subject.
type Values map[string]map[int64]Value

func (v Values) set(indicator string, subject int64, x Value) {
	if v[indicator] == nil {
		v[indicator] = map[int64]Value{}
	}
	v[indicator][subject] = x
}

// add sums x into a subject's value, for rolling people up to branches.
func (v Values) add(indicator string, subject int64, x Value) {
	old := v[indicator][subject]
	v.set(indicator, subject, Value{Count: old.Count + x.Count, Total: old.Total + x.Total, Sample: old.Sample + x.Sample})
}

// Roster is who is scored at each level, and where each person belongs.
type Roster struct {
	Subjects map[Level][]Subject
	BranchOf map[int64]int64 // person → branch
	WindowOf map[int64]int64 // person → window, for facts kept only per person
}

// Source gives the values of the indicators it offers, for the period,
// at every level.
type Source interface {
	Offers() []string
	Values(ctx context.Context, unitID int64, p period.Period, r Roster) (map[Level]Values, error)
}

// collect files a person's value, and rolls it up to the person's branch.
type collect struct {
	levels map[Level]Values
	roster Roster
}

func newCollect(r Roster) collect {
	return collect{levels: map[Level]Values{Person: {}, Window: {}, Branch: {}}, roster: r}
}

func (c collect) person(indicator string, id int64, v Value) {
	c.levels[Person].set(indicator, id, v)
	if b := c.roster.BranchOf[id]; b != 0 {
		c.levels[Branch].add(indicator, b, v)
	}
}

func (c collect) window(indicator string, id int64, v Value) { c.levels[Window].set(indicator, id, v) }

// people files facts kept only per person, rolling them up to the
// person's window as well as the branch.
func (c collect) people(indicator string, byPerson map[int64]Value) {
	for id, v := range byPerson {
		c.person(indicator, id, v)
		if w := c.roster.WindowOf[id]; w != 0 {
			c.levels[Window].add(indicator, w, v)
		}
	}
}

// RatingSource reads 好评率, 差评 and 按期整改 from the ratings report:
// valid ratings only, a rating without a case at the unit's weight.
type RatingSource struct {
	Reports interface {
		Report(ctx context.Context, unitID int64, from, to time.Time) (ratings.Report, error)
	}
}

// Offers names its indicators.
func (RatingSource) Offers() []string {
	return []string{"satisfaction", "bad_ratings", "rectified_on_time"}
}

// Values reads the period's report.
func (s RatingSource) Values(ctx context.Context, unitID int64, p period.Period, r Roster) (map[Level]Values, error) {
	rep, err := s.Reports.Report(ctx, unitID, p.From, p.To)
	if err != nil {
		return nil, fmt.Errorf("scoring: ratings: %w", err)
	}
	c := newCollect(r)
	file := func(to func(string, int64, Value), row ratings.ReportRow) {
		f := row.Figures
		if f.Count > 0 {
			to("satisfaction", row.ID, Value{Count: float64(f.Weighed.Good) / 100, Total: float64(f.Weighed.All) / 100, Sample: f.Count})
		}
		to("bad_ratings", row.ID, Value{Count: float64(f.Bad), Sample: f.Count})
		if f.Rectified > 0 {
			to("rectified_on_time", row.ID, Value{Count: float64(f.OnTime), Total: float64(f.Rectified), Sample: f.Rectified})
		}
	}
	for _, row := range rep.People {
		file(c.person, row)
	}
	for _, row := range rep.Windows {
		file(c.window, row)
	}
	return c.levels, nil
}

// EfficiencySource reads the on-time rate, one-time-notice breaches and
// spot-check absences from 效能公示's figures.
type EfficiencySource struct {
	Reports interface {
		Report(ctx context.Context, unitID int64, p period.Period) (efficiency.Report, error)
	}
}

// Offers names its indicators.
func (EfficiencySource) Offers() []string { return []string{"on_time", "notice_breaches", "absences"} }

// Values reads the period's figures. On time is completed on time ÷
// (completed + still open past the deadline at the period's end): leaving
// a late case open does not help.
func (s EfficiencySource) Values(ctx context.Context, unitID int64, p period.Period, r Roster) (map[Level]Values, error) {
	rep, err := s.Reports.Report(ctx, unitID, p)
	if err != nil {
		return nil, fmt.Errorf("scoring: efficiency: %w", err)
	}
	c := newCollect(r)
	file := func(to func(string, int64, Value), row efficiency.Row) {
		f := row.Figures
		if due := f.Completed + f.OpenOverdue; due > 0 {
			to("on_time", row.ID, Value{Count: float64(f.OnTime), Total: float64(due), Sample: due})
		}
		if f.Registered > 0 {
			to("notice_breaches", row.ID, Value{Count: float64(f.Breaches), Total: float64(f.Registered), Sample: f.Registered})
		}
		to("absences", row.ID, Value{Count: float64(f.Absences), Sample: f.Absences})
	}
	for _, row := range rep.People {
		file(c.person, row)
	}
	for _, row := range rep.Windows {
		file(c.window, row)
	}
	return c.levels, nil
}

// AccountabilitySource reads the points the office deducted (责任追究扣分)
// for faults of the period, and the decisions that veto.
type AccountabilitySource struct {
	Records interface {
		List(ctx context.Context, unitID int64, f accountability.Filter) ([]accountability.Record, error)
	}
}

// Offers names its indicators.
func (AccountabilitySource) Offers() []string { return []string{"deduction_points"} }

// Values sums the sanctioned records that occurred in the period.
func (s AccountabilitySource) Values(ctx context.Context, unitID int64, p period.Period, r Roster) (map[Level]Values, error) {
	list, err := s.Records.List(ctx, unitID, accountability.Filter{State: accountability.StateSanctioned, From: p.From, To: p.To})
	if err != nil {
		return nil, fmt.Errorf("scoring: accountability: %w", err)
	}
	c := newCollect(r)
	people := map[int64]Value{}
	for _, rec := range list {
		v := people[rec.StaffID]
		people[rec.StaffID] = Value{Count: v.Count + float64(rec.Points), Sample: v.Sample + 1}
	}
	c.people("deduction_points", people)
	return c.levels, nil
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

// Values reads every whole month of the period.
func (s ReviewSource) Values(ctx context.Context, unitID int64, p period.Period, r Roster) (map[Level]Values, error) {
	c := newCollect(r)
	people := map[int64]Value{}
	for m := p.From; m.Before(p.To); m = m.AddDate(0, 1, 0) {
		meetings, err := s.Meetings.Month(ctx, unitID, m.Format("2006-01"))
		if err != nil {
			return nil, fmt.Errorf("scoring: reviews: %w", err)
		}
		for _, mt := range meetings {
			group := fmt.Sprintf("%s:%d", mt.Scope, mt.ScopeID)
			for _, e := range mt.Entries {
				if e.ScoreCenti == nil {
					continue
				}
				v := people[e.StaffID]
				people[e.StaffID] = Value{Count: v.Count + float64(*e.ScoreCenti)/100, Total: v.Total + 1, Sample: v.Sample + 1, Group: group}
			}
		}
	}
	c.people("review_grade", people)
	return c.levels, nil
}
