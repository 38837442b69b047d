package ratings

import (
	"context"
	"testing"
	"time"

	"wuliang/internal/database"
	"wuliang/internal/orgtest"
	"wuliang/internal/testdb"
)

// The pages and the API each make a store; on one database they write
// through one group writer, and a store on a moved clock through its own.
func TestOneWriterPerDatabase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "unit-a")
		pages, api := NewStore(db), NewStore(db)
		demo := pages.WithClock(func() time.Time { return time.Now().Add(-time.Hour) })
		for i, s := range []*Store{pages, api, demo} {
			in := Input{DepartmentID: u.Window, Level: VerySatisfied, Channel: ChannelDevice, Device: "d" + string(rune('0'+i))}
			if _, err := s.Submit(context.Background(), u.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		if pages.writer != api.writer || demo.writer == pages.writer {
			t.Fatal("stores on one database do not share their writer")
		}
	})
}
