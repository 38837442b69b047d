package commitments_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strings"
	"sync"
	"testing"

	"wuliang/internal/accounts"
	"wuliang/internal/commitments"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

type cast struct {
	unit                                orgtest.Unit
	admin, secretary, lead, zhang, wang accounts.User
}

// newCast makes the office, the branch secretary, the window lead, 张三 (a
// member of the branch at the window) and 王五 (at the office).
func newCast(t *testing.T, db *database.DB, code string) cast {
	u := orgtest.New(t, db, code)
	mk := func(name, role string, staff, branch, dept int64) accounts.User {
		return orgtest.Login(t, db, accounts.NewUser{UnitID: u.ID, Username: code + "-" + name, Role: role, StaffID: staff, BranchID: branch, DepartmentID: dept})
	}
	return cast{unit: u,
		admin:     mk("admin", accounts.RoleUnitAdmin, 0, 0, 0),
		secretary: mk("sec", accounts.RoleBranchSecretary, 0, u.Branch, 0),
		lead:      mk("lead", accounts.RoleWindowLead, u.Staff[1], 0, u.Window),
		zhang:     mk("zhang", accounts.RoleStaff, u.Staff[0], 0, 0),
		wang:      mk("wang", accounts.RoleStaff, u.Staff[2], 0, 0),
	}
}

func promise(owner int64) commitments.Input {
	return commitments.Input{OwnerKind: commitments.OwnerStaff, OwnerID: owner, Category: "one_time_notice",
		Body: "材料不全时一次性书面告知,<b>不让群众跑第二趟</b>", PeriodStart: "2026年1月1日", PeriodEnd: "2026/12/31", DueOn: "２０２６-０６-３０"}
}

func key(err error) string {
	if ps, ok := locale.AsProblems(err); ok {
		return ps[0].Err.Key
	}
	return ""
}

func TestCommitmentLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		c := newCast(t, db, "unit-a")
		s := commitments.NewStore(db)
		act := orgtest.Actor
		id, err := s.Create(ctx, act, c.zhang, c.unit.ID, promise(c.unit.Staff[0]))
		if err != nil {
			t.Fatal(err)
		}
		got, _, _ := s.Get(ctx, c.unit.ID, id, "2026-01-05")
		if got.PeriodStart != "2026-01-01" || got.DueOn != "2026-06-30" || got.State != commitments.StateDraft || got.Body != promise(0).Body {
			t.Fatalf("draft: %+v", got)
		}
		if err := s.Approve(ctx, act, c.secretary, c.unit.ID, id); key(err) != "commitment.wrong_state" {
			t.Fatalf("approving a draft: %v", err)
		}
		if err := s.Submit(ctx, act, c.zhang, c.unit.ID, id); err != nil {
			t.Fatal(err)
		}
		if err := s.Approve(ctx, act, c.lead, c.unit.ID, id); !errors.Is(err, commitments.ErrForbidden) {
			t.Fatalf("a window lead approved: %v", err)
		}
		if err := s.Approve(ctx, act, c.zhang, c.unit.ID, id); !errors.Is(err, commitments.ErrForbidden) {
			t.Fatalf("the author approved their own: %v", err)
		}
		if err := s.Return(ctx, act, c.secretary, c.unit.ID, id, "  "); key(err) != "commitment.reason_required" {
			t.Fatalf("return without reason: %v", err)
		}
		if err := s.Return(ctx, act, c.secretary, c.unit.ID, id, "请写明具体做法"); err != nil {
			t.Fatal(err)
		}
		edit := promise(c.unit.Staff[0])
		edit.Body = "材料不全时当场出具一次性告知书"
		if err := s.Update(ctx, act, c.zhang, c.unit.ID, id, edit); err != nil {
			t.Fatal(err)
		}
		if err := s.Submit(ctx, act, c.zhang, c.unit.ID, id); err != nil {
			t.Fatal(err)
		}
		// Two approvers at once: one wins, the other is told the state changed.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, u := range []accounts.User{c.secretary, c.admin} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Approve(ctx, act, u, c.unit.ID, id)
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) || (key(errs[0]) != "commitment.wrong_state" && key(errs[1]) != "commitment.wrong_state") {
			t.Fatalf("concurrent approvals: %v / %v", errs[0], errs[1])
		}
		if err := s.Update(ctx, act, c.zhang, c.unit.ID, id, edit); !errors.Is(err, commitments.ErrForbidden) {
			t.Fatalf("a public commitment was edited: %v", err)
		}

		// Fulfilment with evidence.
		if _, err := s.AddFulfilment(ctx, act, c.wang, c.unit.ID, id, commitments.FulfilmentInput{OnDate: "2026-03-01", Body: "x"}); !errors.Is(err, commitments.ErrNotFound) {
			t.Fatalf("someone else recorded a fulfilment: %v", err)
		}
		bad := []struct {
			name string
			in   commitments.FulfilmentInput
			key  string
		}{
			{"svg with script", commitments.FulfilmentInput{OnDate: "2026-03-01", Body: "见附件", Data: []byte(`<svg onload="alert(1)"></svg>`)}, "error.evidence_type"},
			{"20 MB", commitments.FulfilmentInput{OnDate: "2026-03-01", Body: "见附件", Data: make([]byte, 20<<20)}, "error.evidence_too_large"},
			{"no text", commitments.FulfilmentInput{OnDate: "2026-03-01"}, "commitment.fulfilment_body"},
			{"bad date", commitments.FulfilmentInput{OnDate: "三月一日", Body: "x"}, "commitment.date_invalid"},
			{"before start", commitments.FulfilmentInput{OnDate: "2025-12-31", Body: "x"}, "commitment.fulfilment_before_start"},
		}
		for _, b := range bad {
			if _, err := s.AddFulfilment(ctx, act, c.zhang, c.unit.ID, id, b.in); key(err) != b.key {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		var img bytes.Buffer
		png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 40, 30)))
		fid, err := s.AddFulfilment(ctx, act, c.zhang, c.unit.ID, id, commitments.FulfilmentInput{OnDate: "2026-03-01", Body: "本月出具告知书 12 份", FileName: "告知书.png", Data: img.Bytes()})
		if err != nil {
			t.Fatal(err)
		}
		if _, ctype, data, _, err := s.File(ctx, c.unit.ID, fid); err != nil || ctype != "image/jpeg" || len(data) == 0 {
			t.Fatalf("evidence: %s %d %v", ctype, len(data), err)
		}
		if err := s.Review(ctx, act, c.zhang, c.unit.ID, fid, true, ""); !errors.Is(err, commitments.ErrForbidden) {
			t.Fatalf("the owner reviewed their own evidence: %v", err)
		}
		// Two reviewers at once: one review counts, the other is told.
		reviews := make([]error, 2)
		for i, u := range []accounts.User{c.secretary, c.admin} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				reviews[i] = s.Review(ctx, act, u, c.unit.ID, fid, true, "属实")
			}()
		}
		wg.Wait()
		if (reviews[0] == nil) == (reviews[1] == nil) {
			t.Fatalf("concurrent reviews: %v / %v", reviews[0], reviews[1])
		}
		if err := s.Review(ctx, act, c.secretary, c.unit.ID, fid, false, ""); key(err) != "commitment.already_reviewed" {
			t.Fatalf("second review: %v", err)
		}

		// Late after the due date, until judged.
		late, _, _ := s.Get(ctx, c.unit.ID, id, "2026-07-01")
		onTime, _, _ := s.Get(ctx, c.unit.ID, id, "2026-06-30")
		if !late.Late || onTime.Late || late.Status() != "open" {
			t.Fatalf("late flag: %v %v", late.Late, onTime.Late)
		}
		if err := s.Close(ctx, act, c.secretary, c.unit.ID, id, "mostly"); key(err) != "commitment.outcome_invalid" {
			t.Fatalf("bad outcome: %v", err)
		}
		if err := s.Close(ctx, act, c.secretary, c.unit.ID, id, "kept"); err != nil {
			t.Fatal(err)
		}
		done, fs, _ := s.Get(ctx, c.unit.ID, id, "2026-07-01")
		if done.Status() != "kept" || done.Late || len(fs) != 1 || fs[0].Review != commitments.ReviewAccepted {
			t.Fatalf("closed: %+v %+v", done, fs)
		}
	})
}

func TestCommitmentRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		a := newCast(t, db, "unit-a")
		b := newCast(t, db, "unit-b")
		s := commitments.NewStore(db)
		cases := []struct {
			name string
			who  accounts.User
			edit func(*commitments.Input)
			want string // a message key, or "forbidden"
		}{
			{"due before start", a.zhang, func(in *commitments.Input) { in.DueOn = "2025-12-01" }, "commitment.due_before_start"},
			{"end before start", a.zhang, func(in *commitments.Input) { in.PeriodEnd = "2025-12-01"; in.DueOn = "" }, "commitment.end_before_start"},
			{"no text", a.zhang, func(in *commitments.Input) { in.Body = " " }, "commitment.body_required"},
			{"huge text", a.zhang, func(in *commitments.Input) { in.Body = strings.Repeat("诺", 100_000) }, "commitment.body_too_long"},
			{"unknown category", a.zhang, func(in *commitments.Input) { in.Category = "<script>" }, "commitment.category_invalid"},
			{"february 30", a.zhang, func(in *commitments.Input) { in.PeriodStart = "2026-02-30" }, "commitment.date_invalid"},
			{"another unit's person", a.admin, func(in *commitments.Input) { in.OwnerID = b.unit.Staff[0] }, "commitment.owner_unknown"},
			{"for a colleague", a.zhang, func(in *commitments.Input) { in.OwnerID = a.unit.Staff[2] }, "forbidden"},
			{"lead for the office", a.lead, func(in *commitments.Input) { in.OwnerID = a.unit.Staff[2] }, "forbidden"},
			{"lead for the window", a.lead, func(in *commitments.Input) { in.OwnerKind, in.OwnerID = commitments.OwnerWindow, a.unit.Window }, ""},
			{"secretary for the branch", a.secretary, func(in *commitments.Input) { in.OwnerKind, in.OwnerID = commitments.OwnerBranch, a.unit.Branch }, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := promise(a.unit.Staff[0])
				c.edit(&in)
				_, err := s.Create(ctx, orgtest.Actor, c.who, a.unit.ID, in)
				switch {
				case c.want == "" && err != nil:
					t.Fatalf("refused: %v", err)
				case c.want == "forbidden" && !errors.Is(err, commitments.ErrForbidden):
					t.Fatalf("got %v, want forbidden", err)
				case c.want != "" && c.want != "forbidden" && key(err) != c.want:
					t.Fatalf("got %v, want %s", err, c.want)
				}
			})
		}
		id, _ := s.Create(ctx, orgtest.Actor, a.zhang, a.unit.ID, promise(a.unit.Staff[0]))
		if _, _, err := s.Get(ctx, b.unit.ID, id, ""); !errors.Is(err, commitments.ErrNotFound) {
			t.Fatalf("read from another unit: %v", err)
		}
		if err := s.Submit(ctx, orgtest.Actor, b.admin, b.unit.ID, id); !errors.Is(err, commitments.ErrNotFound) {
			t.Fatalf("submit from another unit: %v", err)
		}
		// The secretary cannot approve what they wrote for the branch; the office can.
		bid, _ := s.Create(ctx, orgtest.Actor, a.secretary, a.unit.ID, commitments.Input{OwnerKind: commitments.OwnerBranch, OwnerID: a.unit.Branch,
			Category: "personal", Body: "每月开展一次主题党日", PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31"})
		s.Submit(ctx, orgtest.Actor, a.secretary, a.unit.ID, bid)
		if err := s.Approve(ctx, orgtest.Actor, a.secretary, a.unit.ID, bid); !errors.Is(err, commitments.ErrForbidden) {
			t.Fatalf("a secretary approved their own branch's commitment: %v", err)
		}
		if err := s.Approve(ctx, orgtest.Actor, a.admin, a.unit.ID, bid); err != nil {
			t.Fatal(err)
		}
		// Nobody approves their own: the office writes one for the secretary
		// as a person; the secretary cannot approve it, the office can.
		own, _ := s.Create(ctx, orgtest.Actor, a.admin, a.unit.ID, promise(a.unit.Staff[0]))
		s.Submit(ctx, orgtest.Actor, a.admin, a.unit.ID, own)
		secretary := a.secretary
		secretary.StaffID = a.unit.Staff[0]
		if err := s.Approve(ctx, orgtest.Actor, secretary, a.unit.ID, own); !errors.Is(err, commitments.ErrForbidden) {
			t.Fatalf("a secretary approved their own commitment: %v", err)
		}
		if err := s.Approve(ctx, orgtest.Actor, a.admin, a.unit.ID, own); err != nil {
			t.Fatal(err)
		}
		public, _ := s.List(ctx, a.unit.ID, commitments.Filter{States: []string{commitments.StatePublic}})
		mine, _ := s.List(ctx, a.unit.ID, commitments.Filter{ScopeOf: &a.wang})
		if len(public) != 2 || len(mine) != 0 {
			t.Fatalf("public %d, visible to 王五 %d", len(public), len(mine))
		}
	})
}
