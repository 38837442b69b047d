package demo

import (
	"fmt"

	"wuliang/internal/period"
	"wuliang/internal/scoring"
	"wuliang/internal/stores"
)

// hospitalScheme is the hospital's own split: its 科室 and 病区 are scored
// on patients' ratings, 民主评议 and commitments kept; its people on
// ratings, 五评 and monthly reviews.
func hospitalScheme() scoring.Scheme {
	return scoring.Scheme{
		Levels: []scoring.LevelScheme{
			{Level: scoring.Window, Missing: scoring.MissingZero, Parts: []scoring.Part{
				{Indicator: "satisfaction", Weight: 40, Normalise: scoring.NormaliseWilson, MinSample: 30},
				{Indicator: "democratic", Weight: 30, Normalise: scoring.NormaliseScale, Full: 100, MinSample: 1},
				{Indicator: "commitments_kept", Weight: 30, Normalise: scoring.NormaliseScale, Full: 1, MinSample: 1},
			}, Deductions: []scoring.Adjustment{{Indicator: "upheld_complaints", PerUnit: 2, Cap: 10}, {Indicator: "deduction_points", PerUnit: 1, Cap: 20}}},
			{Level: scoring.Person, Missing: scoring.MissingZero, Parts: []scoring.Part{
				{Indicator: "satisfaction", Weight: 30, Normalise: scoring.NormaliseWilson, MinSample: 10},
				{Indicator: "five_total", Weight: 40, Normalise: scoring.NormaliseScale, Full: 100, MinSample: 1},
				{Indicator: "review_grade", Weight: 30, Normalise: scoring.NormaliseScale, Full: 100, MinSample: 1, Calibrated: true},
			}, Bonuses: []scoring.Adjustment{{Indicator: "commendations", PerUnit: 1, Cap: 5}},
				Deductions: []scoring.Adjustment{{Indicator: "deduction_points", PerUnit: 1, Cap: 20}}},
		},
		Vetoes: []string{"complaint_upheld", "accountability_circular", "unrectified_very_dissatisfied"},
		Tiers:  scoring.Tiers{Leading: 20, Lagging: 10},
	}
}

// scores gives both units their schemes, freezes and publishes the
// centre's last full quarter, the period its counter work covers whole,
// and chooses that quarter's honours.
func (b *builder) scores(centerID, hospitalID int64) error {
	set := stores.New(b.db)
	defer set.Close()
	county := scoring.CountyScheme()
	// A county centre's windows see 20 to 60 rated cases a quarter: the
	// centre sets 20 ratings as a window's minimum, 10 for a person.
	county.Levels[0].Parts[3].MinSample = 20
	if _, err := set.Schemes.Save(b.ctx, actor, centerID, county, "县级政务服务中心考核办法:窗口效能 30、工作作风 30、值班领导评价 20、群众评价 20;窗口季度有效评价不少于 20 条方参加好评率排名"); err != nil {
		return fmt.Errorf("demo: centre scheme: %w", err)
	}
	if _, err := set.Schemes.Save(b.ctx, actor, hospitalID, hospitalScheme(), "医院科室、病区考核方案:患者评价 40、民主评议 30、承诺兑现 30"); err != nil {
		return fmt.Errorf("demo: hospital scheme: %w", err)
	}
	q := period.QuarterOf(LastFullQuarter(b.now), cst)
	sc, err := set.Scoring.Score(b.ctx, centerID, q)
	if err != nil {
		return fmt.Errorf("demo: score %s: %w", q.Code, err)
	}
	if sc, err = set.Scoring.WithFacts(b.ctx, centerID, sc); err != nil {
		return fmt.Errorf("demo: facts of %s: %w", q.Code, err)
	}
	f, err := set.Schemes.Freeze(b.ctx, actor, centerID, sc, "")
	if err != nil {
		return fmt.Errorf("demo: freeze %s: %w", q.Code, err)
	}
	if err := set.Schemes.Publish(b.ctx, actor, centerID, q.Code, f.Version); err != nil {
		return err
	}
	return b.honours(set, centerID, hospitalID)
}
