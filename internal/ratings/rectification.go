package ratings

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// States of a rectification (差评整改).
const (
	StepVerify   = "verify"   // 待核实: contact the rater, check the facts
	StepRectify  = "rectify"  // 待整改
	StepFollowup = "followup" // 待回访: ask the rater whether it is fixed
	StepAppeal   = "appeal"   // 申诉中: the person rated says the rating is wrong
	StepClosed   = "closed"   // 已办结
	StepInvalid  = "invalid"  // 申诉成立: the rating is kept but does not count
)

// Methods of rectification.
var Methods = []string{"on_the_spot", "ledger", "explanation"}

// Answers of the rater at the follow-up.
var Answers = []string{"satisfied", "basically", "unsatisfied", "unreachable"}

// Days are a unit's periods in working days.
type Days struct {
	Token    int    `json:"token_days"`    // a token rates until this long after the case closed (calendar days)
	Verify   int    `json:"verify_days"`   // contact and verify
	Rectify  int    `json:"rectify_days"`  // rectify
	Ledger   int    `json:"ledger_days"`   // rectify, for items on the ledger
	Followup int    `json:"followup_days"` // follow up after rectifying
	AreaCode string `json:"area_code"`     // 行政区划代码, for the exchange with the provincial platform
	// DefaultLevel, when not 0, is the rating a case gets when its token
	// expires unrated; such ratings are marked as default. 0 (off) is the
	// default: the national rules count only what people said.
	DefaultLevel int `json:"default_level"`
	// UnverifiedWeight is how much a rating of a person or window without
	// a case counts in the good-rating rate, in percent of a case's.
	UnverifiedWeight int `json:"unverified_weight"`
}

// DefaultDays follow local rules in Zhejiang and 德州: verify within one
// working day, rectify within five (fifteen on the ledger).
var DefaultDays = Days{Token: DefaultTokenDays, Verify: 1, Rectify: 5, Ledger: 15, Followup: 2, UnverifiedWeight: DefaultUnverifiedWeight}

// DefaultUnverifiedWeight: a rating nobody can tie to a case counts half.
const DefaultUnverifiedWeight = 50

// Days returns the unit's periods.
func (s *Store) Days(ctx context.Context, unitID int64) (Days, error) {
	d := DefaultDays
	err := s.db.QueryRowContext(ctx, `SELECT token_days, verify_days, rectify_days, ledger_days, followup_days, area_code, default_level,
		unverified_weight FROM rating_settings WHERE unit_id = $1`, unitID).Scan(&d.Token, &d.Verify, &d.Rectify, &d.Ledger, &d.Followup,
		&d.AreaCode, &d.DefaultLevel, &d.UnverifiedWeight)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultDays, nil
	}
	return d, err
}

