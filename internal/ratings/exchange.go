package ratings

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Record is a rating in the fields of the national 好差评 data standard
// (GB/T 39046), for a unit to pass to its provincial platform. Mind the
// code: there 1 is 非常满意 and 5 非常不满意, the reverse of our levels.
type Record struct {
	CaseNo           string `json:"办件编号"`
	ItemCode         string `json:"事项编码"` // the item's code in the unit's catalogue; empty for a rating without a case
	Channel          string `json:"评价渠道"`
	ChannelCode      string `json:"评价渠道代码"` // table in docs/features.md
	Rater            string `json:"评价人"`    // anonymous ratings have none
	RatedAt          string `json:"评价时间"`   // YYYY-MM-DD hh:mm:ss in the unit's zone
	Count            int    `json:"评价次数"`   // 1, or 2 for the follow-up rating
	Satisfaction     string `json:"满意度"`
	SatisfactionCode string `json:"满意度代码"` // 1 非常满意 … 5 非常不满意
	Text             string `json:"评价内容"`  // the reasons, then the comment
	AreaCode         string `json:"行政区划代码"`
	Staff            string `json:"被评价人"`
	Window           string `json:"窗口"`
	Origin           string `json:"评价来源"` // 办件 (a case's token), 评价器 (a registered device), 公开页面
	Valid            bool   `json:"有效"`   // false after an upheld appeal, or while held as a burst
}

var originNames = map[string]string{OriginCase: "办件", OriginDevice: "评价器", OriginPublic: "公开页面"}

var channelCodes = map[string]string{ChannelQR: "1", ChannelDevice: "2", ChannelWeb: "3", ChannelSMS: "4", ChannelDefault: "9"}
var channelNames = map[string]string{ChannelQR: "移动端扫码", ChannelDevice: "窗口评价器", ChannelWeb: "网站", ChannelSMS: "短信", ChannelDefault: "默认评价"}
var levelNames = map[int]string{5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

// Exchange lists the ratings of [from, to) as exchange records.
func (s *Store) Exchange(ctx context.Context, unitID int64, from, to time.Time, loc *time.Location) ([]Record, error) {
	days, err := s.Days(ctx, unitID)
	if err != nil {
		return nil, err
	}
	f := Filter{From: from, To: to}
	where, args := f.where(unitID)
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(c.no, ''), COALESCE(i.code, ''), r.channel, COALESCE(c.recipient_name, ''), r.created_at, r.followup, r.level,
		r.reasons, r.comment, COALESCE(s.name, ''), COALESCE(d.name, ''), r.valid, r.verified
		FROM ratings r LEFT JOIN cases c ON c.id = r.case_id AND c.unit_id = r.unit_id
		LEFT JOIN items i ON i.id = c.item_id AND i.unit_id = r.unit_id
		LEFT JOIN staff s ON s.id = r.staff_id AND s.unit_id = r.unit_id
		LEFT JOIN departments d ON d.id = r.department_id AND d.unit_id = r.unit_id`+where+` ORDER BY r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ratings: exchange: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var rec Record
		var channel, reasons, comment string
		var at time.Time
		var followup, verified bool
		var level int
		if err := rows.Scan(&rec.CaseNo, &rec.ItemCode, &channel, &rec.Rater, &at, &followup, &level, &reasons, &comment, &rec.Staff, &rec.Window,
			&rec.Valid, &verified); err != nil {
			return nil, fmt.Errorf("ratings: exchange: %w", err)
		}
		rec.Origin = originNames[originOf(verified, channel)]
		rec.Channel, rec.ChannelCode = channelNames[channel], channelCodes[channel]
		rec.RatedAt = at.In(loc).Format(time.DateTime)
		rec.Count = 1
		if followup {
			rec.Count = 2
		}
		rec.Satisfaction, rec.SatisfactionCode = levelNames[level], fmt.Sprint(6-level)
		text := strings.Trim(strings.NewReplacer(`"`, "", "[", "", "]", "", ",", "、").Replace(reasons), " ")
		if comment != "" {
			text = strings.TrimPrefix(text+";"+comment, ";")
		}
		rec.Text, rec.AreaCode = text, days.AreaCode
		out = append(out, rec)
	}
	return out, rows.Err()
}

// ExchangeExcel writes records as a workbook with the standard's column names.
func ExchangeExcel(w io.Writer, records []Record) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "好差评"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("ratings: sheet: %w", err)
	}
	rows := [][]any{{"办件编号", "事项编码", "评价渠道", "评价渠道代码", "评价人", "评价时间", "评价次数", "满意度", "满意度代码", "评价内容", "行政区划代码",
		"被评价人", "窗口", "评价来源", "有效"}}
	for _, r := range records {
		valid := "是"
		if !r.Valid {
			valid = "否(申诉成立或暂扣复核)"
		}
		rows = append(rows, []any{r.CaseNo, r.ItemCode, r.Channel, r.ChannelCode, r.Rater, r.RatedAt, r.Count, r.Satisfaction, r.SatisfactionCode, r.Text,
			r.AreaCode, r.Staff, r.Window, r.Origin, valid})
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return fmt.Errorf("ratings: row %d: %w", i+1, err)
		}
	}
	f.SetColWidth(sheet, "A", "A", 16)
	f.SetColWidth(sheet, "F", "F", 20)
	f.SetColWidth(sheet, "J", "J", 40)
	return f.Write(w)
}
