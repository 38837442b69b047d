package activities

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/period"
)

// table writes rows to a new sheet of f, the first sheet renamed.
func table(f *excelize.File, first bool, name string, rows [][]any) error {
	if first {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return fmt.Errorf("activities: sheet: %w", err)
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return fmt.Errorf("activities: sheet: %w", err)
	}
	for i, row := range rows {
		at, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(name, at, &row); err != nil {
			return fmt.Errorf("activities: row %d: %w", i+1, err)
		}
	}
	f.SetColWidth(name, "A", "Z", 12)
	return nil
}

func points(c int) float64 { return float64(c) / 100 }

// RankingExcel writes a ranking: people with every dimension, their ranks
// and tier on the ranked one; windows and branches with heads, total and
// per-head average.
func RankingExcel(w io.Writer, unitName string, r Ranking) error {
	p := locale.NewPrinter(locale.Default)
	f := excelize.NewFile()
	defer f.Close()
	title := fmt.Sprintf("%s 五比排名 %s · %s", unitName, r.Period.Code, p.Get("activities.dim."+r.Dimension))
	header := []any{"名次", "姓名", "窗口", "支部"}
	for _, d := range Dimensions {
		header = append(header, p.Get("activities.dim."+d))
	}
	header = append(header, "合计", "支部内名次", "窗口内名次", "档次")
	people := [][]any{{title}, header}
	for _, x := range r.People {
		row := []any{x.Rank, x.Name, x.Window, x.Branch}
		for _, c := range x.Score.Dims {
			row = append(row, points(c))
		}
		row = append(row, points(x.Score.Total), blank(x.RankInBranch), blank(x.RankInWindow), p.Get("activities.tier."+x.Tier))
		people = append(people, row)
	}
	if err := table(f, true, "个人排名", people); err != nil {
		return err
	}
	for _, g := range []struct {
		name string
		list []Group
	}{{"窗口排名", r.Windows}, {"支部排名", r.Branches}} {
		rows := [][]any{{title}, {"名次", "名称", "人数", "总分", "人均", "档次"}}
		for _, x := range g.list {
			rows = append(rows, []any{x.Rank, x.Name, x.Heads, points(x.Total), points(x.Average), p.Get("activities.tier." + x.Tier)})
		}
		if err := table(f, false, g.name, rows); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func blank(n int) any {
	if n == 0 {
		return ""
	}
	return n
}

// ClaimsIn lists every claim whose activity ended in the period, for the register.
func (s *Store) ClaimsIn(ctx context.Context, unitID int64, p period.Period) ([]Claim, error) {
	rows, err := s.db.QueryContext(ctx, claimQuery+` WHERE c.unit_id = $1 AND c.date_to >= $2 AND c.date_to < $3 ORDER BY c.date_to, c.id`,
		unitID, p.FirstDay(), p.To.Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("activities: claims in period: %w", err)
	}
	return database.Collect(rows, scanClaim)
}

// Attended is one person's attendance at a session, for the register.
type Attended struct {
	Session  Session
	Attendee Attendee
}

// AttendanceIn lists the attendance of every session that started in the
// period, late and absent included.
func (s *Store) AttendanceIn(ctx context.Context, unitID int64, p period.Period) ([]Attended, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ss.id, ss.topic, ss.title, ss.starts_at, a.staff_id, st.name, a.status, a.by_qr, a.checked_at
		FROM study_attendance a JOIN study_sessions ss ON ss.id = a.session_id AND ss.unit_id = a.unit_id
		JOIN staff st ON st.id = a.staff_id AND st.unit_id = a.unit_id
		WHERE a.unit_id = $1 AND ss.starts_at >= $2 AND ss.starts_at < $3 ORDER BY ss.starts_at, ss.id, st.name`,
		unitID, p.From.UTC(), p.To.UTC())
	if err != nil {
		return nil, fmt.Errorf("activities: attendance in period: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Attended, error) {
		var x Attended
		var at time.Time
		err := r.Scan(&x.Session.ID, &x.Session.Topic, &x.Session.Title, &x.Session.StartsAt, &x.Attendee.StaffID, &x.Attendee.Name, &x.Attendee.Status, &x.Attendee.ByQR, &at)
		x.Attendee.CheckedAt = &at
		return x, err
	})
}

// RegisterExcel writes the activity register of a period: every ledger
// entry with its source, every claim with its review, and the attendance
// of every study session.
func RegisterExcel(w io.Writer, unitName string, p period.Period, loc *time.Location, entries []Entry, claims []Claim, attended []Attended) error {
	pr := locale.NewPrinter(locale.Default)
	f := excelize.NewFile()
	defer f.Close()
	title := fmt.Sprintf("%s 五比活动登记 %s", unitName, p.Code)
	ledger := [][]any{{title}, {"编号", "日期", "姓名", "类别", "维度", "积分", "来源", "来源编号", "说明", "记入时间"}}
	for _, e := range entries {
		ledger = append(ledger, []any{e.ID, e.OnDate, e.Name, e.KindName, pr.Get("activities.dim." + e.Dimension), points(e.Points),
			pr.Get("activities.source." + e.Source), e.SourceID, e.Note, e.CreatedAt.UTC().Format("2006-01-02 15:04 UTC")})
	}
	if err := table(f, true, "积分明细", ledger); err != nil {
		return err
	}
	cl := [][]any{{title}, {"编号", "姓名", "类别", "起", "止", "数量", "地点", "队伍", "标题", "内容", "状态", "审核意见", "成效", "积分"}}
	for _, c := range claims {
		cl = append(cl, []any{c.ID, c.Name, c.KindName, c.DateFrom, c.DateTo, points(c.Quantity), c.Place, c.Team, c.Title, c.Body,
			pr.Get("activities.state." + c.State), c.ReviewNote, c.ResultNote, points(c.Points)})
	}
	if err := table(f, false, "活动申报", cl); err != nil {
		return err
	}
	att := [][]any{{title}, {"学习编号", "开始时间", "学习内容", "标题", "姓名", "签到", "签到时间", "方式"}}
	for _, x := range attended {
		at, how := "", "名单登记"
		if x.Attendee.Status != Absent {
			at = x.Attendee.CheckedAt.In(loc).Format("2006-01-02 15:04")
		}
		if x.Attendee.ByQR {
			how = "扫码"
		}
		att = append(att, []any{x.Session.ID, x.Session.StartsAt.In(loc).Format("2006-01-02 15:04"), pr.Get("activities.topic." + x.Session.Topic), x.Session.Title,
			x.Attendee.Name, pr.Get("activities.status." + x.Attendee.Status), at, how})
	}
	if err := table(f, false, "学习签到", att); err != nil {
		return err
	}
	return f.Write(w)
}
