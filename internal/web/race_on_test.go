//go:build race

package web_test

// raceEnabled: the race detector slows every request several times, so
// timing figures are only asserted without it.
const raceEnabled = true
