package fiveappraisal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wuliang/internal/accounts"
	"wuliang/internal/appraisal"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/ratings"
	"wuliang/internal/textnorm"
)

// Result is one person's result: each part's score and the total in
// hundredths of a point (nil: not given), the proposed grade and the one
// confirmed.
type Result struct {
	Target
	Scores         [5]*int `json:"-"`
	PeerVotes      int     `json:"peer_votes"`
	PublicSource   string  `json:"-"`
	Total          *int    `json:"-"`
	Rank           int     `json:"rank"`
	Proposed       string  `json:"-"`
	Tied           bool    `json:"-"`
	Grade          string  `json:"grade"`
	Confirmed      bool    `json:"-"`
	OverrideReason string  `json:"-"`
	FollowupPlan   string  `json:"-"`
}

// Missing are the parts with a weight in r that x was not given: their
// weight went to the others (see shares).
func (x Result) Missing(r Round) []string {
	var out []string
	for p, s := range x.Scores {
		if s == nil && r.Weights[p] > 0 {
			out = append(out, Parts[p])
		}
	}
	return out
}

// Points shows a score in hundredths as points, "—" when not given.
func Points(centi *int) string {
	if centi == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", float64(*centi)/100)
}

// NeedsPlan reports whether the confirmed grade asks for a follow-up plan.
func (r Result) NeedsPlan() bool { return r.Grade == GradeKeys[Basic] || r.Grade == GradeKeys[Failing] }

// mean is Σ points × count ÷ Σ count in hundredths, rounded half up; nil
// below least.
func mean(points, counts []int, least int) *int {
	sum, n := 0, 0
	for i := range points {
		sum += points[i] * counts[i] * 100
		n += counts[i]
	}
	if n == 0 || n < least {
		return nil
	}
	v := (sum + n/2) / n
	return &v
}

// Contributions are the points each part adds to x's total, in
// hundredths, with the weights shares gives; nil for a part not given.
// They add up to the total, give or take rounding.
func Contributions(r Round, x Result) [5]*float64 {
	var out [5]*float64
	num, den := shares(r, x.Scores)
	if den == 0 {
		return out
	}
	for p, s := range x.Scores {
		if num[p] > 0 {
			v := float64(num[p]) * float64(*s) / float64(den)
			out[p] = &v
		}
	}
	return out
}

// shares are the weights of the given parts in a total, as num[p] ÷ den:
// the round's weights when every part is given. A part not given drops
// out and its weight goes to the other parts but the self-appraisal, in
// proportion to theirs, so that one's own grade never weighs more than the
// round set; with nothing but the self-appraisal there is no total (den
// 0). docs/features.md states the rule and the result page names the parts
// that were missing.
func shares(r Round, scores [5]*int) (num [5]int, den int) {
	self := slices.Index(Parts, PartSelf)
	ws, others := 0, 0
	for p, s := range scores {
		switch {
		case s == nil || r.Weights[p] <= 0:
		case p == self:
			ws = r.Weights[p]
		default:
			others += r.Weights[p]
		}
	}
	if others == 0 {
		return num, 0
	}
	total := ws
	for p := range scores {
		if p != self {
			total += r.Weights[p]
		}
	}
	for p, s := range scores {
		switch {
		case s == nil || r.Weights[p] <= 0:
		case p == self:
			num[p] = ws * others
		default:
			num[p] = (total - ws) * r.Weights[p]
		}
	}
	return num, total * others
}

