package roster_test

import (
	"bytes"
	"testing"

	"wuliang/internal/locale"
	"wuliang/internal/org"
	"wuliang/internal/roster"
)

// Any bytes uploaded as a roster are previewed or refused with a message,
// never a panic or an error without one.
func FuzzParse(f *testing.F) {
	var template bytes.Buffer
	if err := roster.Template(&template, []org.Department{{ID: 1, Name: "税务窗口", Active: true}}, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(template.Bytes())
	f.Add([]byte("PK\x03\x04 not really"))
	f.Add([]byte{})
	lk := roster.Lookups{Departments: map[string]int64{"税务窗口": 1}}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := roster.Parse(data, lk)
		if err != nil {
			if _, ok := locale.AsError(err); !ok {
				t.Fatalf("an error without a message: %v", err)
			}
			return
		}
		if len(p.Rows) == 0 {
			t.Fatal("a preview without rows")
		}
	})
}
