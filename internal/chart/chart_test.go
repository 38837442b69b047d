package chart

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestChartHTML(t *testing.T) {
	two := []Series{{Name: "好评率", Values: []float64{90, Missing, 75.5}}, {Name: "<b>按时</b>", Values: []float64{80, 85, 100}}}
	tests := []struct {
		name  string
		chart Chart
		want  []string
		not   []string
	}{
		{"line breaks at a missing month and escapes names", Chart{Kind: Line, Title: "趋势", Unit: "%", X: []string{"9月", "10月", "11月"}, Series: two},
			[]string{`<path class="series" d="M`, "&lt;b&gt;按时&lt;/b&gt;", "<td>—</td>", "<td>75.5%</td>", "查看数据表", `class="chart-legend"`}, []string{"<b>按时"}},
		{"bar per label", Chart{Kind: Bar, Unit: "分", X: []string{"一号窗口", "<script>"}, Series: []Series{{Name: "得分", Values: []float64{92.5, 60}}}},
			[]string{`<rect class="series"`, "&lt;script&gt;", "<td>92.5</td>"}, []string{"<script>"}},
		{"stacked sums its segments", Chart{Kind: Stacked, X: []string{"甲"}, Series: []Series{{Name: "好", Values: []float64{3}}, {Name: "差", Values: []float64{2}}}},
			[]string{`>5</text>`}, nil},
		{"heat map has a cell per value", Chart{Kind: Heatmap, X: []string{"9时", "10时"}, Series: []Series{{Name: "周一", Values: []float64{0, 4}}}},
			[]string{`<rect class="cell"`, "<th>周一</th>"}, nil},
		{"no value draws nothing", Chart{Kind: Line, X: []string{"9月"}, Series: []Series{{Name: "a", Values: []float64{Missing}}}},
			[]string{"本期没有数据"}, []string{"<svg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(tt.chart.HTML())
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("unexpected %q in\n%s", n, got)
				}
			}
		})
	}
	if got := (Chart{Kind: Stacked, X: []string{"a", "b"}, Series: []Series{{Values: []float64{30, 10}}, {Values: []float64{50, 1}}}}).top(); got != 100 {
		t.Errorf("top of 80 = %v, want 100", got)
	}
}

func TestSeriesJSON(t *testing.T) {
	b, err := json.Marshal(Series{Name: "a", Values: []float64{1.5, Missing}})
	if err != nil || string(b) != `{"name":"a","values":[1.5,null]}` {
		t.Fatalf("%s %v", b, err)
	}
	var s Series
	if err := json.Unmarshal(b, &s); err != nil || s.Values[0] != 1.5 || !math.IsNaN(s.Values[1]) {
		t.Fatalf("%+v %v", s, err)
	}
}
