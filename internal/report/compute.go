package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"wuliang/internal/accountability"
	"wuliang/internal/activities"
	"wuliang/internal/chart"
	"wuliang/internal/commitments"
	"wuliang/internal/efficiency"
	"wuliang/internal/feedback"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/honours"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
	"wuliang/internal/reviews"
	"wuliang/internal/scoring"
)

// Sources are the fact packages the report reads, each through its own
// functions.
type Sources struct {
	Efficiency     *efficiency.Store
	Ratings        *ratings.Store
	Feedback       *feedback.Store
	Reviews        *reviews.Store
	Five           *fiveappraisal.Store
	Activities     *activities.Store
	Accountability *accountability.Store
	Commitments    *commitments.Store
	Honours        *honours.Store
	Scores         *scoring.Store
}

// facts are one period's readings.
type facts struct {
	p           period.Period
	efficiency  efficiency.Report
	queue       efficiency.QueueReport
	ratings     ratings.Report
	messages    []feedback.Message
	meetings    []reviews.Meeting
	five        []fiveappraisal.Result
	fiveRounds  int
	ranking     activities.Ranking
	records     []accountability.Record
	commitments []commitments.Commitment
	awards      []honours.Award
	scores      *scoring.Scores // the period's published 五创 scores, when there are
}

func (s Sources) read(ctx context.Context, unitID int64, p period.Period) (facts, error) {
	f := facts{p: p}
	var err error
	if f.efficiency, err = s.Efficiency.Report(ctx, unitID, p); err != nil {
		return f, err
	}
	if f.queue, err = s.Efficiency.Queue(ctx, unitID, p); err != nil {
		return f, err
	}
	if f.ratings, err = s.Ratings.Report(ctx, unitID, p.From, p.To); err != nil {
		return f, err
	}
	if f.messages, err = s.Feedback.In(ctx, unitID, p.From, p.To); err != nil {
		return f, err
	}
	for m := p.From; m.Before(p.To); m = m.AddDate(0, 1, 0) {
		held, err := s.Reviews.Month(ctx, unitID, m.Format("2006-01"))
		if err != nil {
			return f, err
		}
		f.meetings = append(f.meetings, held...)
	}
	rounds, err := s.Five.List(ctx, unitID, false)
	if err != nil {
		return f, err
	}
	for _, r := range rounds {
		if !r.Closed() || r.ClosesAt.Before(p.From) || !r.ClosesAt.Before(p.To) {
			continue
		}
		results, err := s.Five.Results(ctx, unitID, r.ID)
		if err != nil {
			return f, err
		}
		f.five, f.fiveRounds = append(f.five, results...), f.fiveRounds+1
	}
	if f.ranking, err = s.Activities.Rank(ctx, unitID, p, activities.Total); err != nil {
		return f, err
	}
	if f.records, err = s.Accountability.List(ctx, unitID, accountability.Filter{From: p.From, To: p.To}); err != nil {
		return f, err
	}
	if f.commitments, err = s.Commitments.List(ctx, unitID, commitments.Filter{States: []string{commitments.StatePublic, commitments.StateClosed},
		Today: p.LastDay()}); err != nil {
		return f, err
	}
	if f.awards, err = s.Honours.Awards(ctx, unitID, honours.AwardFilter{Period: p.Code, Live: true}); err != nil {
		return f, err
	}
	switch published, err := s.Scores.Published(ctx, unitID, p.Code); {
	case err == nil:
		f.scores = &published.Scores
	case !errors.Is(err, scoring.ErrNotFound):
		return f, err
	}
	return f, nil
}

// Compute reads the period and the one before and writes the sections.
func (s Sources) Compute(ctx context.Context, unit org.Unit, p period.Period) ([]Section, error) {
	now, err := s.read(ctx, unit.ID, p)
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", p.Code, err)
	}
	before, err := s.read(ctx, unit.ID, p.Previous())
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", p.Previous().Code, err)
	}
	var out []Section
	for _, part := range parts {
		out = append(out, part(now, before))
	}
	return out, nil
}

// parts are the report's sections in order; each reads both periods.
var parts = []func(now, before facts) Section{cases, ratingsPart, queue, messages, meetings, five, points, records, promises, scores, awards}

// pair is a metric read the same way from both periods.
func pair(label, unit string, now, before facts, of func(facts) *float64) Metric {
	return Metric{Label: label, Unit: unit, Now: of(now), Before: of(before)}
}

func lower(m Metric) Metric { m.LowerIsBetter = true; return m }

// zh names the report's labels: a report is a Chinese document, kept as
// written.
var zh = locale.NewPrinter("zh_CN")

