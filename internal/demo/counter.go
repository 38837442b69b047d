package demo

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"wuliang/internal/accountability"
	"wuliang/internal/accounts"
	"wuliang/internal/attendance"
	"wuliang/internal/calendar"
	"wuliang/internal/cases"
	"wuliang/internal/feedback"
	"wuliang/internal/items"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/ratings"
	"wuliang/internal/rectification"
)

var cst = time.FixedZone("CST", 8*3600)

// counter simulates the service centre's counters for the last two months
// through the same rules the counters use: cases registered, noticed,
// accepted, referred, completed (mostly on time, a few late, a few still
// overdue), whereabouts notes, spot checks, and the office's decisions on
// the faults they produced.
type counter struct {
	*builder
	unitID   int64
	clock    time.Time
	cases    *cases.Store
	notes    *attendance.Store
	ratings  *ratings.Store
	handling *rectification.Store
	bad      []int64 // cases rated badly, in order
	cal      *calendar.Calendar
	items    []items.Item
	staff    []org.Staff
	windows  map[int64][]org.Staff // window id → its people
	office   accounts.User
	texts    *unitTexts
}

// Demo recipients' names are drawn apart from staff names.
func (c *counter) recipient() string {
	given := male
	if c.rnd.IntN(2) == 0 {
		given = female
	}
	return string(surnames[c.rnd.IntN(len(surnames))]) + given[c.rnd.IntN(len(given))]
}

func (b *builder) addCounterWork(unitID int64, office accounts.User, texts *unitTexts) error {
	now := b.now
	c := &counter{builder: b, unitID: unitID, cal: calendar.National(), office: office, windows: map[int64][]org.Staff{}, texts: texts}
	c.cases = cases.NewStore(b.db).WithClock(func() time.Time { return c.clock })
	c.notes = attendance.NewStore(b.db).WithClock(func() time.Time { return c.clock })
	c.ratings = ratings.NewStore(b.db).WithClock(func() time.Time { return c.clock })
	defer c.ratings.Close()
	c.handling = rectification.NewStore(b.db, c.ratings).WithClock(func() time.Time { return c.clock })
	active := true
	list, err := items.NewStore(b.db).List(b.ctx, unitID, items.Filter{Active: &active})
	if err != nil {
		return err
	}
	for _, it := range list {
		if len(it.Handlers) > 0 {
			c.items = append(c.items, it)
		}
	}
	if c.staff, _, err = b.org.StaffList(b.ctx, unitID, org.StaffFilter{Active: &active, Limit: 1000}); err != nil {
		return err
	}
	depts, err := b.org.Departments(b.ctx, unitID)
	if err != nil {
		return err
	}
	for _, d := range depts {
		if d.Kind == org.KindWindow {
			c.windows[d.ID] = nil
		}
	}
	for _, p := range c.staff {
		if _, ok := c.windows[p.DepartmentID]; ok {
			c.windows[p.DepartmentID] = append(c.windows[p.DepartmentID], p)
		}
	}
	// Counter work from the first day of the last full quarter: that is the
	// quarter a unit scores and publishes, and the demo covers it whole.
	start := LastFullQuarter(now)
	soon, soonDay := c.dueSoonItem(now)
	for day, n := start, 0; !day.After(now); day = day.AddDate(0, 0, 1) {
		if !c.cal.IsWorkday(day) {
			continue
		}
		n++
		if soonDay == day.Format(time.DateOnly) {
			if err := c.dueSoonCase(soon, day); err != nil {
				return err
			}
		}
		if err := c.day(day, n); err != nil {
			return fmt.Errorf("counter work of %s: %w", day.Format(time.DateOnly), err)
		}
	}
	c.clock = now
	if err := c.awayNow(); err != nil {
		return err
	}
	if _, err := c.cases.MarkOverdue(b.ctx); err != nil {
		return err
	}
	if err := c.rectify(); err != nil {
		return err
	}
	if err := c.suggestionBox(); err != nil {
		return err
	}
	if c.texts.supervisors {
		if err := c.supervisors(); err != nil {
			return err
		}
	}
	if err := c.appraisals(); err != nil {
		return err
	}
	if err := c.reviewMeetings(); err != nil {
		return err
	}
	if err := c.fiveAppraisal(); err != nil {
		return err
	}
	c.clock = now
	if err := c.decide(); err != nil {
		return err
	}
	if err := c.fiveComparisons(); err != nil {
		return err
	}
	return c.settleNotifications()
}

