package demo

import (
	"fmt"
	"slices"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/activities"
	"wuliang/internal/org"
)

// fiveComparisons fills the last full quarter and this quarter so far with
// 五比 activities
// through the same rules the pages use: two study sessions a month with QR
// check-ins (some late, some absent), skill contests, the work team's visits
// to 白沙镇公和村, volunteer service, innovation proposals and letters of
// thanks, and the conduct deductions of the decided faults. A few claims
// are left pending or returned, and next week's session is open for
// check-in, so every page has something to show.
func (c *counter) fiveComparisons() error {
	s := activities.NewStore(c.db).WithClock(c.moment)
	c.clock = at(LastFullQuarter(c.now).AddDate(0, 0, -1), 9, 0)
	kinds := map[string]activities.Kind{}
	list, err := s.Kinds(c.ctx, c.unitID)
	if err != nil {
		return err
	}
	for _, k := range list {
		kinds[k.Code] = k
	}
	users, err := c.acc.Users(c.ctx, c.unitID)
	if err != nil {
		return err
	}
	// The office does not approve its own person's claim: another account
	// that may (their branch's secretary) does, or it waits.
	approve := func(id int64, who accounts.User) error {
		if c.office.StaffID != 0 {
			if cl, err := s.Claim(c.ctx, c.unitID, id); err == nil && cl.StaffID == c.office.StaffID {
				i := slices.IndexFunc(users, func(u accounts.User) bool { return activities.CanApprove(u, cl) })
				if i < 0 {
					return nil
				}
				who = users[i]
			}
		}
		return s.Review(c.ctx, actor, who, c.unitID, id, true, "")
	}
	first := time.Date(c.now.Year(), c.now.Month(), 1, 0, 0, 0, 0, cst)
	for month := LastFullQuarter(c.now); !month.After(first); month = month.AddDate(0, 1, 0) {
		if err := c.studySessions(s, kinds["study"], month); err != nil {
			return fmt.Errorf("study sessions: %w", err)
		}
		if err := c.visits(s, kinds["visit"], month, approve); err != nil {
			return fmt.Errorf("visits: %w", err)
		}
		if err := c.volunteering(s, kinds["volunteer"], month, approve, month.Equal(first)); err != nil {
			return fmt.Errorf("volunteering: %w", err)
		}
		if err := c.commendations(s, kinds["commendation"], month, approve); err != nil {
			return fmt.Errorf("commendations: %w", err)
		}
	}
	// The contests and the proposals' outcomes fall in the last full
	// quarter, so that its rankings show drive and innovation too.
	if err := c.contests(s, kinds["contest"], LastFullQuarter(c.now)); err != nil {
		return fmt.Errorf("contests: %w", err)
	}
	if err := c.proposals(s, kinds["innovation"], LastFullQuarter(c.now), approve); err != nil {
		return fmt.Errorf("proposals: %w", err)
	}
	c.clock = c.now
	if _, err := s.SyncConduct(c.ctx, c.unitID, cst); err != nil {
		return err
	}
	// Next week's study session, open for check-in.
	_, err = s.CreateSession(c.ctx, actor, c.office, c.unitID, cst, activities.SessionInput{KindID: kinds["study"].ID, Topic: "policy",
		Title: c.texts.nextSession, Place: c.texts.meetingPlace, StartsAt: at(c.cal.NextWorkday(c.now.AddDate(0, 0, 7)), 15, 0).Format("2006-01-02T15:04"), Scope: "unit"})
	return err
}

// LastFullQuarter is the first day of the last quarter that ended before
// now: the quarter whose results a unit publishes, which the demo covers
// whole.
func LastFullQuarter(now time.Time) time.Time {
	this := time.Date(now.Year(), now.Month()-(now.Month()-1)%3, 1, 0, 0, 0, 0, now.Location())
	return this.AddDate(0, -3, 0)
}