// compute works out totals, proposed grades under the cap, and ranks, with
// the weights shares gives; see docs/features.md for ties at the cap.
func compute(r Round, list []Result) {
	var withTotal []*Result
	for i := range list {
		x := &list[i]
		x.Total, x.Proposed, x.Tied, x.Rank = nil, "", false, 0
		num, den := shares(r, x.Scores)
		if den == 0 {
			continue
		}
		sum := 0
		for p, s := range x.Scores {
			if num[p] > 0 {
				sum += num[p] * *s
			}
		}
		t := (sum + den/2) / den
		x.Total = &t
		x.Proposed = GradeKeys[gradeFor(r, t)]
		withTotal = append(withTotal, x)
	}
	slices.SortStableFunc(withTotal, func(a, b *Result) int { return *b.Total - *a.Total })
	for i, x := range withTotal {
		x.Rank = i + 1
		if i > 0 && *x.Total == *withTotal[i-1].Total {
			x.Rank = withTotal[i-1].Rank
		}
	}
	var excellent []*Result
	for _, x := range withTotal {
		if x.Proposed == GradeKeys[Excellent] {
			excellent = append(excellent, x)
		}
	}
	limit := r.cap(len(list)) // of everyone appraised, scored or not
	if len(excellent) <= limit {
		return
	}
	// The first one over the cap sets the line: everyone at it or below is
	// proposed 合格. If the line cuts through a tie, the tied are marked
	// for the branch committee, which may still give the places left.
	line := *excellent[limit].Total
	tie := limit > 0 && *excellent[limit-1].Total == line
	for _, x := range excellent {
		if *x.Total <= line {
			x.Proposed = GradeKeys[Competent]
			x.Tied = tie && *x.Total == line
		}
	}
}

func gradeFor(r Round, centi int) int {
	for _, g := range []int{Excellent, Competent, Basic} {
		if centi >= r.Thresholds[g]*100 {
			return g
		}
	}
	return Failing
}

