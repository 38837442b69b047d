package ratings_test

import (
	"bytes"
	"errors"
	"testing"
	"time"
	_ "time/tzdata"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/ratings"
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
		token := newCase(t, db, u, true)
		bad := ratings.Input{Token: token, Level: ratings.VeryDissatisfied, Reasons: []string{"多次跑腿"}, Comment: "跑了三趟", Channel: ratings.ChannelQR}
		if _, err := s.Submit(ctx, 0, bad); err != nil {
			t.Fatal(err)
		}
		list, _ := s.Rectifications(ctx, u.ID, &office, true)
		if len(list) != 1 || list[0].State != ratings.StepVerify || list[0].Anonymous || list[0].StaffID != u.Staff[0] || list[0].Signal == "" {
			t.Fatalf("opened: %+v", list)
		}
		x := list[0]
		steps := []struct {
			who  accounts.User
			step ratings.Step
			want string // "", "forbidden", or a message key
		}{
			{zhang, ratings.Step{Action: "verify", Note: "核实"}, "forbidden"}, // the person rated never handles it
			{wang, ratings.Step{Action: "verify", Note: "核实"}, "forbidden"},  // nor a colleague
			{office, ratings.Step{Action: "rectify", Method: "on_the_spot", Note: "x"}, "rectification.wrong_state"},
			{office, ratings.Step{Action: "verify"}, "rectification.note_required"},
			{office, ratings.Step{Action: "verify", Note: "已电话联系群众,情况属实"}, ""},
			{office, ratings.Step{Action: "rectify", Method: "<b>", Note: "x"}, "rectification.method_invalid"},
			{office, ratings.Step{Action: "rectify", Method: "on_the_spot", Note: "当场补办,向群众致歉"}, ""},
			{office, ratings.Step{Action: "followup", Answer: "maybe"}, "rectification.answer_invalid"},
			{office, ratings.Step{Action: "followup", Answer: "satisfied", Note: "群众表示满意"}, ""},
			{office, ratings.Step{Action: "followup", Answer: "satisfied"}, "rectification.wrong_state"},
		}
		for i, st := range steps {
			err := s.Take(ctx, orgtest.Actor, st.who, u.ID, x.ID, st.step)
			switch {
			case st.want == "" && err != nil, st.want == "forbidden" && !errors.Is(err, ratings.ErrForbidden),
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
		other := newCase(t, db, u, true)
		s.Submit(ctx, 0, ratings.Input{Token: other, Level: ratings.Dissatisfied, Reasons: []string{"态度不好"}, Channel: ratings.ChannelQR})
		open, _ := s.Rectifications(ctx, u.ID, &zhang, true)
		if len(open) != 1 {
			t.Fatalf("the person rated sees %d open", len(open))
		}
		y := open[0]
		if err := s.Take(ctx, orgtest.Actor, wang, u.ID, y.ID, ratings.Step{Action: "appeal", Note: "不是我"}); !errors.Is(err, ratings.ErrForbidden) {
			t.Fatalf("a colleague appealed: %v", err)
		}
		if err := s.Take(ctx, orgtest.Actor, zhang, u.ID, y.ID, ratings.Step{Action: "appeal", Note: "该群众未到本窗口办理,监控可查"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Take(ctx, orgtest.Actor, zhang, u.ID, y.ID, ratings.Step{Action: "uphold", Note: "自己批准"}); !errors.Is(err, ratings.ErrForbidden) {
			t.Fatalf("the person rated decided their appeal: %v", err)
		}
		before, _ := s.Summarize(ctx, u.ID, ratings.Filter{StaffID: u.Staff[0]})
		if err := s.Take(ctx, orgtest.Actor, office, u.ID, y.ID, ratings.Step{Action: "uphold", Note: "经查看监控,评价对象错误"}); err != nil {
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

// The period's figures and the exchange records follow the formulas, and
// an invalid rating counts nowhere but is exported, marked.
func TestReportAndExchange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		office := orgtest.User(t, db, u.ID, "office", accounts.RoleUnitAdmin, 0, 0)
		s := ratings.NewStore(db)
		t.Cleanup(s.Close)
		if err := s.SetDays(ctx, orgtest.Actor, u.ID, ratings.Days{Token: 15, Verify: 1, Rectify: 5, Ledger: 15, Followup: 2, AreaCode: "４２１１０２", UnverifiedWeight: 50}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDays(ctx, orgtest.Actor, u.ID, ratings.Days{Token: 15, Verify: 1, Rectify: 5, Ledger: 15, Followup: 2, AreaCode: "12ab"}); locale.Key(err) != "rating.area_code_invalid" {
			t.Fatalf("bad area code: %v", err)
		}
		good, bad, unrated := newCase(t, db, u, true), newCase(t, db, u, true), newCase(t, db, u, true)
		s.Submit(ctx, 0, ratings.Input{Token: good, Level: ratings.VerySatisfied, Channel: ratings.ChannelDevice})
		s.Submit(ctx, 0, ratings.Input{Token: bad, Level: ratings.VeryDissatisfied, Reasons: []string{"乱收费", "态度不好"}, Comment: "多收了钱", Channel: ratings.ChannelQR})
		open, _ := s.Rectifications(ctx, u.ID, &office, true)
		for _, st := range []ratings.Step{{Action: "verify", Note: "属实"}, {Action: "rectify", Method: "on_the_spot", Note: "已退费"}, {Action: "followup", Answer: "basically"}} {
			if err := s.Take(ctx, orgtest.Actor, office, u.ID, open[0].ID, st); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Now()
		rep, err := s.Report(ctx, u.ID, now.Add(-time.Hour), now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := ratings.Figures{Count: 2, Good: 1, Bad: 1, Completed: 3, Rated: 2, Contacted: 1, Rectified: 1, OnTime: 1, FollowedUp: 1, SatisfiedFU: 1,
			Weighed: ratings.Weighed{All: 200, Good: 100}}
		if rep.Total != want || rep.Total.GoodRate() != "50.0%" || rep.Total.UnratedRate() != "33.3%" || rep.Total.FollowupRate() != "100.0%" {
			t.Fatalf("report: %+v", rep.Total)
		}
		if len(rep.People) != 1 || rep.People[0].Name != "张三" || len(rep.Windows) != 1 || rep.Windows[0].Count != 2 {
			t.Fatalf("rows: %+v %+v", rep.People, rep.Windows)
		}
		recs, err := s.Exchange(ctx, u.ID, now.Add(-time.Hour), now.Add(time.Hour), time.FixedZone("CST", 8*3600))
		if err != nil || len(recs) != 2 {
			t.Fatalf("exchange: %v %+v", err, recs)
		}
		b := recs[1]
		if b.SatisfactionCode != "5" || b.Satisfaction != "非常不满意" || b.Text != "乱收费、态度不好;多收了钱" || b.AreaCode != "421102" ||
			b.Count != 1 || b.Rater != "刘备" || b.ChannelCode != "1" || recs[0].SatisfactionCode != "1" {
			t.Fatalf("exchange record: %+v / %+v", b, recs[0])
		}
		var buf bytes.Buffer
		if err := ratings.ExchangeExcel(&buf, recs); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("PK")) {
			t.Fatalf("workbook: %v", err)
		}

		// A rating of a person without a case counts at the unit's weight
		// (half by default) in the good-rating rate: (100+50) ÷ (200+50).
		if _, err := s.Submit(ctx, u.ID, ratings.Input{StaffID: u.Staff[0], Level: ratings.Satisfied, Channel: ratings.ChannelQR, Device: "d1", Address: "a1"}); err != nil {
			t.Fatal(err)
		}
		rep, _ = s.Report(ctx, u.ID, now.Add(-time.Hour), now.Add(time.Hour))
		if rep.Total.Count != 3 || rep.Total.GoodRate() != "60.0%" {
			t.Fatalf("weighted: %+v %s", rep.Total, rep.Total.GoodRate())
		}
		if sum, _ := s.Summarize(ctx, u.ID, ratings.Filter{}); sum.Count != 3 || sum.GoodRate() != "60.0%" {
			t.Fatalf("summary: %+v %s", sum, sum.GoodRate())
		}

		// No default ratings unless the unit turns them on; then the
		// expired unrated case gets one, once, marked, and still counts
		// as not rated by the public.
		later := s.WithClock(func() time.Time { return now.AddDate(0, 0, 16) })
		if n, err := later.MakeDefaults(ctx, u.ID); n != 0 || err != nil {
			t.Fatalf("default ratings while off: %d %v", n, err)
		}
		for _, bad := range []ratings.Days{{Token: 15, Verify: 1, Rectify: 5, Ledger: 15, Followup: 2, DefaultLevel: 2},
			{Token: 15, Verify: 1, Rectify: 5, Ledger: 15, Followup: 2, UnverifiedWeight: 101}} {
			if err := s.SetDays(ctx, orgtest.Actor, u.ID, bad); err == nil {
				t.Fatalf("accepted %+v", bad)
			}
		}
		if err := s.SetDays(ctx, orgtest.Actor, u.ID, ratings.Days{Token: 15, Verify: 1, Rectify: 5, Ledger: 15, Followup: 2, DefaultLevel: ratings.Satisfied, UnverifiedWeight: 50}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.MakeDefaults(ctx, u.ID); n != 0 || err != nil {
			t.Fatalf("default rating before the token expired: %d %v", n, err)
		}
		for want := range []int{1, 0} {
			if n, err := later.MakeDefaults(ctx, u.ID); n != 1-want || err != nil {
				t.Fatalf("default ratings, run %d: %d %v", want+1, n, err)
			}
		}
		list, _, _ := s.List(ctx, u.ID, ratings.Filter{CaseID: unratedID(t, db, unrated)})
		if len(list) != 1 || list[0].Channel != ratings.ChannelDefault || list[0].Level != ratings.Satisfied {
			t.Fatalf("default rating: %+v", list)
		}
		rep, _ = s.Report(ctx, u.ID, now.Add(-time.Hour), now.AddDate(0, 0, 17))
		if rep.Total.Defaults != 1 || rep.Total.Rated != 2 || rep.Total.Completed != 3 {
			t.Fatalf("defaults in the report: %+v", rep.Total)
		}
	})
}

func unratedID(t *testing.T, db *database.DB, token string) int64 {
	var id int64
	if err := db.QueryRow(`SELECT id FROM cases WHERE rating_token = $1`, token).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
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
		if _, err := s.Submit(ctx, u.ID, ratings.Input{StaffID: u.Staff[0], Level: ratings.Dissatisfied, Reasons: []string{"态度不好"},
			Channel: ratings.ChannelQR, Device: "d", Address: "a"}); err != nil {
			t.Fatal(err)
		}
		list, err := s.Rectifications(ctx, u.ID, nil, true)
		if err != nil || len(list) != 1 {
			t.Fatalf("%v %+v", err, list)
		}
		if due := list[0].DueAt.In(urumqi); due.Hour() != 17 || due.Minute() != 30 {
			t.Fatalf("due %s, want 17:30 in Urumqi", due)
		}
	})
}
