package followup_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/followup"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
	"wuliang/internal/sitetest"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

func TestMain(m *testing.M) { testdb.Main(m) }

var office = audit.Actor{UserID: 1, Name: "center-admin"}

func result(id int64, name, tier string, vetoes ...string) scoring.Result {
	r := scoring.Result{Subject: scoring.Subject{ID: id, Name: name}, Tier: tier, Rank: 1}
	for _, v := range vetoes {
		r.Vetoes = append(r.Vetoes, scoring.VetoHit{Rule: v, Subject: id})
	}
	return r
}

func quarter(code string, windows ...scoring.Result) scoring.Frozen {
	p, _ := period.Parse(code, time.UTC)
	return scoring.Frozen{Period: code, Scores: scoring.Scores{Period: p, Levels: map[scoring.Level][]scoring.Result{scoring.Window: windows}}}
}

// The lagging list by hand: 后进 two quarters running is listed, 后进 once
// is not, vetoed in the newest is listed whatever its tier; a month's
// period between the two quarters does not break the run.
func TestLaggingOf(t *testing.T) {
	q3 := quarter("2026-Q3", result(1, "税务窗口", scoring.TierLagging), result(2, "社保窗口", scoring.TierLagging),
		result(3, "医保窗口", scoring.TierLeading, "complaint_upheld"), result(4, "住建窗口", scoring.TierAverage))
	month := quarter("2026-06", result(2, "社保窗口", scoring.TierLagging))
	q2 := quarter("2026-Q2", result(1, "税务窗口", scoring.TierLagging), result(2, "社保窗口", scoring.TierAverage),
		result(4, "住建窗口", scoring.TierLagging))
	got := followup.LaggingOf([]scoring.Frozen{q3, month, q2})
	if len(got) != 2 || got[0].Name != "税务窗口" || len(got[0].Lagged) != 2 || got[0].Lagged[0] != "2026-Q2" ||
		got[1].Name != "医保窗口" || got[1].Vetoed != "2026-Q3" || got[1].Vetoes[0] != "complaint_upheld" {
		t.Errorf("lagging list %+v", got)
	}
	if followup.LaggingOf(nil) != nil || len(followup.LaggingOf([]scoring.Frozen{q2})) != 0 {
		t.Error("one quarter alone cannot make anyone lag twice running")
	}
}

func wantKey(t *testing.T, what string, err error, key string) {
	t.Helper()
	if err == nil || locale.Key(err) != key {
		t.Errorf("%s: got %v (%q), want %s", what, err, locale.Key(err), key)
	}
}

