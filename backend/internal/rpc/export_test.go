package rpc

import "sync/atomic"

// CountInflated makes every gzip decompressor of the server count the bytes
// it produces; the returned function reads the count. Tests using it must
// not run in parallel with other tests that send compressed requests.
func CountInflated() (count func() int64, stop func()) {
	c := &atomic.Int64{}
	inflateCounter.Store(c)
	return c.Load, func() { inflateCounter.Store(nil) }
}
