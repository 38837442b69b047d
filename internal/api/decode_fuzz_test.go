package api

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"wuliang/internal/locale"
	"wuliang/internal/textnorm"
)

// Every JSON body the API decodes, of any bytes: a 400 with a message or a
// value whose every string is clean, never a panic.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"token": "abc", "level": 5, "reasons": ["态度不好"], "comment": "很好 👍"}`,
		`{"staff_id": 1, "item_id": 2, "recipient_name": "张\u0000飞", "recipient_phone": "13900005678", "channel": "counter"}`,
		`{"note": "\u202e反"}`, `{"level": "5"}`, `[1,2]`, `{`, ``, `{"unknown": 1}`, `{"reasons": [null, "\u0007"]}`,
	} {
		f.Add(s)
	}
	a := &API{log: slog.New(slog.NewTextHandler(io.Discard, nil)), printer: locale.NewPrinter(locale.Default)}
	f.Fuzz(func(t *testing.T, body string) {
		for _, v := range []any{&ratingRequest{}, &caseRequest{}, &stepRequest{}} {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(body))
			if !a.decode(w, r, v) {
				if w.Code != 400 && w.Code != 413 || !strings.Contains(w.Body.String(), `"error"`) {
					t.Fatalf("refused with %d %s", w.Code, w.Body)
				}
				continue
			}
			var dirty bool
			walk(v, func(s string) { dirty = dirty || textnorm.HasHostile(s) })
			if dirty {
				t.Fatalf("%q decoded with a hostile character: %+v", body, v)
			}
		}
	})
}

// walk calls fn with each string of the decoded request, however deep.
func walk(v any, fn func(string)) { walkValue(reflect.ValueOf(v), fn) }

func walkValue(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkValue(v.Elem(), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			walkValue(v.Field(i), fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkValue(v.Index(i), fn)
		}
	case reflect.String:
		fn(v.String())
	}
}
