package scoring

import (
	"context"
	"fmt"
	"time"

	"wuliang/internal/activities"
	"wuliang/internal/appraisal"
	"wuliang/internal/commitments"
	"wuliang/internal/database"
	"wuliang/internal/feedback"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/period"
	"wuliang/internal/supervision"
)

// day is a period's bound as the date strings rounds and commitments keep.
func day(t time.Time) string { return t.Format("2006-01-02") }

// FiveSource reads the published 五评 rounds whose period overlaps the
// scoring period: the total, and the branch and leader parts, each
// grouped by who gave it so a lenient branch can be calibrated.
type FiveSource struct {
	Rounds interface {
		List(ctx context.Context, unitID int64, publishedOnly bool) ([]fiveappraisal.Round, error)
		Results(ctx context.Context, unitID, roundID int64) ([]fiveappraisal.Result, error)
	}
}

// Offers names its indicators.
func (FiveSource) Offers() []string { return []string{"five_total", "five_branch", "five_leader"} }

func (s FiveSource) each(ctx context.Context, unitID int64, p period.Period, fn func(fiveappraisal.Round, fiveappraisal.Result)) error {
	rounds, err := s.Rounds.List(ctx, unitID, true)
	if err != nil {
		return errorf("fiveappraisal", err)
	}
	from, to := day(p.From), day(p.To)
	for _, rd := range rounds {
		if rd.PublishedAt == nil || rd.PeriodFrom >= to || rd.PeriodTo < from {
			continue
		}
		list, err := s.Rounds.Results(ctx, unitID, rd.ID)
		if err != nil {
			return errorf("fiveappraisal", err)
		}
		for _, res := range list {
			fn(rd, res)
		}
	}
	return nil
}

// fiveParts are the indicators and the part of the score each reads.
var fiveParts = []struct {
	indicator string
	score     func(fiveappraisal.Result) *int
	group     func(fiveappraisal.Round, fiveappraisal.Result) string
}{
	{"five_total", func(r fiveappraisal.Result) *int { return r.Total }, nil},
	{"five_branch", func(r fiveappraisal.Result) *int { return r.Scores[2] },
		func(_ fiveappraisal.Round, r fiveappraisal.Result) string {
			return fmt.Sprintf("branch:%d", r.BranchID)
		}},
	{"five_leader", func(r fiveappraisal.Result) *int { return r.Scores[3] },
		func(rd fiveappraisal.Round, _ fiveappraisal.Result) string { return fmt.Sprintf("leaders:%d", rd.ID) }},
}

// Gather averages each person's parts over the rounds.
func (s FiveSource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	c := newCollect(r)
	sums := map[string]map[int64]Value{}
	err := s.each(ctx, unitID, p, func(rd fiveappraisal.Round, res fiveappraisal.Result) {
		for _, fp := range fiveParts {
			v := fp.score(res)
			if v == nil {
				continue
			}
			if sums[fp.indicator] == nil {
				sums[fp.indicator] = map[int64]Value{}
			}
			old := sums[fp.indicator][res.StaffID]
			x := Value{Count: old.Count + float64(*v)/100, Total: old.Total + 1, Sample: old.Sample + 1}
			if fp.group != nil {
				x.Group = fp.group(rd, res)
			}
			sums[fp.indicator][res.StaffID] = x
		}
	})
	for ind, people := range sums {
		c.people(ind, people)
	}
	return c.Gathered, err
}

// Facts lists each person's result of the part, one per round.
func (s FiveSource) Facts(ctx context.Context, unitID int64, p period.Period, indicator string) ([]OwnedFact, error) {
	var out []OwnedFact
	err := s.each(ctx, unitID, p, func(rd fiveappraisal.Round, res fiveappraisal.Result) {
		for _, fp := range fiveParts {
			if v := fp.score(res); fp.indicator == indicator && v != nil {
				at := rd.CreatedAt
				if rd.PublishedAt != nil {
					at = *rd.PublishedAt
				}
				out = append(out, OwnedFact{Staff: res.StaffID, FactRef: FactRef{Kind: "five_result", ID: rd.ID, At: at, Amount: float64(*v) / 100,
					Label: "scoring.fact.five", Text: res.Name + " · " + rd.Title, Link: link("/five-appraisals/", rd.ID)}})
			}
		}
	})
	return out, err
}

