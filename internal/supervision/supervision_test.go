package supervision_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wuliang/internal/accounts"
	"wuliang/internal/database"
	"wuliang/internal/locale"
	"wuliang/internal/orgtest"
	"wuliang/internal/ratings"
	"wuliang/internal/rectification"
	"wuliang/internal/supervision"
	"wuliang/internal/testdb"
)

var (
	ctx = context.Background()
	cst = time.FixedZone("CST", 8*3600)
)

func pngBytes(w, h int) []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)))
	return b.Bytes()
}

// A supervisor files observations; bad input is refused with a message
// and files nothing; a double submit files one; the office sends a bad one
// to rectification, once.
func TestObservations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *database.DB) {
		u, other := orgtest.New(t, db, "unit-a"), orgtest.New(t, db, "unit-b")
		sup := orgtest.User(t, db, u.ID, "sup", accounts.RoleSupervisor, 0, 0)
		office := orgtest.User(t, db, u.ID, "office", accounts.RoleUnitAdmin, 0, 0)
		staff := orgtest.User(t, db, u.ID, "zhang", accounts.RoleStaff, u.Staff[0], 0)
		s := supervision.NewStore(db)
		now := time.Now().In(cst)
		ok := supervision.Input{DepartmentID: u.Window, StaffID: u.Staff[0], ObservedAt: now.Add(-time.Hour).Format("2006-01-02T15:04"),
			Verdict: "bad", Body: "<img src=x onerror=alert(1)> 在岗玩手机 📱", Photo: pngBytes(1600, 240), Nonce: "n1"}
		with := func(change func(*supervision.Input)) supervision.Input {
			in := ok
			change(&in)
			return in
		}
		bad := []struct {
			name string
			in   supervision.Input
			want string
		}{
			{"empty", supervision.Input{Nonce: "x"}, "error.required"},
			{"huge", with(func(in *supervision.Input) { in.Body = strings.Repeat("看", 1001) }), "error.too_long"},
			{"no verdict", with(func(in *supervision.Input) { in.Verdict = "<script>" }), "observation.verdict_required"},
			{"bad time", with(func(in *supervision.Input) { in.ObservedAt = "昨天" }), "observation.time_invalid"},
			{"future", with(func(in *supervision.Input) { in.ObservedAt = now.Add(2 * time.Hour).Format("2006-01-02T15:04") }), "observation.time_future"},
			{"too old", with(func(in *supervision.Input) { in.ObservedAt = now.AddDate(0, 0, -40).Format("2006-01-02T15:04") }), "observation.time_old"},
			{"another unit's window", with(func(in *supervision.Input) { in.DepartmentID = other.Window }), "observation.window_unknown"},
			{"another unit's person", with(func(in *supervision.Input) { in.StaffID = other.Staff[0] }), "observation.staff_unknown"},
			{"not an image", with(func(in *supervision.Input) { in.Photo = []byte("<svg onload=alert(1)>") }), "error.photo_type"},
			{"huge photo", with(func(in *supervision.Input) { in.Photo = make([]byte, supervision.MaxPhotoBytes+1) }), "error.photo_too_large"},
			{"no nonce", with(func(in *supervision.Input) { in.Nonce = "" }), "error.form_expired"},
		}
		for _, b := range bad {
			if _, err := s.File(ctx, orgtest.Actor, sup, u.ID, b.in, cst); !locale.HasKey(err, b.want) {
				t.Errorf("%s: %v", b.name, err)
			}
		}
		for _, who := range []accounts.User{office, staff} {
			if _, err := s.File(ctx, orgtest.Actor, who, u.ID, ok, cst); !errors.Is(err, supervision.ErrForbidden) {
				t.Errorf("%s filed an observation: %v", who.Role, err)
			}
		}
		if _, err := s.File(ctx, orgtest.Actor, sup, other.ID, with(func(in *supervision.Input) { in.DepartmentID = other.Window }), cst); !errors.Is(err, supervision.ErrForbidden) {
			t.Errorf("filed in another unit: %v", err)
		}
		if list, _ := s.List(ctx, u.ID, office, 100); len(list) != 0 {
			t.Fatalf("refused input was saved: %+v", list)
		}
		// The same form sent twice at once files one observation.
		var wg sync.WaitGroup
		ids := make([]int64, 2)
		errs := make([]error, 2)
		for i := range ids {
			wg.Go(func() { ids[i], errs[i] = s.File(ctx, orgtest.Actor, sup, u.ID, ok, cst) })
		}
		wg.Wait()
		list, _ := s.List(ctx, u.ID, office, 100)
		if len(list) != 1 || errs[0] != nil && errs[1] != nil {
			t.Fatalf("double submit: %d observations, %v / %v", len(list), errs[0], errs[1])
		}
		o := list[0]
		if o.Body != ok.Body || !o.HasPhoto || o.Good || o.StaffName != "张三" || o.Supervisor == "" {
			t.Fatalf("observation: %+v", o)
		}
		photo, err := s.Photo(ctx, u.ID, o.ID)
		if cfg, format, _ := image.DecodeConfig(bytes.NewReader(photo)); err != nil || format != "jpeg" || cfg.Width != 1280 {
			t.Fatalf("photo is not a scaled JPEG: %s %d %v", format, cfg.Width, err)
		}
		if _, err := s.Photo(ctx, other.ID, o.ID); !errors.Is(err, supervision.ErrNotFound) {
			t.Fatalf("another unit read the photo: %v", err)
		}
		if supervision.CanSee(staff, o) || !supervision.CanSee(sup, o) || !supervision.CanSee(office, o) {
			t.Fatal("who may see an observation")
		}
		if mine, _ := s.List(ctx, u.ID, staff, 100); len(mine) != 0 {
			t.Fatal("a staff member listed supervisors' observations")
		}

		good, err := s.File(ctx, orgtest.Actor, sup, u.ID, with(func(in *supervision.Input) { in.Verdict, in.Photo, in.Nonce = "good", nil, "n2" }), cst)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Rectify(ctx, orgtest.Actor, office, u.ID, good); locale.Key(err) != "observation.not_bad" {
			t.Fatalf("rectified a good observation: %v", err)
		}
		if _, err := s.Rectify(ctx, orgtest.Actor, staff, u.ID, o.ID); !errors.Is(err, supervision.ErrForbidden) {
			t.Fatalf("staff sent it to rectification: %v", err)
		}
		if _, err := s.Rectify(ctx, orgtest.Actor, office, other.ID, o.ID); !errors.Is(err, supervision.ErrNotFound) {
			t.Fatalf("another unit rectified it: %v", err)
		}
		x1, err := s.Rectify(ctx, orgtest.Actor, office, u.ID, o.ID)
		x2, err2 := s.Rectify(ctx, orgtest.Actor, office, u.ID, o.ID)
		if err != nil || err2 != nil || x1 != x2 {
			t.Fatalf("rectify twice: %d %d %v %v", x1, x2, err, err2)
		}
		rated := ratings.NewStore(db)
		t.Cleanup(rated.Close)
		x, err := rectification.NewStore(db, rated).Get(ctx, u.ID, x1)
		if err != nil || x.Source != rectification.SourceObservation || x.Anonymous || x.StaffID != u.Staff[0] || x.DepartmentID != u.Window ||
			x.Link() != "/observations/"+strconv.FormatInt(o.ID, 10) {
			t.Fatalf("rectification: %+v %v", x, err)
		}
		if o, _ := s.Get(ctx, u.ID, o.ID); o.RectificationID != x1 {
			t.Fatalf("the observation does not show its rectification: %+v", o)
		}
	})
}
