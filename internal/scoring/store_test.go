package scoring_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/orgtest"
	"wuliang/internal/period"
	"wuliang/internal/scoring"
	"wuliang/internal/testdb"
)

var ctx = context.Background()

// A unit starts on the county split (version 0); each save is a new
// version, audited; a refused scheme leaves the version in force; two
// saves at once make two versions or one refusal, never one lost.
func TestSchemeVersions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u, other := orgtest.New(t, db, "unit-a"), orgtest.New(t, db, "unit-b")
		s := scoring.NewStore(db)
		if v, err := s.Current(ctx, u.ID); err != nil || v.Version != 0 || len(v.Scheme.Levels) != 3 {
			t.Fatalf("default: %+v %v", v, err)
		}
		sc := scoring.CountyScheme()
		sc.Tiers.Lagging = 15
		if v, err := s.Save(ctx, orgtest.Actor, u.ID, sc, "后进比例改为 15%"); v != 1 || err != nil {
			t.Fatalf("save: %d %v", v, err)
		}
		bad := scoring.CountyScheme()
		bad.Levels[0].Parts[0].Weight = 50
		for _, c := range []struct {
			scheme scoring.Scheme
			note   string
			key    string
		}{
			{bad, "", "scoring.weights_sum"},
			{scoring.CountyScheme(), strings.Repeat("名", 10<<20/3), "error.too_long"},
		} {
			_, err := s.Save(ctx, orgtest.Actor, u.ID, c.scheme, c.note)
			if _, ok := locale.AsProblems(err); !ok || locale.Key(err) != c.key {
				t.Fatalf("want %s, got %v", c.key, err)
			}
		}
		if v, _ := s.Current(ctx, u.ID); v.Version != 1 || v.Scheme.Tiers.Lagging != 15 || v.Note != "后进比例改为 15%" {
			t.Fatalf("the version in force moved: %+v", v)
		}
		if v, _ := s.Current(ctx, other.ID); v.Version != 0 {
			t.Fatalf("another unit's save reached this unit: %+v", v)
		}
		if _, err := s.At(ctx, other.ID, 1); !errors.Is(err, scoring.ErrNotFound) {
			t.Fatalf("another unit's version: %v", err)
		}

		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { _, errs[i] = s.Save(ctx, orgtest.Actor, u.ID, scoring.CountyScheme(), "") })
		}
		wg.Wait()
		saved := 1
		for _, err := range errs {
			switch {
			case err == nil:
				saved++
			case !errors.Is(err, scoring.ErrChanged):
				t.Fatalf("double submit: %v", err)
			}
		}
		if saved == 1 {
			t.Fatal("all four saves at once were refused")
		}
		list, err := s.Versions(ctx, u.ID)
		if err != nil || len(list) != saved || list[0].Version != saved {
			t.Fatalf("versions: %d saved, listed %d %v", saved, len(list), err)
		}
		var audited int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'score_scheme'`).Scan(&audited)
		if audited != saved {
			t.Fatalf("%d versions, %d audited", saved, audited)
		}
	})
}

// Two freezes of one period at once (a double click on 冻结): each one
// kept is its own version with its audit record, the other refused as
// changed or asked for the note a correction needs; none is lost or
// doubled, and a note too long is refused with nothing kept.
func TestFreezeTwiceAtOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u := orgtest.New(t, db, "freeze2")
		s := scoring.NewStore(db)
		q, _ := period.Parse("2026-Q3", org.Location(u.Timezone))
		sc := scoring.Scores{Period: q, Scheme: scoring.CountyScheme(), Levels: map[scoring.Level][]scoring.Result{}}
		if _, err := s.Freeze(ctx, orgtest.Actor, u.ID, sc, strings.Repeat("长", 501)); err == nil {
			t.Fatal("a 501-character note was kept")
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Go(func() { _, errs[i] = s.Freeze(ctx, orgtest.Actor, u.ID, sc, "复核 "+strings.Repeat("😀", i)) })
		}
		wg.Wait()
		kept := 0
		for _, err := range errs {
			if err == nil {
				kept++
			} else if !errors.Is(err, scoring.ErrChanged) {
				t.Fatalf("double freeze: %v", err)
			}
		}
		list, err := s.FrozenVersions(ctx, u.ID, q.Code)
		var audited int
		db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'score_period' AND unit_id = $1`, u.ID).Scan(&audited)
		if err != nil || kept == 0 || len(list) != kept || audited != kept || list[0].Version != kept {
			t.Fatalf("%d kept, %d listed, %d audited (%v)", kept, len(list), audited, err)
		}
	})
}