// AppraisalSource reads 民主评议: the mean of every published round closed
// in the period, for the people and windows it appraised.
type AppraisalSource struct {
	Rounds interface {
		List(ctx context.Context, unitID int64, publishedOnly bool) ([]appraisal.Round, error)
		Results(ctx context.Context, unitID, roundID int64) (appraisal.Results, error)
	}
}

// Offers names its indicator.
func (AppraisalSource) Offers() []string { return []string{"democratic"} }

func (s AppraisalSource) each(ctx context.Context, unitID int64, p period.Period, fn func(appraisal.Round, appraisal.TargetResult)) error {
	rounds, err := s.Rounds.List(ctx, unitID, true)
	if err != nil {
		return errorf("appraisal", err)
	}
	for _, rd := range rounds {
		if rd.ClosedAt == nil || !within(p, *rd.ClosedAt) {
			continue
		}
		res, err := s.Rounds.Results(ctx, unitID, rd.ID)
		if err != nil {
			return errorf("appraisal", err)
		}
		for _, t := range res.Targets {
			if t.Overall.N > 0 {
				fn(rd, t)
			}
		}
	}
	return nil
}

// Gather sums the answers' points per person and window.
func (s AppraisalSource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	c := newCollect(r)
	err := s.each(ctx, unitID, p, func(_ appraisal.Round, t appraisal.TargetResult) {
		v := Value{Count: t.Overall.Points, Total: float64(t.Overall.N), Sample: t.Overall.N}
		switch {
		case t.StaffID != 0:
			c.Values[Person].add("democratic", t.StaffID, v)
			if b := r.BranchOf[t.StaffID]; b != 0 {
				c.Values[Branch].add("democratic", b, v)
			}
		case t.DepartmentID != 0:
			c.Values[Window].add("democratic", t.DepartmentID, v)
		}
	})
	return c.Gathered, err
}

// Facts lists the rounds and whom each appraised: a person's round counts
// for the person and their branch, a window's for the window.
func (s AppraisalSource) Facts(ctx context.Context, unitID int64, p period.Period, _ string) ([]OwnedFact, error) {
	var out []OwnedFact
	err := s.each(ctx, unitID, p, func(rd appraisal.Round, t appraisal.TargetResult) {
		out = append(out, OwnedFact{Staff: t.StaffID, Window: t.DepartmentID, NotWindow: t.StaffID != 0, FactRef: FactRef{Kind: "appraisal", ID: rd.ID,
			At: *rd.ClosedAt, Amount: t.Overall.Points / float64(t.Overall.N), Label: "scoring.fact.appraisal", Text: t.Name + " · " + rd.Title,
			Link: link("/appraisals/", rd.ID)}})
	})
	return out, err
}

// ActivitySource reads 五比's points per dimension, as the rankings count
// them (caps applied): per person, and per head for windows and branches.
type ActivitySource struct {
	Points interface {
		Rank(ctx context.Context, unitID int64, p period.Period, dim string) (activities.Ranking, error)
		Register(ctx context.Context, unitID int64, p period.Period) ([]activities.Entry, error)
	}
}

// Offers names its indicators.
func (ActivitySource) Offers() []string {
	out := make([]string, len(activities.Dimensions))
	for i, d := range activities.Dimensions {
		out[i] = "points_" + d
	}
	return out
}

// Gather reads the ranking on the total once: it carries each person's
// five dimensions, which windows and branches sum per head as the
// rankings do.
func (s ActivitySource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	rk, err := s.Points.Rank(ctx, unitID, p, activities.Total)
	if err != nil {
		return Gathered{}, errorf("activities", err)
	}
	c := newCollect(r)
	for i, dim := range activities.Dimensions {
		ind := "points_" + dim
		for _, x := range rk.People {
			v := Value{Count: float64(x.Score.Dims[i]) / 100, Total: 1, Sample: 1}
			c.Values[Person].set(ind, x.StaffID, v)
			if x.WindowID != 0 {
				c.Values[Window].add(ind, x.WindowID, v)
			}
			if x.BranchID != 0 {
				c.Values[Branch].add(ind, x.BranchID, v)
			}
		}
	}
	return c.Gathered, nil
}