// dueSoonItem is an item of several days' limit and the working day a case
// of it accepted then has one working day left now: the demo always holds a
// case on yellow, whatever the random draws, so the yellow light and its
// to-do can be seen. No day when the unit has no such item.
func (c *counter) dueSoonItem(now time.Time) (items.Item, string) {
	for _, it := range c.items {
		if it.TimeLimitDays < 3 || it.TimeLimitDays > 10 {
			continue
		}
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		for c.cal.Between(day, now) < it.TimeLimitDays-1 || !c.cal.IsWorkday(day) {
			day = day.AddDate(0, 0, -1)
		}
		return it, day.Format(time.DateOnly)
	}
	return items.Item{}, ""
}

// dueSoonCase registers and accepts a case of it at the day's opening and
// leaves it open. It draws nothing from the random source, so the rest of
// the demo stays as it was.
func (c *counter) dueSoonCase(it items.Item, day time.Time) error {
	c.clock = at(day, 9, 5)
	cs, err := c.cases.Register(c.ctx, actor, cases.Machine, c.unitID, cases.Registration{FirstContactID: it.Handlers[0].StaffID,
		ItemID: it.ID, RecipientName: "欧阳明", RecipientPhone: "13900007788", Channel: "counter"})
	if err != nil {
		return err
	}
	c.clock = at(day, 9, 20)
	limit := it.TimeLimitDays
	return c.cases.Accept(c.ctx, actor, cases.Machine, c.unitID, cs.ID, cases.Acceptance{LimitDays: &limit})
}

// at is a moment of a day.
func at(day time.Time, h, m int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, cst)
}

// day plays one working day: notes first, then the cases in arrival order,
// now and then a spot check.
func (c *counter) day(day time.Time, n int) error {
	if err := c.whereabouts(day); err != nil {
		return err
	}
	count := 7 + c.rnd.IntN(5)
	if day.Before(c.now.AddDate(0, 0, -61)) {
		count = 3 + c.rnd.IntN(3) // older history: a quieter hall, and a lighter demo
	}
	var minutes []int
	for range count {
		minutes = append(minutes, 8*60+40+c.rnd.IntN(8*60+10))
	}
	slices.Sort(minutes)
	for _, m := range minutes {
		t := at(day, m/60, m%60)
		if t.After(c.now) {
			break
		}
		if err := c.oneCase(t); err != nil {
			return err
		}
	}
	if n%6 == 3 {
		return c.spotCheck(day, n)
	}
	return nil
}

// ok ignores the refusals a simulation runs into (a cover away too, a
// step the clock has not reached) and keeps real failures.
func ok(err error) error {
	if _, isProblem := locale.AsProblems(err); isProblem {
		return nil
	}
	return err
}

func (c *counter) whereabouts(day time.Time) error {
	for range 2 {
		if c.rnd.IntN(100) >= 45 {
			continue
		}
		kinds := []string{"business", "business", "meeting", "training", "leave"}
		kind := kinds[c.rnd.IntN(len(kinds))]
		p := c.staff[c.rnd.IntN(len(c.staff))]
		from, to := at(day, 9, 30), at(day, 11, 0)
		switch {
		case kind == "leave":
			from, to = at(day, 8, 30), at(day, 17, 30)
		case c.rnd.IntN(2) == 0:
			from, to = at(day, 14, 30), at(day, 16, 15)
		}
		if from.After(c.now) {
			return nil
		}
		c.clock = from.Add(-10 * time.Minute)
		in := attendance.NoteInput{StaffID: p.ID, Kind: kind, Place: c.texts.away[kind][c.rnd.IntN(len(c.texts.away[kind]))],
			StartsAt: from.Format("2006-01-02 15:04"), EndsAt: to.Format("2006-01-02 15:04")}
		if _, err := c.notes.AddNote(c.ctx, actor, c.office, c.unitID, cst, in); ok(err) != nil {
			return err
		}
	}
	return nil
}

