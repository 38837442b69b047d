package honours

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/calendar"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/textnorm"
)

// Stages of a selection, in order. Voting is skipped when the kind's
// selection has no vote.
const (
	StageNominating = "nominating"
	StageVoting     = "voting"
	StagePublicity  = "publicity" // 公示期
	StageConfirmed  = "confirmed"
)

// Who votes.
const (
	VoteNone         = "none"
	VoteLeadingGroup = "leading_group" // the campaign's leading group
	VoteWindowLeads  = "window_leads"  // 窗口负责人
	VotePublic       = "public"        // the public on the portal, one vote per phone per day
)

// Votes lists the ways a selection may vote.
var Votes = []string{VoteNone, VoteLeadingGroup, VoteWindowLeads, VotePublic}

// Where a candidate came from.
const (
	SourceRule      = "rule"      // the kind's rule, from the frozen scores
	SourceBranch    = "branch"    // a party branch
	SourceWindow    = "window"    // a window (its lead)
	SourceOffice    = "office"    // the campaign office
	SourceColleague = "colleague" // a colleague, for a kind chosen by nomination
	SourcePublic    = "public"    // the public, for a kind chosen by nomination
)

// Limits of what people write.
const (
	MaxReasonLen     = 500
	MaxPublicityDays = 30
	DefaultPublicity = 5 // working days
)

// Selection is one kind's selection for one period.
type Selection struct {
	ID             int64      `json:"id"`
	Kind           Kind       `json:"kind"`
	Period         string     `json:"period"`
	From           time.Time  `json:"from"`
	To             time.Time  `json:"to"`
	ScoreVersion   int        `json:"score_version"`
	Stage          string     `json:"stage"`
	Vote           string     `json:"vote"`
	MinVoters      int        `json:"min_voters"`
	VoteUntil      *time.Time `json:"vote_until,omitempty"`
	PublicityDays  int        `json:"publicity_days"`
	PublicityFrom  string     `json:"publicity_from,omitempty"`
	PublicityUntil string     `json:"publicity_until,omitempty"`
	Proposal       string     `json:"proposal,omitempty"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	ProposedAt     *time.Time `json:"proposed_at,omitempty"`
	ConfirmedAt    *time.Time `json:"confirmed_at,omitempty"`
}

// Subject is whether the selection chooses windows or people.
func (s Selection) Subject() string {
	if s.Kind.Subject == SubjectWindow {
		return SubjectWindow
	}
	return SubjectPerson
}

// InPublicity reports whether anyone may object today (a date in the
// unit's zone): from the proposal, published at once, to the 公示期's
// last working day.
func (s Selection) InPublicity(today string) bool {
	return s.Stage == StagePublicity && today <= s.PublicityUntil
}

// Nominee is one candidate of a selection.
type Nominee struct {
	ID          int64     `json:"id"`
	SubjectID   int64     `json:"subject_id"`
	Name        string    `json:"name"`
	Source      string    `json:"source"`
	Score       *float64  `json:"score,omitempty"`
	Place       int       `json:"place,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	NominatedBy string    `json:"nominated_by,omitempty"`
	Proposed    bool      `json:"proposed"`
	CreatedAt   time.Time `json:"created_at"`
}

// Refusals of the flow.
var (
	ErrStage          = locale.NewError("honours.stage_moved").Of(failure.Conflict)
	ErrOpenExists     = locale.NewError("honours.selection_exists").Of(failure.Conflict)
	ErrVoteClosed     = locale.NewError("honours.vote_closed").Of(failure.Conflict)
	ErrVoteOpen       = locale.NewError("honours.vote_still_open").Of(failure.Conflict)
	ErrVoted          = locale.NewError("honours.voted").Of(failure.Conflict)
	ErrNotVoter       = locale.NewError("honours.not_voter").Of(failure.Forbidden)
	ErrPublicity      = locale.NewError("honours.publicity_running").Of(failure.Conflict)
	ErrObjectionsOpen = locale.NewError("honours.objections_open").Of(failure.Conflict)
	ErrConfirmed      = locale.NewError("honours.confirmed_fixed").Of(failure.Conflict)
)

