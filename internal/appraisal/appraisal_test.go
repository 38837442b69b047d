package appraisal_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"wuliang/internal/appraisal"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

// A round from draft to published: bad drafts are refused with a message,
// invitations answer once, non-responses count nowhere, and the results
// per target and group follow the points rule.
func TestRound(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u, other := orgtest.New(t, db, "unit-a"), orgtest.New(t, db, "unit-b")
		s := appraisal.NewStore(db)
		bad := []struct {
			name string
			d    appraisal.Draft
			want string
		}{
			{"empty", appraisal.Draft{}, "error.required"},
			{"huge title", appraisal.Draft{Title: strings.Repeat("评", 101), Subject: "person", Questions: appraisal.DefaultQuestions}, "error.too_long"},
			{"no questions", appraisal.Draft{Title: "x", Subject: "person", Questions: []appraisal.Question{{Text: "  "}}}, "appraisal.questions_required"},
			{"bad kind", appraisal.Draft{Title: "x", Subject: "person", Questions: []appraisal.Question{{Text: "q", Kind: "<script>"}}}, "appraisal.kind_invalid"},
			{"score without max", appraisal.Draft{Title: "x", Subject: "person", Questions: []appraisal.Question{{Text: "q", Kind: "score"}}}, "appraisal.max_score_invalid"},
			{"bad subject", appraisal.Draft{Title: "x", Subject: "everyone", Questions: appraisal.DefaultQuestions}, "appraisal.subject_invalid"},
			{"another unit's person", appraisal.Draft{Title: "x", Subject: "person", Questions: appraisal.DefaultQuestions, StaffIDs: []int64{other.Staff[0]}}, "appraisal.target_unknown"},
		}
		for _, b := range bad {
			if _, err := s.Create(ctx, orgtest.Actor, u.ID, b.d); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		qs := append([]appraisal.Question{}, appraisal.DefaultQuestions...)
		qs = append(qs, appraisal.Question{Text: "总体评分", Kind: appraisal.KindScore, MaxScore: 10})
		id, err := s.Create(ctx, orgtest.Actor, u.ID, appraisal.Draft{Title: "2026年第四季度<b>民主评议</b>", Subject: appraisal.SubjectPerson,
			Questions: qs, StaffIDs: []int64{u.Staff[0], u.Staff[1], u.Staff[0]}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.Get(ctx, u.ID, id)
		if err != nil || len(r.Targets) != 2 || len(r.Questions) != 5 || r.Title != "2026年第四季度<b>民主评议</b>" || r.State != appraisal.StateDraft {
			t.Fatalf("round: %+v %v", r, err)
		}
		if _, err := s.Get(ctx, other.ID, id); !errors.Is(err, appraisal.ErrNotFound) {
			t.Fatalf("another unit read the round: %v", err)
		}
		for _, b := range []struct {
			group  string
			labels []string
			count  int
			want   string
		}{{"mayor", nil, 1, "appraisal.group_invalid"}, {"npc", nil, 0, "appraisal.count_invalid"}, {"npc", nil, 501, "appraisal.count_invalid"},
			{"npc", []string{strings.Repeat("名", 51)}, 0, "error.too_long"}} {
			if _, err := s.Issue(ctx, orgtest.Actor, u.ID, id, b.group, b.labels, b.count); !locale.HasKey(err, b.want) {
				t.Errorf("issue %+v: %v", b, err)
			}
		}
		if _, err := s.Issue(ctx, orgtest.Actor, other.ID, id, "npc", nil, 1); !errors.Is(err, appraisal.ErrNotFound) {
			t.Fatalf("another unit issued invitations: %v", err)
		}
		if n, err := s.Issue(ctx, orgtest.Actor, u.ID, id, "npc", []string{"王代表", " ", "赵代表", "钱代表"}, 0); n != 3 || err != nil {
			t.Fatalf("issue npc: %d %v", n, err)
		}
		if n, err := s.Issue(ctx, orgtest.Actor, u.ID, id, "cppcc", nil, 2); n != 2 || err != nil {
			t.Fatalf("issue cppcc: %d %v", n, err)
		}
		inv, _ := s.Invites(ctx, u.ID, id)
		if len(inv) != 5 || inv[0].Group != "npc" || inv[0].Label != "王代表" || inv[4].Group != "cppcc" || len(inv[0].Token) != 26 {
			t.Fatalf("invites: %+v", inv)
		}
		zhang, li := r.Targets[0].ID, r.Targets[1].ID
		q1, q2, q3, text, score := r.Questions[0].ID, r.Questions[1].ID, r.Questions[2].ID, r.Questions[3].ID, r.Questions[4].ID
		full := appraisal.Answers{{zhang, q1}: "5", {zhang, q2}: "5", {zhang, q3}: "4", {zhang, score}: "10", {zhang, text}: "<img src=x onerror=alert(1)> 很好👍",
			{li, q1}: "3", {li, q2}: "0", {li, q3}: "", {li, score}: "６"}
		if err := s.Answer(ctx, inv[0].Token, full); !errors.Is(err, appraisal.ErrNotOpen) {
			t.Fatalf("answered a draft: %v", err)
		}
		if err := s.Move(ctx, orgtest.Actor, u.ID, id, "publish"); locale.Key(err) != "appraisal.wrong_state" {
			t.Fatalf("published a draft: %v", err)
		}
		if err := s.Move(ctx, orgtest.Actor, u.ID, id, "open"); err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string]struct {
			a    appraisal.Answers
			want string
		}{
			"nothing":          {appraisal.Answers{{zhang, q1}: "", {li, q2}: "0"}, "appraisal.nothing_answered"},
			"level 6":          {appraisal.Answers{{zhang, q1}: "6"}, "appraisal.value_invalid"},
			"score over":       {appraisal.Answers{{zhang, score}: "11"}, "appraisal.value_invalid"},
			"garbage":          {appraisal.Answers{{zhang, q1}: "5; DROP TABLE"}, "appraisal.value_invalid"},
			"another target":   {appraisal.Answers{{zhang + 1000, q1}: "5"}, "appraisal.answer_unknown"},
			"another question": {appraisal.Answers{{zhang, q1 + 1000}: "5"}, "appraisal.answer_unknown"},
			"huge comment":     {appraisal.Answers{{zhang, text}: strings.Repeat("长", 501)}, "error.too_long"},
		} {
			if err := s.Answer(ctx, inv[0].Token, b.a); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v", name, err)
			}
		}
		// Two submissions of one invitation at once: one counts.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() { errs[i] = s.Answer(ctx, inv[0].Token, full) })
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) || !(errors.Is(errs[0], appraisal.ErrInviteUsed) || errors.Is(errs[1], appraisal.ErrInviteUsed)) {
			t.Fatalf("double submit: %v / %v", errs[0], errs[1])
		}
		if err := s.Answer(ctx, inv[3].Token, appraisal.Answers{{zhang, q1}: "4", {li, q1}: "1", {li, text}: "态度生硬"}); err != nil {
			t.Fatal(err)
		}
		for token, want := range map[string]error{inv[0].Token: appraisal.ErrInviteUsed, "forged-token": appraisal.ErrInviteUnknown, "": appraisal.ErrInviteUnknown,
			strings.Repeat("a", 65): appraisal.ErrInviteUnknown} {
			if err := s.Answer(ctx, token, full); !errors.Is(err, want) {
				t.Errorf("token %q: %v", token, err)
			}
		}
		if err := s.Move(ctx, orgtest.Actor, u.ID, id, "close"); err != nil {
			t.Fatal(err)
		}
		if err := s.Answer(ctx, inv[1].Token, full); !errors.Is(err, appraisal.ErrNotOpen) {
			t.Fatalf("answered a closed round: %v", err)
		}
		if _, err := s.Issue(ctx, orgtest.Actor, u.ID, id, "npc", nil, 1); locale.Key(err) != "appraisal.closed" {
			t.Fatalf("issued after closing: %v", err)
		}
		res, err := s.Results(ctx, u.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		// 2 of 5 invitations answered: npc 1 of 3, cppcc 1 of 2.
		if res.Total.Issued != 5 || res.Total.Answered != 2 || res.Total.Rate() != "40.0%" || len(res.Responses) != 2 ||
			res.Responses[0].Group != "npc" || res.Responses[0].Rate() != "33.3%" || res.Responses[1].Rate() != "50.0%" {
			t.Fatalf("responses: %+v", res.Responses)
		}
		// 张三: npc 100, 100, 80, 100 (10 of 10); cppcc 80 → 460 ÷ 5 = 92.0.
		// 李四: npc 60, 60 (6 of 10; 不了解 and the empty box count
		// nowhere); cppcc 20 → 140 ÷ 3 = 46.7.
		top, low := res.Targets[0], res.Targets[1]
		if top.StaffID != u.Staff[0] || top.Rank != 1 || top.Overall.Mean() != "92.0" || top.Overall.N != 5 || top.Overall.GoodRate() != "100.0%" ||
			low.Overall.Mean() != "46.7" || low.Overall.N != 3 || low.Overall.GoodRate() != "0.0%" {
			t.Fatalf("targets: %+v", res.Targets)
		}
		if top.GroupScore("npc").Mean() != "95.0" || top.GroupScore("cppcc").Mean() != "80.0" || low.ByQuestion[1].N != 0 || low.ByQuestion[1].Mean() != "—" {
			t.Fatalf("by group or question: %+v", top)
		}
		if len(top.Comments) != 1 || top.Comments[0].Text != "<img src=x onerror=alert(1)> 很好👍" || len(low.Comments) != 1 || low.Comments[0].Group != "cppcc" {
			t.Fatalf("comments: %+v / %+v", top.Comments, low.Comments)
		}
		if list, _ := s.List(ctx, u.ID, true); len(list) != 0 {
			t.Fatal("an unpublished round is public")
		}
		if err := s.Move(ctx, orgtest.Actor, u.ID, id, "publish"); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.List(ctx, u.ID, true); len(list) != 1 {
			t.Fatal("the published round is not public")
		}
		if list, _ := s.List(ctx, other.ID, false); len(list) != 0 {
			t.Fatal("another unit lists the round")
		}
	})
}