// studySessions: 学党章 early in the month and 学业务 in the middle, each
// for the whole centre; most scan on time, some come late, a few miss it.
func (c *counter) studySessions(s *activities.Store, k activities.Kind, month time.Time) error {
	topics := []struct {
		day          int
		topic, title string
	}{{6, "charter", "学习党章第二章 党员的义务和权利"}, {18, "business", "学业务:一次性告知与首问负责规范"}}
	for _, t := range topics {
		start := at(c.cal.NextWorkday(month.AddDate(0, 0, t.day-1)), 16, 30)
		if !start.Before(c.now) {
			continue
		}
		c.clock = start.Add(-24 * time.Hour)
		id, err := s.CreateSession(c.ctx, actor, c.office, c.unitID, cst, activities.SessionInput{KindID: k.ID, Topic: t.topic, Title: t.title,
			Place: c.texts.meetingPlace, StartsAt: start.Format("2006-01-02T15:04"), Scope: "unit"})
		if err != nil {
			return err
		}
		x, err := s.Session(c.ctx, c.unitID, id)
		if err != nil {
			return err
		}
		for _, a := range x.Attendance {
			// Some people hardly miss a session, others often come late or not
			// at all: each has their own reliability.
			reliable := []int{17, 14, 11, 8}[a.StaffID%4]
			switch r := c.rnd.IntN(20); {
			case r >= reliable+2: // absent
				continue
			case r >= reliable-1:
				c.clock = start.Add(time.Duration(12+c.rnd.IntN(20)) * time.Minute)
			default:
				c.clock = start.Add(-time.Duration(1+c.rnd.IntN(15)) * time.Minute)
			}
			if _, err := s.CheckIn(c.ctx, actor, c.unitID, id, x.Token, a.StaffID); err != nil {
				return err
			}
		}
		c.clock = start.Add(90 * time.Minute)
		if err := s.CloseSession(c.ctx, actor, c.office, c.unitID, id, cst); err != nil {
			return err
		}
	}
	return nil
}

// visits: the work team led by 马先军 stays at 白沙镇公和村 a few days a
// month; members take turns.
func (c *counter) visits(s *activities.Store, k activities.Kind, month time.Time, approve func(int64, accounts.User) error) error {
	done := c.texts.visitWork
	team := c.team()
	for i, p := range team {
		if (i+int(month.Month()))%2 == 1 && i != 0 {
			continue
		}
		from := month.AddDate(0, 0, 9+c.rnd.IntN(5))
		days := 2 + c.rnd.IntN(3)
		to := from.AddDate(0, 0, days-1)
		if !to.Before(c.now) {
			continue
		}
		c.clock = at(to.AddDate(0, 0, 2), 10, 0)
		id, err := s.Submit(c.ctx, actor, c.office, c.unitID, cst, activities.ClaimInput{KindID: k.ID, StaffID: p.ID,
			DateFrom: from.Format(time.DateOnly), DateTo: to.Format(time.DateOnly), Quantity: fmt.Sprint(days),
			Place: c.texts.visitPlace, Team: fmt.Sprintf(c.texts.visitTeam, team[0].Name), Body: done[(i+int(month.Month()))%len(done)]})
		if err != nil {
			return err
		}
		c.clock = c.clock.Add(26 * time.Hour)
		if err := approve(id, c.office); err != nil {
			return err
		}
	}
	return nil
}

// team is the work team: 马先军 and every seventh person of the centre.
func (c *counter) team() []org.Staff {
	var out []org.Staff
	for i, p := range c.staff {
		if p.ID == c.office.StaffID || i%7 == 3 {
			out = append(out, p)
		}
	}
	return out
}

