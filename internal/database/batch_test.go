package database_test

import (
	"slices"
	"testing"

	"wuliang/internal/database"
)

// Batches keeps every row, in order, in chunks of few sizes.
func TestBatches(t *testing.T) {
	for _, tc := range []struct {
		n     int
		sizes []int
	}{
		{0, nil},
		{1, []int{1}},
		{137, []int{128, 8, 1}},
		{500, []int{500}},
		{1023, []int{500, 500, 16, 4, 2, 1}},
	} {
		rows := make([]int, tc.n)
		for i := range rows {
			rows[i] = i
		}
		var sizes, got []int
		for chunk := range database.Batches(rows) {
			sizes = append(sizes, len(chunk))
			got = append(got, chunk...)
		}
		if !slices.Equal(sizes, tc.sizes) || !slices.Equal(got, rows) {
			t.Errorf("%d rows: chunks of %v, %d rows back", tc.n, sizes, len(got))
		}
	}
}
