package database

// MigrateTo lets the tests stop at an older schema.
var MigrateTo = (*DB).migrateTo