// SetDays changes the unit's periods.
func (s *Store) SetDays(ctx context.Context, actor audit.Actor, unitID int64, d Days) error {
	var ps locale.Problems
	for field, v := range map[string]int{"token_days": d.Token, "verify_days": d.Verify, "rectify_days": d.Rectify, "ledger_days": d.Ledger, "followup_days": d.Followup} {
		if v < 1 || v > 365 {
			ps.Add(field, "rating.days_invalid")
		}
	}
	if d.DefaultLevel != 0 && (d.DefaultLevel < Fair || d.DefaultLevel > VerySatisfied) {
		ps.Add("default_level", "rating.default_level_invalid")
	}
	if d.UnverifiedWeight < 0 || d.UnverifiedWeight > 100 {
		ps.Add("unverified_weight", "rating.weight_invalid")
	}
	d.AreaCode = textnorm.FoldWidth(d.AreaCode)
	if d.AreaCode != "" && !areaCode.MatchString(d.AreaCode) {
		ps.Add("area_code", "rating.area_code_invalid")
	}
	if len(ps) > 0 {
		return ps
	}
	before, err := s.Days(ctx, unitID)
	if err != nil {
		return err
	}
	s.daysMu.Lock()
	delete(s.days, unitID)
	s.daysMu.Unlock()
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rating_settings (unit_id, token_days, verify_days, rectify_days, ledger_days, followup_days, area_code,
			default_level, unverified_weight)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (unit_id) DO UPDATE SET token_days = excluded.token_days, verify_days = excluded.verify_days,
			rectify_days = excluded.rectify_days, ledger_days = excluded.ledger_days, followup_days = excluded.followup_days,
			area_code = excluded.area_code, default_level = excluded.default_level, unverified_weight = excluded.unverified_weight`,
			unitID, d.Token, d.Verify, d.Rectify, d.Ledger, d.Followup, d.AreaCode, d.DefaultLevel, d.UnverifiedWeight)
		if err != nil {
			return fmt.Errorf("ratings: settings: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "update", Entity: "rating_settings", EntityID: unitID, Before: before, After: d})
	})
}

// Sources a rectification starts from.
const (
	SourceRating      = "rating"      // a bad rating
	SourceComplaint   = "complaint"   // an upheld complaint in the suggestion box
	SourceObservation = "observation" // a public supervisor's bad observation
)

// Rectification is the handling of one bad rating, upheld complaint or bad
// observation.
type Rectification struct {
	ID             int64      `json:"id"`
	Source         string     `json:"source"`
	SourceID       int64      `json:"source_id"`
	Summary        string     `json:"summary,omitempty"` // what the complaint or observation says
	Rating         Rating     `json:"rating"`
	StaffID        int64      `json:"staff_id,omitempty"`
	DepartmentID   int64      `json:"window_id,omitempty"`
	Anonymous      bool       `json:"anonymous"`
	State          string     `json:"state"`
	DueAt          time.Time  `json:"due_at"`
	VerifyNote     string     `json:"verify_note,omitempty"`
	VerifiedAt     *time.Time `json:"verified_at,omitempty"`
	Method         string     `json:"method,omitempty"`
	RectifyNote    string     `json:"rectify_note,omitempty"`
	LedgerDue      string     `json:"ledger_due,omitempty"`
	RectifiedAt    *time.Time `json:"rectified_at,omitempty"`
	FollowupAnswer string     `json:"followup_answer,omitempty"`
	FollowupNote   string     `json:"followup_note,omitempty"`
	FollowedAt     *time.Time `json:"followed_at,omitempty"`
	AppealReason   string     `json:"appeal_reason,omitempty"`
	AppealDecision string     `json:"appeal_decision,omitempty"`
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	Version        int        `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	Signal         string     `json:"signal,omitempty"`
	StaffName      string     `json:"staff,omitempty"`
	DepartmentName string     `json:"window,omitempty"`
}

// Link is the page of what the rectification started from.
func (x Rectification) Link() string {
	switch x.Source {
	case SourceComplaint:
		return "/feedback/" + strconv.FormatInt(x.SourceID, 10)
	case SourceObservation:
		return "/observations/" + strconv.FormatInt(x.SourceID, 10)
	}
	if x.Rating.CaseID != 0 {
		return "/cases/" + strconv.FormatInt(x.Rating.CaseID, 10)
	}
	return ""
}

// Open reports whether the rectification still needs work.
func (x Rectification) Open() bool { return x.State != StepClosed && x.State != StepInvalid }

