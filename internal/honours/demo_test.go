package honours_test

import (
	"testing"

	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/feedback"
	"wuliang/internal/followup"
	"wuliang/internal/honours"
	"wuliang/internal/org"
	"wuliang/internal/sitetest"
)

// What the demo holds, both engines: the last full quarter's 流动红旗窗口,
// 先进个人 and 优秀共产党员 confirmed with certificates and an exemplar
// story (once the demo stands far enough into this quarter for a 公示期
// to have run), 群众满意窗口 in its 公示期 with an answered objection, the
// lagging with talks and plans, a plan for every branch of both units, an
// inspection's fix overdue, and the hospital's own honour.
func TestDemoHonours(t *testing.T) {
	sitetest.DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		set, unit, q := sitetest.Centre(t, db)
		loc := org.Location(unit.Timezone)
		now := sitetest.Demo.In(loc)
		cal := calendar.National()
		confirmable := cal.Between(q.To, now) > honours.DefaultPublicity+2
		awards, err := set.Honours.Awards(ctx, unit.ID, honours.AwardFilter{Period: q.Code, Live: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, a := range awards {
			got[a.KindCode]++
			if a.CertificateNo == "" {
				t.Errorf("%s %s has no certificate number", a.KindName, a.Name)
			}
		}
		if confirmable && (got["red_flag"] != 1 || got["advanced_person"] == 0 || got["excellent_member"] == 0) {
			t.Errorf("the quarter's confirmed honours: %v", got)
		}
		current, _ := set.Honours.Current(ctx, unit.ID)
		if confirmable && !hasMoving(current) {
			t.Errorf("no standing red flag: %+v", current)
		}
		stories, _ := set.Honours.Exemplars(ctx, unit.ID, true)
		if confirmable && (len(stories) != 1 || len(stories[0].Photos) != 1 || stories[0].HonourID == 0) {
			t.Errorf("published exemplars: %+v", stories)
		}
		sels, _ := set.Honours.Selections(ctx, unit.ID, honours.StagePublicity)
		today := org.Today(unit.Timezone)
		var inPublicity *honours.Selection
		for i := range sels {
			if sels[i].Kind.Code == "satisfied_window" && sels[i].InPublicity(today) {
				inPublicity = &sels[i]
			}
		}
		if inPublicity == nil {
			t.Fatalf("群众满意窗口 is not in its 公示期: %+v", sels)
		}
		objections, _ := set.Feedback.Objections(ctx, unit.ID, inPublicity.ID)
		if len(objections) != 1 || objections[0].Kind != feedback.KindObjection || objections[0].State != feedback.StateReplied {
			t.Errorf("objections %+v", objections)
		}
		if confirmable {
			plans, _ := set.Followup.Plans(ctx, unit.ID, "", 0)
			talks, _ := set.Followup.Talks(ctx, unit.ID, "", 0)
			over, _ := set.Followup.Overdue(ctx, unit.ID, today)
			inspected := false
			for _, o := range over {
				inspected = inspected || o.Kind == followup.VisitInspection
			}
			if len(plans) == 0 || len(talks) == 0 || !inspected {
				t.Errorf("follow-up: %d plans, %d talks, an overdue inspection fix %v", len(plans), len(talks), inspected)
			}
		}
		hospital, _ := set.Org.UnitByCode(ctx, "demo-hospital")
		for _, u := range []int64{unit.ID, hospital.ID} {
			branches, _ := set.Org.Branches(ctx, u)
			plans, _ := set.Followup.BranchPlans(ctx, u, now.Year())
			if len(plans) != len(branches) {
				t.Errorf("unit %d: %d branch plans for %d branches", u, len(plans), len(branches))
			}
		}
		kinds, _ := set.Honours.Kinds(ctx, hospital.ID)
		if kinds[len(kinds)-1].Name != "优质服务科室" {
			t.Errorf("the hospital's kinds: %+v", kinds)
		}
	})
}

func hasMoving(list []honours.Award) bool {
	for _, a := range list {
		if a.Moves {
			return true
		}
	}
	return false
}