// stillOpen claims the round's row for this transaction and reports
// whether it is not closed: a vote racing the close either lands before
// the results are counted or is refused.
func stillOpen(ctx context.Context, tx *database.Tx, unitID, roundID int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE five_rounds SET closed_at = closed_at WHERE unit_id = $1 AND id = $2 AND closed_at IS NULL`, unitID, roundID)
	if err != nil {
		return fmt.Errorf("fiveappraisal: claim round: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return locale.NewError("five.closed").Of(failure.Conflict)
	}
	return nil
}

// Close freezes the round and keeps each person's result. 群众测评 is the
// office's entered score where there is one, else counted from the
// period's public ratings and published appraisal questionnaires.
func (s *Store) Close(ctx context.Context, actor audit.Actor, unitID, roundID int64, loc *time.Location) error {
	r, err := s.Get(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	switch r.State(s.now()) {
	case StatePending:
		return locale.NewError("five.not_yet_open").Of(failure.Conflict)
	case StateClosed, StatePublished:
		return locale.NewError("five.closed").Of(failure.Conflict)
	}
	public, err := s.countedPublic(ctx, unitID, r, loc)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if err := stillOpen(ctx, tx, unitID, roundID); err != nil {
			return err
		}
		list, err := s.gather(ctx, tx, unitID, r, public)
		if err != nil {
			return err
		}
		compute(r, list)
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE five_rounds SET closed_at = $1 WHERE unit_id = $2 AND id = $3`, now, unitID, roundID); err != nil {
			return fmt.Errorf("fiveappraisal: close: %w", err)
		}
		// Rewrite every count in this one transaction, so that no count
		// keeps a trace of the vote that last changed it.
		if _, err := tx.ExecContext(ctx, `UPDATE five_peer_tallies SET votes = votes WHERE unit_id = $1 AND round_id = $2`, unitID, roundID); err != nil {
			return fmt.Errorf("fiveappraisal: seal counts: %w", err)
		}
		summary := map[string]int{}
		for _, x := range list {
			sc := x.Scores
			if _, err := tx.ExecContext(ctx, `INSERT INTO five_results (unit_id, round_id, target_id, self_centi, peer_centi, branch_centi, leader_centi,
				public_centi, peer_votes, public_source, total_centi, rank, proposed, tied) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
				unitID, roundID, x.ID, sc[0], sc[1], sc[2], sc[3], sc[4], x.PeerVotes, x.PublicSource, x.Total, x.Rank, x.Proposed, x.Tied); err != nil {
				return fmt.Errorf("fiveappraisal: result: %w", err)
			}
			summary[x.Proposed]++
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "close", Entity: "five_round", EntityID: roundID,
			After: map[string]any{"people": len(list), "proposed": summary}})
	})
}

// gather reads every part's score for each person, inside the closing
// transaction.
func (s *Store) gather(ctx context.Context, tx *database.Tx, unitID int64, r Round, public map[int64]counted) ([]Result, error) {
	targets, err := s.Targets(ctx, unitID, r.ID)
	if err != nil {
		return nil, err
	}
	list := make([]Result, len(targets))
	at := map[int64]int{}
	for i, t := range targets {
		list[i].Target = t
		at[t.ID] = i
	}
	p := r.Points
	rows, err := tx.QueryContext(ctx, `SELECT target_id, part, grade, score, source FROM five_entries WHERE unit_id = $1 AND round_id = $2 ORDER BY id`, unitID, r.ID)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: entries: %w", err)
	}
	type entry struct {
		target int64
		part   string
		grade  int
		score  sql.NullInt64
		source string
	}
	entries, err := database.Collect(rows, func(r database.Scanner) (entry, error) {
		var e entry
		return e, r.Scan(&e.target, &e.part, &e.grade, &e.score, &e.source)
	})
	if err != nil {
		return nil, err
	}
	signed := map[int64]map[string][]int{}
	for _, e := range entries {
		i, ok := at[e.target]
		if !ok {
			continue
		}
		if e.part == PartPublic {
			v := int(e.score.Int64) * 100
			list[i].Scores[4], list[i].PublicSource = &v, e.source
			continue
		}
		if signed[e.target] == nil {
			signed[e.target] = map[string][]int{}
		}
		signed[e.target][e.part] = append(signed[e.target][e.part], p[e.grade])
	}
	for i := range list {
		t := list[i].ID
		for j, part := range []string{PartSelf, "", PartBranch, PartLeader} {
			if pts := signed[t][part]; len(pts) > 0 {
				list[i].Scores[j] = mean(pts, ones(len(pts)), 1)
			}
		}
		if list[i].Scores[4] == nil {
			if c, ok := public[list[i].StaffID]; ok {
				list[i].Scores[4], list[i].PublicSource = &c.centi, c.source
			}
		}
	}
	rows, err = tx.QueryContext(ctx, `SELECT target_id, grade, votes FROM five_peer_tallies WHERE unit_id = $1 AND round_id = $2`, unitID, r.ID)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: tallies: %w", err)
	}
	tallies, err := database.Collect(rows, func(r database.Scanner) ([3]int64, error) {
		var v [3]int64
		return v, r.Scan(&v[0], &v[1], &v[2])
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		var pts, counts []int
		for _, v := range tallies {
			if v[0] == list[i].ID {
				pts, counts = append(pts, p[v[1]]), append(counts, int(v[2]))
				list[i].PeerVotes += int(v[2])
			}
		}
		list[i].Scores[1] = mean(pts, counts, MinPeerVotes)
	}
	return list, nil
}

func ones(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = 1
	}
	return out
}

type counted struct {
	centi  int
	source string
}

// countedPublic is each person's 群众测评 from the round's period: the
// weighted 好评率 of their public ratings and the mean score of the
// appraisal questionnaires published about them, averaged when both exist.
func (s *Store) countedPublic(ctx context.Context, unitID int64, r Round, loc *time.Location) (map[int64]counted, error) {
	from, err1 := time.ParseInLocation("2006-01-02", r.PeriodFrom, loc)
	to, err2 := time.ParseInLocation("2006-01-02", r.PeriodTo, loc)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("fiveappraisal: period: %w", err)
	}
	to = to.AddDate(0, 0, 1)
	report, err := ratings.NewStore(s.db).Report(ctx, unitID, from, to)
	if err != nil {
		return nil, err
	}
	type sum struct {
		parts  []float64
		source []string
	}
	sums := map[int64]*sum{}
	add := func(staff int64, v float64, src string) {
		if sums[staff] == nil {
			sums[staff] = &sum{}
		}
		sums[staff].parts = append(sums[staff].parts, v)
		sums[staff].source = append(sums[staff].source, src)
	}
	p := locale.NewPrinter(locale.Default)
	for _, row := range report.People {
		if row.Weighed.All > 0 {
			add(row.ID, float64(row.Weighed.Good)*100/float64(row.Weighed.All), p.Get("five.public_from_ratings", row.GoodRate(), row.Count))
		}
	}
	as := appraisal.NewStore(s.db)
	rounds, err := as.List(ctx, unitID, true)
	if err != nil {
		return nil, err
	}
	for _, ar := range rounds {
		if ar.ClosedAt == nil || ar.ClosedAt.Before(from) || !ar.ClosedAt.Before(to) {
			continue
		}
		res, err := as.Results(ctx, unitID, ar.ID)
		if err != nil {
			return nil, err
		}
		for _, t := range res.Targets {
			if t.StaffID != 0 && t.Overall.N > 0 {
				add(t.StaffID, t.Overall.Points/float64(t.Overall.N), p.Get("five.public_from_appraisal", ar.Title, t.Overall.Mean()))
			}
		}
	}
	out := map[int64]counted{}
	for staff, x := range sums {
		total := 0.0
		for _, v := range x.parts {
			total += v
		}
		out[staff] = counted{centi: int(total*100/float64(len(x.parts)) + 0.5), source: strings.Join(x.source, ";")}
	}
	return out, nil
}

// Results returns the frozen results, best total first.
func (s *Store) Results(ctx context.Context, unitID, roundID int64) ([]Result, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.id, t.staff_id, st.name, COALESCE(t.branch_id, 0), COALESCE(b.name, ''), t.peer_group,
		x.self_centi, x.peer_centi, x.branch_centi, x.leader_centi, x.public_centi, x.peer_votes, x.public_source, x.total_centi, x.rank,
		x.proposed, x.tied, x.grade, x.confirmed_at IS NOT NULL, x.override_reason, x.followup_plan
		FROM five_results x
		JOIN five_targets t ON t.id = x.target_id AND t.unit_id = x.unit_id
		JOIN staff st ON st.id = t.staff_id AND st.unit_id = t.unit_id
		LEFT JOIN branches b ON b.id = t.branch_id AND b.unit_id = t.unit_id
		WHERE x.unit_id = $1 AND x.round_id = $2
		ORDER BY CASE WHEN x.rank = 0 THEN 1 ELSE 0 END, x.rank, b.name, st.name, t.id`, unitID, roundID)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: results: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Result, error) {
		var x Result
		sc := &x.Scores
		err := r.Scan(&x.ID, &x.StaffID, &x.Name, &x.BranchID, &x.Branch, &x.PeerGroup, &sc[0], &sc[1], &sc[2], &sc[3], &sc[4],
			&x.PeerVotes, &x.PublicSource, &x.Total, &x.Rank, &x.Proposed, &x.Tied, &x.Grade, &x.Confirmed, &x.OverrideReason, &x.FollowupPlan)
		return x, err
	})
}

