package ratings

import "wuliang/internal/chart"

// LevelsChart is each window's ratings by level group, stacked.
func (rep Report) LevelsChart() chart.Chart {
	c := chart.Chart{Kind: chart.Stacked, Title: "各窗口评价构成", Unit: "件",
		Series:  []chart.Series{{Name: "满意"}, {Name: "基本满意"}, {Name: "不满意"}},
		Note:    "满意含非常满意;不满意含非常不满意。",
		Colours: []string{"#229954", "#2471a3", "#c0392b"}}
	for _, w := range rep.Windows {
		c.X = append(c.X, w.Name)
		c.Series[0].Values = append(c.Series[0].Values, float64(w.Good))
		c.Series[1].Values = append(c.Series[1].Values, float64(w.Count-w.Good-w.Bad))
		c.Series[2].Values = append(c.Series[2].Values, float64(w.Bad))
	}
	return c
}
