package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/appraisal"
	"wuliang/internal/rectification"
	"wuliang/internal/supervision"
)

// appraisals runs one closed and published round of the windows, answered
// by 人大代表, 政协委员 and service users (not all of whom answered), and one
// round of the unit still open.
func (c *counter) appraisals() error {
	s := appraisal.NewStore(c.db).WithClock(func() time.Time { return c.clock })
	c.clock = at(c.now.AddDate(0, 0, -24), 9, 0)
	id, err := s.Create(c.ctx, actor, c.unitID, appraisal.Draft{Title: c.texts.appraisal[0] + "(" + strconv.Itoa(c.now.Year()) + "年第四季度)",
		Subject: appraisal.SubjectWindow, Intro: c.texts.appraisal[1],
		Questions: appraisal.DefaultQuestions})
	if err != nil {
		return fmt.Errorf("appraisal round: %w", err)
	}
	issue := []struct {
		group  string
		labels []string
		count  int
		answer int // how many answer
	}{
		{"npc", []string{"王建国(县人大代表)", "刘秀兰(县人大代表)", "陈志明(县人大代表)", "杨红梅(县人大代表)", "周德华(县人大代表)", "吴振东(县人大代表)"}, 0, 5},
		{"cppcc", []string{"黄丽娟(县政协委员)", "孙永强(县政协委员)", "朱海燕(县政协委员)", "胡文斌(县政协委员)", "郭春燕(县政协委员)"}, 0, 4},
		{"client", nil, 12, 8},
	}
	for _, g := range issue {
		if _, err := s.Issue(c.ctx, actor, c.unitID, id, g.group, g.labels, g.count); err != nil {
			return fmt.Errorf("appraisal invites: %w", err)
		}
	}
	if err := s.Move(c.ctx, actor, c.unitID, id, "open"); err != nil {
		return err
	}
	round, err := s.Get(c.ctx, c.unitID, id)
	if err != nil {
		return err
	}
	invites, err := s.Invites(c.ctx, c.unitID, id)
	if err != nil {
		return err
	}
	answered := map[string]int{}
	for i, inv := range invites {
		want := 0
		for _, g := range issue {
			if g.group == inv.Group {
				want = g.answer
			}
		}
		if answered[inv.Group] >= want {
			continue
		}
		answered[inv.Group]++
		c.clock = at(c.now.AddDate(0, 0, -23+i%10), 10+i%6, i*7%60)
		if err := s.Answer(c.ctx, inv.Token, c.appraisalAnswers(round, inv.Group)); err != nil {
			return fmt.Errorf("appraisal answer: %w", err)
		}
	}
	c.clock = at(c.now.AddDate(0, 0, -10), 17, 0)
	for _, step := range []string{"close", "publish"} {
		if err := s.Move(c.ctx, actor, c.unitID, id, step); err != nil {
			return err
		}
	}
	c.clock = at(c.now.AddDate(0, 0, -3), 9, 0)
	open, err := s.Create(c.ctx, actor, c.unitID, appraisal.Draft{Title: "服务对象满意度调查(" + strconv.Itoa(int(c.now.Month())) + "月)",
		Subject: appraisal.SubjectUnit, Questions: []appraisal.Question{{Text: "办事指南清楚、一次性告知到位", Kind: appraisal.KindLevel},
			{Text: "窗口人员服务态度", Kind: appraisal.KindLevel}, {Text: "总体评分", Kind: appraisal.KindScore, MaxScore: 10},
			{Text: "您的意见和建议", Kind: appraisal.KindText}}})
	if err != nil {
		return err
	}
	if _, err := s.Issue(c.ctx, actor, c.unitID, open, "client", nil, 20); err != nil {
		return err
	}
	return s.Move(c.ctx, actor, c.unitID, open, "open")
}

// appraisalAnswers are one evaluator's answers: mostly good, now and then
// 不了解 about a window they never used, a comment from some.
func (c *counter) appraisalAnswers(r appraisal.Round, group string) appraisal.Answers {
	comments := []string{"窗口服务热情,材料一次性告知清楚。", "建议高峰时段增开窗口,减少排队。", "帮办代办服务很贴心。", "希望周末也能办理部分业务。"}
	given := appraisal.Answers{}
	for _, t := range r.Targets {
		for _, q := range r.Questions {
			k := appraisal.Key{TargetID: t.ID, QuestionID: q.ID}
			switch {
			case q.Kind == appraisal.KindText:
				if c.rnd.IntN(5) == 0 {
					given[k] = comments[c.rnd.IntN(len(comments))]
				}
			case group != "client" && c.rnd.IntN(8) == 0:
				given[k] = "0" // 不了解
			default:
				given[k] = strconv.Itoa([]int{5, 5, 5, 4, 4, 4, 3, 2}[c.rnd.IntN(8)])
			}
		}
	}
	return given
}

