package honours_test

import (
	"errors"
	"testing"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/honours"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
	"wuliang/internal/sitetest"
)

// frozen is a quarter's window results as a test writes them: name,
// total, rank (0 unranked), a veto, and the satisfaction part's gap.
func frozen(rows ...scoring.Result) scoring.Frozen {
	q, _ := period.Parse("2026-Q3", time.UTC)
	sc := scoring.Scores{Period: q, Scheme: scoring.Scheme{Levels: []scoring.LevelScheme{{Level: scoring.Window,
		Parts: []scoring.Part{{Indicator: "on_time", Weight: 50}, {Indicator: "satisfaction", Weight: 50}}}}},
		Levels: map[scoring.Level][]scoring.Result{scoring.Window: rows}}
	return scoring.Frozen{Period: q.Code, Version: 2, Scores: sc}
}

func window(id int64, name string, total float64, rank int, sat scoring.PartResult, vetoes ...string) scoring.Result {
	r := scoring.Result{Subject: scoring.Subject{ID: id, Name: name}, Total: total, Rank: rank,
		Parts: []scoring.PartResult{{Indicator: "on_time", Points: total - sat.Points}, sat}}
	for _, v := range vetoes {
		r.Vetoes = append(r.Vetoes, scoring.VetoHit{Rule: v, Subject: id})
	}
	return r
}

// The rule's shortlist, by hand: a vetoed window never reaches it however
// high its total, an unranked one neither, a tie at the last place lists
// both, and a kind decided by 好评率 leaves out a window whose ratings are
// too few.
func TestDraw(t *testing.T) {
	f := frozen(
		window(1, "税务窗口", 95, 1, scoring.PartResult{Points: 45}, "complaint_upheld"),
		window(2, "社保窗口", 90, 2, scoring.PartResult{Points: 40}),
		window(3, "医保窗口", 88, 3, scoring.PartResult{Points: 48}),
		window(4, "住建窗口", 85, 4, scoring.PartResult{Points: 30}),
		window(5, "公积金窗口", 85, 4, scoring.PartResult{Points: 0, Gap: scoring.GapSample}),
		window(6, "交通窗口", 80, 0, scoring.PartResult{Points: 20}),
	)
	flag := honours.DefaultKinds[0] // 流动红旗窗口: three on the shortlist
	got, err := honours.Draw(flag, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]int{}
	for _, c := range got.Listed() {
		listed[c.Subject.Name] = c.Place
	}
	want := map[string]int{"社保窗口": 1, "医保窗口": 2, "住建窗口": 3, "公积金窗口": 3}
	if len(listed) != len(want) {
		t.Fatalf("listed %v, want %v", listed, want)
	}
	for name, place := range want {
		if listed[name] != place {
			t.Errorf("%s at place %d, want %d (%v)", name, listed[name], place, listed)
		}
	}
	excluded := map[string]string{}
	for _, c := range got.Candidates {
		if c.Excluded != "" {
			excluded[c.Subject.Name] = c.Excluded
		}
	}
	if excluded["税务窗口"] != "honours.excluded.veto" || excluded["交通窗口"] != "honours.excluded.unranked" || len(excluded) != 2 {
		t.Errorf("excluded %v", excluded)
	}

	satisfied := honours.DefaultKinds[1] // 群众满意窗口, by the satisfaction part's points
	got, err = honours.Draw(satisfied, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	order := []string{}
	for _, c := range got.Listed() {
		order = append(order, c.Subject.Name)
	}
	if len(order) != 3 || order[0] != "医保窗口" || order[1] != "社保窗口" || order[2] != "住建窗口" {
		t.Errorf("群众满意窗口 shortlist %v, want 医保, 社保, 住建", order)
	}
	for _, c := range got.Candidates {
		if c.Subject.Name == "公积金窗口" && c.Excluded != "honours.excluded.gap.sample" {
			t.Errorf("公积金窗口 with too few ratings: %+v", c)
		}
	}

	if _, err := honours.Draw(honours.DefaultKinds[3], f, nil); !errors.Is(err, honours.ErrPeriodKind) {
		t.Errorf("a yearly honour drawn from a quarter: %v", err)
	}
	odd := flag
	odd.Indicator = "democratic"
	if _, err := honours.Draw(odd, f, nil); !errors.Is(err, honours.ErrNotWeighed) {
		t.Errorf("an honour decided by a part the scheme does not weigh: %v", err)
	}
}

// On the demo's published quarter, on both engines: the 流动红旗窗口
// shortlist holds no vetoed window, 先进个人's holds no one vetoed, and a
// member-only honour would look at members only; an unpublished period is
// refused.
func TestDemoShortlist(t *testing.T) {
	sitetest.DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		set, unit, q := sitetest.Centre(t, db)
		loc := org.Location(unit.Timezone)
		s := set.Honours
		kinds, err := s.Kinds(ctx, unit.ID)
		if err != nil || len(kinds) != len(honours.DefaultKinds) {
			t.Fatalf("%d kinds, %v", len(kinds), err)
		}
		pub, err := set.Schemes.Published(ctx, unit.ID, q.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kinds[:3] {
			sl, err := s.Shortlist(ctx, unit.ID, k.ID, q.Code)
			if err != nil {
				t.Fatal(err)
			}
			level := scoring.Person
			if k.Subject == honours.SubjectWindow {
				level = scoring.Window
			}
			placed := 0
			for _, c := range sl.Candidates {
				if c.Excluded == "" {
					placed++
				}
			}
			if len(sl.Listed()) < min(k.Shortlist, placed) || placed == 0 || sl.Version != pub.Version {
				t.Errorf("%s: %d listed of %d with %d placed, version %d", k.Name, len(sl.Listed()), k.Shortlist, placed, sl.Version)
			}
			for _, c := range sl.Listed() {
				if r, _ := pub.Scores.Result(level, c.Subject.ID); r.Vetoed() {
					t.Errorf("%s: vetoed %s on the shortlist", k.Name, c.Subject.Name)
				}
			}
		}
		members := kinds[3]
		members.PeriodKind = period.Quarter
		people, _, _ := set.Org.StaffList(ctx, unit.ID, org.StaffFilter{})
		staff := map[int64]org.Staff{}
		for _, p := range people {
			staff[p.ID] = p
		}
		sl, err := honours.Draw(members, pub, staff)
		if err != nil || len(sl.Candidates) == 0 {
			t.Fatalf("members: %v", err)
		}
		for _, c := range sl.Candidates {
			if staff[c.Subject.ID].PoliticalStatus != org.StatusMember {
				t.Errorf("%s (%s) considered for a member-only honour", c.Subject.Name, staff[c.Subject.ID].PoliticalStatus)
			}
		}
		this := period.QuarterOf(sitetest.Demo, loc)
		if _, err := s.Shortlist(ctx, unit.ID, kinds[0].ID, this.Code); !errors.Is(err, honours.ErrNotPublished) {
			t.Errorf("an unpublished quarter: %v", err)
		}
		if _, err := s.Shortlist(ctx, unit.ID, 999999, q.Code); !errors.Is(err, honours.ErrNotFound) {
			t.Errorf("another unit's or no kind: %v", err)
		}
	})
}
