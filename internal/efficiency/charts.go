package efficiency

import (
	"fmt"

	"wuliang/internal/chart"
)

// Chart draws cases registered by weekday and hour.
func (l Load) Chart() chart.Chart {
	c := chart.Chart{Kind: chart.Heatmap, Title: "办件量 · 按星期和时段", Unit: "件",
		Note: "按登记时间计,颜色越深件数越多。"}
	from, to := l.Hours()
	for h := from; h < to; h++ {
		c.X = append(c.X, fmt.Sprintf("%d时", h))
	}
	for d, name := range []string{"周一", "周二", "周三", "周四", "周五", "周六", "周日"} {
		s := chart.Series{Name: name}
		for h := from; h < to; h++ {
			s.Values = append(s.Values, float64(l[d][h]))
		}
		c.Series = append(c.Series, s)
	}
	return c
}

// Charts draw 好评率 by how long people waited, and each window's
// median wait beside its 好评率.
func (q QueueReport) Charts() []chart.Chart {
	bands := chart.Chart{Kind: chart.Bar, Title: "等候时长与好评率", Unit: "%",
		Note: "按取号到叫号的等候时长分组,好评率只计这些办件本身的评价。"}
	bands.Series = []chart.Series{{Name: "好评率"}}
	for _, b := range q.Bands {
		bands.X = append(bands.X, fmt.Sprintf("%s·%d件", b.Label, b.Tickets))
		bands.Series[0].Values = append(bands.Series[0].Values, b.GoodShare())
	}
	waits := chart.Chart{Kind: chart.Bar, Title: "各窗口等候时间中位数", Unit: "分钟",
		Note: "取号到叫号的分钟数,取中位数;没有排队号的窗口不画。"}
	waits.Series = []chart.Series{{Name: "等候中位数"}}
	for _, w := range q.Windows {
		if w.Tickets == 0 {
			continue
		}
		waits.X = append(waits.X, w.Name)
		waits.Series[0].Values = append(waits.Series[0].Values, w.WaitMinutes())
	}
	return []chart.Chart{bands, waits}
}