// Facts lists the ledger entries of the dimension.
func (s ActivitySource) Facts(ctx context.Context, unitID int64, p period.Period, indicator string) ([]OwnedFact, error) {
	list, err := s.Points.Register(ctx, unitID, p)
	if err != nil {
		return nil, errorf("activities", err)
	}
	var out []OwnedFact
	for _, e := range list {
		if "points_"+e.Dimension == indicator {
			out = append(out, OwnedFact{Staff: e.StaffID, FactRef: FactRef{Kind: "point_entry", ID: e.ID, At: e.CreatedAt, Amount: float64(e.Points) / 100,
				Label: "scoring.fact.points", Text: e.Name + " · " + e.KindName,
				Link: fmt.Sprintf("/rankings/people/%d?period=%s", e.StaffID, p.Code)}})
		}
	}
	return out, nil
}

// CommitmentSource reads 亮承诺 judged or due in the period: kept counts
// 1, partly kept ½, broken and overdue 0; broken and overdue are faults.
type CommitmentSource struct {
	Commitments interface {
		List(ctx context.Context, unitID int64, f commitments.Filter) ([]commitments.Commitment, error)
	}
}

// Offers names its indicators.
func (CommitmentSource) Offers() []string { return []string{"commitments_kept", "commitments_broken"} }

// due lists the commitments whose period ends in p and that were closed
// or are open past their end, each with its worth.
func (s CommitmentSource) due(ctx context.Context, unitID int64, p period.Period) ([]commitments.Commitment, []float64, error) {
	list, err := s.Commitments.List(ctx, unitID, commitments.Filter{States: []string{commitments.StatePublic, commitments.StateClosed}})
	if err != nil {
		return nil, nil, errorf("commitments", err)
	}
	from, to := day(p.From), day(p.To)
	var out []commitments.Commitment
	var worth []float64
	for _, c := range list {
		end := c.PeriodEnd
		if c.DueOn != "" {
			end = c.DueOn
		}
		if end < from || end >= to || (c.State != commitments.StateClosed && end >= day(database.Now())) {
			continue
		}
		w := 0.0
		switch c.Status() {
		case "kept":
			w = 1
		case "partly":
			w = 0.5
		}
		out, worth = append(out, c), append(worth, w)
	}
	return out, worth, nil
}

func (s CommitmentSource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	list, worth, err := s.due(ctx, unitID, p)
	if err != nil {
		return Gathered{}, err
	}
	c := newCollect(r)
	for i, cm := range list {
		broken := 0.0
		if worth[i] == 0 {
			broken = 1
		}
		switch cm.OwnerKind {
		case commitments.OwnerBranch:
			c.Values[Branch].add("commitments_kept", cm.BranchID, Value{Count: worth[i], Total: 1, Sample: 1})
			c.Values[Branch].add("commitments_broken", cm.BranchID, Value{Count: broken, Sample: 1})
		default:
			c.fact("commitments_kept", cm.StaffID, cm.DepartmentID, worth[i], 1)
			c.fact("commitments_broken", cm.StaffID, cm.DepartmentID, broken, 0)
		}
	}
	return c.Gathered, nil
}

// Facts lists the period's commitments, the broken and overdue ones for
// commitments_broken.
func (s CommitmentSource) Facts(ctx context.Context, unitID int64, p period.Period, indicator string) ([]OwnedFact, error) {
	list, worth, err := s.due(ctx, unitID, p)
	if err != nil {
		return nil, err
	}
	var out []OwnedFact
	for i, cm := range list {
		if indicator == "commitments_broken" && worth[i] > 0 {
			continue
		}
		label := "commitment.status." + cm.Status()
		if cm.State != commitments.StateClosed {
			label = "scoring.fact.overdue"
		}
		at, _ := time.Parse("2006-01-02", cm.PeriodEnd)
		f := OwnedFact{Staff: cm.StaffID, Window: cm.DepartmentID, FactRef: FactRef{Kind: "commitment", ID: cm.ID, At: at, Amount: worth[i], Label: label,
			Text: cm.OwnerName + " · " + cm.Body, Link: link("/commitments/", cm.ID)}}
		if cm.OwnerKind == commitments.OwnerBranch {
			f.Staff, f.Window, f.Branch = 0, 0, cm.BranchID
		}
		out = append(out, f)
	}
	return out, nil
}