// awayNow leaves one person of the tax window away at this moment, so the
// live status has a cover to show.
func (c *counter) awayNow() error {
	people := c.windows[c.windowNamed(c.texts.review.window)]
	if len(people) < 2 || people[0].BackupID == 0 {
		return nil
	}
	p := people[len(people)-1]
	in := attendance.NoteInput{StaffID: p.ID, Kind: "training", Place: c.texts.awayNow,
		StartsAt: c.now.Add(-time.Hour).Format("2006-01-02 15:04"), EndsAt: c.now.Add(3 * time.Hour).Format("2006-01-02 15:04")}
	_, err := c.notes.AddNote(c.ctx, actor, c.office, c.unitID, cst, in)
	return ok(err)
}

// step moves the clock to t and runs fn, unless t is still to come.
func (c *counter) step(t time.Time, fn func() error) (bool, error) {
	if t.After(c.now) {
		return false, nil
	}
	c.clock = t
	if err := ok(fn()); err != nil {
		return false, err
	}
	return true, nil
}

// later is a moment n working days after t, in office hours.
func (c *counter) later(t time.Time, n int) time.Time {
	d := c.cal.AddWorkdays(t, n)
	m := 9*60 + c.rnd.IntN(7*60)
	next := at(d, m/60, m%60)
	if !next.After(t) {
		next = t.Add(time.Duration(10+c.rnd.IntN(50)) * time.Minute)
	}
	return next
}

func (c *counter) oneCase(t time.Time) error {
	it := c.items[c.rnd.IntN(len(c.items))]
	first := it.Handlers[c.rnd.IntN(len(it.Handlers))].StaffID
	reg := cases.Registration{FirstContactID: first, ItemID: it.ID, RecipientName: c.recipient(), RecipientPhone: c.phone(), Channel: "counter"}
	switch x := c.rnd.IntN(100); {
	case x < 8:
		reg.Channel = "phone"
	case x < 14:
		reg.Channel = "online"
	case x < 17:
		reg.ItemID, reg.Matter = 0, c.texts.consults[c.rnd.IntN(len(c.texts.consults))]
	}
	if reg.Channel == "counter" {
		reg.Ticket = queueTicket(t)
	}
	c.clock = t
	cs, err := c.cases.Register(c.ctx, actor, cases.Machine, c.unitID, reg)
	if err != nil {
		return err
	}
	r := c.rnd.IntN(100)
	next := t.Add(time.Duration(5+c.rnd.IntN(20)) * time.Minute)
	switch {
	case r < 3:
		_, err := c.step(next, func() error {
			return c.cases.Refuse(c.ctx, actor, cases.Machine, c.unitID, cs.ID, c.texts.refusal)
		})
		return err
	case r < 5:
		_, err := c.step(c.later(t, 1), func() error {
			return c.cases.Withdraw(c.ctx, actor, cases.Machine, c.unitID, cs.ID, "群众表示暂不办理")
		})
		return err
	case r < 9:
		if done, err := c.refer(cs, next); err != nil || !done {
			return err
		}
		next = next.Add(30 * time.Minute)
	}
	if reg.ItemID != 0 && r >= 9 && r < 22 && len(it.Materials) > 0 {
		m := it.Materials[c.rnd.IntN(len(it.Materials))]
		if done, err := c.notice(cs.ID, next, m.Name, "未携带", "", ""); err != nil || !done {
			return err
		}
		next = c.later(next, 1+c.rnd.IntN(3))
	}
	limit := 1
	accepted, err := c.step(next, func() error {
		return c.cases.Accept(c.ctx, actor, cases.Machine, c.unitID, cs.ID, cases.Acceptance{LimitDays: &limit})
	})
	if err != nil || !accepted {
		return err
	}
	days := it.TimeLimitDays
	if reg.ItemID == 0 {
		days = limit
	}
	return c.handle(cs, it, next, days)
}