// supervisors appoints a public supervisor who files observations over the
// two months; one bad one has been rectified and followed up, the newest
// waits to be verified.
func (c *counter) supervisors() error {
	id, err := c.acc.CreateUser(c.ctx, actor, accounts.NewUser{UnitID: c.unitID, Username: "center-supervisor", DisplayName: "郑国华(形象监督员)",
		PasswordHash: c.hash, Role: accounts.RoleSupervisor})
	if err != nil {
		return fmt.Errorf("supervisor: %w", err)
	}
	u, err := c.acc.User(c.ctx, c.unitID, id)
	if err != nil {
		return err
	}
	s := supervision.NewStore(c.db).WithClock(func() time.Time { return c.clock })
	tax := c.windowNamed(c.texts.review.window)
	notes := []struct {
		daysAgo int
		verdict string
		body    string
		photo   bool
	}{
		{52, "good", "窗口人员统一着装、佩戴工作牌,桌面整洁,主动起身迎接群众。", true},
		{40, "good", "帮办代办员主动引导老年人使用自助终端,耐心细致。", false},
		{26, "bad", "上午 10 时许,窗口工作人员在岗玩手机,群众等候约 5 分钟无人接待。", true},
		{12, "good", "去向公示牌填写规范,离岗人员有 B 岗顶岗。", false},
		{1, "bad", "窗口服务承诺公示牌被遮挡,群众看不到。", false},
	}
	for i, n := range notes {
		c.clock = at(c.now.AddDate(0, 0, -n.daysAgo), 10, 15)
		in := supervision.Input{DepartmentID: tax, ObservedAt: c.clock.In(cst).Format("2006-01-02T15:04"), Verdict: n.verdict, Body: n.body,
			Nonce: "demo-" + strconv.Itoa(i)}
		if n.photo {
			in.Photo = demoPhoto(n.verdict == "good")
		}
		c.clock = c.clock.Add(30 * time.Minute)
		oid, err := s.File(c.ctx, actor, u, c.unitID, in, cst)
		if err != nil {
			return fmt.Errorf("observation: %w", err)
		}
		if n.verdict != "bad" {
			continue
		}
		c.clock = c.clock.Add(2 * time.Hour)
		xid, err := s.Rectify(c.ctx, actor, c.office, c.unitID, oid)
		if err != nil {
			return err
		}
		if n.daysAgo < 5 {
			continue
		}
		if err := c.closeRectification(xid, "已约谈当事人,当场整改;窗口例会通报", "satisfied"); err != nil {
			return err
		}
	}
	return nil
}

// closeRectification takes a rectification from verify to closed in the
// working hours after the clock.
func (c *counter) closeRectification(id int64, note, answer string) error {
	steps := []rectification.Step{{Action: "verify", Note: "经核实情况属实"}, {Action: "rectify", Method: "on_the_spot", Note: note}}
	if answer != "" {
		steps = append(steps, rectification.Step{Action: "followup", Answer: answer, Note: "回访表示满意"})
	}
	t := c.clock
	for _, st := range steps {
		t = t.Add(3 * time.Hour)
		if _, err := c.step(t, func() error { return c.handling.Take(c.ctx, actor, c.office, c.unitID, id, st) }); err != nil {
			return err
		}
	}
	return nil
}

// demoPhoto draws a small stand-in for a phone photo: a window counter in
// green (good) or red (bad).
func demoPhoto(good bool) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	tone := color.RGBA{0xd8, 0x4a, 0x3c, 0xff}
	if good {
		tone = color.RGBA{0x3c, 0x9a, 0x5f, 0xff}
	}
	for y := range 240 {
		for x := range 320 {
			switch {
			case y > 150:
				img.Set(x, y, color.RGBA{0x8d, 0x6e, 0x63, 0xff}) // the counter
			case x > 110 && x < 210 && y > 40:
				img.Set(x, y, tone) // someone at it
			default:
				img.Set(x, y, color.RGBA{0xee, 0xee, 0xe8, 0xff})
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
