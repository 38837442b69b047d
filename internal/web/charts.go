package web

import (
	"context"
	"fmt"
	"html/template"
	"wuliang/internal/locale"

	"wuliang/internal/activities"
	"wuliang/internal/chart"
	"wuliang/internal/efficiency"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
)

// trendMonths is how many months a trend chart follows.
const trendMonths = 6

// share is n ÷ d in percent, missing when there is nothing to divide.
func share(n, d int) float64 {
	if d == 0 {
		return chart.Missing
	}
	return float64(n) * 100 / float64(d)
}

// trend is the figures of each of the months up to the one p ends in.
type trend struct {
	months     []period.Period
	ratings    []ratings.Report
	efficiency []efficiency.Report
}

// trendOf reads the months up to p's last: 好评率 from ratings, on-time
// rates from efficiency, each month on its own.
func (s *Server) trendOf(ctx context.Context, unit org.Unit, p period.Period, withRatings, withEfficiency bool) (trend, error) {
	var t trend
	loc := org.Location(unit.Timezone)
	// Walk from the first day of p's last month: AddDate on the 31st can
	// skip a month.
	first := period.MonthOf(p.To.AddDate(0, 0, -1), loc).From
	for i := trendMonths - 1; i >= 0; i-- {
		t.months = append(t.months, period.MonthOf(first.AddDate(0, -i, 0), loc))
	}
	for _, m := range t.months {
		if withRatings {
			r, err := s.ratings.Report(ctx, unit.ID, m.From, m.To)
			if err != nil {
				return t, err
			}
			t.ratings = append(t.ratings, r)
		}
		if withEfficiency {
			e, err := s.efficiency.Counts(ctx, unit.ID, m)
			if err != nil {
				return t, err
			}
			t.efficiency = append(t.efficiency, e)
		}
	}
	return t, nil
}

func (t trend) labels() []string {
	out := make([]string, len(t.months))
	for i, m := range t.months {
		out[i] = fmt.Sprintf("%d月", int(m.From.Month()))
	}
	return out
}

// monthShare is a month's figure as a share: the unit's, and each
// window's by its id.
type monthShare struct {
	total   float64
	windows map[int64]float64
}

// byWindow draws c's lines over the months: the unit's first (drawn
// thick), then one per window of the last month, missing where a month
// has nothing to divide.
func byWindow(c chart.Chart, months []monthShare, windows []org.Window) chart.Chart {
	total := chart.Series{Name: "全单位"}
	for _, m := range months {
		total.Values = append(total.Values, m.total)
	}
	c.Series = append(c.Series, total)
	for _, w := range windows {
		s := chart.Series{Name: w.Name}
		for _, m := range months {
			v, ok := m.windows[w.ID]
			if !ok {
				v = chart.Missing
			}
			s.Values = append(s.Values, v)
		}
		c.Series = append(c.Series, s)
	}
	return c
}

// goodRateChart: 好评率 by month, a line per window and one for the unit.
func (t trend) goodRateChart() chart.Chart {
	c := chart.Chart{Kind: chart.Line, Title: "好评率 · 近六个月", Unit: "%", X: t.labels(),
		Note: "好评率 = 加权好评数 ÷ 加权评价数;没有评价的月份不画点。"}
	var months []monthShare
	var windows []org.Window
	for _, r := range t.ratings {
		m := monthShare{total: share(r.Total.Weighed.Good, r.Total.Weighed.All), windows: map[int64]float64{}}
		windows = windows[:0]
		for _, w := range r.Windows {
			m.windows[w.ID] = share(w.Weighed.Good, w.Weighed.All)
			windows = append(windows, org.Window{ID: w.ID, Name: w.Name})
		}
		months = append(months, m)
	}
	return byWindow(c, months, windows)
}