// openRectification starts the handling of a bad rating, in the writer's
// transaction: it exists exactly when the rating does.
func openRectification(ctx context.Context, tx *database.Tx, j *job, ratingID int64, due time.Time, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO rectifications (unit_id, rating_id, source, source_id, staff_id, department_id, anonymous, state, due_at, created_at)
		VALUES ($1, $2, $3, $2, $4, $5, $6, $7, $8, $9) RETURNING id`, j.unitID, ratingID, SourceRating, database.NullID(j.staffID), database.NullID(j.deptID),
		!j.verified, StepVerify, due.UTC(), now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("ratings: open rectification: %w", err)
	}
	return id, nil
}

// Origin is a problem other than a rating that needs the same handling.
type Origin struct {
	Source       string // SourceComplaint or SourceObservation
	SourceID     int64
	StaffID      int64
	DepartmentID int64
	Summary      string
	Anonymous    bool // nobody to follow up with
}

// OpenFrom starts the rectification of an upheld complaint or a bad
// observation in the caller's transaction. A second call for the same
// origin returns the first one's id.
func (s *Store) OpenFrom(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID int64, o Origin) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM rectifications WHERE unit_id = $1 AND source = $2 AND source_id = $3`,
		unitID, o.Source, o.SourceID).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("ratings: find rectification: %w", err)
	}
	due, err := s.firstDue(ctx, unitID)
	if err != nil {
		return 0, err
	}
	now := s.now()
	err = tx.QueryRowContext(ctx, `INSERT INTO rectifications (unit_id, source, source_id, summary, staff_id, department_id, anonymous, state, due_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, unitID, o.Source, o.SourceID, o.Summary, database.NullID(o.StaffID),
		database.NullID(o.DepartmentID), o.Anonymous, StepVerify, due, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("ratings: open rectification from %s: %w", o.Source, err)
	}
	return id, audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "rectification", EntityID: id,
		After: map[string]any{"source": o.Source, "source_id": o.SourceID, "state": StepVerify, "due_at": due}})
}

const rectificationQuery = `SELECT x.id, x.source, x.source_id, x.summary, COALESCE(x.rating_id, 0), COALESCE(x.staff_id, 0), COALESCE(x.department_id, 0), x.anonymous, x.state, x.due_at,
	x.verify_note, x.verified_at, x.method, x.rectify_note, x.ledger_due, x.rectified_at, x.followup_answer, x.followup_note, x.followed_at,
	x.appeal_reason, x.appeal_decision, x.closed_at, x.version, x.created_at
	FROM rectifications x`

func scanRectification(r database.Scanner) (Rectification, error) {
	var x Rectification
	var verified, rectified, followed, closed sql.NullTime
	err := r.Scan(&x.ID, &x.Source, &x.SourceID, &x.Summary, &x.Rating.ID, &x.StaffID, &x.DepartmentID, &x.Anonymous, &x.State, &x.DueAt, &x.VerifyNote, &verified, &x.Method,
		&x.RectifyNote, &x.LedgerDue, &rectified, &x.FollowupAnswer, &x.FollowupNote, &followed, &x.AppealReason, &x.AppealDecision, &closed,
		&x.Version, &x.CreatedAt)
	for _, p := range []struct {
		src sql.NullTime
		dst **time.Time
	}{{verified, &x.VerifiedAt}, {rectified, &x.RectifiedAt}, {followed, &x.FollowedAt}, {closed, &x.ClosedAt}} {
		if p.src.Valid {
			t := p.src.Time
			*p.dst = &t
		}
	}
	return x, err
}

// Rectifications lists the unit's rectifications, open ones first, with
// each one's rating and light.
func (s *Store) Rectifications(ctx context.Context, unitID int64, scope *accounts.User, openOnly bool) ([]Rectification, error) {
	q := rectificationQuery + ` WHERE x.unit_id = $1`
	args := []any{unitID}
	if openOnly {
		q += ` AND x.state NOT IN ('closed', 'invalid')`
	}
	if u := scope; u != nil && !u.IsAdmin() {
		switch {
		case u.Role == accounts.RoleWindowLead && u.DepartmentID != 0:
			args = append(args, u.DepartmentID, u.StaffID)
			q += ` AND (x.department_id = $2 OR x.staff_id = $3)`
		default:
			args = append(args, u.StaffID)
			q += ` AND x.staff_id = $2`
		}
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY CASE WHEN x.state IN ('closed', 'invalid') THEN 1 ELSE 0 END, x.due_at, x.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("ratings: rectifications: %w", err)
	}
	list, err := database.Collect(rows, scanRectification)
	if err != nil {
		return nil, err
	}
	return list, s.fill(ctx, unitID, list)
}

// fill adds each rectification's rating and light.
func (s *Store) fill(ctx context.Context, unitID int64, list []Rectification) error {
	if len(list) == 0 {
		return nil
	}
	sc, err := calendar.NewStore(s.db).Schedule(ctx, unitID)
	if err != nil {
		return err
	}
	now := s.now()
	for i := range list {
		list[i].Signal = signal(sc, list[i], now)
		if list[i].Rating.ID == 0 {
			list[i].StaffName, list[i].DepartmentName, err = s.names(ctx, unitID, list[i].StaffID, list[i].DepartmentID)
			if err != nil {
				return err
			}
			continue
		}
		r, err := scan(s.db.QueryRowContext(ctx, ratingQuery+` WHERE r.unit_id = $1 AND r.id = $2`, unitID, list[i].Rating.ID))
		if err != nil {
			return fmt.Errorf("ratings: rating of rectification %d: %w", list[i].ID, err)
		}
		list[i].Rating = r
		list[i].StaffName, list[i].DepartmentName = r.StaffName, r.DepartmentName
	}
	return nil
}

// names are a person's and a window's names for a rectification without a
// rating.
func (s *Store) names(ctx context.Context, unitID, staffID, deptID int64) (string, string, error) {
	var staff, dept string
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE((SELECT name FROM staff WHERE unit_id = $1 AND id = $2), ''),
		COALESCE((SELECT name FROM departments WHERE unit_id = $1 AND id = $3), '')`, unitID, staffID, deptID).Scan(&staff, &dept)
	if err != nil {
		return "", "", fmt.Errorf("ratings: names: %w", err)
	}
	return staff, dept, nil
}

