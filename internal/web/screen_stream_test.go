package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/events"
	"wuliang/internal/hall"
	"wuliang/internal/sitetest"
)

// registerScreen registers a landscape screen with every panel and
// returns its token.
func registerScreen(t testing.TB, db *database.DB, unitID int64) (string, hall.Screen) {
	t.Helper()
	token, sc, err := hall.NewStore(db).Register(context.Background(), audit.Actor{Name: "test"}, unitID,
		hall.ScreenInput{Name: "大厅主屏", Layout: hall.Landscape, Panels: hall.Panels, Interval: "15"})
	if err != nil {
		t.Fatal(err)
	}
	return token, sc
}

// percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

// panelsHTML joins a "panels" event's HTML, decoded, panel by panel.
func panelsHTML(t testing.TB, e sitetest.Event) string {
	t.Helper()
	var d struct {
		At     string            `json:"at"`
		Panels map[string]string `json:"panels"`
	}
	if err := json.Unmarshal([]byte(e.Data), &d); err != nil || len(d.Panels) == 0 {
		t.Fatalf("panels event %.200q: %v", e.Data, err)
	}
	var b strings.Builder
	for _, name := range hall.Panels {
		b.WriteString(d.Panels[name])
	}
	return b.String()
}

// A picture that the database is slow to give does not hold up the
// stream: while one waits on a locked ratings table, three times
// events.Buffer ratings arrive, and the screen hears every one of them and
// then the picture, its stream never dropped for falling behind. (It runs
// where a reader can be held: on PostgreSQL, where several servers and a
// rating load share one database; SQLite's readers never wait.)
func TestScreenStreamThroughSlowPicture(t *testing.T) {
	sitetest.Each(t, func(t *testing.T, s *sitetest.Site) {
		if s.DB.Engine != database.Postgres {
			t.Skip("a reader cannot be held on SQLite's write-ahead log")
		}
		ctx := context.Background()
		center := s.Units["demo-center"]
		token, _ := registerScreen(t, s.DB, center.ID)
		stream := sitetest.OpenStream(t, s.Srv.URL+"/s/"+token+"/events")
		stream.Next(t, 10*time.Second, "panels")
		tx, err := s.DB.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `LOCK TABLE ratings IN ACCESS EXCLUSIVE MODE`); err != nil {
			t.Fatal(err)
		}
		rating := func(id int64) {
			s.Stores.Events.Publish(events.Event{Unit: center.ID, Kind: events.Rating, Ref: id, Data: json.RawMessage(`{"window":1,"level":5}`)})
		}
		rating(1)
		if e := stream.Next(t, 2*time.Second, "rating"); sitetest.RatingOf(t, e) != 1 {
			t.Fatalf("first rating: %s", e.Data)
		}
		time.Sleep(400 * time.Millisecond) // past the debounce: its picture waits on the lock
		const n = 3 * events.Buffer
		for id := int64(2); id <= n+1; id++ {
			rating(id)
			if id%128 == 0 {
				time.Sleep(5 * time.Millisecond)
			}
		}
		heard := 0
		for heard < n {
			select {
			case e, open := <-stream.Events:
				if !open {
					t.Fatalf("the stream ended after %d of %d ratings while a picture waited", heard, n)
				}
				if e.Name == "panels" {
					t.Fatal("a picture came while the ratings table was locked")
				}
				if e.Name == "rating" {
					heard++
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("heard %d of %d ratings", heard, n)
			}
		}
		tx.Rollback()
		stream.Next(t, 5*time.Second, "panels")
	})
}
