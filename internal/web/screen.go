package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"wuliang/internal/attendance"
	"wuliang/internal/commitments"
	"wuliang/internal/database"
	"wuliang/internal/efficiency"
	"wuliang/internal/events"
	"wuliang/internal/fiveappraisal"
	"wuliang/internal/hall"
	"wuliang/internal/honours"
	"wuliang/internal/org"
	"wuliang/internal/period"
	"wuliang/internal/ratings"
)

// The hall screen (电子显示屏): a device with a token in its URL, not a
// login. Its page and its stream show only what the portal shows: names,
// posts and photos of who serves, public commitments, published results.

// livePanels change with ratings, whereabouts and notices; the others are
// refreshed every few minutes.
var livePanels = []string{"ratings", "status", "notices"}

const (
	screenDebounce  = 200 * time.Millisecond // events within it make one picture
	screenHeartbeat = 15 * time.Second
	screenLiveEvery = time.Minute     // whereabouts start and end by the clock too
	screenFullEvery = 5 * time.Minute // honours, results, commitments
)

// screenWindow is one window on the screen: today's ratings and who is at
// post.
type screenWindow struct {
	org.Window
	Ratings ratings.Figures
	Status  attendance.DepartmentStatus
}

// screenData is everything the panels show.
type screenData struct {
	Unit        org.Unit
	At          time.Time
	Windows     []screenWindow
	Today       ratings.Figures
	Honours     []honours.Award
	Efficiency  efficiency.Report
	Commitments []commitments.Commitment
	Members     []publicPerson
	Five        *fiveappraisal.Round
	Excellent   []fiveappraisal.Result
	Notices     []hall.Notice
	Exemplars   []honours.Exemplar
}

// Clock shows t as the hall reads it: the unit's hour and minute.
func (d screenData) Clock(t time.Time) string {
	return t.In(org.Location(d.Unit.Timezone)).Format("15:04")
}

// Stamp is when the picture was taken, to the second.
func (d screenData) Stamp() string {
	return d.At.In(org.Location(d.Unit.Timezone)).Format("2006-01-02 15:04:05")
}

// screenLive gathers the live panels' facts.
func (s *Server) screenLive(ctx context.Context, u org.Unit, d *screenData) error {
	loc := org.Location(u.Timezone)
	now := database.Now()
	day := now.In(loc)
	from := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	report, err := s.ratings.Report(ctx, u.ID, from, from.AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	status, err := s.attendance.Status(ctx, u.ID, now)
	if err != nil {
		return err
	}
	windows, err := org.Windows(ctx, s.db, u.ID)
	if err != nil {
		return err
	}
	d.Windows, d.Today = nil, report.Total
	for _, w := range windows {
		sw := screenWindow{Window: w}
		for _, row := range report.Windows {
			if row.ID == w.ID {
				sw.Ratings = row.Figures
			}
		}
		for _, st := range status {
			if st.ID == w.ID {
				sw.Status = st
			}
		}
		d.Windows = append(d.Windows, sw)
	}
	d.Notices, err = s.hall.Notices(ctx, u.ID, org.Today(u.Timezone), true)
	return err
}

// screenSlow gathers the other panels' facts, each as the portal shows it.
func (s *Server) screenSlow(ctx context.Context, u org.Unit, d *screenData) error {
	var err error
	if d.Honours, err = s.honours.Current(ctx, u.ID); err != nil {
		return err
	}
	slices.SortStableFunc(d.Honours, func(a, b honours.Award) int { return boolOrder(b.Moves) - boolOrder(a.Moves) })
	if d.Efficiency, err = s.efficiency.Report(ctx, u.ID, period.MonthOf(database.Now(), org.Location(u.Timezone))); err != nil {
		return err
	}
	if d.Commitments, err = s.commitments.List(ctx, u.ID, commitments.Filter{OwnerKind: commitments.OwnerWindow,
		States: []string{commitments.StatePublic}, Today: org.Today(u.Timezone)}); err != nil {
		return err
	}
	active := true
	staff, _, err := s.org.StaffList(ctx, u.ID, org.StaffFilter{Active: &active})
	if err != nil {
		return err
	}
	serving := servingOf(staff)
	d.Honours, _ = ofServing(serving, d.Honours, nil)
	d.Members = nil
	for _, p := range staff {
		if p.IsPartyMember() && p.DepartmentID != 0 {
			d.Members = append(d.Members, toPublic(p))
		}
	}
	rounds, err := s.five.List(ctx, u.ID, true)
	if err != nil {
		return err
	}
	d.Five, d.Excellent = nil, nil
	if len(rounds) > 0 {
		d.Five = &rounds[0]
		results, err := s.five.Results(ctx, u.ID, rounds[0].ID)
		if err != nil {
			return err
		}
		for _, x := range results {
			if x.Grade == fiveappraisal.GradeKeys[fiveappraisal.Excellent] && serving[x.StaffID] {
				d.Excellent = append(d.Excellent, x)
			}
		}
	}
	list, err := s.honours.Exemplars(ctx, u.ID, true)
	if err != nil {
		return err
	}
	_, list = ofServing(serving, nil, list)
	d.Exemplars = list[:min(len(list), 3)]
	return nil
}

// screenFeed keeps, per unit, the last picture of its panels, so that a
// burst of ratings seen by two hundred screens costs one picture, not two
// hundred.
type screenFeed struct {
	mu    sync.Mutex
	units map[int64]*unitFeed
}

type unitFeed struct {
	mu             sync.Mutex
	data           screenData
	liveAt, fullAt time.Time // when the pictures were started
	panels         map[string]string
}

func (f *screenFeed) unit(id int64) *unitFeed {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.units == nil {
		f.units = map[int64]*unitFeed{}
	}
	if f.units[id] == nil {
		f.units[id] = &unitFeed{panels: map[string]string{}}
	}
	return f.units[id]
}

// screenPanels returns the unit's live panels as HTML, taken after since,
// and the others (no older than screenFullEvery) when they were taken
// after seen, with the time they were taken, for the caller's next seen.
func (s *Server) screenPanels(ctx context.Context, u org.Unit, since, seen time.Time) (map[string]string, time.Time, time.Time, error) {
	uf := s.feed.unit(u.ID)
	uf.mu.Lock()
	defer uf.mu.Unlock()
	started := time.Now()
	uf.data.Unit = u
	var names []string
	if uf.fullAt.IsZero() || started.Sub(uf.fullAt) > screenFullEvery {
		if err := s.screenSlow(ctx, u, &uf.data); err != nil {
			return nil, time.Time{}, time.Time{}, err
		}
		uf.fullAt = started
		names = slices.DeleteFunc(slices.Clone(hall.Panels), func(p string) bool { return slices.Contains(livePanels, p) })
	}
	if !uf.liveAt.After(since) {
		if err := s.screenLive(ctx, u, &uf.data); err != nil {
			return nil, time.Time{}, time.Time{}, err
		}
		uf.liveAt = started
		uf.data.At = database.Now()
		names = append(names, livePanels...)
	}
	t, _ := s.pages.page(u, "screen")
	for _, name := range names {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, "panel_"+name, uf.data); err != nil {
			return nil, time.Time{}, time.Time{}, fmt.Errorf("web: screen panel %s: %w", name, err)
		}
		uf.panels[name] = b.String()
	}
	out := map[string]string{}
	for name, html := range uf.panels {
		if slices.Contains(livePanels, name) || uf.fullAt.After(seen) {
			out[name] = html
		}
	}
	return out, uf.data.At, uf.fullAt, nil
}

