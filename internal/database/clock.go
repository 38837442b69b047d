package database

import "time"

// Now is the current time as stored: UTC, truncated to microseconds because
// PostgreSQL keeps no finer precision and the audit chain hashes timestamps
// that must read back exactly as written.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Moved is a clock other than the wall's, read the way Now reads it: the
// demo plays two months of history through the stores with it.
func Moved(clock func() time.Time) func() time.Time {
	return func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
}
