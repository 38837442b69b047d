package honours

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"wuliang/internal/failure"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/scoring"
)

// Candidate is one subject a kind's rule considered.
type Candidate struct {
	Subject scoring.Subject `json:"subject"`
	// Score is what the rule ranks by: the total, or one part's points.
	Score  float64 `json:"score"`
	Place  int     `json:"place,omitempty"` // among those not excluded; ties share a place
	Listed bool    `json:"listed"`
	// Excluded is why the rule left the subject out (a catalogue key), with
	// the vetoes that did it.
	Excluded string   `json:"excluded,omitempty"`
	Vetoes   []string `json:"vetoes,omitempty"`
}

// Shortlist is a kind's shortlist for a published period.
type Shortlist struct {
	Kind       Kind        `json:"kind"`
	Period     string      `json:"period"`
	Version    int         `json:"version"` // of the frozen period it was drawn from
	Candidates []Candidate `json:"candidates"`
}

// Listed are the candidates on the shortlist.
func (s Shortlist) Listed() []Candidate {
	return slices.DeleteFunc(slices.Clone(s.Candidates), func(c Candidate) bool { return !c.Listed })
}

// Refusals of a draw.
var (
	ErrNotPublished = locale.NewError("honours.not_published").Of(failure.Conflict)
	ErrPeriodKind   = locale.NewError("honours.period_kind").Of(failure.Invalid)
	ErrNotWeighed   = locale.NewError("honours.indicator_not_weighed").Of(failure.Invalid)
)

// Draw applies a kind's rule to a frozen period's results. Who may be
// chosen comes first (a member-only honour looks at members only); then
// anyone vetoed, not ranked, or without enough sample on the deciding part
// is shown as excluded with the reason; the rest are placed by the rule's
// score, ties sharing a place, and every one placed within the shortlist's
// size is listed — so a tie at the last place lists everyone in it.
func Draw(k Kind, f scoring.Frozen, staff map[int64]org.Staff) (Shortlist, error) {
	level := scoring.Person
	if k.Subject == SubjectWindow {
		level = scoring.Window
	}
	if string(f.Scores.Period.Kind) != k.PeriodKind {
		return Shortlist{}, ErrPeriodKind
	}
	part := -1
	if k.Indicator != "" {
		ls, _ := f.Scores.LevelScheme(level)
		part = slices.IndexFunc(ls.Parts, func(p scoring.Part) bool { return p.Indicator == k.Indicator })
		if part < 0 {
			return Shortlist{}, ErrNotWeighed
		}
	}
	out := Shortlist{Kind: k, Period: f.Period, Version: f.Version}
	var placed []Candidate
	for _, r := range f.Scores.Levels[level] {
		if k.Subject != SubjectWindow && !Eligible(k.Subject, staff[r.Subject.ID]) {
			continue
		}
		c := Candidate{Subject: r.Subject, Score: r.Total}
		if part >= 0 {
			c.Score = r.Parts[part].Points
		}
		switch {
		case r.Vetoed():
			c.Excluded, c.Vetoes = "honours.excluded.veto", r.VetoRules()
		case r.Rank == 0:
			c.Excluded = "honours.excluded.unranked"
		case part >= 0 && r.Parts[part].Gap != "":
			c.Excluded = "honours.excluded.gap." + r.Parts[part].Gap
		}
		if c.Excluded != "" {
			out.Candidates = append(out.Candidates, c)
			continue
		}
		placed = append(placed, c)
	}
	slices.SortStableFunc(placed, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Subject.Name, b.Subject.Name))
	})
	for i := range placed {
		placed[i].Place = i + 1
		if i > 0 && placed[i].Score == placed[i-1].Score {
			placed[i].Place = placed[i-1].Place
		}
		placed[i].Listed = placed[i].Place <= k.Shortlist
	}
	out.Candidates = append(placed, out.Candidates...)
	return out, nil
}

// Eligible says whether a person may receive a kind of this subject: a
// member-only honour takes 正式党员, a league one 共青团员, others anyone.
func Eligible(subject string, p org.Staff) bool {
	switch subject {
	case SubjectMember:
		return p.PoliticalStatus == org.StatusMember
	case SubjectLeague:
		return p.PoliticalStatus == org.StatusLeague
	}
	return true
}

// Published is what honours read of scores: a period's published
// version, or the version a selection was drawn from.
type Published interface {
	Published(ctx context.Context, unitID int64, code string) (scoring.Frozen, error)
	FrozenVersion(ctx context.Context, unitID int64, code string, version int) (scoring.Frozen, error)
}

// People is what honours read of the organisation.
type People interface {
	StaffList(ctx context.Context, unitID int64, f org.StaffFilter) ([]org.Staff, int, error)
	Departments(ctx context.Context, unitID int64) ([]org.Department, error)
}

// Shortlist draws a kind's shortlist from the period's published scores.
func (s *Store) Shortlist(ctx context.Context, unitID, kindID int64, code string) (Shortlist, error) {
	sl, _, err := s.shortlist(ctx, unitID, kindID, code)
	return sl, err
}

// shortlist also returns the published period it drew from.
func (s *Store) shortlist(ctx context.Context, unitID, kindID int64, code string) (Shortlist, scoring.Frozen, error) {
	k, err := s.Kind(ctx, unitID, kindID)
	if err != nil {
		return Shortlist{}, scoring.Frozen{}, err
	}
	f, err := s.scores.Published(ctx, unitID, code)
	if errors.Is(err, scoring.ErrNotFound) {
		return Shortlist{}, f, ErrNotPublished
	}
	if err != nil {
		return Shortlist{}, f, fmt.Errorf("honours: scores of %s: %w", code, err)
	}
	staff, err := s.staff(ctx, unitID)
	if err != nil {
		return Shortlist{}, f, err
	}
	sl, err := Draw(k, f, staff)
	return sl, f, err
}

// staff is everyone of the unit, who left too, by id.
func (s *Store) staff(ctx context.Context, unitID int64) (map[int64]org.Staff, error) {
	list, _, err := s.people.StaffList(ctx, unitID, org.StaffFilter{})
	if err != nil {
		return nil, fmt.Errorf("honours: people: %w", err)
	}
	staff := make(map[int64]org.Staff, len(list))
	for _, p := range list {
		staff[p.ID] = p
	}
	return staff, nil
}