// A talk, a plan followed up to its close, a branch plan approved with an
// overdue measure, an inspection with an overdue fix on the office's list,
// on both engines; bad input refused with its message, nothing stored.
func TestFollowUp(t *testing.T) {
	sitetest.DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		set, unit, _ := sitetest.Centre(t, db)
		s := followup.NewStore(db)
		people, _, _ := set.Org.StaffList(ctx, unit.ID, org.StaffFilter{})
		var person org.Staff
		for _, p := range people {
			if p.Active {
				person = p
				break
			}
		}
		hospital, _ := set.Org.UnitByCode(ctx, "demo-hospital")
		stranger, _, _ := set.Org.StaffList(ctx, hospital.ID, org.StaffFilter{Limit: 1})
		_, err := s.AddTalk(ctx, office, unit.ID, followup.TalkInput{Subject: followup.SubjectPerson, SubjectID: stranger[0].ID, HeldOn: "2026-10-09",
			HeldBy: "主任", Agreed: "整改"})
		wantKey(t, "a talk with another unit's person", err, "followup.subject_unknown")
		_, err = s.AddTalk(ctx, office, unit.ID, followup.TalkInput{Subject: followup.SubjectPerson, SubjectID: person.ID, HeldOn: "２０２６年十月",
			HeldBy: "主任", Agreed: "整改"})
		wantKey(t, "a date people cannot mean", err, "followup.date_invalid")
		talk, err := s.AddTalk(ctx, office, unit.ID, followup.TalkInput{Subject: followup.SubjectPerson, SubjectID: person.ID, Period: "2026-Q3",
			HeldOn: "２０２６-10-09", HeldBy: "中心主任 李明", Agreed: "<script>x</script>一个月内好评率回到95%以上"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.OpenPlan(ctx, office, unit.ID, followup.PlanInput{Subject: followup.SubjectPerson, SubjectID: person.ID, Goal: "提升"})
		wantKey(t, "a plan without steps", err, "followup.steps_required")
		plan, err := s.OpenPlan(ctx, office, unit.ID, followup.PlanInput{Subject: followup.SubjectPerson, SubjectID: person.ID, TalkID: talk,
			Goal: "好评率回到95%", Steps: []followup.StepInput{{What: "跟班学习一周", Who: person.Name, DueOn: "2026-10-16"}, {}, {What: "复盘", DueOn: "2026-11-30"}}})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := s.Plan(ctx, unit.ID, plan)
		if len(p.Steps) != 2 || p.Steps[0].What != "跟班学习一周" {
			t.Fatalf("plan steps %+v", p.Steps)
		}
		wantKey(t, "closing with steps open", s.ClosePlan(ctx, office, unit.ID, plan, "已改进"), "followup.steps_open")
		// The demo has its own follow-up: look at this plan's steps only.
		mine := func(over []followup.Overdue, owner string, id int64) []followup.Overdue {
			var out []followup.Overdue
			for _, o := range over {
				if o.Step.Owner == owner && o.Step.OwnerID == id {
					out = append(out, o)
				}
			}
			return out
		}
		all, _ := s.Overdue(ctx, unit.ID, "2026-10-20")
		if over := mine(all, followup.OwnerPlan, plan); len(over) != 1 || over[0].Step.ID != p.Steps[0].ID || over[0].Label != person.Name {
			t.Errorf("overdue on 20 October: %+v", over)
		}
		for _, st := range p.Steps {
			if err := s.DoneStep(ctx, office, unit.ID, st.ID, "2026-10-15", "已完成"); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DoneStep(ctx, office, unit.ID, p.Steps[0].ID, "2026-10-15", "再"); !errors.Is(err, followup.ErrState) {
			t.Errorf("a step done twice: %v", err)
		}
		if err := s.ClosePlan(ctx, office, unit.ID, plan, "好评率已回到96%"); err != nil {
			t.Fatal(err)
		}
		if err := s.AddSteps(ctx, office, unit.ID, followup.OwnerPlan, plan, []followup.StepInput{{What: "补", DueOn: "2026-12-01"}}); !errors.Is(err, followup.ErrState) {
			t.Errorf("a step added to a closed plan: %v", err)
		}

		branches, _ := set.Org.Branches(ctx, unit.ID)
		in := followup.BranchPlanInput{BranchID: branches[0].ID, Year: 2031, Standards: "五个好", Carriers: "党员示范岗"}
		_, err = s.SaveBranchPlan(ctx, office, unit.ID, in)
		wantKey(t, "a plan without measures", err, "followup.measures_required")
		in.Measures = []followup.StepInput{{What: "每月一次业务比武", Who: "支部书记", DueOn: "2031-06-30"}}
		bp, err := s.SaveBranchPlan(ctx, office, unit.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		wantKey(t, "returning without a note", s.MoveBranchPlan(ctx, office, unit.ID, bp, followup.BranchReturned, ""), "error.required")
		if err := s.MoveBranchPlan(ctx, office, unit.ID, bp, followup.BranchSubmitted, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveBranchPlan(ctx, office, unit.ID, in); !errors.Is(err, followup.ErrState) {
			t.Errorf("changing a submitted plan: %v", err)
		}
		if err := s.MoveBranchPlan(ctx, office, unit.ID, bp, followup.BranchApproved, "同意"); err != nil {
			t.Fatal(err)
		}
		weak, _ := s.WeakBranches(ctx, unit.ID, branches, nil, 2031, "2031-10-20")
		for _, w := range weak {
			if w.BranchID == branches[0].ID && (len(w.Reasons) != 1 || w.Reasons[0] != followup.WeakPlanOverdue) {
				t.Errorf("an approved plan with an overdue measure: %+v", w)
			}
		}
		_, err = s.AddVisit(ctx, office, unit.ID, followup.VisitInput{Kind: followup.VisitGuidance, VisitedOn: "2026-10-12", Visitors: "办公室", Found: "x"})
		wantKey(t, "a guidance visit to no branch", err, "followup.branch_required")
		v, err := s.AddVisit(ctx, office, unit.ID, followup.VisitInput{Kind: followup.VisitInspection, VisitedOn: "2026-10-12", Visitors: "领导小组 李明、王芳",
			Found: "台签缺失", Fixes: []followup.StepInput{{What: "补齐台签", Who: "窗口负责人", DueOn: "2026-10-15"}}})
		if err != nil {
			t.Fatal(err)
		}
		all, _ = s.Overdue(ctx, unit.ID, "2031-10-20")
		fixes := mine(all, followup.OwnerVisit, v)
		if len(fixes) != 1 || fixes[0].Kind != followup.VisitInspection || len(mine(all, followup.OwnerBranchPlan, bp)) != 1 || len(mine(all, followup.OwnerPlan, plan)) != 0 {
			t.Errorf("overdue in 2031: want the inspection's fix and the branch measure, not the closed plan's: %+v", all)
		}
	})
}
