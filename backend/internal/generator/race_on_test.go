//go:build race

package generator_test

// raceEnabled: the race detector slows the pure computation of the
// property test TestRandomFacts about eightfold without finding anything in
// it (each case runs in its one goroutine; the shared library is still
// read by the sampled cases alongside the other parallel tests), so under
// -race it takes a sample; `make test-go` runs it in full without it.
const raceEnabled = true
