package feedback_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/feedback"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/ratings"
	"wuliang/internal/rectification"
	"wuliang/internal/testdb"
)

func TestSuggestionBox(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		u, other := orgtest.New(t, db, "unit-a"), orgtest.New(t, db, "unit-b")
		office := orgtest.User(t, db, u.ID, "office", accounts.RoleUnitAdmin, 0, 0)
		zhang := orgtest.User(t, db, u.ID, "zhang", accounts.RoleStaff, u.Staff[0], 0)
		s := feedback.NewStore(db)
		bad := []struct {
			name string
			in   feedback.Input
			want string
		}{
			{"empty", feedback.Input{Kind: "complaint"}, "error.required"},
			{"huge", feedback.Input{Kind: "complaint", Body: strings.Repeat("投", 3000)}, "error.too_long"},
			{"bad kind", feedback.Input{Kind: "<b>", Body: "x"}, "feedback.kind_invalid"},
			{"bad phone", feedback.Input{Kind: "praise", Body: "x", Phone: "call me"}, "error.phone_invalid"},
			{"another unit's person", feedback.Input{Kind: "complaint", Body: "x", StaffID: other.Staff[0]}, "feedback.target_unknown"},
		}
		for _, b := range bad {
			if _, err := s.Send(ctx, u.ID, b.in); locale.Key(err) != b.want {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		code, err := s.Send(ctx, u.ID, feedback.Input{Kind: "complaint", StaffID: u.Staff[0], Body: "<script>alert(1)</script> 态度生硬 😠", Address: "203.0.113.5"})
		if err != nil || len(code) != 10 {
			t.Fatalf("send: %q %v", code, err)
		}
		m, err := s.ByCode(ctx, u.ID, strings.ToLower(code))
		if err != nil || m.DepartmentID != u.Window || m.State != feedback.StateNew {
			t.Fatalf("track: %+v %v", m, err)
		}
		if _, err := s.ByCode(ctx, other.ID, code); !errors.Is(err, feedback.ErrNotFound) {
			t.Fatalf("another unit tracked it: %v", err)
		}
		if err := s.Handle(ctx, orgtest.Actor, zhang, u.ID, m.ID, feedback.Handling{Reply: "x"}); !errors.Is(err, feedback.ErrForbidden) {
			t.Fatalf("staff handled it: %v", err)
		}
		if err := s.Handle(ctx, orgtest.Actor, office, u.ID, m.ID, feedback.Handling{Publish: true}); locale.Key(err) != "feedback.reply_required" {
			t.Fatalf("publish without reply: %v", err)
		}
		if err := s.Handle(ctx, orgtest.Actor, office, u.ID, m.ID, feedback.Handling{AssigneeID: u.Staff[1], Upheld: "yes", Reply: "已约谈当事人", Publish: true}); err != nil {
			t.Fatal(err)
		}
		if err := s.Handle(ctx, orgtest.Actor, office, u.ID, m.ID, feedback.Handling{Upheld: "no"}); locale.Key(err) != "feedback.already_decided" {
			t.Fatalf("decided twice: %v", err)
		}
		recs, _ := accountability.NewStore(db).List(ctx, u.ID, accountability.Filter{Rule: accountability.RuleComplaint})
		if len(recs) != 1 || recs[0].StaffID != u.Staff[0] || recs[0].Link() != "/feedback/"+itoa(m.ID) {
			t.Fatalf("upheld complaint: %+v", recs)
		}
		// The upheld complaint is rectified like a bad rating; the sender
		// gave no name or phone, so there is nobody to follow up with.
		rated := ratings.NewStore(db)
		t.Cleanup(rated.Close)
		rs := rectification.NewStore(db, rated)
		xs, _ := rs.List(ctx, u.ID, nil, true)
		if len(xs) != 1 || xs[0].Source != rectification.SourceComplaint || xs[0].SourceID != m.ID || !xs[0].Anonymous ||
			xs[0].StaffID != u.Staff[0] || xs[0].StaffName == "" || xs[0].State != rectification.StepVerify || !strings.Contains(xs[0].Summary, "<script>") {
			t.Fatalf("complaint rectification: %+v", xs)
		}
		for _, st := range []rectification.Step{{Action: "appeal", Note: "不是我"}, {Action: "verify", Note: "已核实"}, {Action: "rectify", Method: "on_the_spot", Note: "已道歉"}} {
			err := rs.Take(ctx, orgtest.Actor, office, u.ID, xs[0].ID, st)
			if st.Action == "appeal" {
				if err == nil {
					t.Fatal("a complaint's rectification took an appeal")
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", st.Action, err)
			}
		}
		if x, _ := rs.Get(ctx, u.ID, xs[0].ID); x.State != rectification.StepClosed {
			t.Fatalf("complaint rectification not closed: %+v", x)
		}
		published, _ := s.List(ctx, u.ID, true)
		if len(published) != 1 || published[0].Reply != "已约谈当事人" {
			t.Fatalf("published: %+v", published)
		}
		// One address sends at most ten an hour.
		sent := 0
		for range 30 {
			if _, err := s.Send(ctx, u.ID, feedback.Input{Kind: "suggestion", Body: "刷", Address: "198.51.100.1"}); err == nil {
				sent++
			} else if !errors.Is(err, feedback.ErrTooOften) {
				t.Fatal(err)
			}
		}
		if sent != feedback.PerAddressPerHour {
			t.Fatalf("%d sent from one address", sent)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
