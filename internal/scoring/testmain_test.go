package scoring_test

import (
	"testing"

	"wuliang/internal/testdb"
)

// TestMain fails the package when a goroutine outlives its test.
func TestMain(m *testing.M) { testdb.Main(m) }
