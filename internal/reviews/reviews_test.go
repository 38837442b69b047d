package reviews_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/reviews"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

func entry(staff int64, grades ...int) reviews.EntryInput {
	e := reviews.EntryInput{StaffID: staff}
	copy(e.Grades[:], grades)
	return e
}

// A month's meeting from opening to publishing: refusals say what to fix
// and keep nothing; each person then sees their own; the public summary
// names the praised; two 差 months put a person on the guidance list.
func TestMeeting(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u, other := orgtest.New(t, db, "unit-a"), orgtest.New(t, db, "unit-b")
		now := time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC)
		s := reviews.NewStore(db).WithClock(func() time.Time { return now })
		admin := orgtest.User(t, db, u.ID, "office-a", accounts.RoleUnitAdmin, 0, 0)
		lead := orgtest.User(t, db, u.ID, "lead-a", accounts.RoleWindowLead, 0, u.Window)
		for _, b := range []struct {
			name, month, scope string
			scopeID            int64
			who                accounts.User
			want               string
		}{
			{"no month", "", reviews.ScopeUnit, 0, admin, "review.month_invalid"},
			{"month 13", "2026-13", reviews.ScopeUnit, 0, admin, "review.month_invalid"},
			{"script", "<script>", reviews.ScopeUnit, 0, admin, "review.month_invalid"},
			{"a month to come", "2026-12", reviews.ScopeUnit, 0, admin, "review.month_future"},
			{"unknown scope", "2026-10", "everyone", 0, admin, "review.scope_invalid"},
			{"another unit's branch", "2026-10", reviews.ScopeBranch, other.Branch, admin, "review.scope_unknown"},
		} {
			if _, err := s.Open(ctx, orgtest.Actor, b.who, u.ID, b.month, b.scope, b.scopeID); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		if _, err := s.Open(ctx, orgtest.Actor, lead, u.ID, "2026-10", reviews.ScopeWindow, u.Office); !errors.Is(err, reviews.ErrForbidden) {
			t.Fatalf("a window lead opened another window's meeting: %v", err)
		}
		// Full-width digits are read; two opens at once make one meeting.
		var wg sync.WaitGroup
		ids := make([]int64, 2)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if ids[i], err = s.Open(ctx, orgtest.Actor, admin, u.ID, "２０２６-１０", reviews.ScopeUnit, 0); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if ids[0] != ids[1] || ids[0] == 0 {
			t.Fatalf("two opens made %v", ids)
		}
		id := ids[0]
		m, err := s.Get(ctx, u.ID, id)
		if err != nil || m.Month != "2026-10" || len(m.Entries) != 3 {
			t.Fatalf("meeting: %+v %v", m, err)
		}
		if _, err := s.Get(ctx, other.ID, id); !errors.Is(err, reviews.ErrNotFound) {
			t.Fatalf("another unit read the meeting: %v", err)
		}
		long := entry(u.Staff[0], 4, 4, 4, 4)
		long.Notes[0] = strings.Repeat("长", 100000)
		badRemark := entry(u.Staff[0], 4, 4, 4, 4)
		badRemark.Remark = "<b>表扬</b>"
		for _, b := range []struct {
			name    string
			summary string
			in      []reviews.EntryInput
			want    string
		}{
			{"grade outside the scale", "", []reviews.EntryInput{entry(u.Staff[0], 5, 4, 4, 4)}, "review.grade_invalid"},
			{"three of four", "", []reviews.EntryInput{entry(u.Staff[0], 4, 4, 4)}, "review.grade_required"},
			{"a comment of 100,000 characters", "", []reviews.EntryInput{long}, "review.note_too_long"},
			{"unknown remark", "", []reviews.EntryInput{badRemark}, "review.remark_invalid"},
			{"another unit's person", "", []reviews.EntryInput{entry(other.Staff[0], 4, 4, 4, 4)}, "review.person_not_in_scope"},
			{"huge summary", strings.Repeat("总", 5001), nil, "error.too_long"},
		} {
			if err := s.Save(ctx, orgtest.Actor, admin, u.ID, id, b.summary, b.in); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		if m, _ := s.Get(ctx, u.ID, id); m.Summary != "" || m.Entries[0].Recorded() {
			t.Fatalf("a refused save kept something: %+v", m)
		}
		praise := entry(u.Staff[0], 4, 4, 3, 4)
		praise.Remark, praise.RemarkNote, praise.Notes[0] = reviews.RemarkPraise, "群众送锦旗 <script>alert(1)</script> 😀", "热情"
		remind := entry(u.Staff[1], 2, 1, 2, 3)
		remind.Remark = reviews.RemarkRemind
		if err := s.Publish(ctx, orgtest.Actor, admin, u.ID, id); !locale.HasKey(err, "review.nothing_to_publish") {
			t.Fatalf("empty publish: %v", err)
		}
		if err := s.Save(ctx, orgtest.Actor, admin, u.ID, id, "十月办件 1,203 件,零投诉。", []reviews.EntryInput{praise, remind, entry(u.Staff[2])}); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, orgtest.Actor, admin, u.ID, id); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, orgtest.Actor, admin, u.ID, id); err != nil {
			t.Fatalf("second publish: %v", err)
		}
		if err := s.Save(ctx, orgtest.Actor, admin, u.ID, id, "改", nil); !locale.HasKey(err, "review.published") {
			t.Fatalf("saved after publishing: %v", err)
		}
		mine, err := s.Mine(ctx, u.ID, u.Staff[0])
		// Default points 100/85/70/40: (100+100+85+100) ÷ 4 = 96.25.
		if err != nil || len(mine) != 1 || mine[0].Score() != "96.25" || mine[0].RemarkNote != praise.RemarkNote || mine[0].Notes[0] != "热情" {
			t.Fatalf("mine: %+v %v", mine, err)
		}
		public, err := s.Public(ctx, u.ID, 3)
		if err != nil || len(public) != 1 || public[0].Name != "张三" || public[0].Remark != reviews.RemarkPraise {
			t.Fatalf("public: %+v %v", public, err)
		}
		st := reviews.DefaultSettings
		st.PublishReminded = true
		st.Points[reviews.Poor] = 120
		if err := s.SaveSettings(ctx, orgtest.Actor, u.ID, st); !locale.HasKey(err, "review.points_range") {
			t.Fatalf("points 120: %v", err)
		}
		st.Points[reviews.Poor] = 90
		if err := s.SaveSettings(ctx, orgtest.Actor, u.ID, st); !locale.HasKey(err, "review.points_order") {
			t.Fatalf("poor worth more than fair: %v", err)
		}
		st.Points[reviews.Poor] = 0
		if err := s.SaveSettings(ctx, orgtest.Actor, u.ID, st); err != nil {
			t.Fatal(err)
		}
		if public, _ := s.Public(ctx, u.ID, 3); len(public) != 2 || public[1].Name != "李四" || public[1].Note != "" {
			t.Fatalf("public with reminded: %+v", public)
		}
		// The published score does not move with the points.
		if mine, _ := s.Mine(ctx, u.ID, u.Staff[0]); mine[0].Score() != "96.25" {
			t.Fatalf("score moved: %s", mine[0].Score())
		}
		// 李四 had a 差 in October; another in September puts them on the list.
		month, _ := reviews.ParseMonth("2026-11")
		if g, _ := s.Guidance(ctx, u.ID, month); len(g) != 0 {
			t.Fatalf("guidance after one month: %+v", g)
		}
		sep, err := s.Open(ctx, orgtest.Actor, admin, u.ID, "2026-09", reviews.ScopeWindow, u.Window)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Save(ctx, orgtest.Actor, admin, u.ID, sep, "", []reviews.EntryInput{entry(u.Staff[1], 1, 1, 2, 2)}); err != nil {
			t.Fatal(err)
		}
		if err := s.Publish(ctx, orgtest.Actor, admin, u.ID, sep); err != nil {
			t.Fatal(err)
		}
		g, err := s.Guidance(ctx, u.ID, month)
		if err != nil || len(g) != 1 || g[0].Name != "李四" || strings.Join(g[0].Months, ",") != "2026-09,2026-10" {
			t.Fatalf("guidance: %+v %v", g, err)
		}
		// Three months on, September has left the window.
		month, _ = reviews.ParseMonth("2026-12")
		if g, _ := s.Guidance(ctx, u.ID, month); len(g) != 0 {
			t.Fatalf("guidance in December: %+v", g)
		}
		if list, _ := s.List(ctx, u.ID, lead); len(list) != 1 || list[0].ID != sep {
			t.Fatalf("the window lead sees %+v", list)
		}
	})
}
