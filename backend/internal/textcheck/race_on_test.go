//go:build race

package textcheck_test

// raceEnabled: the race detector slows the pure computation of the
// property tests about fourteenfold without finding anything in them (they
// run in one goroutine), so under -race they take a sample; `make test-go`
// runs them in full without it.
const raceEnabled = true