const selectionQuery = `SELECT s.id, s.period, s.period_from, s.period_to, s.score_version, s.stage, s.vote, s.min_voters, s.vote_until,
	s.publicity_days, s.publicity_from, s.publicity_until, s.proposal, s.created_by, s.created_at, s.proposed_at, s.confirmed_at,
	k.id, k.code, k.name, k.subject, k.places, k.shortlist, k.period_kind, k.indicator, k.moves, k.nominated, k.active
	FROM honour_selections s JOIN honour_kinds k ON k.id = s.kind_id AND k.unit_id = s.unit_id`

func scanSelection(r database.Scanner) (Selection, error) {
	var s Selection
	var until, proposed, confirmed sql.NullTime
	k := &s.Kind
	err := r.Scan(&s.ID, &s.Period, &s.From, &s.To, &s.ScoreVersion, &s.Stage, &s.Vote, &s.MinVoters, &until,
		&s.PublicityDays, &s.PublicityFrom, &s.PublicityUntil, &s.Proposal, &s.CreatedBy, &s.CreatedAt, &proposed, &confirmed,
		&k.ID, &k.Code, &k.Name, &k.Subject, &k.Places, &k.Shortlist, &k.PeriodKind, &k.Indicator, &k.Moves, &k.Nominated, &k.Active)
	s.VoteUntil, s.ProposedAt, s.ConfirmedAt = timeOf(until), timeOf(proposed), timeOf(confirmed)
	return s, err
}

func timeOf(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

const nomineeQuery = `SELECT id, subject_id, name, source, score, place, reason, nominated_by, proposed, created_at FROM honour_candidates`

func scanNominee(r database.Scanner) (Nominee, error) {
	var n Nominee
	var score sql.NullFloat64
	err := r.Scan(&n.ID, &n.SubjectID, &n.Name, &n.Source, &score, &n.Place, &n.Reason, &n.NominatedBy, &n.Proposed, &n.CreatedAt)
	if score.Valid {
		n.Score = &score.Float64
	}
	return n, err
}

// Selection returns one selection of the unit.
func (s *Store) Selection(ctx context.Context, unitID, id int64) (Selection, error) {
	return s.selection(ctx, s.db, unitID, id)
}

func (s *Store) selection(ctx context.Context, q database.Querier, unitID, id int64) (Selection, error) {
	sel, err := scanSelection(q.QueryRowContext(ctx, selectionQuery+` WHERE s.unit_id = $1 AND s.id = $2`, unitID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sel, ErrNotFound
	}
	if err != nil {
		return sel, fmt.Errorf("honours: selection %d: %w", id, err)
	}
	return sel, nil
}

// Selections lists the unit's selections, newest period first; stage
// narrows them when not empty.
func (s *Store) Selections(ctx context.Context, unitID int64, stage string) ([]Selection, error) {
	w := database.NewWhere(` WHERE s.unit_id = ?`, unitID)
	if stage != "" {
		w.Add(` AND s.stage = ?`, stage)
	}
	rows, err := s.db.QueryContext(ctx, selectionQuery+w.SQL()+` ORDER BY s.period_to DESC, k.id, s.id`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("honours: selections: %w", err)
	}
	return database.Collect(rows, scanSelection)
}

// Nominees lists a selection's candidates: the rule's in place order, then
// the others in the order they came.
func (s *Store) Nominees(ctx context.Context, unitID, selectionID int64) ([]Nominee, error) {
	return s.nominees(ctx, s.db, unitID, selectionID)
}

func (s *Store) nominees(ctx context.Context, q database.Querier, unitID, selectionID int64) ([]Nominee, error) {
	rows, err := q.QueryContext(ctx, nomineeQuery+` WHERE unit_id = $1 AND selection_id = $2
		ORDER BY CASE WHEN place > 0 THEN place ELSE 100000 END, id`, unitID, selectionID)
	if err != nil {
		return nil, fmt.Errorf("honours: nominees: %w", err)
	}
	return database.Collect(rows, scanNominee)
}

// Plan is how the office runs a selection.
type Plan struct {
	Vote          string
	MinVoters     int
	PublicityDays int
}

func (p Plan) check() locale.Problems {
	var ps locale.Problems
	if !slices.Contains(Votes, p.Vote) {
		ps.Add("vote", "honours.vote_invalid")
	}
	if p.MinVoters < 0 || p.MinVoters > 100000 {
		ps.Add("min_voters", "honours.min_voters_invalid")
	}
	if p.PublicityDays < 1 || p.PublicityDays > MaxPublicityDays {
		ps.Add("publicity_days", "honours.publicity_days_invalid", MaxPublicityDays)
	}
	return ps
}

// Open starts a kind's selection for a published period: the rule's
// shortlist becomes its first candidates.
func (s *Store) Open(ctx context.Context, actor audit.Actor, unitID, kindID int64, code string, p Plan) (Selection, error) {
	if ps := p.check(); len(ps) > 0 {
		return Selection{}, ps
	}
	sl, f, err := s.shortlist(ctx, unitID, kindID, code)
	if err != nil {
		return Selection{}, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO honour_selections (unit_id, kind_id, period, period_from, period_to, score_version, stage,
			vote, min_voters, publicity_days, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (unit_id, kind_id, period) DO NOTHING RETURNING id`,
			unitID, kindID, sl.Period, f.Scores.Period.From.UTC(), f.Scores.Period.To.UTC(), sl.Version, StageNominating,
			p.Vote, p.MinVoters, p.PublicityDays, actor.Name, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrOpenExists
		}
		if err != nil {
			return fmt.Errorf("honours: open selection: %w", err)
		}
		for _, c := range sl.Listed() {
			_, err := tx.ExecContext(ctx, `INSERT INTO honour_candidates (unit_id, selection_id, subject_id, name, source, score, place, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, unitID, id, c.Subject.ID, c.Subject.Name, SourceRule, c.Score, c.Place, now)
			if err != nil {
				return fmt.Errorf("honours: shortlist candidate: %w", err)
			}
		}
		return s.audited(ctx, tx, actor, unitID, id, "create", nil)
	})
	if err != nil {
		return Selection{}, err
	}
	return s.Selection(ctx, unitID, id)
}

// audited appends a selection's after-image with its candidates.
func (s *Store) audited(ctx context.Context, tx *database.Tx, actor audit.Actor, unitID, id int64, action string, before any) error {
	sel, err := s.selection(ctx, tx, unitID, id)
	if err != nil {
		return err
	}
	nominees, err := s.nominees(ctx, tx, unitID, id)
	if err != nil {
		return err
	}
	after := map[string]any{"selection": sel, "candidates": nominees}
	return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: action, Entity: "honour_selection", EntityID: id, Before: before, After: after})
}

