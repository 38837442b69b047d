package honours_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/feedback"
	"wuliang/internal/honours"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/scoring"
	"wuliang/internal/sitetest"
)

var office = audit.Actor{UserID: 1, Name: "center-admin"}

// A clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func wantKey(t *testing.T, what string, err error, key string) {
	t.Helper()
	if err == nil || locale.Key(err) != key {
		t.Errorf("%s: got %v (%q), want %s", what, err, locale.Key(err), key)
	}
}

// One selection from start to end on the demo's published quarter, both
// engines: a vetoed window cannot be nominated, nor one of another unit;
// the vote takes one ballot per voter however many arrive at once and
// shows nothing below the minimum of voters; the 公示期 of five working
// days runs across National Day; an objection holds confirmation until it
// is answered; the confirmed honour cannot be changed, only revoked with
// a reason, and the revocation is audited.
func TestSelectionFlow(t *testing.T) {
	sitetest.DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		set, unit, q := sitetest.Centre(t, db)
		loc := org.Location(unit.Timezone)
		at := &clock{t: time.Date(2026, 9, 28, 9, 0, 0, 0, loc)}
		s := set.Honours.WithClock(at.now)
		kindID, err := s.SaveKind(ctx, office, unit.ID, honours.Kind{Name: "测试之窗", Subject: honours.SubjectWindow, Places: 1, Shortlist: 3,
			PeriodKind: "quarter", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Open(ctx, office, unit.ID, kindID, q.Code, honours.Plan{Vote: "lottery", PublicityDays: 5}); locale.Key(err) != "honours.vote_invalid" {
			t.Errorf("an unknown vote: %v", err)
		}
		sel, err := s.Open(ctx, office, unit.ID, kindID, q.Code, honours.Plan{Vote: honours.VoteLeadingGroup, MinVoters: 2, PublicityDays: 5})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Open(ctx, office, unit.ID, kindID, q.Code, honours.Plan{Vote: honours.VoteNone, PublicityDays: 5}); !errors.Is(err, honours.ErrOpenExists) {
			t.Errorf("a second selection of the same kind and period: %v", err)
		}
		pub, err := set.Schemes.Published(ctx, unit.ID, q.Code)
		if err != nil {
			t.Fatal(err)
		}
		nominees, err := s.Nominees(ctx, unit.ID, sel.ID)
		if err != nil || len(nominees) == 0 {
			t.Fatalf("%d nominees, %v", len(nominees), err)
		}
		var vetoed, free int64
		for _, r := range pub.Scores.Levels[scoring.Window] {
			listed := false
			for _, n := range nominees {
				listed = listed || n.SubjectID == r.Subject.ID
			}
			switch {
			case r.Vetoed() && listed:
				t.Errorf("vetoed %s on the shortlist", r.Subject.Name)
			case r.Vetoed():
				vetoed = r.Subject.ID
			case !listed:
				free = r.Subject.ID
			}
		}
		by := honours.Nominator{Source: honours.SourceOffice, Name: "办公室"}
		wantKey(t, "a vetoed window", s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: vetoed, Reason: "群众口碑好"}),
			"honours.nominee_vetoed")
		wantKey(t, "no reason", s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: nominees[0].SubjectID, Reason: "  "}),
			"error.required")
		hospital, _ := set.Org.UnitByCode(ctx, "demo-hospital")
		deps, _ := set.Org.Departments(ctx, hospital.ID)
		wantKey(t, "another unit's window", s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: deps[0].ID, Reason: "好"}),
			"honours.nominee_unknown")
		if err := s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: nominees[0].SubjectID, Reason: "全季度零差评 <b>"}); err != nil {
			t.Fatal(err)
		}
		wantKey(t, "a second reason", s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: nominees[0].SubjectID, Reason: "又一条"}),
			"honours.already_nominated")
		if free != 0 {
			if err := s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: free, Reason: "办公室增补：服务创新"}); err != nil {
				t.Errorf("the office adds a candidate: %v", err)
			}
		}
		wantKey(t, "a proposal before the vote", s.Propose(ctx, office, unit.ID, sel.ID, []int64{nominees[0].ID}, "", calendar.National(), loc),
			"honours.vote_first")
		if err := s.StartVote(ctx, office, unit.ID, sel.ID, at.now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		wantKey(t, "nominating during the vote", s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: nominees[1].SubjectID, Reason: "好"}),
			"honours.stage_moved")

		// Ten ballots of one voter at once: one counts.
		var wg sync.WaitGroup
		errs := make(chan error, 10)
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.Vote(ctx, office, unit.ID, sel.ID, "user:7", []int64{nominees[0].ID})
			}()
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, honours.ErrVoted):
				t.Errorf("a double vote: %v", err)
			}
		}
		sel, _ = s.Selection(ctx, unit.ID, sel.ID)
		tally, _ := s.Tally(ctx, unit.ID, sel)
		if ok != 1 || tally.Voters != 1 || tally.Shown {
			t.Errorf("ten ballots at once: %d accepted, %d voters, shown %v", ok, tally.Voters, tally.Shown)
		}
		wantKey(t, "two choices for one place", s.Vote(ctx, office, unit.ID, sel.ID, "user:8", []int64{nominees[0].ID, nominees[1].ID}), "honours.choices_count")
		if err := s.Vote(ctx, office, unit.ID, sel.ID, "user:8", []int64{nominees[0].ID}); err != nil {
			t.Fatal(err)
		}
		tally, _ = s.Tally(ctx, unit.ID, sel)
		if !tally.Shown || tally.Votes[nominees[0].ID] != 2 {
			t.Errorf("two voters: %+v", tally)
		}
		wantKey(t, "a proposal while the vote is open", s.Propose(ctx, office, unit.ID, sel.ID, []int64{nominees[0].ID}, "", calendar.National(), loc),
			"honours.vote_still_open")
		at.set(time.Date(2026, 9, 29, 10, 0, 0, 0, loc))
		if err := s.Vote(ctx, office, unit.ID, sel.ID, "user:9", []int64{nominees[0].ID}); !errors.Is(err, honours.ErrVoteClosed) {
			t.Errorf("voting after the close: %v", err)
		}

		// Proposed on Tuesday 29 September: 29, 30 September, then National
		// Day until 7 October, then 8, 9 and the make-up Saturday 10 October.
		if err := s.Propose(ctx, office, unit.ID, sel.ID, []int64{nominees[0].ID}, "按得票和评分", calendar.National(), loc); err != nil {
			t.Fatal(err)
		}
		sel, _ = s.Selection(ctx, unit.ID, sel.ID)
		if sel.PublicityFrom != "2026-09-29" || sel.PublicityUntil != "2026-10-10" || !sel.InPublicity("2026-09-29") || !sel.InPublicity("2026-10-10") || sel.InPublicity("2026-10-11") {
			t.Errorf("公示期 %s – %s", sel.PublicityFrom, sel.PublicityUntil)
		}
		code, err := set.Feedback.Send(ctx, unit.ID, feedback.Input{Kind: feedback.KindObjection, SelectionID: sel.ID, Name: "王某", Phone: "13800000000",
			Body: "该窗口九月有一次推诿", DepartmentID: nominees[0].SubjectID, Address: "10.0.0.9"})
		if err != nil {
			t.Fatal(err)
		}
		at.set(time.Date(2026, 10, 10, 17, 0, 0, 0, loc))
		if err := s.Confirm(ctx, office, unit.ID, sel.ID, set.Feedback, loc); !errors.Is(err, honours.ErrObjectionsOpen) {
			t.Errorf("confirming with an objection unanswered: %v", err)
		}
		m, _ := set.Feedback.ByCode(ctx, unit.ID, code)
		admin := accounts.User{Role: accounts.RoleUnitAdmin, UnitID: unit.ID}
		if err := set.Feedback.Handle(ctx, office, admin, unit.ID, m.ID, feedback.Handling{Reply: "经核查，系群众误解，已当面说明。"}); err != nil {
			t.Fatal(err)
		}
		wantKey(t, "confirming on the last day of the 公示期", s.Confirm(ctx, office, unit.ID, sel.ID, set.Feedback, loc), "honours.publicity_running")
		at.set(time.Date(2026, 10, 12, 9, 0, 0, 0, loc))
		if err := s.Confirm(ctx, office, unit.ID, sel.ID, set.Feedback, loc); err != nil {
			t.Fatal(err)
		}
		awards, err := s.Awards(ctx, unit.ID, honours.AwardFilter{SelectionID: sel.ID})
		if err != nil || len(awards) != 1 || awards[0].SubjectID != nominees[0].SubjectID || awards[0].CertificateNo == "" {
			t.Fatalf("awards %+v, %v", awards, err)
		}
		if err := s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: nominees[1].SubjectID, Reason: "补"}); !errors.Is(err, honours.ErrConfirmed) {
			t.Errorf("nominating after confirmation: %v", err)
		}
		if err := s.Propose(ctx, office, unit.ID, sel.ID, []int64{nominees[1].ID}, "", calendar.National(), loc); !errors.Is(err, honours.ErrConfirmed) {
			t.Errorf("proposing again after confirmation: %v", err)
		}
		wantKey(t, "revoking without a reason", s.Revoke(ctx, office, unit.ID, awards[0].ID, ""), "error.required")
		if err := s.Revoke(ctx, office, unit.ID, awards[0].ID, "公示后查实九月有违规"); err != nil {
			t.Fatal(err)
		}
		if err := s.Revoke(ctx, office, unit.ID, awards[0].ID, "再撤"); !errors.Is(err, honours.ErrRevoked) {
			t.Errorf("revoking twice: %v", err)
		}
		recs, _ := audit.List(ctx, db, unit.ID, audit.Filter{Entity: "honour", EntityID: strconv.FormatInt(awards[0].ID, 10)})
		if len(recs) != 1 || recs[0].Action != "revoke" || recs[0].Actor != "center-admin" {
			t.Errorf("revocation's audit: %+v", recs)
		}
		live, _ := s.Awards(ctx, unit.ID, honours.AwardFilter{SelectionID: sel.ID, Live: true})
		if len(live) != 0 {
			t.Errorf("a revoked honour still stands: %+v", live)
		}
	})
}

