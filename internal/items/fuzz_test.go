package items_test

import (
	"bytes"
	"testing"

	"wuliang/internal/items"
	"wuliang/internal/locale"
)

// Any bytes uploaded as an item catalogue are read or refused with a
// message, never a panic.
func FuzzParse(f *testing.F) {
	var book bytes.Buffer
	if err := items.Export(&book, []items.Item{{Name: "居民身份证换领", Code: "11421102-001", HandlingUnit: "户政窗口", TimeLimitDays: 20,
		Materials: []items.Material{{Name: "身份证", Form: "original", Copies: 1}}}}); err != nil {
		f.Fatal(err)
	}
	f.Add(book.Bytes())
	f.Add([]byte("PK\x05\x06"))
	lk := items.Lookups{Windows: map[string]int64{"户政窗口": 1}, Staff: map[string]int64{}}
	f.Fuzz(func(t *testing.T, data []byte) {
		list, problems, err := items.Parse(data, lk)
		if err != nil {
			if _, ok := locale.AsError(err); !ok {
				t.Fatalf("an error without a message: %v", err)
			}
			return
		}
		if len(list) == 0 && len(problems) == 0 {
			t.Fatal("nothing read and nothing wrong")
		}
	})
}
