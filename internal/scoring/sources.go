package scoring

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"wuliang/internal/period"
)

// Values are a level's indicator values: by indicator, then subject.
type Values map[string]map[int64]Value

func (v Values) set(indicator string, subject int64, x Value) {
	if v[indicator] == nil {
		v[indicator] = map[int64]Value{}
	}
	v[indicator][subject] = x
}

// add sums x into a subject's value, for rolling people up to branches.
func (v Values) add(indicator string, subject int64, x Value) {
	old := v[indicator][subject]
	v.set(indicator, subject, Value{Count: old.Count + x.Count, Total: old.Total + x.Total, Sample: old.Sample + x.Sample})
}

// Roster is who is scored at each level, and where each person belongs.
type Roster struct {
	Subjects map[Level][]Subject
	BranchOf map[int64]int64 // person → branch
	WindowOf map[int64]int64 // person → window, for facts kept only per person
}

// Gathered is what a source found for a period: values at every level,
// and the facts that veto, by level.
type Gathered struct {
	Values map[Level]Values
	Hits   map[Level][]VetoHit
}

// Source gives the values of the indicators it offers, and the dated
// facts behind them, each with the person, window or branch it is about.
type Source interface {
	Offers() []string
	Gather(ctx context.Context, unitID int64, p period.Period, r Roster) (Gathered, error)
	Facts(ctx context.Context, unitID int64, p period.Period, indicator string) ([]OwnedFact, error)
}

// OwnedFact is a fact with whom it is about: a person (and through them
// their window and branch), a window, or a branch.
type OwnedFact struct {
	Staff, Window, Branch int64
	// NotWindow: a fact about a person that the window's value does not
	// count (民主评议 appraises people and windows apart).
	NotWindow bool
	FactRef
}

// collect files a person's value, and rolls it up to the person's branch.
type collect struct {
	Gathered
	roster Roster
}

func newCollect(r Roster) collect {
	return collect{Gathered: Gathered{Values: map[Level]Values{Person: {}, Window: {}, Branch: {}}, Hits: map[Level][]VetoHit{}}, roster: r}
}

func (c collect) person(indicator string, id int64, v Value) {
	c.Values[Person].set(indicator, id, v)
	if b := c.roster.BranchOf[id]; b != 0 {
		c.Values[Branch].add(indicator, b, v)
	}
}

func (c collect) window(indicator string, id int64, v Value) { c.Values[Window].set(indicator, id, v) }

// people files facts kept only per person, rolling them up to the
// person's window as well as the branch.
func (c collect) people(indicator string, byPerson map[int64]Value) {
	for id, v := range byPerson {
		c.person(indicator, id, v)
		if w := c.roster.WindowOf[id]; w != 0 {
			c.Values[Window].add(indicator, w, v)
		}
	}
}

// fact adds one fact to a person (and their branch and window) or, when
// it names only a window, to the window.
func (c collect) fact(indicator string, staffID, windowID int64, count, total float64) {
	v := Value{Count: count, Total: total, Sample: 1}
	if staffID != 0 {
		c.Values[Person].add(indicator, staffID, v)
		if b := c.roster.BranchOf[staffID]; b != 0 {
			c.Values[Branch].add(indicator, b, v)
		}
		if windowID == 0 {
			windowID = c.roster.WindowOf[staffID]
		}
	}
	if windowID != 0 {
		c.Values[Window].add(indicator, windowID, v)
	}
}

// hit files a veto: a fact against a person takes the person and their
// window out of honours; one against a window only the window.
func (c *collect) hit(rule string, staffID, windowID int64, f FactRef) {
	if staffID != 0 {
		c.Hits[Person] = append(c.Hits[Person], VetoHit{Rule: rule, Subject: staffID, Fact: f})
		if windowID == 0 {
			windowID = c.roster.WindowOf[staffID]
		}
	}
	if windowID != 0 {
		c.Hits[Window] = append(c.Hits[Window], VetoHit{Rule: rule, Subject: windowID, Fact: f})
	}
}

// owners are the subjects a fact counts for at each level: the person;
// the window it names, or the person's; the branch it names, or the
// person's.
func (r Roster) owners(f OwnedFact) map[Level]int64 {
	out := map[Level]int64{}
	if f.Staff != 0 {
		out[Person] = f.Staff
	}
	switch {
	case f.Window != 0:
		out[Window] = f.Window
	case f.Staff != 0 && !f.NotWindow:
		out[Window] = r.WindowOf[f.Staff]
	}
	switch {
	case f.Branch != 0:
		out[Branch] = f.Branch
	case f.Staff != 0:
		out[Branch] = r.BranchOf[f.Staff]
	}
	return out
}

// Group files a source's facts under every subject they count for, in
// date order: level, then subject.
func (r Roster) Group(list []OwnedFact) map[Level]map[int64][]FactRef {
	out := map[Level]map[int64][]FactRef{Person: {}, Window: {}, Branch: {}}
	for _, f := range list {
		for level, id := range r.owners(f) {
			if id != 0 {
				out[level][id] = append(out[level][id], f.FactRef)
			}
		}
	}
	for _, bySubject := range out {
		for id, facts := range bySubject {
			bySubject[id] = sortFacts(facts)
		}
	}
	return out
}

// within reports whether t falls in the period.
func within(p period.Period, t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// link is a page path with an id.
func link(prefix string, id int64) string { return prefix + strconv.FormatInt(id, 10) }

// sortFacts puts facts in date order, the way the explain page reads.
func sortFacts(list []FactRef) []FactRef {
	slices.SortStableFunc(list, func(a, b FactRef) int { return a.At.Compare(b.At) })
	return list
}

// errorf wraps a source's error with its name.
func errorf(source string, err error) error { return fmt.Errorf("scoring: %s: %w", source, err) }
