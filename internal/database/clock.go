package database

import "time"

// Now is the current time as stored: UTC, truncated to microseconds because
// PostgreSQL keeps no finer precision and the audit chain hashes timestamps
// that must read back exactly as written.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