// onTimeChart: the on-time rate by month, a line per window and the unit.
func (t trend) onTimeChart() chart.Chart {
	c := chart.Chart{Kind: chart.Line, Title: "按时办结率 · 近六个月", Unit: "%", X: t.labels(),
		Note: "按时办结率 = 按时办结件数 ÷ 办结件数;没有办结件的月份不画点。"}
	var months []monthShare
	var windows []org.Window
	for _, e := range t.efficiency {
		m := monthShare{total: share(e.Total.OnTime, e.Total.Due()), windows: map[int64]float64{}}
		windows = windows[:0]
		for _, w := range e.Windows {
			m.windows[w.ID] = share(w.OnTime, w.Due())
			windows = append(windows, org.Window{ID: w.ID, Name: w.Name})
		}
		months = append(months, m)
	}
	return byWindow(c, months, windows)
}

// figures renders charts for a template.
func figures(cs ...chart.Chart) []template.HTML {
	out := make([]template.HTML, len(cs))
	for i, c := range cs {
		out[i] = c.HTML()
	}
	return out
}

// rankingChartMax is how many people a ranking's chart shows; the table
// below it has everyone.
const rankingChartMax = 15

// rankingChart: the ranking's bars, people (the first fifteen shown) or
// the windows' or branches' per-head averages.
func rankingChart(rk activities.Ranking, view string, shown []activities.Person) chart.Chart {
	c := chart.Chart{Kind: chart.Bar, Unit: "分", Series: []chart.Series{{Name: "得分"}}}
	switch view {
	case "windows", "branches":
		c.Title = "人均得分"
		list := rk.Windows
		if view == "branches" {
			list = rk.Branches
		}
		for _, g := range list {
			c.X = append(c.X, g.Name)
			c.Series[0].Values = append(c.Series[0].Values, float64(g.Average)/100)
		}
	default:
		c.Title = "得分前 15 名"
		for _, p := range shown[:min(len(shown), rankingChartMax)] {
			c.X = append(c.X, p.Name)
			c.Series[0].Values = append(c.Series[0].Values, float64(p.Score.Of(rk.Dimension))/100)
		}
	}
	return c
}

// partsChart: each person's 五评 total as the points its parts add.
func (s *Server) partsChart(printer *locale.Printer, round fiveappraisal.Round, list []fiveappraisal.Result) template.HTML {
	c := chart.Chart{Kind: chart.Stacked, Title: "五评得分构成", Unit: "分", Max: 100,
		Note: "每段为该部分得分 × 权重;未评的部分不计,其权重按比例分给他评各部分,自评权重不变。"}
	for _, p := range fiveappraisal.Parts {
		c.Series = append(c.Series, chart.Series{Name: printer.Get("five.part_" + p)})
	}
	for _, x := range list {
		if x.Total == nil {
			continue
		}
		c.X = append(c.X, x.Name)
		for p, v := range fiveappraisal.Contributions(round, x) {
			val := chart.Missing
			if v != nil {
				val = *v / 100
			}
			c.Series[p].Values = append(c.Series[p].Values, val)
		}
	}
	return c.HTML()
}

// indicatorsChart: each part of a score, the points earned beside those
// its weight could give.
func (s *Server) indicatorsChart(printer *locale.Printer, parts []explainedPart) template.HTML {
	c := chart.Chart{Kind: chart.Stacked, Title: "各指标得分", Unit: "分",
		Series: []chart.Series{{Name: "得分"}, {Name: "未得分(满分为权重)"}},
		Note:   "每条的全长是该指标的权重;样本不足的指标不画,其原因见上表。"}
	for _, p := range parts {
		c.X = append(c.X, printer.Get("scoring.indicator."+p.Part.Indicator))
		got, lost := p.Result.Points, p.Part.Weight-p.Result.Points
		if p.Result.Gap != "" {
			got, lost = chart.Missing, chart.Missing
		}
		c.Series[0].Values = append(c.Series[0].Values, got)
		c.Series[1].Values = append(c.Series[1].Values, lost)
	}
	return c.HTML()
}