// Who a member-only honour may take, both engines: not a league member,
// not someone who left, not someone of another branch when a branch
// nominates.
func TestNominees(t *testing.T) {
	sitetest.DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		set, unit, q := sitetest.Centre(t, db)
		s := set.Honours
		kindID, err := s.SaveKind(ctx, office, unit.ID, honours.Kind{Name: "季度优秀党员", Subject: honours.SubjectMember, Places: 2, Shortlist: 4,
			PeriodKind: "quarter", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		sel, err := s.Open(ctx, office, unit.ID, kindID, q.Code, honours.Plan{Vote: honours.VoteNone, PublicityDays: 5})
		if err != nil {
			t.Fatal(err)
		}
		people, _, _ := set.Org.StaffList(ctx, unit.ID, org.StaffFilter{})
		var league, member, other org.Staff
		for _, p := range people {
			switch {
			case p.PoliticalStatus == org.StatusLeague && p.Active:
				league = p
			case p.PoliticalStatus == org.StatusMember && p.Active && member.ID == 0:
				member = p
			}
		}
		// Another branch's member: the centre has one branch, so the test
		// opens a second and moves a member into it.
		for _, p := range people {
			if p.PoliticalStatus == org.StatusMember && p.Active && p.ID != member.ID {
				other = p
			}
		}
		second, err := set.Org.CreateBranch(ctx, office, unit.ID, org.BranchInput{Name: "第二党支部"})
		if err != nil {
			t.Fatal(err)
		}
		moved := other.Input()
		moved.BranchID = second
		if err := set.Org.UpdateStaff(ctx, office, unit.ID, other.ID, moved); err != nil {
			t.Fatal(err)
		}
		by := honours.Nominator{Source: honours.SourceOffice, Name: "办公室"}
		wantKey(t, "a league member", s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: league.ID, Reason: "好"}),
			"honours.nominee_ineligible.member")
		if err := set.Org.SetStaffActive(ctx, office, unit.ID, member.ID, false); err != nil {
			t.Fatal(err)
		}
		wantKey(t, "someone who left", s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: member.ID, Reason: "好"}),
			"honours.nominee_unknown")
		branch := honours.Nominator{Source: honours.SourceBranch, Name: "第一支部", BranchID: member.BranchID}
		wantKey(t, "another branch's member", s.Nominate(ctx, office, unit.ID, sel.ID, branch, honours.Nomination{SubjectID: other.ID, Reason: "好"}),
			"honours.nominee_not_yours")
		wantKey(t, "a window for a member's honour", s.Nominate(ctx, office, unit.ID, sel.ID, by, honours.Nomination{SubjectID: 999999, Reason: "好"}),
			"honours.nominee_unknown")
	})
}