// FeedbackSource reads the suggestion box: upheld complaints (a veto) and
// praise (表扬, a bonus), by the person or window they name.
type FeedbackSource struct {
	Messages interface {
		In(ctx context.Context, unitID int64, from, to time.Time) ([]feedback.Message, error)
	}
}

// Offers names its indicators.
func (FeedbackSource) Offers() []string { return []string{"upheld_complaints", "commendations"} }

// indicatorOf says which indicator a message counts in, if any.
func indicatorOf(m feedback.Message) string {
	switch {
	case m.Kind == "complaint" && m.Upheld != nil && *m.Upheld:
		return "upheld_complaints"
	case m.Kind == "praise":
		return "commendations"
	}
	return ""
}

func feedbackFact(m feedback.Message) FactRef {
	return FactRef{Kind: "feedback", ID: m.ID, At: m.CreatedAt, Amount: 1, Label: "feedback.kind." + m.Kind, Text: m.Code,
		Link: link("/feedback/", m.ID)}
}

func (s FeedbackSource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	list, err := s.Messages.In(ctx, unitID, p.From, p.To)
	if err != nil {
		return Gathered{}, errorf("feedback", err)
	}
	c := newCollect(r)
	for _, m := range list {
		ind := indicatorOf(m)
		if ind == "" {
			continue
		}
		c.fact(ind, m.StaffID, m.DepartmentID, 1, 0)
		if ind == "upheld_complaints" {
			c.hit("complaint_upheld", m.StaffID, m.DepartmentID, feedbackFact(m))
		}
	}
	return c.Gathered, nil
}

func (s FeedbackSource) Facts(ctx context.Context, unitID int64, p period.Period, indicator string) ([]OwnedFact, error) {
	list, err := s.Messages.In(ctx, unitID, p.From, p.To)
	if err != nil {
		return nil, errorf("feedback", err)
	}
	var out []OwnedFact
	for _, m := range list {
		if indicatorOf(m) == indicator {
			out = append(out, OwnedFact{Staff: m.StaffID, Window: m.DepartmentID, FactRef: feedbackFact(m)})
		}
	}
	return out, nil
}

// SupervisionSource reads the image supervisors' observations (形象监督员):
// each bad one is a fault of the window, and of the person it names.
type SupervisionSource struct {
	Observations interface {
		In(ctx context.Context, unitID int64, from, to time.Time) ([]supervision.Observation, error)
	}
}

// Offers names its indicator.
func (SupervisionSource) Offers() []string { return []string{"bad_observations"} }

func (s SupervisionSource) Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error) {
	list, err := s.Observations.In(ctx, unitID, p.From, p.To)
	if err != nil {
		return Gathered{}, errorf("supervision", err)
	}
	c := newCollect(r)
	for _, o := range list {
		if !o.Good {
			c.fact("bad_observations", o.StaffID, o.DepartmentID, 1, 0)
		}
	}
	return c.Gathered, nil
}

func (s SupervisionSource) Facts(ctx context.Context, unitID int64, p period.Period, _ string) ([]OwnedFact, error) {
	list, err := s.Observations.In(ctx, unitID, p.From, p.To)
	if err != nil {
		return nil, errorf("supervision", err)
	}
	var out []OwnedFact
	for _, o := range list {
		if !o.Good {
			out = append(out, OwnedFact{Staff: o.StaffID, Window: o.DepartmentID, FactRef: FactRef{Kind: "observation", ID: o.ID, At: o.ObservedAt,
				Amount: 1, Label: "scoring.fact.observation", Text: o.Window + " " + o.StaffName, Link: link("/observations/", o.ID)}})
		}
	}
	return out, nil
}