// Drawn is the shortlist a selection was drawn from, with everyone the
// rule left out and why.
func (s *Store) Drawn(ctx context.Context, unitID int64, sel Selection) (Shortlist, error) {
	staff, err := s.staff(ctx, unitID)
	if err != nil {
		return Shortlist{}, err
	}
	return s.drawn(ctx, unitID, sel, staff)
}

func (s *Store) drawn(ctx context.Context, unitID int64, sel Selection, staff map[int64]org.Staff) (Shortlist, error) {
	f, err := s.scores.FrozenVersion(ctx, unitID, sel.Period, sel.ScoreVersion)
	if err != nil {
		return Shortlist{}, fmt.Errorf("honours: frozen %s v%d: %w", sel.Period, sel.ScoreVersion, err)
	}
	return Draw(sel.Kind, f, staff)
}

// Nominator is who puts a candidate forward, and so what they may
// nominate: a branch its own members, a window its own people (or
// itself), the office anyone.
type Nominator struct {
	Source       string
	Name         string
	BranchID     int64
	DepartmentID int64
}

// Nomination is a candidate put forward with a written reason.
type Nomination struct {
	SubjectID int64
	Reason    string
}

// Nominate puts a candidate forward, or gives a rule candidate its
// reason. It refuses anyone the kind may not choose, anyone who left,
// anyone of another unit or outside the nominator's branch or window, and
// anyone the frozen scores vetoed.
func (s *Store) Nominate(ctx context.Context, actor audit.Actor, unitID, selectionID int64, by Nominator, n Nomination) error {
	n.Reason = textnorm.CleanMultiline(n.Reason)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "reason", "honours.reason", n.Reason, MaxReasonLen, true)
	if len(ps) > 0 {
		return ps
	}
	sel, err := s.Selection(ctx, unitID, selectionID)
	if err != nil {
		return err
	}
	if err := stageIs(sel, StageNominating); err != nil {
		return err
	}
	name, err := s.nominable(ctx, unitID, sel, by, n.SubjectID)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		cur, err := s.selection(ctx, tx, unitID, selectionID)
		if err != nil {
			return err
		}
		if err := stageIs(cur, StageNominating); err != nil {
			return err
		}
		var existing Nominee
		existing, err = scanNominee(tx.QueryRowContext(ctx, nomineeQuery+` WHERE unit_id = $1 AND selection_id = $2 AND subject_id = $3`,
			unitID, selectionID, n.SubjectID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO honour_candidates (unit_id, selection_id, subject_id, name, source, reason, nominated_by, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, unitID, selectionID, n.SubjectID, name, by.Source, n.Reason, by.Name, s.now())
		case err != nil:
			return fmt.Errorf("honours: candidate: %w", err)
		case existing.Reason != "":
			return locale.FieldProblem("subject", "honours.already_nominated", name)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE honour_candidates SET reason = $1, nominated_by = $2 WHERE unit_id = $3 AND id = $4`,
				n.Reason, by.Name, unitID, existing.ID)
		}
		if err != nil {
			if database.IsUniqueViolation(err) {
				return locale.FieldProblem("subject", "honours.already_nominated", name)
			}
			return fmt.Errorf("honours: nominate: %w", err)
		}
		return s.audited(ctx, tx, actor, unitID, selectionID, "nominate", map[string]any{"subject_id": n.SubjectID, "source": by.Source})
	})
}

func stageIs(sel Selection, stages ...string) error {
	if sel.Stage == StageConfirmed {
		return ErrConfirmed
	}
	if !slices.Contains(stages, sel.Stage) {
		return ErrStage
	}
	return nil
}

// nominable checks a nominee and returns their name.
func (s *Store) nominable(ctx context.Context, unitID int64, sel Selection, by Nominator, id int64) (string, error) {
	unknown := locale.FieldProblem("subject", "honours.nominee_unknown")
	staff, err := s.staff(ctx, unitID)
	if err != nil {
		return "", err
	}
	var name string
	if sel.Subject() == SubjectWindow {
		deps, err := s.people.Departments(ctx, unitID)
		if err != nil {
			return "", fmt.Errorf("honours: windows: %w", err)
		}
		i := slices.IndexFunc(deps, func(d org.Department) bool { return d.ID == id && d.Active })
		if i < 0 {
			return "", unknown
		}
		if by.Source == SourceWindow && by.DepartmentID != id || by.Source == SourceBranch {
			return "", locale.FieldProblem("subject", "honours.nominee_not_yours")
		}
		name = deps[i].Name
	} else {
		p, ok := staff[id]
		if !ok || !p.Active {
			return "", unknown
		}
		if !Eligible(sel.Kind.Subject, p) {
			return "", locale.FieldProblem("subject", "honours.nominee_ineligible."+sel.Kind.Subject, p.Name)
		}
		if by.Source == SourceBranch && p.BranchID != by.BranchID || by.Source == SourceWindow && p.DepartmentID != by.DepartmentID {
			return "", locale.FieldProblem("subject", "honours.nominee_not_yours")
		}
		name = p.Name
	}
	drawn, err := s.drawn(ctx, unitID, sel, staff)
	if err != nil {
		return "", err
	}
	for _, c := range drawn.Candidates {
		if c.Subject.ID == id && c.Excluded == "honours.excluded.veto" {
			return "", locale.FieldProblem("subject", "honours.nominee_vetoed", name)
		}
	}
	return name, nil
}

// StartVote closes nominations and opens the vote until a moment.
func (s *Store) StartVote(ctx context.Context, actor audit.Actor, unitID, selectionID int64, until time.Time) error {
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		sel, err := s.selection(ctx, tx, unitID, selectionID)
		if err != nil {
			return err
		}
		if err := stageIs(sel, StageNominating); err != nil {
			return err
		}
		if sel.Vote == VoteNone {
			return locale.FieldProblem("vote", "honours.no_vote")
		}
		if !until.After(s.now()) || until.After(s.now().AddDate(0, 1, 0)) {
			return locale.FieldProblem("until", "honours.vote_until_invalid")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE honour_selections SET stage = $1, vote_until = $2 WHERE unit_id = $3 AND id = $4`,
			StageVoting, until.UTC(), unitID, selectionID); err != nil {
			return fmt.Errorf("honours: start vote: %w", err)
		}
		return s.audited(ctx, tx, actor, unitID, selectionID, "start_vote", sel)
	})
}

