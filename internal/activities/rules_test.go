package activities

import (
	"time"

	"wuliang/internal/period"

	"slices"
	"testing"
)

func TestPointRules(t *testing.T) {
	study := DefaultKinds[0]   // 2 per session, 1 late, month cap 8
	contest := DefaultKinds[1] // 10 / 8 / 6, 2 for taking part
	visit := DefaultKinds[2]   // 3 per day
	volunteer := DefaultKinds[3]
	innovation := DefaultKinds[4]
	commendation := DefaultKinds[5]
	byScore := contest
	byScore.Rule, byScore.Points = RuleScore, 10 // 0.1 per score point
	for _, c := range []struct {
		name string
		got  int
		want int
	}{
		{"session present", SessionPoints(study, Present), 200},
		{"session late", SessionPoints(study, Late), 100},
		{"session absent", SessionPoints(study, Absent), 0},
		{"1.5 hours of volunteering", QuantityPoints(volunteer, 150), 150},
		{"0.25 hours rounds to the hundredth", QuantityPoints(volunteer, 25), 25},
		{"3 days of a visit", QuantityPoints(visit, 300), 900},
		{"half a day", QuantityPoints(visit, 50), 150},
		{"an adopted proposal", QuantityPoints(innovation, 100), 500},
		{"two letters of thanks", QuantityPoints(commendation, 200), 600},
		{"first place", PlacePoints(contest, 1, 9800), 1000},
		{"third place", PlacePoints(contest, 3, 9000), 600},
		{"fourth place takes part", PlacePoints(contest, 4, 8000), 200},
		{"score 95.5 at 0.1 a point", PlacePoints(byScore, 1, 9550), 955},
		{"score 0", PlacePoints(byScore, 7, 0), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
	if got := Ranks([]int{9500, 9500, 9000, 8000, 8000, 7000}); !slices.Equal(got, []int{1, 1, 3, 4, 4, 6}) {
		t.Errorf("competition ranks: %v", got)
	}
}

// Caps: a month cap limits one kind in a month, a year cap is used up month
// by month, deductions are capped by their size, and a reversal in the same
// month frees the room.
func TestCaps(t *testing.T) {
	study := Kind{ID: 1, Dimension: Quality, MonthCap: 800}
	volunteer := Kind{ID: 2, Dimension: Dedication, MonthCap: 2000, YearCap: 10000}
	fault := Kind{ID: 3, Dimension: Conduct, MonthCap: 1000}
	kinds := map[int64]Kind{1: study, 2: volunteer, 3: fault}
	q2, _ := period.Parse("2026-Q2", time.UTC)
	var sums []sum
	// Five sessions in April: 10 points, capped at 8.
	sums = append(sums, sum{7, 1, "2026-04", 1000})
	// 25 hours every month: 20 a month until the year's 100 is reached in May.
	for _, m := range []string{"2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"} {
		sums = append(sums, sum{7, 2, m, 2500})
	}
	// Three faults of -5 in June: -15, capped at -10.
	sums = append(sums, sum{7, 3, "2026-06", -1500})
	// Another person: 2 points of study in May, then reversed: 0.
	sums = append(sums, sum{8, 1, "2026-05", 0})
	got := tally(sums, kinds, q2, nil)
	want := Score{Dims: [5]int{800, 0, 4000, 0, -1000}, Total: 3800}
	if *got[7] != want {
		t.Errorf("capped Q2: %+v, want %+v", *got[7], want)
	}
	if got[8].Total != 0 {
		t.Errorf("a reversed session still counts: %+v", *got[8])
	}
	q1, _ := period.Parse("2026-Q1", time.UTC)
	if got := tally(sums, kinds, q1, nil)[7]; got.Dims[2] != 6000 {
		t.Errorf("Q1 volunteering: %d, want 60 points", got.Dims[2])
	}
}

func TestTiers(t *testing.T) {
	st := Settings{LeadingPct: 20, LaggingPct: 20}
	for _, c := range []struct {
		name   string
		points []int
		want   string // L leading, A average, G lagging
	}{
		{"ten apart", []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, "LLAAAAAAGG"},
		{"tie across the leading line", []int{10, 9, 9, 7, 6, 5, 4, 3, 2, 1}, "LAAAAAAAGG"},
		{"tie across the lagging line", []int{10, 9, 8, 7, 6, 5, 4, 2, 2, 1}, "LLAAAAAAAG"},
		{"everyone equal", []int{0, 0, 0, 0, 0}, "AAAAA"},
		{"too few for a share", []int{3, 2, 1, 0}, "AAAA"},
		{"tie on top of all the leading places", []int{5, 5, 5, 1, 1, 0, 0, 0, 0, 0}, "AAAAAAAAAA"},
	} {
		var got []byte
		for _, tier := range Tiers(c.points, st) {
			got = append(got, map[string]byte{TierLeading: 'L', TierAverage: 'A', TierLagging: 'G'}[tier])
		}
		if string(got) != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestCenti(t *testing.T) {
	for in, want := range map[string]int{"2": 200, "2.5": 250, "0.25": 25, "-1.5": -150, ".5": 50, "10.": 1000} {
		if got, ok := ParseCenti(in); !ok || got != want {
			t.Errorf("ParseCenti(%q) = %d %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "abc", "1.234", "1e3", "--1", "1,5", "99999999"} {
		if _, ok := ParseCenti(bad); ok {
			t.Errorf("ParseCenti(%q) accepted", bad)
		}
	}
	for c, want := range map[int]string{250: "2.5", 200: "2", -150: "-1.5", 5: "0.05", 0: "0"} {
		if got := Centi(c); got != want {
			t.Errorf("Centi(%d) = %s", c, got)
		}
	}
}
