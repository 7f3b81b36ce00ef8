//go:build race

package textcheck_test

// raceEnabled: the race detector slows the pure computation of the
// property tests about fourteenfold without finding anything in them (they
// run in one goroutine), so under -race they take a sample — one run of
// every kind × language × salutation × grade, which still reads the shared
// lexicon alongside the package's other parallel tests; `make test-go`
// runs them in full without it.
const raceEnabled = true
