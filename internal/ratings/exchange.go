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
	CaseNo           string `json:"case_no"`           // 办件编号
	Channel          string `json:"channel"`           // 评价渠道
	ChannelCode      string `json:"channel_code"`      // 评价渠道代码 (table in docs/features.md)
	Rater            string `json:"rater"`             // 评价人; anonymous ratings have none
	RatedAt          string `json:"rated_at"`          // 评价时间, YYYY-MM-DD hh:mm:ss in the unit's zone
	Count            int    `json:"rating_count"`      // 评价次数: 1, or 2 for the follow-up rating
	Satisfaction     string `json:"satisfaction"`      // 满意度
	SatisfactionCode string `json:"satisfaction_code"` // 满意度代码: 1 非常满意 … 5 非常不满意
	Text             string `json:"text"`              // 评价内容: the reasons, then the comment
	AreaCode         string `json:"area_code"`         // 行政区划代码
	Staff            string `json:"staff"`
	Window           string `json:"window"`
	Valid            bool   `json:"valid"` // false after an upheld appeal
}

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
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(c.no, ''), r.channel, COALESCE(c.recipient_name, ''), r.created_at, r.followup, r.level,
		r.reasons, r.comment, COALESCE(s.name, ''), COALESCE(d.name, ''), r.valid
		FROM ratings r LEFT JOIN cases c ON c.id = r.case_id AND c.unit_id = r.unit_id
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
		var followup bool
		var level int
		if err := rows.Scan(&rec.CaseNo, &channel, &rec.Rater, &at, &followup, &level, &reasons, &comment, &rec.Staff, &rec.Window, &rec.Valid); err != nil {
			return nil, fmt.Errorf("ratings: exchange: %w", err)
		}
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
	rows := [][]any{{"办件编号", "评价渠道", "评价渠道代码", "评价人", "评价时间", "评价次数", "满意度", "满意度代码", "评价内容", "行政区划代码", "被评价人", "窗口", "有效"}}
	for _, r := range records {
		valid := "是"
		if !r.Valid {
			valid = "否(申诉成立)"
		}
		rows = append(rows, []any{r.CaseNo, r.Channel, r.ChannelCode, r.Rater, r.RatedAt, r.Count, r.Satisfaction, r.SatisfactionCode, r.Text,
			r.AreaCode, r.Staff, r.Window, valid})
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return fmt.Errorf("ratings: row %d: %w", i+1, err)
		}
	}
	f.SetColWidth(sheet, "A", "A", 16)
	f.SetColWidth(sheet, "E", "E", 20)
	f.SetColWidth(sheet, "I", "I", 40)
	return f.Write(w)
}