// counted is a bar chart of this period's counts by label, in the order
// given.
func counted(title string, labels []string, now map[string]int) chart.Chart {
	c := chart.Chart{Kind: chart.Bar, Title: title, Unit: "件", Series: []chart.Series{{Name: "本期"}}}
	for _, l := range labels {
		c.X = append(c.X, l)
		c.Series[0].Values = append(c.Series[0].Values, float64(now[l]))
	}
	return c
}

func volume(m Metric) Metric { m.Neutral = true; return m }

func count(n int) *float64 { return num(float64(n)) }

func cases(now, before facts) Section {
	e := func(f facts) efficiency.Figures { return f.efficiency.Total }
	byWindow := chart.Chart{Kind: chart.Bar, Title: "各窗口按时办结率", Unit: "%", Series: []chart.Series{{Name: "按时办结率"}}}
	for _, w := range now.efficiency.Windows {
		byWindow.X = append(byWindow.X, w.Name)
		v := chart.Missing
		if r := rate(w.OnTime, w.Due()); r != nil {
			v = *r
		}
		byWindow.Series[0].Values = append(byWindow.Series[0].Values, v)
	}
	return Section{Key: "cases", Title: "办件与效能", Metrics: []Metric{
		volume(pair("登记件数", "件", now, before, func(f facts) *float64 { return count(e(f).Registered) })),
		volume(pair("办结件数", "件", now, before, func(f facts) *float64 { return count(e(f).Completed) })),
		pair("按时办结率", "%", now, before, func(f facts) *float64 { return rate(e(f).OnTime, e(f).Due()) }),
		lower(pair("平均办结用时", "工作日", now, before, func(f facts) *float64 { return minutes(e(f).AverageDays()) })),
		lower(pair("期末超期未办结", "件", now, before, func(f facts) *float64 { return count(e(f).OpenOverdue) })),
		lower(pair("一次性告知违规", "次", now, before, func(f facts) *float64 { return count(e(f).Breaches) })),
		lower(pair("考勤抽查缺岗", "人次", now, before, func(f facts) *float64 { return count(e(f).Absences) })),
	}, Charts: []chart.Chart{byWindow}}
}

func ratingsPart(now, before facts) Section {
	r := func(f facts) ratings.Figures { return f.ratings.Total }
	return Section{Key: "ratings", Title: "群众评价与差评整改", Metrics: []Metric{
		volume(pair("有效评价", "件", now, before, func(f facts) *float64 { return count(r(f).Count) })),
		pair("好评率", "%", now, before, func(f facts) *float64 { return rate(r(f).Weighed.Good, r(f).Weighed.All) }),
		lower(pair("差评", "件", now, before, func(f facts) *float64 { return count(r(f).Bad) })),
		pair("差评整改率", "%", now, before, func(f facts) *float64 { return rate(r(f).Rectified, r(f).Bad) }),
		pair("按期整改率", "%", now, before, func(f facts) *float64 { return rate(r(f).OnTime, r(f).Rectified) }),
		pair("回访满意率", "%", now, before, func(f facts) *float64 { return rate(r(f).SatisfiedFU, r(f).FollowedUp) }),
	}, Charts: []chart.Chart{now.ratings.LevelsChart()}}
}

func queue(now, before facts) Section {
	q := func(f facts) efficiency.Times { return f.queue.Total }
	charts := now.queue.Charts()
	return Section{Key: "queue", Title: "排队等候与满意度", Metrics: []Metric{
		volume(pair("排队叫号办件", "件", now, before, func(f facts) *float64 { return count(q(f).Tickets) })),
		lower(pair("等候时间中位数", "分钟", now, before, func(f facts) *float64 { return minutes(q(f).MedianWait()) })),
		lower(pair("办理时间中位数", "分钟", now, before, func(f facts) *float64 { return minutes(q(f).MedianHandle()) })),
		pair("这些办件的好评率", "%", now, before, func(f facts) *float64 { return rate(q(f).Good, q(f).Rated) }),
	}, Charts: charts[:1]}
}

func messages(now, before facts) Section {
	of := func(kind string, answered bool) func(facts) *float64 {
		return func(f facts) *float64 {
			n := 0
			for _, m := range f.messages {
				if (kind == "" && m.Kind != feedback.KindObjection || m.Kind == kind) && (!answered || m.State == feedback.StateReplied) {
					n++
				}
			}
			return count(n)
		}
	}
	byKind := map[string]int{}
	var kinds []string
	for _, k := range append(slices.Clone(feedback.Kinds), feedback.KindObjection) {
		kinds = append(kinds, zh.Get("feedback.kind."+k))
	}
	for _, m := range now.messages {
		byKind[zh.Get("feedback.kind."+m.Kind)]++
	}
	return Section{Key: "messages", Title: "意见建议与投诉", Charts: []chart.Chart{counted("留言按类别", kinds, byKind)}, Metrics: []Metric{
		volume(pair("收到留言", "件", now, before, of("", false))),
		lower(pair("其中投诉", "件", now, before, of("complaint", false))),
		pair("已答复", "件", now, before, of("", true)),
		volume(pair("评先公示异议", "件", now, before, of(feedback.KindObjection, false))),
	}}
}

