package scoring

import (
	"context"
	"strconv"
	"time"

	"wuliang/internal/attendance"
	"wuliang/internal/efficiency"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
	"wuliang/internal/rectification"
)

// RatingSource reads 好评率, 差评 and 按期整改 from the ratings report:
// valid ratings only, a rating without a case at the unit's weight. A
// 非常不满意 not rectified by now vetoes.
type RatingSource struct {
	Ratings interface {
		Report(ctx context.Context, unitID int64, from, to time.Time) (ratings.Report, error)
		In(ctx context.Context, unitID int64, f ratings.Filter) ([]ratings.Rating, error)
	}
	Outcomes func(ctx context.Context, unitID int64, from, to time.Time) (map[int64]rectification.Outcome, error)
}

// Offers names its indicators.
func (RatingSource) Offers() []string {
	return []string{"satisfaction", "bad_ratings", "rectified_on_time"}
}

// Gather reads the period's report and its unrectified 非常不满意.
func (s RatingSource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	rep, err := s.Ratings.Report(ctx, unitID, p.From, p.To)
	if err != nil {
		return Gathered{}, errorf("ratings", err)
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
	worst, outcomes, err := s.bad(ctx, unitID, p, ratings.Filter{Level: ratings.VeryDissatisfied})
	if err != nil {
		return Gathered{}, err
	}
	for _, x := range worst {
		if o, ok := outcomes[x.ID]; x.Valid && (!ok || !o.Rectified) {
			c.hit("unrectified_very_dissatisfied", x.StaffID, x.DepartmentID, ratingFact(x))
		}
	}
	return c.Gathered, nil
}

// bad lists the period's ratings matching f with their 整改 outcomes.
func (s RatingSource) bad(ctx context.Context, unitID int64, p period.Period, f ratings.Filter) ([]ratings.Rating, map[int64]rectification.Outcome, error) {
	f.From, f.To = p.From, p.To
	list, err := s.Ratings.In(ctx, unitID, f)
	if err != nil {
		return nil, nil, errorf("ratings", err)
	}
	outcomes, err := s.Outcomes(ctx, unitID, p.From, p.To)
	if err != nil {
		return nil, nil, errorf("ratings", err)
	}
	return list, outcomes, nil
}

func ratingFact(x ratings.Rating) FactRef {
	f := FactRef{Kind: "rating", ID: x.ID, At: x.CreatedAt, Amount: float64(x.Level), Label: "rating.level." + strconv.Itoa(x.Level), Text: x.CaseNo}
	if x.CaseID != 0 {
		f.Link = link("/cases/", x.CaseID)
	} else {
		f.Link = "/ratings?period=" + x.CreatedAt.Format("2006-01")
	}
	return f
}

// Facts lists the period's valid ratings (the bad ones for 差评 and 整改,
// each with its outcome).
func (s RatingSource) Facts(ctx context.Context, unitID int64, p period.Period, indicator string) ([]OwnedFact, error) {
	list, outcomes, err := s.bad(ctx, unitID, p, ratings.Filter{})
	if err != nil {
		return nil, err
	}
	var out []OwnedFact
	for _, x := range list {
		if !x.Valid || (indicator != "satisfaction" && !ratings.Bad(x.Level)) {
			continue
		}
		fr := ratingFact(x)
		if indicator == "rectified_on_time" {
			o, ok := outcomes[x.ID]
			if !ok || !o.Rectified {
				continue
			}
			fr.Label, fr.Amount = "scoring.fact.late", 0
			if o.OnTime {
				fr.Label, fr.Amount = "scoring.fact.on_time", 1
			}
		}
		out = append(out, OwnedFact{Staff: x.StaffID, Window: x.DepartmentID, FactRef: fr})
	}
	return out, nil
}

// EfficiencySource reads the on-time rate and one-time-notice breaches
// from 效能公示's figures.
type EfficiencySource struct {
	Reports interface {
		Counts(ctx context.Context, unitID int64, p period.Period) (efficiency.Report, error)
		Due(ctx context.Context, unitID int64, p period.Period) ([]efficiency.DueCase, error)
		Breaches(ctx context.Context, unitID int64, p period.Period) ([]efficiency.Breach, error)
	}
}

// Offers names its indicators.
func (EfficiencySource) Offers() []string { return []string{"on_time", "notice_breaches"} }

// Gather reads the period's figures. On time is completed on time ÷
// (completed + still open past the deadline at the period's end): leaving
// a late case open does not help.
func (s EfficiencySource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	rep, err := s.Reports.Counts(ctx, unitID, p)
	if err != nil {
		return Gathered{}, errorf("efficiency", err)
	}
	c := newCollect(r)
	file := func(to func(string, int64, Value), row efficiency.Row) {
		f := row.Figures
		if due := f.Due(); due > 0 {
			to("on_time", row.ID, Value{Count: float64(f.OnTime), Total: float64(due), Sample: due})
		}
		if f.Registered > 0 {
			to("notice_breaches", row.ID, Value{Count: float64(f.Breaches), Total: float64(f.Registered), Sample: f.Registered})
		}
	}
	for _, row := range rep.People {
		file(c.person, row)
	}
	for _, row := range rep.Windows {
		file(c.window, row)
	}
	return c.Gathered, nil
}

// Facts lists the cases behind the on-time rate, or the breaches.
func (s EfficiencySource) Facts(ctx context.Context, unitID int64, p period.Period, indicator string) ([]OwnedFact, error) {
	var out []OwnedFact
	if indicator == "notice_breaches" {
		got, err := s.Reports.Breaches(ctx, unitID, p)
		if err != nil {
			return nil, errorf("efficiency", err)
		}
		for _, b := range got {
			out = append(out, OwnedFact{Staff: b.StaffID, Window: b.DepartmentID, FactRef: FactRef{Kind: "case", ID: b.CaseID, At: b.At, Amount: 1,
				Label: "scoring.fact.breach", Text: b.No, Link: link("/cases/", b.CaseID)}})
		}
		return out, nil
	}
	got, err := s.Reports.Due(ctx, unitID, p)
	if err != nil {
		return nil, errorf("efficiency", err)
	}
	for _, d := range got {
		f := FactRef{Kind: "case", ID: d.ID, At: d.At, Label: "scoring.fact.late", Text: d.No, Link: link("/cases/", d.ID)}
		switch {
		case d.OnTime:
			f.Label, f.Amount = "scoring.fact.on_time", 1
		case d.Open:
			f.Label = "scoring.fact.open_overdue"
		}
		out = append(out, OwnedFact{Staff: d.StaffID, Window: d.DepartmentID, FactRef: f})
	}
	return out, nil
}

// AttendanceSource reads the spot checks (岗位抽查): each 无故缺岗 is one
// absence, and a person found absent twice in the period is vetoed.
type AttendanceSource struct {
	Checks interface {
		Absences(ctx context.Context, unitID int64, from, to time.Time) ([]attendance.Absence, error)
	}
}

// Offers names its indicator.
func (AttendanceSource) Offers() []string { return []string{"absences"} }

type absence struct {
	staff, dept int64
	fact        FactRef
}

func (s AttendanceSource) absences(ctx context.Context, unitID int64, p period.Period) ([]absence, error) {
	list, err := s.Checks.Absences(ctx, unitID, p.From, p.To)
	if err != nil {
		return nil, errorf("attendance", err)
	}
	out := make([]absence, len(list))
	for i, a := range list {
		out[i] = absence{staff: a.StaffID, dept: a.DepartmentID, fact: FactRef{Kind: "spot_check", ID: a.CheckID, At: a.CheckedAt,
			Amount: 1, Label: "scoring.fact.absent", Text: a.Name, Link: link("/spot-checks/", a.CheckID)}}
	}
	return out, nil
}

// Gather counts absences per person (and per window), and vetoes the
// second absence of a person.
func (s AttendanceSource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	list, err := s.absences(ctx, unitID, p)
	if err != nil {
		return Gathered{}, err
	}
	c := newCollect(r)
	found := map[int64]int{}
	for _, a := range list {
		c.fact("absences", a.staff, a.dept, 1, 0)
		if found[a.staff]++; found[a.staff] == 2 {
			c.hit("absent_twice", a.staff, a.dept, a.fact)
		}
	}
	return c.Gathered, nil
}

// Facts lists the period's absences.
func (s AttendanceSource) Facts(ctx context.Context, unitID int64, p period.Period, _ string) ([]OwnedFact, error) {
	list, err := s.absences(ctx, unitID, p)
	if err != nil {
		return nil, err
	}
	out := make([]OwnedFact, len(list))
	for i, a := range list {
		out[i] = OwnedFact{Staff: a.staff, Window: a.dept, FactRef: a.fact}
	}
	return out, nil
}