// screenOf finds the screen of the path's token and its unit; a revoked
// or unknown token is a plain 404.
func (s *Server) screenOf(w http.ResponseWriter, r *http.Request) (hall.Screen, org.Unit, bool) {
	sc, err := s.hall.ByToken(r.Context(), r.PathValue("token"))
	var u org.Unit
	if err == nil {
		u, err = s.org.Unit(r.Context(), sc.UnitID)
	}
	if errors.Is(err, hall.ErrNotFound) {
		http.Error(w, s.pages.printer.Get("screen.unknown"), http.StatusNotFound)
		return sc, u, false
	}
	if err != nil {
		s.fail(w, r, err)
		return sc, u, false
	}
	return sc, u, true
}

type screenPage struct {
	Screen hall.Screen
	Token  string
	Panels map[string]string
	At     string
	Offset int // the unit's zone's offset from UTC, in minutes, for the screen's clock
}

// screenShow: GET /s/{token}, the kiosk page.
func (s *Server) screenShow(w http.ResponseWriter, r *http.Request) {
	sc, u, ok := s.screenOf(w, r)
	if !ok {
		return
	}
	if err := s.hall.Seen(r.Context(), sc); err != nil {
		s.log.Warn("screen seen", "err", err)
	}
	panels, at, _, err := s.screenPanels(r.Context(), u, time.Time{}, time.Time{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	local := at.In(org.Location(u.Timezone))
	_, offset := local.Zone()
	s.renderPublic(w, r, u, "screen", sc.Name, screenPage{Screen: sc, Token: r.PathValue("token"), Panels: panels,
		At: local.Format("2006-01-02 15:04:05"), Offset: offset / 60})
}

// screenEvents: GET /s/{token}/events, the screen's Server-Sent Events:
// "rating" for each rating stored (its window and level), "panels" with the
// panels' HTML whenever they changed, "reload" when the office changed the
// screen, "revoked" (and the end) when it revoked it.
func (s *Server) screenEvents(w http.ResponseWriter, r *http.Request) {
	sc, u, ok := s.screenOf(w, r)
	if !ok {
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the stream outlives the server's write timeout
	sub := s.events.Subscribe(u.ID)
	defer sub.Close()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	stream := sse{w: w, rc: rc}
	if !stream.raw("retry: 3000\n\n") || !stream.flush() {
		return
	}
	ctx := r.Context()
	pictures := screenPictures{s: s, u: u, built: make(chan screenPicture, 1)}
	pictures.want(time.Time{})
	beat := time.NewTicker(screenHeartbeat)
	defer beat.Stop()
	live := time.NewTicker(screenLiveEvery)
	defer live.Stop()
	var debounce <-chan time.Time
	var dirtySince time.Time
	var seq int64
	// handle writes one event (without flushing); false ends the stream.
	handle := func(e events.Event) bool {
		switch e.Kind {
		case events.Rating:
			seq++
			if !stream.event("rating", seq, json.RawMessage(ratingEvent(e))) {
				return false
			}
		case events.Screen:
			if e.Ref != sc.ID {
				return true
			}
			if _, err := s.hall.ByToken(ctx, r.PathValue("token")); err != nil {
				stream.event("revoked", 0, map[string]any{})
				stream.flush()
				return false
			}
			stream.event("reload", 0, map[string]any{})
		case events.Facts:
			s.feed.unit(u.ID).expire()
		}
		if debounce == nil {
			dirtySince, debounce = time.Now(), time.After(screenDebounce)
		}
		return true
	}
	for {
		select {
		case <-ctx.Done():
			return
		case e, open := <-sub.C():
			// What has piled up goes out in one write to the network.
			for n := 0; ; n++ {
				if !open {
					return // the server is stopping, or this stream fell behind: the screen reconnects
				}
				if !handle(e) {
					return
				}
				if n == events.Buffer {
					break
				}
				select {
				case e, open = <-sub.C():
					continue
				default:
				}
				break
			}
			if !stream.flush() {
				return
			}
		case p := <-pictures.built:
			if !pictures.done(p, stream, u) {
				return
			}
		case <-debounce:
			debounce = nil
			pictures.want(dirtySince)
		case <-live.C:
			pictures.want(time.Now().Add(-screenLiveEvery / 2))
		case <-beat.C:
			if !stream.event("ping", 0, map[string]any{}) || !stream.flush() {
				return
			}
		}
	}
}

// screenPictures builds one stream's pictures beside the stream, one at a
// time: while the database answers for a picture, the stream goes on
// handing out events, so a picture slowed by a rating load does not leave
// the subscription events.Buffer behind and the screen dropped.
type screenPictures struct {
	s     *Server
	u     org.Unit
	built chan screenPicture // the picture in the making, when done

	building bool
	next     *time.Time // the oldest change not yet in a picture being built
	seen     time.Time  // when the slow panels this stream sent were taken
}

type screenPicture struct {
	panels   map[string]string
	at, full time.Time
	err      error
}

// want asks for a picture of the changes since; while one is being built,
// it is asked for again once that one is done.
func (p *screenPictures) want(since time.Time) {
	if p.building {
		if p.next == nil || since.Before(*p.next) {
			p.next = &since
		}
		return
	}
	p.building = true
	go func(seen time.Time) {
		var b screenPicture
		// A picture that other screens of the unit wait for is finished even
		// if this one went away; built has room for it, so nothing waits.
		b.panels, b.at, b.full, b.err = p.s.screenPanels(context.Background(), p.u, since, seen)
		p.built <- b
	}(p.seen)
}

// done sends a finished picture and starts the one asked for meanwhile;
// false ends the stream.
func (p *screenPictures) done(b screenPicture, stream sse, u org.Unit) bool {
	p.building = false
	if next := p.next; next != nil {
		p.next = nil
		defer p.want(*next)
	}
	p.seen = b.full
	if b.err != nil {
		p.s.log.Error("screen panels", "err", b.err)
		return true // the next event or tick tries again
	}
	return stream.event("panels", 0, map[string]any{"at": b.at.In(org.Location(u.Timezone)).Format("2006-01-02 15:04:05"), "panels": b.panels}) &&
		stream.flush()
}

// expire makes the next picture gather the slow panels again.
func (uf *unitFeed) expire() {
	uf.mu.Lock()
	uf.fullAt = time.Time{}
	uf.mu.Unlock()
}

// ratingEvent is what a screen hears of a rating: its id, window, level
// and time, nothing of the rater.
func ratingEvent(e events.Event) []byte {
	var d struct {
		Window int64 `json:"window"`
		Level  int   `json:"level"`
	}
	_ = json.Unmarshal(e.Data, &d)
	b, _ := json.Marshal(map[string]any{"id": e.Ref, "window": d.Window, "level": d.Level, "at": e.At})
	return b
}

// sse writes one stream; a failed write ends it.
type sse struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

func (s sse) raw(text string) bool {
	_ = s.rc.SetWriteDeadline(time.Now().Add(30 * time.Second)) // a screen that stopped reading is let go
	_, err := s.w.Write([]byte(text))
	return err == nil
}

func (s sse) event(name string, id int64, data any) bool {
	b, err := json.Marshal(data)
	if err != nil {
		return false
	}
	var head strings.Builder
	head.WriteString("event: " + name + "\n")
	if id > 0 {
		fmt.Fprintf(&head, "id: %d\n", id)
	}
	return s.raw(head.String() + "data: " + string(b) + "\n\n")
}

func (s sse) flush() bool { return s.rc.Flush() == nil }
