package apptest

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// What the benchmarks measure throughput with (bench/README.md: ratios
// against a baseline of the same run, alternating rounds).

// Rate calls fn from clients goroutines until round has passed and
// returns the calls per second; the first error fails b.
func Rate(b testing.TB, clients int, round time.Duration, fn func() error) float64 {
	b.Helper()
	var calls atomic.Int64
	var failed atomic.Value
	deadline := time.Now().Add(round)
	start := time.Now()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if err := fn(); err != nil {
					failed.Store(err)
					return
				}
				calls.Add(1)
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return float64(calls.Load()) / time.Since(start).Seconds()
}

// Paired runs six alternating pairs of rounds of ours and base (each
// returning a rate) and returns the medians of ours, of base and of the
// per-pair ratio ours/base: a machine that slows down for a while moves
// both sides of a pair.
func Paired(ours, base func() float64) (oursRate, baseRate, ratio float64) {
	var xs, ys, rs []float64
	for i := range 6 {
		var x, y float64
		if i%2 == 0 {
			x, y = ours(), base()
		} else {
			y, x = base(), ours()
		}
		xs, ys, rs = append(xs, x), append(ys, y), append(rs, x/y)
	}
	return Median(xs), Median(ys), Median(rs)
}

// Median is the middle value (the upper one of an even count).
func Median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