// Vote casts a voter's one ballot: up to the kind's places, each a
// candidate of the selection. A second ballot of the same voter, however
// close in time, is refused and never counted.
func (s *Store) Vote(ctx context.Context, actor audit.Actor, unitID, selectionID int64, voter string, choices []int64) error {
	sel, err := s.Selection(ctx, unitID, selectionID)
	if err != nil {
		return err
	}
	if sel.Stage != StageVoting {
		return ErrVoteClosed
	}
	if sel.VoteUntil == nil || !s.now().Before(*sel.VoteUntil) {
		return ErrVoteClosed
	}
	slices.Sort(choices)
	choices = slices.Compact(choices)
	if len(choices) == 0 || len(choices) > sel.Kind.Places {
		return locale.FieldProblem("choice", "honours.choices_count", sel.Kind.Places)
	}
	nominees, err := s.Nominees(ctx, unitID, selectionID)
	if err != nil {
		return err
	}
	ids := make([]string, len(choices))
	for i, c := range choices {
		if !slices.ContainsFunc(nominees, func(n Nominee) bool { return n.ID == c }) {
			return locale.FieldProblem("choice", "honours.choice_unknown")
		}
		ids[i] = strconv.FormatInt(c, 10)
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO honour_ballots (unit_id, selection_id, voter, choices, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (selection_id, voter) DO NOTHING RETURNING id`, unitID, selectionID, voter, strings.Join(ids, ","), s.now()).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrVoted
		}
		if err != nil {
			return fmt.Errorf("honours: ballot: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "create", Entity: "honour_ballot", EntityID: id,
			After: map[string]any{"selection_id": selectionID, "voter": voter, "choices": choices}})
	})
}

// Voted reports whether a voter has cast their ballot.
func (s *Store) Voted(ctx context.Context, unitID, selectionID int64, voter string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM honour_ballots WHERE unit_id = $1 AND selection_id = $2 AND voter = $3`,
		unitID, selectionID, voter).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("honours: voted: %w", err)
	}
	return n > 0, nil
}