// volunteering: members lead league members and the public in service at
// the community; this month one claim waits and one came back for proof.
func (c *counter) volunteering(s *activities.Store, k activities.Kind, month time.Time, approve func(int64, accounts.User) error, thisMonth bool) error {
	places := c.texts.volunteer
	for i, p := range c.staff {
		if c.rnd.IntN(10) >= 7 {
			continue
		}
		day := month.AddDate(0, 0, 2+c.rnd.IntN(20))
		if !day.Before(c.now.AddDate(0, 0, -1)) {
			continue
		}
		c.clock = at(day, 18, 0)
		hours := 2 + c.rnd.IntN(5)
		body := c.texts.volunteerWork
		id, err := s.Submit(c.ctx, actor, c.office, c.unitID, cst, activities.ClaimInput{KindID: k.ID, StaffID: p.ID, DateFrom: day.Format(time.DateOnly),
			Quantity: fmt.Sprint(hours), Place: places[i%len(places)], Team: "党员志愿服务队", Body: body})
		if err != nil {
			return err
		}
		c.clock = c.clock.Add(20 * time.Hour)
		switch {
		case thisMonth && i%11 == 1:
			continue // waiting for review
		case thisMonth && i%13 == 2:
			err = s.Review(c.ctx, actor, c.office, c.unitID, id, false, "请补充服务现场照片或签到表")
		default:
			err = approve(id, c.office)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// commendations: letters of thanks and banners from the public, recorded
// by the office for the person they name.
func (c *counter) commendations(s *activities.Store, k activities.Kind, month time.Time, approve func(int64, accounts.User) error) error {
	what := c.texts.commendations
	for i := range 3 {
		p := c.staff[(int(month.Month())*5+i*11)%len(c.staff)]
		if p.ID == c.office.StaffID {
			continue
		}
		day := month.AddDate(0, 0, 4+i*8)
		if !day.Before(c.now) {
			continue
		}
		c.clock = at(day, 11, 0)
		id, err := s.Submit(c.ctx, actor, c.office, c.unitID, cst, activities.ClaimInput{KindID: k.ID, StaffID: p.ID, DateFrom: day.Format(time.DateOnly),
			Quantity: "1", Title: what[i], Body: c.texts.commendedBy})
		if err != nil {
			return err
		}
		c.clock = c.clock.Add(time.Hour)
		if err := approve(id, c.office); err != nil {
			return err
		}
	}
	return nil
}

// contests: a 业务知识竞赛 in the quarter's second month and a
// 电脑操作技能比赛 for the windows in its third, each with scores and places.
func (c *counter) contests(s *activities.Store, k activities.Kind, quarter time.Time) error {
	for i, title := range []string{"业务知识竞赛", "电脑操作技能比赛"} {
		held := c.cal.NextWorkday(quarter.AddDate(0, i+1, 19))
		c.clock = at(held, 9, 0)
		id, err := s.CreateContest(c.ctx, actor, c.office, c.unitID, activities.ContestInput{KindID: k.ID, Title: title, HeldOn: held.Format(time.DateOnly)})
		if err != nil {
			return err
		}
		var ids []int64
		scores := map[int64]string{}
		for j, p := range c.staff {
			// Everyone at a window takes the 电脑操作 contest; a third of the
			// centre took the 业务知识 one.
			if _, window := c.windows[p.DepartmentID]; (i == 1 && !window) || (i == 0 && j%3 != 0) {
				continue
			}
			ids = append(ids, p.ID)
			scores[p.ID] = fmt.Sprintf("%d.%d", 68+c.rnd.IntN(31), c.rnd.IntN(2)*5)
		}
		if err := s.Enter(c.ctx, actor, c.office, c.unitID, id, ids); err != nil {
			return err
		}
		c.clock = at(held, 17, 0)
		if err := s.Score(c.ctx, actor, c.office, c.unitID, id, scores); err != nil {
			return err
		}
		if err := s.PublishContest(c.ctx, actor, c.office, c.unitID, id); err != nil {
			return err
		}
	}
	return nil
}

// proposals: innovation proposals in each month of the quarter, two
// adopted (one with results), one not adopted, and one made two days ago
// still waiting.
func (c *counter) proposals(s *activities.Store, k activities.Kind, quarter time.Time, approve func(int64, accounts.User) error) error {
	list := c.texts.proposals
	for i, p := range list {
		who := c.staff[(i*13+5)%len(c.staff)]
		day := quarter.AddDate(0, i, 9)
		if i == 3 {
			day = c.now.AddDate(0, 0, -2)
		}
		c.clock = at(day, 10, 0)
		id, err := s.Submit(c.ctx, actor, c.office, c.unitID, cst, activities.ClaimInput{KindID: k.ID, StaffID: who.ID, DateFrom: day.Format(time.DateOnly), Title: p.title, Body: p.body})
		if err != nil {
			return err
		}
		c.clock = c.clock.Add(48 * time.Hour)
		switch p.outcome {
		case "return":
			err = s.Review(c.ctx, actor, c.office, c.unitID, id, false, p.returned)
		case "adopt", "result":
			err = approve(id, c.office)
		}
		if err != nil {
			return err
		}
		if p.outcome == "result" {
			c.clock = c.clock.Add(20 * 24 * time.Hour)
			if err := s.Result(c.ctx, actor, c.office, c.unitID, cst, id, p.result); err != nil {
				return err
			}
		}
	}
	return nil
}

// moment is the clock the 五比 claims are written at: the moment being
// played, but never after the load began. A claim is reviewed "the next
// afternoon", and a visit's is handed in two days after it ended, which
// for something done late yesterday is still to come when the demo loads
// in the small hours.
func (c *counter) moment() time.Time {
	if c.clock.After(c.now) {
		return c.now
	}
	return c.clock
}
