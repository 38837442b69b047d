package fiveappraisal

import (
	"testing"
)

func centi(v int) *int { return &v }

func round() Round {
	return Round{Weights: DefaultWeights, Thresholds: [5]int{0, 0, 60, 75, 90}, Share: "1/3"}
}

// The rule in docs/features.md: a part not given drops out and its weight goes
// to the other parts but the self-appraisal, whose weight never grows; the
// cap on 优秀 is never exceeded, and a tie at the cap is marked for the
// branch committee.
func TestCompute(t *testing.T) {
	t.Run("a part with no votes gives its weight to the others, not to the self-grade", func(t *testing.T) {
		list := []Result{{Scores: [5]*int{centi(10000), nil, centi(8000), centi(8000), nil}}}
		compute(round(), list)
		// self keeps 10 %; branch and leader share 90 %: 10 + 45×0.8 + 45×0.8 = 82
		if list[0].Total == nil || *list[0].Total != 8200 || list[0].Proposed != "competent" || list[0].Rank != 1 {
			t.Fatalf("got %+v", list[0])
		}
		if m := list[0].Missing(round()); len(m) != 2 || m[0] != PartPeer || m[1] != PartPublic {
			t.Errorf("missing %v, want peer and public", m)
		}
	})
	t.Run("a member without branch and leader parts: the self-grade stays at 10 %", func(t *testing.T) {
		x := Result{Scores: [5]*int{centi(9500), centi(8000), nil, nil, centi(7000)}}
		list := []Result{x}
		compute(round(), list)
		// self 10 %, peer 30/50 of 90 % = 54 %, public 36 %: 9.5 + 43.2 + 25.2 = 77.9
		if *list[0].Total != 7790 {
			t.Fatalf("got %d, want 7790", *list[0].Total)
		}
		c := Contributions(round(), list[0])
		if *c[0] != 950 || c[2] != nil || *c[0]+*c[1]+*c[4] != 7790 {
			t.Errorf("contributions %v %v %v", *c[0], *c[1], *c[4])
		}
	})
	t.Run("the self-grade alone is no appraisal: no total", func(t *testing.T) {
		list := []Result{{Scores: [5]*int{centi(10000)}}}
		compute(round(), list)
		if list[0].Total != nil || list[0].Rank != 0 {
			t.Fatalf("self only: %+v", list[0])
		}
	})
	t.Run("every part given: the round's weights as they are", func(t *testing.T) {
		list := []Result{{Scores: [5]*int{centi(10000), centi(9000), centi(8000), centi(7000), centi(6000)}}}
		compute(round(), list)
		// 10 + 27 + 16 + 14 + 12 = 79
		if m := list[0].Missing(round()); *list[0].Total != 7900 || m != nil {
			t.Fatalf("got %d, missing %v", *list[0].Total, m)
		}
	})
	t.Run("nobody gave anything: no total, no grade, no rank", func(t *testing.T) {
		list := []Result{{}, {Scores: [5]*int{nil, centi(5000)}}}
		compute(round(), list)
		if list[0].Total != nil || list[0].Proposed != "" || list[0].Rank != 0 {
			t.Fatalf("empty: %+v", list[0])
		}
		if *list[1].Total != 5000 || list[1].Proposed != "failing" || list[1].Rank != 1 {
			t.Fatalf("peer only: %+v", list[1])
		}
	})
	t.Run("a weight of zero ignores the part", func(t *testing.T) {
		r := round()
		r.Weights = [5]int{0, 50, 0, 50, 0}
		list := []Result{{Scores: [5]*int{centi(0), centi(9000), centi(0), centi(7000), centi(0)}}}
		compute(r, list)
		if *list[0].Total != 8000 {
			t.Fatalf("got %d", *list[0].Total)
		}
	})
	t.Run("rounding is half up in hundredths", func(t *testing.T) {
		r := round()
		r.Weights = [5]int{0, 30, 0, 70, 0}
		list := []Result{{Scores: [5]*int{nil, centi(8333), nil, centi(6667)}}}
		compute(r, list)
		// (30×83.33 + 70×66.67) ÷ 100 = 71.668 → 71.67
		if *list[0].Total != 7167 {
			t.Fatalf("got %d", *list[0].Total)
		}
	})
	totals := func(vs ...int) []Result {
		var list []Result
		for _, v := range vs {
			list = append(list, Result{Scores: [5]*int{centi(v), centi(v), centi(v), centi(v), centi(v)}})
		}
		return list
	}
	grades := func(list []Result) (out []string) {
		for _, x := range list {
			g := x.Proposed
			if x.Tied {
				g += "*"
			}
			out = append(out, g)
		}
		return out
	}
	cases := []struct {
		name   string
		totals []int
		share  string
		want   []string
		ranks  []int
	}{
		{"within the cap", []int{9800, 9500, 8500, 8000, 7000, 5000}, "1/3",
			[]string{"excellent", "excellent", "competent", "competent", "basic", "failing"}, []int{1, 2, 3, 4, 5, 6}},
		{"over the cap, no tie: the lowest excellent become competent", []int{9800, 9500, 9100, 8500, 8000, 7000}, "1/3",
			[]string{"excellent", "excellent", "competent", "competent", "competent", "basic"}, []int{1, 2, 3, 4, 5, 6}},
		{"a tie across the cap: all tied are marked, none beyond the cap", []int{9800, 9500, 9500, 9200, 8000, 7000}, "1/3",
			[]string{"excellent", "competent*", "competent*", "competent", "competent", "basic"}, []int{1, 2, 2, 4, 5, 6}},
		{"everyone tied above the line", []int{9500, 9500, 9500}, "1/3",
			[]string{"competent*", "competent*", "competent*"}, []int{1, 1, 1}},
		{"a cap of none", []int{9900, 9800}, "0/1", []string{"competent", "competent"}, []int{1, 2}},
		{"three people: one third is one", []int{9900, 9800, 9700}, "1/3", []string{"excellent", "competent", "competent"}, []int{1, 2, 3}},
		{"five people: one third is still one", []int{9900, 9800, 9700, 9600, 9500}, "1/3",
			[]string{"excellent", "competent", "competent", "competent", "competent"}, []int{1, 2, 3, 4, 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := round()
			r.Share = c.share
			list := totals(c.totals...)
			compute(r, list)
			got := grades(list)
			for i := range c.want {
				if got[i] != c.want[i] || list[i].Rank != c.ranks[i] {
					t.Fatalf("got %v ranks %v, want %v %v", got, ranksOf(list), c.want, c.ranks)
				}
			}
		})
	}
}

func ranksOf(list []Result) (out []int) {
	for _, x := range list {
		out = append(out, x.Rank)
	}
	return out
}

func TestMeanNeedsLeastVotes(t *testing.T) {
	if mean([]int{100, 80}, []int{1, 1}, 3) != nil {
		t.Fatal("two votes gave a peer score")
	}
	if v := mean([]int{100, 80, 60, 0}, []int{2, 1, 0, 0}, 3); v == nil || *v != 9333 {
		t.Fatalf("got %v", v)
	}
}