// queueTicket is the queue machine's ticket of a counter case it sends
// at t, when the counter is done with the ticket: mostly a few minutes'
// wait, now and then most of an hour, then the counter's service. It is
// worked out from t rather than drawn from the demo's random source, so
// the rest of the demo stays as it was.
func queueTicket(t time.Time) cases.Ticket {
	n := t.Unix() / 60
	wait := 2 + n*7919%18
	if n%9 == 0 {
		wait += 20 + n%40
	}
	handle := 4 + n*104729%16
	called := t.Add(-time.Duration(handle) * time.Minute)
	drawn := called.Add(-time.Duration(wait) * time.Minute)
	return cases.Ticket{TicketNo: fmt.Sprintf("A%03d", 1+n%300), TicketAt: &drawn, CalledAt: &called, FinishedAt: &t}
}

func (c *counter) refer(cs cases.Case, t time.Time) (bool, error) {
	to := c.staff[c.rnd.IntN(len(c.staff))]
	if to.ID == cs.HandlerID || to.DepartmentID == 0 {
		return true, nil
	}
	done, err := c.step(t, func() error {
		return c.cases.Refer(c.ctx, actor, cases.Machine, c.unitID, cs.ID, to.ID, "属于"+to.DepartmentName+"职责,转交办理")
	})
	if err != nil || !done {
		return done, err
	}
	return c.step(t.Add(time.Duration(5+c.rnd.IntN(20))*time.Minute), func() error {
		return c.cases.Acknowledge(c.ctx, actor, cases.Machine, c.unitID, cs.ID)
	})
}

func (c *counter) notice(id int64, t time.Time, name, why, reasonKind, reason string) (bool, error) {
	return c.step(t, func() error {
		_, err := c.cases.RequestMaterials(c.ctx, actor, cases.Machine, c.unitID, id, cases.NoticeInput{
			Materials: []cases.MissingMaterial{{Name: name, Why: why}}, ReasonKind: reasonKind, Reason: reason})
		return err
	})
}

// handle takes an accepted case to completion: now and then a pause for
// materials, rarely a further notice (a breach when unjustified), mostly
// within the limit, a few late, some still running.
func (c *counter) handle(cs cases.Case, it items.Item, acceptedAt time.Time, days int) error {
	t := acceptedAt
	r := c.rnd.IntN(100)
	if r < 7 && days > 1 {
		t = c.later(t, 1)
		name := "申请表"
		if len(it.Materials) > 0 && cs.ItemID != 0 {
			name = it.Materials[c.rnd.IntN(len(it.Materials))].Name
		}
		if done, err := c.notice(cs.ID, t, name, "复印件不清晰,需重新提供", "", ""); err != nil || !done {
			return err
		}
		if r < 3 {
			reasonKind, reason, extra := "", "", c.texts.extraMaterials[c.rnd.IntN(len(c.texts.extraMaterials))]
			if r == 0 {
				reasonKind, reason = "new_policy", c.texts.newRule
			}
			if done, err := c.notice(cs.ID, t.Add(2*time.Hour), extra, "审查中发现需要", reasonKind, reason); err != nil || !done {
				return err
			}
		}
		t = c.later(t, 1+c.rnd.IntN(2))
		if done, err := c.step(t, func() error { return c.cases.Resume(c.ctx, actor, cases.Machine, c.unitID, cs.ID) }); err != nil || !done {
			return err
		}
	}
	var when time.Time
	switch {
	case days == 0:
		when = t.Add(time.Duration(10+c.rnd.IntN(40)) * time.Minute)
	case r >= 95:
		when = c.later(t, days+1+c.rnd.IntN(2)) // late
	case r >= 93:
		return nil // stuck: overdue once its deadline passes
	default:
		when = c.later(t, c.rnd.IntN(days))
	}
	done, err := c.step(when, func() error {
		return c.cases.Complete(c.ctx, actor, cases.Machine, c.unitID, cs.ID, "已办结,结果已告知群众")
	})
	if err != nil || !done {
		return err
	}
	return c.rate(cs, when.Add(time.Duration(1+c.rnd.IntN(30))*time.Minute))
}

