package rectification_test

import (
	"context"
	"errors"
	"testing"
	"time"
	_ "time/tzdata"

	"wuliang/internal/accounts"
	"wuliang/internal/casetest"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/ratings"
	"wuliang/internal/rectification"
	"wuliang/internal/testdb"
)

func TestRectification(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		office := orgtest.User(t, db, u.ID, "office", accounts.RoleUnitAdmin, 0, 0)
		zhang := orgtest.User(t, db, u.ID, "zhang", accounts.RoleStaff, u.Staff[0], 0)
		wang := orgtest.User(t, db, u.ID, "wang", accounts.RoleStaff, u.Staff[2], 0)
		s := ratings.NewStore(db)
		t.Cleanup(s.Close)
		rs := rectification.NewStore(db, s)
		token := casetest.Token(t, db, u, true)
		bad := ratings.Input{Token: token, Level: ratings.VeryDissatisfied, Reasons: []string{"多次跑腿"}, Comment: "跑了三趟", Channel: ratings.ChannelQR}
		if _, err := s.Submit(ctx, 0, bad); err != nil {
			t.Fatal(err)
		}
		list, _ := rs.List(ctx, u.ID, &office, true)
		if len(list) != 1 || list[0].State != rectification.StepVerify || list[0].Anonymous || list[0].StaffID != u.Staff[0] || list[0].Signal == "" {
			t.Fatalf("opened: %+v", list)
		}
		x := list[0]
		steps := []struct {
			who  accounts.User
			step rectification.Step
			want string // "", "forbidden", or a message key
		}{
			{zhang, rectification.Step{Action: "verify", Note: "核实"}, "forbidden"}, // the person rated never handles it
			{wang, rectification.Step{Action: "verify", Note: "核实"}, "forbidden"},  // nor a colleague
			{office, rectification.Step{Action: "rectify", Method: "on_the_spot", Note: "x"}, "rectification.wrong_state"},
			{office, rectification.Step{Action: "verify"}, "rectification.note_required"},
			{office, rectification.Step{Action: "verify", Note: "已电话联系群众,情况属实"}, ""},
			{office, rectification.Step{Action: "rectify", Method: "<b>", Note: "x"}, "rectification.method_invalid"},
			{office, rectification.Step{Action: "rectify", Method: "on_the_spot", Note: "当场补办,向群众致歉"}, ""},
			{office, rectification.Step{Action: "followup", Answer: "maybe"}, "rectification.answer_invalid"},
			{office, rectification.Step{Action: "followup", Answer: "satisfied", Note: "群众表示满意"}, ""},
			{office, rectification.Step{Action: "followup", Answer: "satisfied"}, "rectification.wrong_state"},
		}
		for i, st := range steps {
			err := rs.Take(ctx, orgtest.Actor, st.who, u.ID, x.ID, st.step)
			switch {
			case st.want == "" && err != nil, st.want == "forbidden" && !errors.Is(err, rectification.ErrForbidden),
				st.want != "" && st.want != "forbidden" && locale.Key(err) != st.want:
				t.Fatalf("step %d %s: %v, want %q", i, st.step.Action, err, st.want)
			}
		}
		// The rater may add one follow-up rating, and only one.
		c, _ := s.CaseByToken(ctx, 0, token)
		if !c.Rated || !c.FollowupOpen {
			t.Fatalf("follow-up not open: %+v", c)
		}
		r, err := s.Submit(ctx, 0, ratings.Input{Token: token, Level: ratings.Satisfied, Channel: ratings.ChannelQR})
		if err != nil || !r.Followup {
			t.Fatalf("follow-up rating: %+v %v", r, err)
		}
		if _, err := s.Submit(ctx, 0, ratings.Input{Token: token, Level: ratings.VerySatisfied, Channel: ratings.ChannelQR}); !errors.Is(err, ratings.ErrTokenUsed) {
			t.Fatalf("a third word: %v", err)
		}

		// An appeal upheld: the rating is kept, marked invalid, not counted.
		other := casetest.Token(t, db, u, true)
		s.Submit(ctx, 0, ratings.Input{Token: other, Level: ratings.Dissatisfied, Reasons: []string{"态度不好"}, Channel: ratings.ChannelQR})
		open, _ := rs.List(ctx, u.ID, &zhang, true)
		if len(open) != 1 {
			t.Fatalf("the person rated sees %d open", len(open))
		}
		y := open[0]
		if err := rs.Take(ctx, orgtest.Actor, wang, u.ID, y.ID, rectification.Step{Action: "appeal", Note: "不是我"}); !errors.Is(err, rectification.ErrForbidden) {
			t.Fatalf("a colleague appealed: %v", err)
		}
		if err := rs.Take(ctx, orgtest.Actor, zhang, u.ID, y.ID, rectification.Step{Action: "appeal", Note: "该群众未到本窗口办理,监控可查"}); err != nil {
			t.Fatal(err)
		}
		if err := rs.Take(ctx, orgtest.Actor, zhang, u.ID, y.ID, rectification.Step{Action: "uphold", Note: "自己批准"}); !errors.Is(err, rectification.ErrForbidden) {
			t.Fatalf("the person rated decided their appeal: %v", err)
		}
		before, _ := s.Summarize(ctx, u.ID, ratings.Filter{StaffID: u.Staff[0]})
		if err := rs.Take(ctx, orgtest.Actor, office, u.ID, y.ID, rectification.Step{Action: "uphold", Note: "经查看监控,评价对象错误"}); err != nil {
			t.Fatal(err)
		}
		after, _ := s.Summarize(ctx, u.ID, ratings.Filter{StaffID: u.Staff[0]})
		all, total, _ := s.List(ctx, u.ID, ratings.Filter{StaffID: u.Staff[0]})
		if after.Count != before.Count-1 || after.Bad != before.Bad-1 || total != 3 {
			t.Fatalf("an invalid rating still counts or was deleted: %+v → %+v, %d listed", before, after, total)
		}
		invalid := 0
		for _, r := range all {
			if !r.Valid {
				invalid++
			}
		}
		if invalid != 1 {
			t.Fatalf("%d ratings marked invalid", invalid)
		}
	})
}

// Rectification deadlines end at the close of office hours in the unit's
// own time zone, not Beijing's.
func TestRectificationDeadlineInUnitZone(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		if err := db.Tx(ctx, func(tx *database.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE units SET timezone = 'Asia/Urumqi' WHERE id = $1`, u.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		urumqi, err := time.LoadLocation("Asia/Urumqi")
		if err != nil {
			t.Fatal(err)
		}
		s := ratings.NewStore(db)
		t.Cleanup(s.Close)
		rs := rectification.NewStore(db, s)
		if _, err := s.Submit(ctx, u.ID, ratings.Input{StaffID: u.Staff[0], Level: ratings.Dissatisfied, Reasons: []string{"态度不好"},
			Channel: ratings.ChannelQR, Device: "d", Address: "a"}); err != nil {
			t.Fatal(err)
		}
		list, err := rs.List(ctx, u.ID, nil, true)
		if err != nil || len(list) != 1 {
			t.Fatalf("%v %+v", err, list)
		}
		if due := list[0].DueAt.In(urumqi); due.Hour() != 17 || due.Minute() != 30 {
			t.Fatalf("due %s, want 17:30 in Urumqi", due)
		}
	})
}

var ctx = context.Background()
