package honours_test

import (
	"context"
	"testing"

	"wuliang/internal/testdb"
)

var ctx = context.Background()

// TestMain fails the package when a goroutine outlives its test.
func TestMain(m *testing.M) { testdb.Main(m) }