var praise = []string{"", "", "", "服务热情,办事快", "一次就办好了,点赞", "工作人员很耐心", "窗口引导清楚"}

// rate has most recipients rate their case: mostly well, a few badly.
func (c *counter) rate(cs cases.Case, t time.Time) error {
	if c.rnd.IntN(100) >= 75 {
		return nil
	}
	in := ratings.Input{Token: cs.RatingToken, Channel: []string{ratings.ChannelQR, ratings.ChannelDevice, ratings.ChannelSMS}[c.rnd.IntN(3)]}
	switch x := c.rnd.IntN(100); {
	case x < 3:
		in.Level, in.Reasons, in.Comment = ratings.VeryDissatisfied, []string{"多次跑腿", "办事效率低"}, "材料前后说了两次,跑了三趟"
	case x < 7:
		in.Level, in.Reasons, in.Comment = ratings.Dissatisfied, []string{[]string{"态度不好", "超时办理", "未一次性告知"}[c.rnd.IntN(3)]}, "希望改进"
	case x < 12:
		in.Level = ratings.Fair
	case x < 32:
		in.Level = ratings.Satisfied
	default:
		in.Level, in.Comment = ratings.VerySatisfied, praise[c.rnd.IntN(len(praise))]
	}
	done, err := c.step(t, func() error {
		_, err := c.ratings.Submit(c.ctx, c.unitID, in)
		return err
	})
	if err == nil && done && ratings.Bad(in.Level) {
		c.bad = append(c.bad, cs.ID)
	}
	return err
}

// rectify has the office handle the bad ratings: the older ones verified,
// rectified and followed up; one appealed and found aimed at the wrong
// person; the newest still waiting.
func (c *counter) rectify() error {
	list, err := c.handling.List(c.ctx, c.unitID, nil, false)
	if err != nil {
		return err
	}
	for i, x := range list {
		age := c.now.Sub(x.CreatedAt)
		if age < 36*time.Hour {
			continue // new: still to verify
		}
		at := x.CreatedAt.Add(3 * time.Hour)
		steps := []rectification.Step{{Action: "verify", Note: "已电话联系评价人,核实情况属实"}}
		switch {
		case i == 1:
			steps = []rectification.Step{{Action: "appeal", Note: "当天该群众由其他窗口受理,评价对象有误,有叫号记录为证"},
				{Action: "uphold", Note: "经核对叫号和监控记录,评价对象错误,申诉成立"}}
		case age > 6*24*time.Hour:
			steps = append(steps, rectification.Step{Action: "rectify", Method: "on_the_spot", Note: "已向群众致歉并当场补办,在窗口例会上通报"},
				rectification.Step{Action: "followup", Answer: "satisfied", Note: "回访群众表示满意"})
		case age > 3*24*time.Hour:
			steps = append(steps, rectification.Step{Action: "rectify", Method: "ledger", Note: "列入整改台账:优化材料清单,统一一次性告知口径"})
		}
		for _, st := range steps {
			who := c.office
			if st.Action == "appeal" {
				who = accounts.User{Role: accounts.RoleStaff, StaffID: x.StaffID}
			}
			at = at.Add(2 * time.Hour)
			if _, err := c.step(at, func() error { return c.handling.Take(c.ctx, actor, who, c.unitID, x.ID, st) }); err != nil &&
				!errors.Is(err, rectification.ErrForbidden) {
				return err
			}
		}
	}
	return nil
}

// spotCheck checks one window at mid-morning or mid-afternoon; now and
// then someone is absent without a note.
func (c *counter) spotCheck(day time.Time, n int) error {
	var ids []int64
	for id := range c.windows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	dept := ids[n%len(ids)]
	when := at(day, 10, 15)
	if n%2 == 0 {
		when = at(day, 15, 20)
	}
	if when.After(c.now) {
		return nil
	}
	c.clock = when.Add(20 * time.Minute)
	entries, err := c.notes.Suggest(c.ctx, c.unitID, dept, when)
	if err != nil || len(entries) == 0 {
		return err
	}
	findings := map[int64]string{}
	for _, e := range entries {
		findings[e.StaffID] = e.Status
	}
	if n%3 == 0 {
		for _, e := range entries {
			if e.Status == attendance.Present {
				findings[e.StaffID] = attendance.Absent
				break
			}
		}
	}
	_, err = c.notes.Record(c.ctx, actor, c.office, c.unitID, cst, attendance.CheckInput{DepartmentID: dept,
		CheckedAt: when.Format("2006-01-02 15:04"), Checker: c.texts.checker, Findings: findings})
	return ok(err)
}

