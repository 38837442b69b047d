// Package activities keeps 五比, the five comparisons of 素质 (quality),
// 干劲 (drive), 奉献 (dedication), 创新 (innovation) and 作风 (conduct):
// the unit's activity kinds and their point rules, study sessions and their
// attendance, skill contests, people's claims for visits, volunteer service,
// innovation proposals and commendations, the conduct deductions fed from
// accountability records, the points ledger they all write to, and the
// rankings summed from it.
package activities

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/failure"
)

// Dimensions are the five comparisons, in the plan's order.
const (
	Quality    = "quality"    // 比素质
	Drive      = "drive"      // 比干劲
	Dedication = "dedication" // 比奉献
	Innovation = "innovation" // 比创新
	Conduct    = "conduct"    // 比作风
	// Total is the sum of the five, for rankings.
	Total = "total"
)

// Dimensions lists the five in order.
var Dimensions = []string{Quality, Drive, Dedication, Innovation, Conduct}

// Forms say which fields a kind records and how it reaches the ledger.
const (
	FormStudy        = "study"        // 学习: scheduled sessions, attendance by QR code or list
	FormContest      = "contest"      // 岗位技能竞赛: participants, scores, places
	FormVisit        = "visit"        // 下基层 / 结对帮扶: team, place, days
	FormVolunteer    = "volunteer"    // 志愿服务: hours, place
	FormInnovation   = "innovation"   // 创新建议: adopted, then shows results
	FormCommendation = "commendation" // 表扬信 / 锦旗
	FormConduct      = "conduct"      // deductions from accountability records
)

// Forms lists them in the order pages show them.
var Forms = []string{FormStudy, FormContest, FormVisit, FormVolunteer, FormInnovation, FormCommendation, FormConduct}

// ClaimForms are the forms people record themselves.
var ClaimForms = []string{FormVisit, FormVolunteer, FormInnovation, FormCommendation}

// Rules count points.
const (
	RuleSession = "session" // per session attended; late earns Extra
	RuleHour    = "hour"    // per hour
	RuleDay     = "day"     // per day
	RuleRank    = "rank"    // by place: RankPoints, then Extra for taking part
	RuleScore   = "score"   // by score: Points per score point
	RuleItem    = "item"    // per item; an adopted proposal earns Extra more once it shows results
)

// RulesOf lists the rules each form may use.
var RulesOf = map[string][]string{
	FormStudy:        {RuleSession},
	FormContest:      {RuleRank, RuleScore},
	FormVisit:        {RuleDay, RuleItem},
	FormVolunteer:    {RuleHour, RuleItem},
	FormInnovation:   {RuleItem},
	FormCommendation: {RuleItem},
	FormConduct:      {RuleItem},
}

// Codes of the shipped conduct kinds: accountability records decided with a
// sanction, and the absences among them.
const (
	CodeFault   = "conduct_fault"
	CodeAbsence = "conduct_absence"
)

// Errors.
var (
	ErrNotFound  = failure.Wrap("activities", failure.NotFound)
	ErrForbidden = failure.Wrap("activities", failure.Forbidden)
)

// Kind is one kind of activity of a unit and its point rule. Points are in
// hundredths throughout, so 2.5 points is 250.
type Kind struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Dimension  string `json:"dimension"`
	Form       string `json:"form"`
	Rule       string `json:"rule"`
	Points     int    `json:"points_centi"`
	Extra      int    `json:"extra_centi"`
	RankPoints []int  `json:"rank_points_centi,omitempty"`
	MonthCap   int    `json:"month_cap_centi"`
	YearCap    int    `json:"year_cap_centi"`
	Active     bool   `json:"active"`
}

