package appraisal

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"wuliang/internal/database"
	"wuliang/internal/locale"
)

// Score sums the answers to level and score questions. Each answer is
// brought to 100 points: a level v is v×20 (非常满意 100 … 非常不满意 20), a
// score v of max is v×100÷max. Only answers given count: an invitation
// not answered, a box left empty and 不了解 are in no sum.
type Score struct {
	N      int     `json:"answers"`
	Points float64 `json:"-"`
	Levels int     `json:"-"` // answers to level questions
	Good   int     `json:"-"` // of those, 满意 or 非常满意
}

func (s *Score) add(kind string, v, max int) {
	s.N++
	if kind == KindLevel {
		s.Points += float64(v * 20)
		s.Levels++
		if v >= 4 {
			s.Good++
		}
		return
	}
	s.Points += float64(v) * 100 / float64(max)
}

// Mean is the average in points, "—" without answers.
func (s Score) Mean() string {
	return locale.Mean(s.Points, s.N)
}

// GoodRate is 满意率 = 满意 and 非常满意 ÷ answers to level questions.
func (s Score) GoodRate() string {
	return locale.Percent(s.Good, s.Levels)
}

func (s Score) mean() float64 {
	if s.N == 0 {
		return -1
	}
	return s.Points / float64(s.N)
}

// Response is how many of a group's invitations were answered.
type Response struct {
	Group    string `json:"group"`
	Issued   int    `json:"issued"`
	Answered int    `json:"answered"`
}

// Rate is the response rate, answered ÷ issued.
func (r Response) Rate() string {
	return locale.Percent(r.Answered, r.Issued)
}

// Comment is one open answer.
type Comment struct {
	Group    string `json:"group"`
	Question string `json:"question"`
	Text     string `json:"text"`
}

// TargetResult is one target's results, overall, per question (in the
// round's order) and per group (in Groups' order).
type TargetResult struct {
	Target
	Rank       int       `json:"rank"`
	Overall    Score     `json:"overall"`
	ByQuestion []Score   `json:"by_question"`
	ByGroup    []Score   `json:"by_group"`
	Comments   []Comment `json:"comments,omitempty"`
}

// Results are a round's results: targets ranked by their overall mean.
type Results struct {
	Round     Round          `json:"round"`
	Responses []Response     `json:"responses"` // the groups invited
	Total     Response       `json:"total"`
	Targets   []TargetResult `json:"targets"`
}

// Groups are the groups invited, in Groups' order, for result columns.
func (r Results) Groups() []string {
	var out []string
	for _, g := range r.Responses {
		out = append(out, g.Group)
	}
	return out
}

// GroupScore is a target's score from one group.
func (t TargetResult) GroupScore(group string) Score {
	if i := slices.Index(Groups, group); i >= 0 {
		return t.ByGroup[i]
	}
	return Score{}
}

// Results counts a round's answers.
func (s *Store) Results(ctx context.Context, unitID, roundID int64) (Results, error) {
	round, err := s.Get(ctx, unitID, roundID)
	if err != nil {
		return Results{}, err
	}
	res := Results{Round: round}
	rows, err := s.db.QueryContext(ctx, `SELECT group_key, count(*), count(answered_at) FROM appraisal_invites
		WHERE unit_id = $1 AND round_id = $2 GROUP BY group_key`, unitID, roundID)
	if err != nil {
		return res, fmt.Errorf("appraisal: responses: %w", err)
	}
	responses, err := database.Collect(rows, func(r database.Scanner) (Response, error) {
		var x Response
		return x, r.Scan(&x.Group, &x.Issued, &x.Answered)
	})
	if err != nil {
		return res, err
	}
	for _, g := range Groups {
		for _, x := range responses {
			if x.Group == g {
				res.Responses = append(res.Responses, x)
				res.Total.Issued += x.Issued
				res.Total.Answered += x.Answered
			}
		}
	}
	byTarget := map[int64]*TargetResult{}
	questionAt := map[int64]int{}
	for i, q := range round.Questions {
		questionAt[q.ID] = i
	}
	for _, t := range round.Targets {
		res.Targets = append(res.Targets, TargetResult{Target: t, ByQuestion: make([]Score, len(round.Questions)), ByGroup: make([]Score, len(Groups))})
	}
	for i := range res.Targets {
		byTarget[res.Targets[i].ID] = &res.Targets[i]
	}
	rows, err = s.db.QueryContext(ctx, `SELECT a.target_id, a.question_id, i.group_key, a.value, a.text FROM appraisal_answers a
		JOIN appraisal_invites i ON i.id = a.invite_id AND i.unit_id = a.unit_id
		WHERE a.unit_id = $1 AND a.round_id = $2 ORDER BY a.id`, unitID, roundID)
	if err != nil {
		return res, fmt.Errorf("appraisal: answers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var target, question int64
		var group, text string
		var value sql.NullInt64
		if err := rows.Scan(&target, &question, &group, &value, &text); err != nil {
			return res, fmt.Errorf("appraisal: answers: %w", err)
		}
		t, at := byTarget[target], questionAt[question]
		if t == nil {
			continue
		}
		q := round.Questions[at]
		if q.Kind == KindText {
			t.Comments = append(t.Comments, Comment{Group: group, Question: q.Text, Text: text})
			continue
		}
		if !value.Valid {
			continue
		}
		v := int(value.Int64)
		t.Overall.add(q.Kind, v, q.MaxScore)
		t.ByQuestion[at].add(q.Kind, v, q.MaxScore)
		if g := slices.Index(Groups, group); g >= 0 {
			t.ByGroup[g].add(q.Kind, v, q.MaxScore)
		}
	}
	if err := rows.Err(); err != nil {
		return res, err
	}
	slices.SortStableFunc(res.Targets, func(a, b TargetResult) int {
		switch ma, mb := a.Overall.mean(), b.Overall.mean(); {
		case ma > mb:
			return -1
		case ma < mb:
			return 1
		}
		return 0
	})
	for i := range res.Targets {
		res.Targets[i].Rank = i + 1
		if i > 0 && res.Targets[i].Overall.mean() == res.Targets[i-1].Overall.mean() {
			res.Targets[i].Rank = res.Targets[i-1].Rank // a tie shares the rank
		}
	}
	return res, nil
}