// deciding loads a closed, unpublished round for the committee's decisions.
func (s *Store) deciding(ctx context.Context, unitID, roundID int64) (Round, error) {
	r, err := s.Get(ctx, unitID, roundID)
	switch {
	case err != nil:
		return r, err
	case !r.Closed():
		return r, locale.NewError("five.not_closed")
	case r.PublishedAt != nil:
		return r, locale.NewError("five.published").Of(failure.Conflict)
	}
	return r, nil
}

// CanDecide: the office for everyone; a branch secretary for their branch.
func CanDecide(u accounts.User, t Target) bool {
	return u.IsAdmin() || (u.Role == accounts.RoleBranchSecretary && t.BranchID != 0 && u.BranchID == t.BranchID)
}

// Confirm records the branch committee's confirmation of every proposed
// grade u decides on and not yet confirmed. 不能简单以票取人: the grade
// counts only once confirmed. It returns how many were confirmed.
func (s *Store) Confirm(ctx context.Context, actor audit.Actor, u accounts.User, unitID, roundID int64) (int, error) {
	if _, err := s.deciding(ctx, unitID, roundID); err != nil {
		return 0, err
	}
	list, err := s.Results(ctx, unitID, roundID)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, x := range list {
		if CanDecide(u, x.Target) && !x.Confirmed && x.Proposed != "" {
			ids = append(ids, x.ID)
		}
	}
	if len(ids) == 0 {
		return 0, locale.NewError("five.nothing_to_confirm")
	}
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		now := s.now()
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE five_results SET grade = proposed, confirmed_by = $1, confirmed_at = $2
				WHERE unit_id = $3 AND round_id = $4 AND target_id = $5 AND confirmed_at IS NULL`, u.ID, now, unitID, roundID, id); err != nil {
				return fmt.Errorf("fiveappraisal: confirm: %w", err)
			}
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "confirm", Entity: "five_round", EntityID: roundID,
			After: map[string]any{"targets": ids}})
	})
	return len(ids), err
}

// Override sets a grade other than the proposed one, with the office's
// written reason. 优秀 stays within the round's cap.
func (s *Store) Override(ctx context.Context, actor audit.Actor, u accounts.User, unitID, roundID, targetID int64, grade, reason string) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	r, err := s.deciding(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	var ps locale.Problems
	if GradeOf(grade) == 0 {
		ps.Add("grade", "five.grade_invalid")
	}
	reason = textnorm.CleanMultiline(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		ps.Add("reason", "five.reason_required")
	case n > MaxReason:
		ps.Add("reason", "five.body_too_long", MaxReason, n)
	}
	if len(ps) > 0 {
		return ps
	}
	list, err := s.Results(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(list, func(x Result) bool { return x.ID == targetID })
	if i < 0 {
		return ErrNotFound
	}
	if grade == GradeKeys[Excellent] {
		n := 1
		for _, x := range list {
			if x.ID != targetID && (x.Grade == grade || (x.Grade == "" && x.Proposed == grade)) {
				n++
			}
		}
		if limit := r.cap(len(list)); n > limit {
			return locale.FieldProblem("grade", "five.cap_full", limit)
		}
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE five_results SET grade = $1, override_reason = $2, confirmed_by = $3, confirmed_at = $4
			WHERE unit_id = $5 AND round_id = $6 AND target_id = $7`, grade, reason, u.ID, s.now(), unitID, roundID, targetID); err != nil {
			return fmt.Errorf("fiveappraisal: override: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "override", Entity: "five_round", EntityID: roundID,
			Before: map[string]any{"target_id": targetID, "proposed": list[i].Proposed, "grade": list[i].Grade},
			After:  map[string]any{"target_id": targetID, "grade": grade, "reason": reason}})
	})
}