// DefaultKinds are what every unit starts with, from the two plans: study
// sessions of the learning party organisation (素质), skill contests at the
// windows (干劲), grassroots visits and paired assistance and volunteer
// service (奉献), innovation proposals (创新), and commendations and
// deductions (作风). The numbers are a starting point the office changes.
var DefaultKinds = []Kind{
	{Code: "study", Name: "学习型党组织学习", Dimension: Quality, Form: FormStudy, Rule: RuleSession, Points: 200, Extra: 100, MonthCap: 800},
	{Code: "contest", Name: "岗位技能竞赛", Dimension: Drive, Form: FormContest, Rule: RuleRank, RankPoints: []int{1000, 800, 600}, Extra: 200},
	{Code: "visit", Name: "下基层·结对帮扶", Dimension: Dedication, Form: FormVisit, Rule: RuleDay, Points: 300, MonthCap: 3000},
	{Code: "volunteer", Name: "志愿服务", Dimension: Dedication, Form: FormVolunteer, Rule: RuleHour, Points: 100, MonthCap: 2000, YearCap: 10000},
	{Code: "innovation", Name: "创新建议", Dimension: Innovation, Form: FormInnovation, Rule: RuleItem, Points: 500, Extra: 1000},
	{Code: "commendation", Name: "群众表扬（表扬信、锦旗）", Dimension: Conduct, Form: FormCommendation, Rule: RuleItem, Points: 300, MonthCap: 1500},
	{Code: CodeFault, Name: "责任追究扣分", Dimension: Conduct, Form: FormConduct, Rule: RuleItem, Points: -500},
	{Code: CodeAbsence, Name: "无故缺岗扣分", Dimension: Conduct, Form: FormConduct, Rule: RuleItem, Points: -200},
}

// Store keeps a unit's activities and points.
type Store struct {
	db  *database.DB
	now func() time.Time
}

// NewStore returns a store on db.
func NewStore(db *database.DB) *Store { return &Store{db: db, now: database.Now} }

// WithClock returns a store whose "now" is clock, for loading history and tests.
func (s *Store) WithClock(clock func() time.Time) *Store {
	return &Store{db: s.db, now: database.Moved(clock)}
}

// Centi shows hundredths as points: 250 is "2.5", -200 is "-2".
func Centi(c int) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	s := strconv.Itoa(c/100) + "." + fmt.Sprintf("%02d", c%100)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return sign + s
}

// ParseCenti reads points or a quantity typed by a person ("2.5", "２",
// "-1.25") into hundredths.
func ParseCenti(s string) (int, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 2 || len(whole) > 7 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || f < 0 || strings.ContainsAny(whole+frac, "+-") {
		return 0, false
	}
	c := w*100 + f
	if neg {
		c = -c
	}
	return c, true
}

func (s *Store) today(loc *time.Location) string { return s.now().In(loc).Format(time.DateOnly) }

// ensureKinds gives a unit the default kinds the first time it needs them.
// Two servers doing it at once insert each kind once.
func (s *Store) ensureKinds(ctx context.Context, unitID int64) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_kinds WHERE unit_id = $1`, unitID).Scan(&n); err != nil {
		return fmt.Errorf("activities: count kinds: %w", err)
	}
	if n > 0 {
		return nil
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		return insertDefaults(ctx, tx, unitID, now)
	})
}

func insertDefaults(ctx context.Context, tx *database.Tx, unitID int64, now time.Time) error {
	for _, k := range DefaultKinds {
		_, err := tx.ExecContext(ctx, `INSERT INTO activity_kinds (unit_id, code, name, dimension, form, rule, points_centi, extra_centi, rank_points, month_cap_centi, year_cap_centi, active, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, TRUE, $12) ON CONFLICT (unit_id, code) DO NOTHING`,
			unitID, k.Code, k.Name, k.Dimension, k.Form, k.Rule, k.Points, k.Extra, joinCenti(k.RankPoints), k.MonthCap, k.YearCap, now)
		if err != nil {
			return fmt.Errorf("activities: default kind %s: %w", k.Code, err)
		}
	}
	return nil
}

func joinCenti(cs []int) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

func splitCenti(s string) []int {
	var out []int
	for p := range strings.SplitSeq(s, ",") {
		if c, err := strconv.Atoi(strings.TrimSpace(p)); err == nil {
			out = append(out, c)
		}
	}
	return out
}