// A tie at the last place, stored and drawn on both engines: a frozen
// version whose third and fourth windows share a total opens a selection
// with both on the shortlist, sharing third place — the written rule,
// not the order of names, decides.
func TestTieAtLastPlace(t *testing.T) {
	sitetest.DemoTemplate.Each(t, func(t *testing.T, db *database.DB) {
		set, unit, q := sitetest.Centre(t, db)
		pub, err := set.Schemes.Published(ctx, unit.ID, q.Code)
		if err != nil {
			t.Fatal(err)
		}
		sc := pub.Scores
		windows := sc.Levels[scoring.Window]
		for i := range windows {
			windows[i].Vetoes, windows[i].Unranked = nil, nil
			windows[i].Total, windows[i].Rank = float64(90-10*i), i+1
		}
		windows[3].Total, windows[3].Rank = windows[2].Total, 3
		f, err := set.Schemes.Freeze(ctx, office, unit.ID, sc, "核对后更正:并列第三")
		if err != nil {
			t.Fatal(err)
		}
		if err := set.Schemes.Publish(ctx, office, unit.ID, q.Code, f.Version); err != nil {
			t.Fatal(err)
		}
		kindID, err := set.Honours.SaveKind(ctx, office, unit.ID, honours.Kind{Name: "并列测试", Subject: honours.SubjectWindow, Places: 1, Shortlist: 3,
			PeriodKind: "quarter", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		sel, err := set.Honours.Open(ctx, office, unit.ID, kindID, q.Code, honours.Plan{Vote: honours.VoteNone, PublicityDays: 5})
		if err != nil {
			t.Fatal(err)
		}
		nominees, _ := set.Honours.Nominees(ctx, unit.ID, sel.ID)
		places := []int{}
		for _, n := range nominees {
			places = append(places, n.Place)
		}
		if len(nominees) != 4 || places[2] != 3 || places[3] != 3 || sel.ScoreVersion != f.Version {
			t.Errorf("places %v from version %d, want 1 2 3 3 from %d", places, sel.ScoreVersion, f.Version)
		}
	})
}