// Plan keeps the follow-up plan for a member confirmed 基本合格 or 不合格.
func (s *Store) Plan(ctx context.Context, actor audit.Actor, u accounts.User, unitID, roundID, targetID int64, plan string) error {
	r, err := s.Get(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	if !r.Closed() {
		return locale.NewError("five.not_closed")
	}
	list, err := s.Results(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(list, func(x Result) bool { return x.ID == targetID })
	if i < 0 {
		return ErrNotFound
	}
	if !CanDecide(u, list[i].Target) {
		return ErrForbidden
	}
	if !list[i].NeedsPlan() {
		return locale.NewError("five.plan_not_needed")
	}
	var ps locale.Problems
	checkBody(&ps, &plan, true)
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE five_results SET followup_plan = $1 WHERE unit_id = $2 AND round_id = $3 AND target_id = $4`,
			plan, unitID, roundID, targetID); err != nil {
			return fmt.Errorf("fiveappraisal: plan: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "followup_plan", Entity: "five_round", EntityID: roundID,
			Before: map[string]any{"target_id": targetID, "plan": list[i].FollowupPlan}, After: map[string]any{"target_id": targetID, "plan": plan}})
	})
}

// Publish makes the results public once every grade is confirmed and every
// 基本合格 or 不合格 member has a follow-up plan.
func (s *Store) Publish(ctx context.Context, actor audit.Actor, unitID, roundID int64) error {
	if _, err := s.deciding(ctx, unitID, roundID); err != nil {
		return err
	}
	list, err := s.Results(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	unconfirmed, noPlan := 0, 0
	for _, x := range list {
		if !x.Confirmed {
			unconfirmed++
		}
		if x.NeedsPlan() && x.FollowupPlan == "" {
			noPlan++
		}
	}
	if unconfirmed > 0 {
		return locale.NewError("five.unconfirmed", unconfirmed)
	}
	if noPlan > 0 {
		return locale.NewError("five.plans_missing", noPlan)
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE five_rounds SET published_at = $1 WHERE unit_id = $2 AND id = $3 AND published_at IS NULL`,
			s.now(), unitID, roundID); err != nil {
			return fmt.Errorf("fiveappraisal: publish: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "publish", Entity: "five_round", EntityID: roundID,
			After: map[string]any{"people": len(list)}})
	})
}