// Tally is a vote's count.
type Tally struct {
	Voters int           `json:"voters"`
	Shown  bool          `json:"shown"` // enough voters for the result to show
	Votes  map[int64]int `json:"votes,omitempty"`
	Order  []int64       `json:"order,omitempty"` // candidates, most votes first
}

// Tally counts a selection's ballots. Below the selection's minimum of
// voters only the number of voters shows.
func (s *Store) Tally(ctx context.Context, unitID int64, sel Selection) (Tally, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT choices FROM honour_ballots WHERE unit_id = $1 AND selection_id = $2`, unitID, sel.ID)
	if err != nil {
		return Tally{}, fmt.Errorf("honours: tally: %w", err)
	}
	list, err := database.Collect(rows, func(r database.Scanner) (string, error) {
		var c string
		return c, r.Scan(&c)
	})
	if err != nil {
		return Tally{}, err
	}
	t := Tally{Voters: len(list), Shown: len(list) >= max(sel.MinVoters, 1)}
	if !t.Shown {
		return t, nil
	}
	t.Votes = map[int64]int{}
	for _, c := range list {
		for _, v := range strings.Split(c, ",") {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				t.Votes[id]++
			}
		}
	}
	for id := range t.Votes {
		t.Order = append(t.Order, id)
	}
	slices.SortFunc(t.Order, func(a, b int64) int { return cmp.Or(cmp.Compare(t.Votes[b], t.Votes[a]), cmp.Compare(a, b)) })
	return t, nil
}

// Propose is the office's proposal: who gets the honour, and why. It
// opens the 公示期, counted in the unit's working days from the first
// working day on or after today.
func (s *Store) Propose(ctx context.Context, actor audit.Actor, unitID, selectionID int64, chosen []int64, note string, cal *calendar.Calendar, loc *time.Location) error {
	note = textnorm.CleanMultiline(note)
	var ps locale.Problems
	textnorm.CheckLength(&ps, "proposal", "honours.proposal", note, MaxReasonLen, false)
	if len(ps) > 0 {
		return ps
	}
	slices.Sort(chosen)
	chosen = slices.Compact(chosen)
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		sel, err := s.selection(ctx, tx, unitID, selectionID)
		if err != nil {
			return err
		}
		if err := stageIs(sel, StageNominating, StageVoting); err != nil {
			return err
		}
		now := s.now()
		if sel.Stage == StageVoting && now.Before(*sel.VoteUntil) {
			return ErrVoteOpen
		}
		if sel.Stage == StageNominating && sel.Vote != VoteNone {
			return locale.FieldProblem("chosen", "honours.vote_first")
		}
		if len(chosen) == 0 || len(chosen) > sel.Kind.Places {
			return locale.FieldProblem("chosen", "honours.choices_count", sel.Kind.Places)
		}
		nominees, err := s.nominees(ctx, tx, unitID, selectionID)
		if err != nil {
			return err
		}
		for _, c := range chosen {
			if !slices.ContainsFunc(nominees, func(n Nominee) bool { return n.ID == c }) {
				return locale.FieldProblem("chosen", "honours.choice_unknown")
			}
			if _, err := tx.ExecContext(ctx, `UPDATE honour_candidates SET proposed = TRUE WHERE unit_id = $1 AND id = $2`, unitID, c); err != nil {
				return fmt.Errorf("honours: propose: %w", err)
			}
		}
		from := cal.NextWorkday(now.In(loc))
		until := cal.AddWorkdays(from, sel.PublicityDays-1)
		_, err = tx.ExecContext(ctx, `UPDATE honour_selections SET stage = $1, proposal = $2, proposed_at = $3, publicity_from = $4, publicity_until = $5
			WHERE unit_id = $6 AND id = $7`, StagePublicity, note, now, from.Format(time.DateOnly), until.Format(time.DateOnly), unitID, selectionID)
		if err != nil {
			return fmt.Errorf("honours: publicity: %w", err)
		}
		return s.audited(ctx, tx, actor, unitID, selectionID, "propose", sel)
	})
}

// Objections is what confirmation reads of the suggestion box.
type Objections interface {
	Unanswered(ctx context.Context, unitID, selectionID int64) (int, error)
}

// Confirm confirms the proposal once the 公示期 is over and every
// objection is answered: each proposed candidate gets the honour with a
// certificate number.
func (s *Store) Confirm(ctx context.Context, actor audit.Actor, unitID, selectionID int64, objections Objections, loc *time.Location) error {
	open, err := objections.Unanswered(ctx, unitID, selectionID)
	if err != nil {
		return err
	}
	if open > 0 {
		return ErrObjectionsOpen
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		sel, err := s.selection(ctx, tx, unitID, selectionID)
		if err != nil {
			return err
		}
		if err := stageIs(sel, StagePublicity); err != nil {
			return err
		}
		now := s.now()
		if today := now.In(loc).Format(time.DateOnly); today <= sel.PublicityUntil {
			return locale.NewError("honours.publicity_running", sel.PublicityUntil).Of(failure.Conflict)
		}
		nominees, err := s.nominees(ctx, tx, unitID, selectionID)
		if err != nil {
			return err
		}
		for _, n := range nominees {
			if !n.Proposed {
				continue
			}
			seq, err := database.Next(ctx, tx, unitID, "honour_certificate")
			if err != nil {
				return err
			}
			no := fmt.Sprintf("%d-%04d", sel.To.In(loc).AddDate(0, 0, -1).Year(), seq)
			_, err = tx.ExecContext(ctx, `INSERT INTO honours (unit_id, kind_id, selection_id, subject, subject_id, name, period, period_from, period_to,
				certificate_no, confirmed_by, confirmed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				unitID, sel.Kind.ID, sel.ID, sel.Subject(), n.SubjectID, n.Name, sel.Period, sel.From, sel.To, no, actor.Name, now)
			if err != nil {
				return fmt.Errorf("honours: confirm %s: %w", n.Name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE honour_selections SET stage = $1, confirmed_at = $2 WHERE unit_id = $3 AND id = $4`,
			StageConfirmed, now, unitID, selectionID); err != nil {
			return fmt.Errorf("honours: confirm: %w", err)
		}
		return s.audited(ctx, tx, actor, unitID, selectionID, "confirm", sel)
	})
}
