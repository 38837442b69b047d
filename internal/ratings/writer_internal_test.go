package ratings

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

// A store's writer stops with Close. Each rating handed in while it closes
// is either stored and answered, or refused with ErrClosed — never taken
// and lost; one handed in afterwards is refused. No goroutine of the
// writer is left: the package's TestMain fails the binary if one is. A
// store on a moved clock has a writer of its own.
func TestWriterCloses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		s := NewStore(db)
		demo := s.WithClock(func() time.Time { return time.Now().Add(-time.Hour) })
		defer demo.Close()
		submit := func(st *Store, device string) error {
			_, err := st.Submit(context.Background(), u.ID, Input{DepartmentID: u.Window, Level: VerySatisfied, Channel: ChannelDevice, Device: device})
			return err
		}
		if err := submit(demo, "moved"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		stored, refused := 0, 0
		for i := range 40 {
			wg.Go(func() {
				err := submit(s, fmt.Sprint("d", i))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					stored++
				case errors.Is(err, ErrClosed):
					refused++
				default:
					t.Error(err)
				}
			})
			if i == 20 {
				wg.Go(s.Close)
			}
		}
		wg.Wait()
		s.Close()
		var rows int
		db.QueryRowContext(context.Background(), `SELECT count(*) FROM ratings WHERE unit_id = $1`, u.ID).Scan(&rows)
		if stored+refused != 40 || rows != stored+1 {
			t.Fatalf("%d stored, %d refused, %d rows (one of them the moved clock's)", stored, refused, rows)
		}
		if err := submit(s, "late"); !errors.Is(err, ErrClosed) {
			t.Fatalf("a rating after Close: %v", err)
		}
		if demo.writer == s.writer {
			t.Fatal("a store on a moved clock shares the real clock's writer")
		}
	})
}
