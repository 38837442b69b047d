package fiveappraisal

import (
	"context"
	"fmt"
	"slices"

	"wuliang/internal/accounts"
	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/notifications"
	"wuliang/internal/textnorm"
)

// Target is a person appraised in a round.
type Target struct {
	ID        int64  `json:"-"`
	StaffID   int64  `json:"staff_id"`
	Name      string `json:"name"`
	BranchID  int64  `json:"-"`
	Branch    string `json:"branch,omitempty"`
	PeerGroup string `json:"-"`
}

// Targets returns the round's people, by branch and name.
func (s *Store) Targets(ctx context.Context, unitID, roundID int64) ([]Target, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.id, t.staff_id, s.name, COALESCE(t.branch_id, 0), COALESCE(b.name, ''), t.peer_group
		FROM five_targets t JOIN staff s ON s.id = t.staff_id AND s.unit_id = t.unit_id
		LEFT JOIN branches b ON b.id = t.branch_id AND b.unit_id = t.unit_id
		WHERE t.unit_id = $1 AND t.round_id = $2 ORDER BY b.name, s.name, t.id`, unitID, roundID)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: targets: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (Target, error) {
		var t Target
		err := r.Scan(&t.ID, &t.StaffID, &t.Name, &t.BranchID, &t.Branch, &t.PeerGroup)
		return t, err
	})
}

// Tasks are what one user still has to give in a round.
type Tasks struct {
	Self   *Target  // their own self-appraisal, if they are appraised and have not written it
	Peers  []Target // members of their branch they have not graded yet
	Voted  int      // how many peers they have graded
	Branch []Target // as branch secretary, the members still to comment on
	Leader []Target // as a named leader, the people still to comment on
}

// Empty reports whether nothing is left to do.
func (t Tasks) Empty() bool {
	return t.Self == nil && len(t.Peers) == 0 && len(t.Branch) == 0 && len(t.Leader) == 0
}

// Secretary reports whether u speaks for target's branch: its secretary
// or a branch secretary account of it.
func secretaryOf(u accounts.User, t Target, secretaries map[int64]int64) bool {
	if t.BranchID == 0 {
		return false
	}
	return (u.Role == accounts.RoleBranchSecretary && u.BranchID == t.BranchID) || (u.StaffID != 0 && secretaries[t.BranchID] == u.StaffID)
}

func (s *Store) secretaries(ctx context.Context, unitID int64) (map[int64]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, COALESCE(secretary_id, 0) FROM branches WHERE unit_id = $1`, unitID)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: secretaries: %w", err)
	}
	pairs, err := database.Collect(rows, func(r database.Scanner) ([2]int64, error) {
		var p [2]int64
		return p, r.Scan(&p[0], &p[1])
	})
	m := map[int64]int64{}
	for _, p := range pairs {
		m[p[0]] = p[1]
	}
	return m, err
}

// authorKey is who gave a signed part, for the once-per-author rule: the
// person's staff id, or the account for a secretary without one.
func authorKey(u accounts.User) int64 {
	if u.StaffID != 0 {
		return u.StaffID
	}
	return -u.ID
}

// TasksOf works out what u has still to do in the round.
func (s *Store) TasksOf(ctx context.Context, unitID int64, r Round, u accounts.User) (Tasks, error) {
	var t Tasks
	targets, err := s.Targets(ctx, unitID, r.ID)
	if err != nil {
		return t, err
	}
	secs, err := s.secretaries(ctx, unitID)
	if err != nil {
		return t, err
	}
	done, err := s.given(ctx, unitID, r.ID, authorKey(u))
	if err != nil {
		return t, err
	}
	voted, err := s.votedFor(ctx, unitID, r.ID, u.StaffID)
	if err != nil {
		return t, err
	}
	i := slices.IndexFunc(targets, func(x Target) bool { return u.StaffID != 0 && x.StaffID == u.StaffID })
	leader := slices.ContainsFunc(r.Leaders, func(p Person) bool { return u.StaffID != 0 && p.ID == u.StaffID })
	for _, x := range targets {
		switch {
		case i >= 0 && x.ID == targets[i].ID:
			if !done[PartSelf+fmt.Sprint(x.ID)] {
				t.Self = &x
			}
		case i >= 0 && x.PeerGroup == targets[i].PeerGroup:
			if voted[x.ID] {
				t.Voted++
			} else {
				t.Peers = append(t.Peers, x)
			}
		}
		if secretaryOf(u, x, secs) && !done[PartBranch+fmt.Sprint(x.ID)] && x.StaffID != u.StaffID {
			t.Branch = append(t.Branch, x)
		}
		if leader && !done[PartLeader+fmt.Sprint(x.ID)] && x.StaffID != u.StaffID {
			t.Leader = append(t.Leader, x)
		}
	}
	return t, nil
}

