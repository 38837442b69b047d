package report

import "testing"

func TestMetricChange(t *testing.T) {
	tests := []struct {
		name         string
		m            Metric
		now, before  string
		change, good string
	}{
		{"a rate up is better", Metric{Unit: "%", Now: num(97.1), Before: num(95)}, "97.1%", "95%", "+2.1 个百分点", "better"},
		{"more overdue is worse", Metric{Unit: "件", Now: num(3), Before: num(1), LowerIsBetter: true}, "3 件", "1 件", "+2 件", "worse"},
		{"fewer bad ratings is better", Metric{Unit: "件", Now: num(1), Before: num(4), LowerIsBetter: true}, "1 件", "4 件", "−3 件", "better"},
		{"a volume is neither", Metric{Unit: "件", Now: num(188), Before: num(163), Neutral: true}, "188 件", "163 件", "+25 件", ""},
		{"the same", Metric{Unit: "%", Now: num(100), Before: num(100)}, "100%", "100%", "持平", ""},
		{"nothing to divide last time", Metric{Unit: "%", Now: num(50)}, "50%", "—", "—", ""},
		{"no unit", Metric{Now: num(2.25), Before: num(1)}, "2.2", "1", "+1.2", "better"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.NowText(); got != tt.now {
				t.Errorf("now %q, want %q", got, tt.now)
			}
			if got := tt.m.BeforeText(); got != tt.before {
				t.Errorf("before %q, want %q", got, tt.before)
			}
			if got := tt.m.Change(); got != tt.change {
				t.Errorf("change %q, want %q", got, tt.change)
			}
			if got := tt.m.Trend(); got != tt.good {
				t.Errorf("trend %q, want %q", got, tt.good)
			}
		})
	}
}