func meetings(now, before facts) Section {
	entries := func(f facts) *float64 {
		n := 0
		for _, m := range f.meetings {
			n += len(m.Entries)
		}
		return count(n)
	}
	// The mean review score of each department's people, as published.
	sums, counts, windows := map[string]int{}, map[string]int{}, []string{}
	for _, m := range now.meetings {
		for _, e := range m.Entries {
			if e.ScoreCenti == nil || e.Window == "" {
				continue
			}
			if counts[e.Window] == 0 {
				windows = append(windows, e.Window)
			}
			sums[e.Window] += *e.ScoreCenti
			counts[e.Window]++
		}
	}
	scores := chart.Chart{Kind: chart.Bar, Title: "各科室、窗口点评平均分", Unit: "分", Series: []chart.Series{{Name: "平均分"}}}
	for _, w := range windows {
		scores.X = append(scores.X, w)
		scores.Series[0].Values = append(scores.Series[0].Values, float64(sums[w])/100/float64(counts[w]))
	}
	var charts []chart.Chart
	if len(windows) > 0 {
		charts = append(charts, scores)
	}
	return Section{Key: "reviews", Title: "例会点评", Charts: charts, Metrics: []Metric{
		pair("召开并公布的点评会", "次", now, before, func(f facts) *float64 { return count(len(f.meetings)) }),
		pair("点评人次", "人次", now, before, entries),
	}}
}

func five(now, before facts) Section {
	grade := func(key string) func(facts) *float64 {
		return func(f facts) *float64 {
			n := 0
			for _, r := range f.five {
				if r.Grade == key {
					n++
				}
			}
			return count(n)
		}
	}
	s := Section{Key: "five", Title: "五评", Metrics: []Metric{
		volume(pair("结束的评议轮次", "次", now, before, func(f facts) *float64 { return count(f.fiveRounds) })),
		volume(pair("参评人数", "人", now, before, func(f facts) *float64 { return count(len(f.five)) })),
		pair("优秀", "人", now, before, grade(fiveappraisal.GradeKeys[fiveappraisal.Excellent])),
		lower(pair("基本合格和不合格", "人", now, before, func(f facts) *float64 {
			return num(*grade(fiveappraisal.GradeKeys[fiveappraisal.Basic])(f) + *grade(fiveappraisal.GradeKeys[fiveappraisal.Failing])(f))
		})),
	}}
	if now.fiveRounds == 0 {
		s.Note = "本期没有结束的五评轮次。"
	} else {
		byGrade, names := map[string]int{}, []string{}
		for _, g := range fiveappraisal.Grades {
			names = append(names, zh.Get("five.grade_"+fiveappraisal.GradeKeys[g]))
		}
		for _, r := range now.five {
			byGrade[zh.Get("five.grade_"+r.Grade)]++
		}
		c := counted("评议等次分布", names, byGrade)
		c.Unit = "人"
		s.Charts = []chart.Chart{c}
	}
	return s
}

func points(now, before facts) Section {
	people := func(f facts) (n, sum int) {
		for _, p := range f.ranking.People {
			if p.Score.Total > 0 {
				n, sum = n+1, sum+p.Score.Total
			}
		}
		return n, sum
	}
	bars := chart.Chart{Kind: chart.Bar, Title: "各科室、窗口人均积分", Unit: "分", Series: []chart.Series{{Name: "人均积分"}}}
	for _, w := range now.ranking.Windows {
		bars.X = append(bars.X, w.Name)
		bars.Series[0].Values = append(bars.Series[0].Values, float64(w.Average)/100)
	}
	return Section{Key: "points", Title: "五比", Metrics: []Metric{
		pair("有积分的人数", "人", now, before, func(f facts) *float64 { n, _ := people(f); return count(n) }),
		pair("人均积分", "分", now, before, func(f facts) *float64 {
			n, sum := people(f)
			if n == 0 {
				return nil
			}
			return num(float64(sum) / 100 / float64(n))
		}),
	}, Charts: []chart.Chart{bars}}
}

func records(now, before facts) Section {
	of := func(state string) func(facts) *float64 {
		return func(f facts) *float64 {
			n := 0
			for _, r := range f.records {
				if state == "" || r.State == state {
					n++
				}
			}
			return count(n)
		}
	}
	byRule, rules := map[string]int{}, []string{}
	for _, r := range now.records {
		name := zh.Get("accountability.rule." + r.Rule)
		if byRule[name] == 0 {
			rules = append(rules, name)
		}
		byRule[name]++
	}
	var charts []chart.Chart
	if len(rules) > 0 {
		charts = append(charts, counted("新增记录按规则", rules, byRule))
	}
	return Section{Key: "accountability", Title: "责任追究", Charts: charts, Metrics: []Metric{
		lower(pair("新增记录", "件", now, before, of(""))),
		lower(pair("其中作出处理", "件", now, before, of(accountability.StateSanctioned))),
		pair("其中不予追究", "件", now, before, of(accountability.StateDismissed)),
		volume(pair("尚待处理", "件", now, before, of(accountability.StateOpen))),
	}}
}