// given lists the signed parts an author has given, as part+target id.
func (s *Store) given(ctx context.Context, unitID, roundID, author int64) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT part, target_id FROM five_entries WHERE unit_id = $1 AND round_id = $2 AND author_id = $3`, unitID, roundID, author)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: given: %w", err)
	}
	keys, err := database.Collect(rows, func(r database.Scanner) (string, error) {
		var part string
		var id int64
		err := r.Scan(&part, &id)
		return part + fmt.Sprint(id), err
	})
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m, err
}

func (s *Store) votedFor(ctx context.Context, unitID, roundID, voter int64) (map[int64]bool, error) {
	m := map[int64]bool{}
	if voter == 0 {
		return m, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT target_id FROM five_peer_voters WHERE unit_id = $1 AND round_id = $2 AND voter_id = $3`, unitID, roundID, voter)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: voted: %w", err)
	}
	ids, err := database.Collect(rows, func(r database.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	for _, id := range ids {
		m[id] = true
	}
	return m, err
}

// open loads a round that takes appraisals now.
func (s *Store) open(ctx context.Context, unitID, roundID int64) (Round, error) {
	r, err := s.Get(ctx, unitID, roundID)
	if err != nil {
		return r, err
	}
	switch r.State(s.now()) {
	case StateOpen:
		return r, nil
	case StatePending:
		return r, locale.NewError("five.not_yet_open").Of(failure.Conflict)
	}
	return r, locale.NewError("five.closed").Of(failure.Conflict)
}

// Signed is a self-appraisal, or a branch or leader comment, with a grade.
type Signed struct {
	Part     string
	TargetID int64
	Grade    int
	Body     string
}

// Give stores a signed part once. Who may give it: the person themself
// for 自评, their branch's secretary for 支部讲评, a leader the round names
// for 领导点评.
func (s *Store) Give(ctx context.Context, actor audit.Actor, u accounts.User, unitID, roundID int64, in Signed) error {
	r, err := s.open(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	var ps locale.Problems
	if !slices.Contains(Grades, in.Grade) {
		ps.Add("grade", "five.grade_invalid")
	}
	checkBody(&ps, &in.Body, true)
	if len(ps) > 0 {
		return ps
	}
	tasks, err := s.TasksOf(ctx, unitID, r, u)
	if err != nil {
		return err
	}
	var pending []Target
	switch in.Part {
	case PartSelf:
		if tasks.Self != nil {
			pending = []Target{*tasks.Self}
		}
	case PartBranch:
		pending = tasks.Branch
	case PartLeader:
		pending = tasks.Leader
	default:
		return ErrForbidden
	}
	if !slices.ContainsFunc(pending, func(t Target) bool { return t.ID == in.TargetID }) {
		return s.refusal(ctx, unitID, r, u, in.Part, in.TargetID)
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if err := stillOpen(ctx, tx, unitID, roundID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO five_entries (unit_id, round_id, target_id, part, author_id, grade, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, unitID, roundID, in.TargetID, in.Part, authorKey(u), in.Grade, in.Body, s.now()).Scan(&id)
		if database.IsUniqueViolation(err) {
			return locale.NewError("five.already_given").Of(failure.Conflict)
		}
		if err != nil {
			return fmt.Errorf("fiveappraisal: give: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "give_" + in.Part, Entity: "five_round", EntityID: roundID,
			After: map[string]any{"entry_id": id, "target_id": in.TargetID, "grade": GradeKeys[in.Grade], "body": in.Body}})
	})
}

// refusal says why u cannot give a part for a target: already given, or
// not theirs to give.
func (s *Store) refusal(ctx context.Context, unitID int64, r Round, u accounts.User, part string, targetID int64) error {
	done, err := s.given(ctx, unitID, r.ID, authorKey(u))
	if err != nil {
		return err
	}
	if done[part+fmt.Sprint(targetID)] {
		return locale.NewError("five.already_given").Of(failure.Conflict)
	}
	return ErrForbidden
}

// Vote records one member's peer grades: each peer of their branch once,
// never themself. Only the counts per grade change; the record that the
// voter graded a peer carries no grade. All of a ballot is kept, or none.
func (s *Store) Vote(ctx context.Context, actor audit.Actor, u accounts.User, unitID, roundID int64, grades map[int64]int) error {
	r, err := s.open(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	targets, err := s.Targets(ctx, unitID, r.ID)
	if err != nil {
		return err
	}
	me := slices.IndexFunc(targets, func(x Target) bool { return u.StaffID != 0 && x.StaffID == u.StaffID })
	if me < 0 {
		return locale.NewError("five.peer_only_members")
	}
	var ps locale.Problems
	var ids []int64
	for id, g := range grades {
		i := slices.IndexFunc(targets, func(x Target) bool { return x.ID == id })
		switch {
		case i == me:
			ps.Add("", "five.peer_self")
		case i < 0 || targets[i].PeerGroup != targets[me].PeerGroup:
			ps.Add("", "five.peer_other_branch")
		case !slices.Contains(Grades, g):
			ps.Add(fmt.Sprintf("peer_%d", id), "five.grade_invalid")
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		ps.Add("", "five.peer_empty")
	}
	if len(ps) > 0 {
		return ps
	}
	slices.Sort(ids) // the same order whoever votes, so nothing depends on the voter
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		if err := stillOpen(ctx, tx, unitID, roundID); err != nil {
			return err
		}
		for _, id := range ids {
			_, err := tx.ExecContext(ctx, `INSERT INTO five_peer_voters (unit_id, round_id, voter_id, target_id) VALUES ($1, $2, $3, $4)`,
				unitID, roundID, u.StaffID, id)
			if database.IsUniqueViolation(err) {
				return locale.NewError("five.peer_twice").Of(failure.Conflict)
			}
			if err != nil {
				return fmt.Errorf("fiveappraisal: voter: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE five_peer_tallies SET votes = votes + 1 WHERE unit_id = $1 AND round_id = $2 AND target_id = $3 AND grade = $4`,
				unitID, roundID, id, grades[id]); err != nil {
				return fmt.Errorf("fiveappraisal: tally: %w", err)
			}
		}
		// The trail says that the member voted and for how many, never how.
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "peer_vote", Entity: "five_round", EntityID: roundID,
			After: map[string]any{"voter_staff_id": u.StaffID, "peers": len(ids)}})
	})
}

// PublicScore is a 群众测评 score the office enters, with its source, for
// a person: a paper survey, say. It replaces the score counted from
// public ratings and appraisal questionnaires.
func (s *Store) PublicScore(ctx context.Context, actor audit.Actor, unitID, roundID, targetID int64, score int, source string) error {
	r, err := s.Get(ctx, unitID, roundID)
	if err != nil {
		return err
	}
	if r.Closed() {
		return locale.NewError("five.closed").Of(failure.Conflict)
	}
	var ps locale.Problems
	if score < 0 || score > 100 {
		ps.Add("score", "five.score_range")
	}
	source = textnorm.CleanText(source)
	textnorm.CheckLength(&ps, "source", "five.field_source", source, MaxSource, true)
	if len(ps) > 0 {
		return ps
	}
	return s.db.Tx(ctx, func(tx *database.Tx) error {
		var one int
		if tx.QueryRowContext(ctx, `SELECT 1 FROM five_targets WHERE unit_id = $1 AND round_id = $2 AND id = $3`, unitID, roundID, targetID).Scan(&one) != nil {
			return ErrNotFound
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO five_entries (unit_id, round_id, target_id, part, author_id, score, source, created_at)
			VALUES ($1, $2, $3, 'public', 0, $4, $5, $6)`, unitID, roundID, targetID, score, source, s.now())
		if database.IsUniqueViolation(err) {
			return locale.NewError("five.already_given").Of(failure.Conflict)
		}
		if err != nil {
			return fmt.Errorf("fiveappraisal: public score: %w", err)
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "give_public", Entity: "five_round", EntityID: roundID,
			After: map[string]any{"target_id": targetID, "score": score, "source": source}})
	})
}

// Comment is a signed part as the office and the person see it.
type Comment struct {
	Part   string `json:"part"`
	Author string `json:"author"`
	Grade  int    `json:"grade"`
	Body   string `json:"body"`
	Score  *int   `json:"score,omitempty"`
	Source string `json:"source,omitempty"`
}

// Comments returns the signed parts about one person in the round.
func (s *Store) Comments(ctx context.Context, unitID, roundID, targetID int64) ([]Comment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.part, COALESCE(s.name, ''), e.grade, e.body, e.score, e.source
		FROM five_entries e LEFT JOIN staff s ON s.id = e.author_id AND s.unit_id = e.unit_id
		WHERE e.unit_id = $1 AND e.round_id = $2 AND e.target_id = $3 ORDER BY e.id`, unitID, roundID, targetID)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: comments: %w", err)
	}
	list, err := database.Collect(rows, func(r database.Scanner) (Comment, error) {
		var c Comment
		err := r.Scan(&c.Part, &c.Author, &c.Grade, &c.Body, &c.Score, &c.Source)
		return c, err
	})
	slices.SortStableFunc(list, func(a, b Comment) int { return slices.Index(Parts, a.Part) - slices.Index(Parts, b.Part) })
	return list, err
}

// Progress is, per person, what they and about them is still missing.
type Progress struct {
	Target
	SelfDone   bool
	PeersVoted int // peers this person has graded
	Peers      int // peers this person can grade
	BranchDone bool
	Leaders    int // leader comments about this person
}

// Missing names what this person has not yet submitted, for reminders.
func (p Progress) Missing() []string {
	var out []string
	if !p.SelfDone {
		out = append(out, PartSelf)
	}
	if p.PeersVoted < p.Peers {
		out = append(out, PartPeer)
	}
	return out
}

// Progress is the round's progress: who has done their own self and peer
// parts, and which branch and leader comments are in. It never shows
// votes received.
func (s *Store) Progress(ctx context.Context, unitID, roundID int64) ([]Progress, error) {
	targets, err := s.Targets(ctx, unitID, roundID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT target_id, part, COUNT(*) FROM five_entries WHERE unit_id = $1 AND round_id = $2 GROUP BY target_id, part`, unitID, roundID)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: progress: %w", err)
	}
	type count struct {
		target int64
		part   string
		n      int
	}
	counts, err := database.Collect(rows, func(r database.Scanner) (count, error) {
		var c count
		return c, r.Scan(&c.target, &c.part, &c.n)
	})
	if err != nil {
		return nil, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT voter_id, COUNT(*) FROM five_peer_voters WHERE unit_id = $1 AND round_id = $2 GROUP BY voter_id`, unitID, roundID)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: progress: %w", err)
	}
	votes, err := database.Collect(rows, func(r database.Scanner) ([2]int64, error) {
		var v [2]int64
		return v, r.Scan(&v[0], &v[1])
	})
	if err != nil {
		return nil, err
	}
	groups := map[string]int{}
	for _, t := range targets {
		groups[t.PeerGroup]++
	}
	out := make([]Progress, len(targets))
	for i, t := range targets {
		p := Progress{Target: t, Peers: groups[t.PeerGroup] - 1}
		for _, c := range counts {
			if c.target != t.ID {
				continue
			}
			switch c.part {
			case PartSelf:
				p.SelfDone = true
			case PartBranch:
				p.BranchDone = true
			case PartLeader:
				p.Leaders = c.n
			}
		}
		for _, v := range votes {
			if v[0] == t.StaffID {
				p.PeersVoted = int(v[1])
			}
		}
		out[i] = p
	}
	return out, nil
}

// Remind leaves a message for everyone with a part still to give: people
// without their self-appraisal or peer grades, secretaries and leaders
// with comments to write. It returns how many were reminded.
func (s *Store) Remind(ctx context.Context, actor audit.Actor, unitID, roundID int64) (int, error) {
	r, err := s.open(ctx, unitID, roundID)
	if err != nil {
		return 0, err
	}
	users, err := s.activeUsers(ctx, unitID)
	if err != nil {
		return 0, err
	}
	var to []int64
	for _, u := range users {
		t, err := s.TasksOf(ctx, unitID, r, u)
		if err != nil {
			return 0, err
		}
		if !t.Empty() {
			to = append(to, u.ID)
		}
	}
	if len(to) == 0 {
		return 0, nil
	}
	err = s.db.Tx(ctx, func(tx *database.Tx) error {
		body := locale.NewPrinter(locale.Default).Get("five.reminder", r.Title)
		if err := notifications.Send(ctx, tx, unitID, to, body, fmt.Sprintf("/five-appraisals/%d", roundID)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, actor, audit.Entry{UnitID: unitID, Action: "remind", Entity: "five_round", EntityID: roundID,
			After: map[string]any{"users": len(to)}})
	})
	return len(to), err
}

func (s *Store) activeUsers(ctx context.Context, unitID int64) ([]accounts.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, role, COALESCE(staff_id, 0), COALESCE(branch_id, 0) FROM users WHERE unit_id = $1 AND active = TRUE AND role <> $2`,
		unitID, accounts.RoleSupervisor)
	if err != nil {
		return nil, fmt.Errorf("fiveappraisal: users: %w", err)
	}
	return database.Collect(rows, func(r database.Scanner) (accounts.User, error) {
		u := accounts.User{UnitID: unitID}
		err := r.Scan(&u.ID, &u.Role, &u.StaffID, &u.BranchID)
		return u, err
	})
}