// signal is the light of an open step: red when overdue, yellow with one
// working day or less left, green otherwise.
func signal(sc calendar.Schedule, x Rectification, now time.Time) string {
	switch {
	case !x.Open() || x.State == StepAppeal:
		return ""
	case now.After(x.DueAt):
		return "red"
	case sc.Calendar.Between(now.In(sc.Location), x.DueAt.In(sc.Location)) <= 1:
		return "yellow"
	}
	return "green"
}

// Rectification returns one.
func (s *Store) Rectification(ctx context.Context, unitID, id int64) (Rectification, error) {
	x, err := scanRectification(s.db.QueryRowContext(ctx, rectificationQuery+` WHERE x.unit_id = $1 AND x.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, ErrNotFound
	}
	if err != nil {
		return x, err
	}
	list := []Rectification{x}
	err = s.fill(ctx, unitID, list)
	return list[0], err
}

// ErrNotFound is returned for a rectification not in the unit.
var ErrNotFound = failure.Wrap("ratings", failure.NotFound)

// ErrForbidden is returned when the user may not take the step.
var ErrForbidden = failure.Wrap("ratings", failure.Forbidden)

// CanHandle: the office, and the window lead of the window rated; never
// the person rated.
func CanHandle(u accounts.User, x Rectification) bool {
	if u.StaffID != 0 && u.StaffID == x.StaffID {
		return false
	}
	return u.IsAdmin() || (u.Role == accounts.RoleWindowLead && u.DepartmentID != 0 && u.DepartmentID == x.DepartmentID)
}

// CanSee: who may handle it, and the person rated.
func CanSee(u accounts.User, x Rectification) bool {
	return CanHandle(u, x) || (u.StaffID != 0 && u.StaffID == x.StaffID)
}

// Step is one step taken on a rectification.
type Step struct {
	Action  string // verify, rectify, followup, appeal, uphold, reject
	Note    string
	Method  string
	Answer  string
	Appeal  string
	Decided string
}

// Take applies a step: verify → rectify → follow up (real-name ratings) →
// closed; the person rated may appeal while it is verified or rectified,
// and the office upholds the appeal (the rating becomes invalid, kept and
// audited) or rejects it.
func (s *Store) Take(ctx context.Context, actor audit.Actor, u accounts.User, unitID, id int64, st Step) error {
	st.Note = textnorm.CleanMultiline(st.Note)
	if utf8.RuneCountInString(st.Note) > 1000 {
		return locale.FieldProblem("note", "error.too_long", "说明", 1000)
	}
	days, err := s.Days(ctx, unitID)
	if err != nil {
		return err
	}
	sc, err := calendar.NewStore(s.db).Schedule(ctx, unitID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		x, err := scanRectification(tx.QueryRowContext(ctx, rectificationQuery+` WHERE x.unit_id = $1 AND x.id = $2`, unitID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		now := s.now()
		set, args, err := plan(u, x, st, now, sc, days)
		if err != nil {
			return err
		}
		n := len(args)
		res, err := tx.ExecContext(ctx, `UPDATE rectifications SET `+set+`, version = version + 1 WHERE unit_id = $`+strconv.Itoa(n+1)+
			` AND id = $`+strconv.Itoa(n+2)+` AND version = $`+strconv.Itoa(n+3), append(args, unitID, id, x.Version)...)
		if err != nil {
			return fmt.Errorf("ratings: step: %w", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return locale.NewError("rectification.changed").Of(failure.Conflict)
		}
		if st.Action == "uphold" {
			if _, err := tx.ExecContext(ctx, `UPDATE ratings SET valid = FALSE WHERE unit_id = $1 AND id = $2`, unitID, x.Rating.ID); err != nil {
				return fmt.Errorf("ratings: invalidate: %w", err)
			}
		}
		after, err := scanRectification(tx.QueryRowContext(ctx, rectificationQuery+` WHERE x.unit_id = $1 AND x.id = $2`, unitID, id))
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: st.Action, Entity: "rectification", EntityID: id, Before: x, After: after})
	})
}

var areaCode = regexp.MustCompile(`^(\d{6}|\d{12})$`)

// plan checks a step against the state and the user, and returns the
// columns to set.
func plan(u accounts.User, x Rectification, st Step, now time.Time, sc calendar.Schedule, days Days) (string, []any, error) {
	wrong := locale.NewError("rectification.wrong_state").Of(failure.Conflict)
	due := func(n int) time.Time { return sc.Deadline(now, n) }
	switch st.Action {
	case "verify", "rectify", "followup":
		if !CanHandle(u, x) {
			return "", nil, ErrForbidden
		}
	case "appeal":
		if u.StaffID == 0 || u.StaffID != x.StaffID {
			return "", nil, ErrForbidden
		}
	case "uphold", "reject":
		if !u.IsAdmin() || (u.StaffID != 0 && u.StaffID == x.StaffID) {
			return "", nil, ErrForbidden
		}
	default:
		return "", nil, locale.NewError("rectification.wrong_state").Of(failure.Conflict)
	}
	switch st.Action {
	case "verify":
		if x.State != StepVerify {
			return "", nil, wrong
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.note_required")
		}
		return `state = $1, verify_note = $2, verified_at = $3, due_at = $4`, []any{StepRectify, st.Note, now, due(days.Rectify)}, nil
	case "rectify":
		if x.State != StepRectify {
			return "", nil, wrong
		}
		if !slices.Contains(Methods, st.Method) {
			return "", nil, locale.FieldProblem("method", "rectification.method_invalid")
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.note_required")
		}
		ledger := ""
		if st.Method == "ledger" {
			ledger = due(days.Ledger).In(sc.Location).Format(time.DateOnly)
		}
		if x.Anonymous {
			return `state = $1, method = $2, rectify_note = $3, ledger_due = $4, rectified_at = $5, closed_at = $5, followup_answer = 'anonymous'`,
				[]any{StepClosed, st.Method, st.Note, ledger, now}, nil
		}
		return `state = $1, method = $2, rectify_note = $3, ledger_due = $4, rectified_at = $5, due_at = $6`,
			[]any{StepFollowup, st.Method, st.Note, ledger, now, due(days.Followup)}, nil
	case "followup":
		if x.State != StepFollowup {
			return "", nil, wrong
		}
		if !slices.Contains(Answers, st.Answer) {
			return "", nil, locale.FieldProblem("answer", "rectification.answer_invalid")
		}
		return `state = $1, followup_answer = $2, followup_note = $3, followed_at = $4, closed_at = $4`,
			[]any{StepClosed, st.Answer, st.Note, now}, nil
	case "appeal":
		if x.Source != SourceRating || (x.State != StepVerify && x.State != StepRectify) {
			return "", nil, wrong
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.appeal_required")
		}
		return `state = $1, appeal_reason = $2`, []any{StepAppeal, st.Note}, nil
	case "uphold":
		if x.State != StepAppeal {
			return "", nil, wrong
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.note_required")
		}
		return `state = $1, appeal_decision = $2, closed_at = $3`, []any{StepInvalid, st.Note, now}, nil
	default: // reject: back to verification, with a fresh period
		if x.State != StepAppeal {
			return "", nil, wrong
		}
		if st.Note == "" {
			return "", nil, locale.FieldProblem("note", "rectification.note_required")
		}
		return `state = $1, appeal_decision = $2, due_at = $3`, []any{StepVerify, st.Note, due(days.Verify)}, nil
	}
}