// decide has the office decide on the faults older than ten days.
func (c *counter) decide() error {
	faults := accountability.NewStore(c.db)
	list, err := faults.List(c.ctx, c.unitID, accountability.Filter{State: accountability.StateOpen, To: c.now.AddDate(0, 0, -10)})
	if err != nil {
		return err
	}
	for i, rec := range list {
		d := accountability.Decision{Outcome: "reminder_talk", Reason: "已对当事人进行提醒谈话"}
		switch {
		case rec.Rule == accountability.RuleAbsence && i%2 == 0:
			d = accountability.Decision{Outcome: accountability.StateDismissed, Reason: "经核实,当事人临时到大厅引导群众,已补写去向留言"}
		case rec.Rule == accountability.RuleAbsence:
			d = accountability.Decision{Outcome: "circular", Reason: "无故离岗,在全体例会上通报批评"}
		case rec.Rule == accountability.RuleNoticeBreach:
			d = accountability.Decision{Outcome: "points", Points: 2, Reason: "未一次性告知,按考核办法扣 2 分"}
		case i%3 == 0:
			d = accountability.Decision{Outcome: "points", Points: 1, Reason: "超期办结,按考核办法扣 1 分"}
		}
		if err := faults.Decide(c.ctx, actor, c.office, c.unitID, rec.ID, d); ok(err) != nil && err != accountability.ErrForbidden {
			return err
		}
	}
	return nil
}

// suggestionBox puts a few messages in the box over the two months, most
// answered and published, one complaint upheld.
func (c *counter) suggestionBox() error {
	box := feedback.NewStore(c.db).WithClock(func() time.Time { return c.clock })
	for _, m := range c.texts.messages {
		if people := c.windows[c.windowNamed(m.forDept)]; m.forDept != "" && len(people) > m.nth {
			m.in.StaffID = people[m.nth].ID
		}
		sent := at(c.now.AddDate(0, 0, -m.daysAgo), 10, 30)
		c.clock = sent
		code, err := box.Send(c.ctx, c.unitID, m.in)
		if err != nil {
			return fmt.Errorf("suggestion box: %w", err)
		}
		if m.reply == "" {
			continue
		}
		msg, err := box.ByCode(c.ctx, c.unitID, code)
		if err != nil {
			return err
		}
		c.clock = sent.Add(26 * time.Hour)
		if err := box.Handle(c.ctx, actor, c.office, c.unitID, msg.ID, feedback.Handling{Reply: m.reply, Publish: true, Upheld: m.upheld}); err != nil {
			return err
		}
		if m.upheld == "yes" {
			if err := c.rectifyComplaint(msg.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// rectifyComplaint closes the rectification an upheld complaint opened; the
// sender left no name, so there is nobody to follow up with.
func (c *counter) rectifyComplaint(messageID int64) error {
	list, err := c.handling.List(c.ctx, c.unitID, nil, true)
	if err != nil {
		return err
	}
	for _, x := range list {
		if x.Source == rectification.SourceComplaint && x.SourceID == messageID {
			return c.closeRectification(x.ID, "对当事人批评教育,窗口统一一次性告知清单并张贴", "")
		}
	}
	return fmt.Errorf("demo: no rectification for complaint %d", messageID)
}

// windowNamed is the id of the unit's window of that name, 0 if none.
func (c *counter) windowNamed(name string) int64 {
	for id := range c.windows {
		if d, err := c.org.Department(c.ctx, c.unitID, id); err == nil && d.Name == name {
			return id
		}
	}
	return 0
}