func promises(now, before facts) Section {
	of := func(test func(f facts, c commitments.Commitment) bool) func(facts) *float64 {
		return func(f facts) *float64 {
			n := 0
			for _, c := range f.commitments {
				if c.CreatedAt.Before(f.p.To) && test(f, c) {
					n++
				}
			}
			return count(n)
		}
	}
	byStatus, statuses := map[string]int{}, []string{}
	for _, st := range append([]string{"open"}, commitments.Outcomes...) {
		statuses = append(statuses, zh.Get("commitment.status."+st))
	}
	for _, c := range now.commitments {
		if c.CreatedAt.Before(now.p.To) {
			byStatus[zh.Get("commitment.status."+c.Status())]++
		}
	}
	status := counted("承诺按状态", statuses, byStatus)
	status.Unit = "项"
	return Section{Key: "commitments", Title: "承诺践诺", Charts: []chart.Chart{status}, Metrics: []Metric{
		volume(pair("公开的承诺", "项", now, before, of(func(facts, commitments.Commitment) bool { return true }))),
		lower(pair("到期未兑现", "项", now, before, of(func(f facts, c commitments.Commitment) bool {
			return c.State == commitments.StatePublic && c.DueOn != "" && c.DueOn <= f.p.LastDay()
		}))),
		pair("本期评定兑现", "项", now, before, of(func(f facts, c commitments.Commitment) bool {
			return c.State == commitments.StateClosed && c.Outcome == "kept" && !c.UpdatedAt.Before(f.p.From) && c.UpdatedAt.Before(f.p.To)
		})),
	}, Note: "按期末时的状态统计;承诺的评定以最后一次更新时间计入期间。"}
}

func awards(now, before facts) Section {
	s := Section{Key: "honours", Title: "评先评优", Metrics: []Metric{
		pair("授予的荣誉", "项", now, before, func(f facts) *float64 { return count(len(f.awards)) }),
	}}
	var names, kinds []string
	byKind := map[string]int{}
	for _, a := range now.awards {
		names = append(names, a.KindName+":"+a.Name)
		if byKind[a.KindName] == 0 {
			kinds = append(kinds, a.KindName)
		}
		byKind[a.KindName]++
	}
	if len(names) > 0 {
		c := counted("荣誉按类别", kinds, byKind)
		c.Unit = "项"
		s.Charts = []chart.Chart{c}
		s.Note = strings.Join(names, ";")
	} else {
		s.Note = "本期没有授予的荣誉(流动红旗窗口、先进个人等按季度评选)。"
	}
	return s
}

// scores: the period's published 五创 scores, when the office published
// them (a month's report usually has none: scores are quarterly).
func scores(now, before facts) Section {
	level := func(l scoring.Level, f facts) []scoring.Result {
		if f.scores == nil {
			return nil
		}
		return f.scores.Levels[l]
	}
	mean := func(l scoring.Level) func(facts) *float64 {
		return func(f facts) *float64 {
			sum, n := 0.0, 0
			for _, r := range level(l, f) {
				if r.Rank > 0 {
					sum, n = sum+r.Total, n+1
				}
			}
			if n == 0 {
				return nil
			}
			return num(sum / float64(n))
		}
	}
	lagging := func(f facts) *float64 {
		if f.scores == nil {
			return nil
		}
		n := 0
		for _, l := range scoring.Levels {
			for _, r := range level(l, f) {
				if r.Tier == scoring.TierLagging {
					n++
				}
			}
		}
		return count(n)
	}
	s := Section{Key: "scores", Title: "五创评分", Metrics: []Metric{
		pair("窗口平均得分", "分", now, before, mean(scoring.Window)),
		pair("个人平均得分", "分", now, before, mean(scoring.Person)),
		lower(pair("后进档", "个", now, before, lagging)),
	}}
	if now.scores == nil {
		s.Note = "本期没有公布的五创评分。"
		return s
	}
	bars := chart.Chart{Kind: chart.Bar, Title: "各窗口五创得分", Unit: "分", Series: []chart.Series{{Name: "得分"}}}
	for _, r := range level(scoring.Window, now) {
		bars.X = append(bars.X, r.Subject.Name)
		bars.Series[0].Values = append(bars.Series[0].Values, r.Total)
	}
	s.Charts = []chart.Chart{bars}
	return s
}
