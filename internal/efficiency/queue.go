package efficiency

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"wuliang/internal/chart"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
)

// Times are the queue figures of a window, an item or a waiting band: how
// long people waited from drawing a ticket to being called, how long the
// counter then took, and how those same cases were rated.
type Times struct {
	Tickets int `json:"tickets"`
	Rated   int `json:"rated"` // of those cases, rated by their own token
	Good    int `json:"good"`  // 非常满意 and 满意
	waits   []float64
	handles []float64
}

// MedianWait is the median wait in minutes; "—" without a ticket.
func (t Times) MedianWait() string { return medianMinutes(t.waits) }

// MedianHandle is the median handling time in minutes; "—" when no case
// says when the counter finished.
func (t Times) MedianHandle() string { return medianMinutes(t.handles) }

// WaitMinutes is the median wait as a number, for charts; 0 without one.
func (t Times) WaitMinutes() float64 { return median(t.waits) }

// HandleMinutes is the median handling time as a number, for charts.
func (t Times) HandleMinutes() float64 { return median(t.handles) }

// GoodRate is 好评率 of these cases: each is rated once by its own token,
// so every rating weighs the same.
func (t Times) GoodRate() string { return locale.Percent(t.Good, t.Rated) }

// GoodShare is GoodRate as a number from 0 to 100, for charts; missing
// when nothing was rated.
func (t Times) GoodShare() float64 {
	if t.Rated == 0 {
		return chart.Missing
	}
	return float64(t.Good) * 100 / float64(t.Rated)
}

func (t *Times) add(wait float64, handle *float64, level int) {
	t.Tickets++
	t.waits = append(t.waits, wait)
	if handle != nil {
		t.handles = append(t.handles, *handle)
	}
	if level > 0 {
		t.Rated++
		if level >= ratings.Satisfied {
			t.Good++
		}
	}
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

func medianMinutes(v []float64) string {
	if len(v) == 0 {
		return "—"
	}
	return strconv.FormatFloat(median(v), 'f', 1, 64)
}

// QueueRow is one window or item with its queue figures.
type QueueRow struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	WindowNo string `json:"window_no,omitempty"`
	Times
}

// Band is a range of waits, with 好评率 of the cases that waited so long:
// the question a queue system's analytics answer.
type Band struct {
	Label string  `json:"label"`
	Under float64 `json:"-"` // minutes; 0 for the last band
	Times
}

// Bands are the waiting ranges the report compares.
var bandLimits = []struct {
	label string
	under float64
}{{"10分钟内", 10}, {"10–20分钟", 20}, {"20–30分钟", 30}, {"30–60分钟", 60}, {"60分钟以上", 0}}

// QueueReport is the period's queue figures by window, by item and by
// waiting band. Cases count in the period their ticket was drawn.
type QueueReport struct {
	Period  period.Period
	Windows []QueueRow
	Items   []QueueRow
	Bands   []Band
	Total   Times
}

// Queue computes the queue figures of the cases that came with a ticket.
// Handling time is from the call to when the queue machine says the
// counter finished, or, when it does not say, to the case's completion if
// that was on the day of the call (a case completed days later was not
// handled at the counter all that time).
func (s *Store) Queue(ctx context.Context, unitID int64, p period.Period) (QueueReport, error) {
	rep := QueueReport{Period: p}
	sc, err := s.cases.Schedule(ctx, unitID)
	if err != nil {
		return rep, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(c.department_id, 0), COALESCE(c.item_id, 0), COALESCE(i.name, ''),
		c.ticket_at, c.called_at, c.finished_at, c.completed_at, COALESCE(r.level, 0)
		FROM cases c
		LEFT JOIN items i ON i.id = c.item_id AND i.unit_id = c.unit_id
		LEFT JOIN ratings r ON r.case_id = c.id AND r.unit_id = c.unit_id AND r.followup = FALSE AND r.valid = TRUE AND r.channel <> 'default'
		WHERE c.unit_id = $1 AND c.ticket_at >= $2 AND c.ticket_at < $3 AND c.called_at IS NOT NULL`, unitID, p.From.UTC(), p.To.UTC())
	if err != nil {
		return rep, fmt.Errorf("efficiency: queue: %w", err)
	}
	type ticket struct {
		dept, item int64
		itemName   string
		wait       float64
		handle     *float64
		level      int
	}
	list, err := database.Collect(rows, func(r database.Scanner) (ticket, error) {
		var t ticket
		var drawn, called time.Time
		var finished, completed *time.Time
		err := r.Scan(&t.dept, &t.item, &t.itemName, &drawn, &called, &finished, &completed, &t.level)
		t.wait = called.Sub(drawn).Minutes()
		end := finished
		if end == nil && completed != nil && sameDay(called, *completed, sc.Location) {
			end = completed
		}
		if end != nil && !end.Before(called) {
			h := end.Sub(called).Minutes()
			t.handle = &h
		}
		return t, err
	})
	if err != nil {
		return rep, err
	}
	windows, err := org.Windows(ctx, s.db, unitID)
	if err != nil {
		return rep, fmt.Errorf("efficiency: queue: %w", err)
	}
	byWindow := map[int64]*QueueRow{}
	rep.Windows = make([]QueueRow, len(windows))
	for i, w := range windows {
		rep.Windows[i] = QueueRow{ID: w.ID, Name: w.Name, WindowNo: w.No}
		byWindow[w.ID] = &rep.Windows[i]
	}
	byItem := map[int64]*QueueRow{}
	for _, b := range bandLimits {
		rep.Bands = append(rep.Bands, Band{Label: b.label, Under: b.under})
	}
	for _, t := range list {
		rep.Total.add(t.wait, t.handle, t.level)
		if w := byWindow[t.dept]; w != nil {
			w.add(t.wait, t.handle, t.level)
		}
		if byItem[t.item] == nil {
			name := t.itemName
			if t.item == 0 {
				name = "其他事项"
			}
			byItem[t.item] = &QueueRow{ID: t.item, Name: name}
		}
		byItem[t.item].add(t.wait, t.handle, t.level)
		for i := range rep.Bands {
			if rep.Bands[i].Under == 0 || t.wait < rep.Bands[i].Under {
				rep.Bands[i].add(t.wait, t.handle, t.level)
				break
			}
		}
	}
	for _, it := range byItem {
		rep.Items = append(rep.Items, *it)
	}
	sort.Slice(rep.Items, func(i, j int) bool {
		if rep.Items[i].Tickets != rep.Items[j].Tickets {
			return rep.Items[i].Tickets > rep.Items[j].Tickets
		}
		return rep.Items[i].Name < rep.Items[j].Name
	})
	return rep, nil
}

func sameDay(a, b time.Time, loc *time.Location) bool {
	return a.In(loc).Format(time.DateOnly) == b.In(loc).Format(time.DateOnly)
}
