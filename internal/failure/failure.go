// Package failure names the few kinds of refusal that every domain
// package's errors wrap, so that the pages and the API each turn a kind
// into a status in one place, and no domain package knows HTTP.
//
// A package declares its errors on a kind:
//
//	var ErrNotFound = failure.Wrap("cases", failure.NotFound)
//	var ErrTokenUsed = locale.NewError("rating.token_used").Of(failure.Conflict)
//
// and a surface asks failure.KindOf(err).
package failure

import (
	"errors"
	"fmt"
)

// Kind is a kind of refusal.
type Kind struct{ name string }

func (k *Kind) Error() string { return k.name }

// The kinds. An error of none of them is either a validation problem
// (locale.Problems: Invalid) or a fault of the server.
var (
	NotFound  = &Kind{"not found"}   // does not exist, or not in the asker's unit
	Forbidden = &Kind{"not allowed"} // exists, but not for the asker's role or scope
	Invalid   = &Kind{"invalid"}     // the input is wrong; the message says what to fix
	Conflict  = &Kind{"conflict"}    // the state moved on: already done, changed meanwhile
	Gone      = &Kind{"gone"}        // was valid once and has expired
	TooMany   = &Kind{"too many"}    // over a limit; try again later
)

var kinds = []*Kind{NotFound, Forbidden, Conflict, Gone, TooMany, Invalid}

// Wrap makes a package's sentinel error of a kind, e.g. "cases: not found".
func Wrap(pkg string, k *Kind) error { return fmt.Errorf("%s: %w", pkg, k) }

// KindOf returns the kind err wraps, or nil for a fault of the server.
// Where an error wraps several (a list of problems), the first of
// NotFound, Forbidden, Conflict, Gone, TooMany, Invalid wins.
func KindOf(err error) *Kind {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}
