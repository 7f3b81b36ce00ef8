package rpc

import (
	"compress/gzip"
	"errors"
	"io"
	"sync/atomic"

	"connectrpc.com/connect"
)

// errInflatedTooLarge ends the inflation of a compressed message that has
// grown past the request limit. connect-go reports it as ResourceExhausted.
var errInflatedTooLarge = errors.New("decompressed message exceeds the request limit")

// cappedGzip replaces connect-go's gzip handling on every handler (Connect,
// gRPC and gRPC-Web share it, per message and per stream frame).
//
// connect-go limits the compressed size (WithReadMaxBytes) and stops
// copying the inflated message at limit+1 bytes, but then inflates the rest
// into io.Discard, only to report the full size — a 1 MiB gzip body of
// zeros is 1 GiB of inflating (~0.2 CPU-seconds) before authentication, for
// every request. This decompressor refuses to produce more than limit+1
// bytes, so connect-go's "how large was it" read fails at once and the
// request gets the same ResourceExhausted after at most limit+1 bytes of
// work (DESIGN.md §6: ~9 ms instead of ~210 ms).
func cappedGzip(limit int64) connect.HandlerOption {
	return connect.WithCompression("gzip",
		func() connect.Decompressor { return &cappedGzipReader{max: limit + 1} },
		func() connect.Compressor {
			// The fastest level: a list page (tens of KB) shrinks almost as
			// much (protobuf is dense) for a third of the CPU of the default.
			w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed) // a valid level never fails
			return w
		})
}

// cappedGzipReader is a gzip.Reader that yields at most max bytes per
// message (connect-go Resets it for each one).
type cappedGzipReader struct {
	gz   gzip.Reader
	max  int64
	read int64
}

// inflateCounter, when set (tests only, export_test.go), adds up every byte
// the decompressors produce, so a test can assert the work done without
// timing it.
var inflateCounter atomic.Pointer[atomic.Int64]

// Read inflates, but never beyond max bytes in total.
func (c *cappedGzipReader) Read(p []byte) (int, error) {
	left := c.max - c.read
	if left <= 0 {
		return 0, errInflatedTooLarge
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := c.gz.Read(p)
	c.read += int64(n)
	if cnt := inflateCounter.Load(); cnt != nil {
		cnt.Add(int64(n))
	}
	return n, err
}

// Close implements connect.Decompressor.
func (c *cappedGzipReader) Close() error { return c.gz.Close() }

// Reset starts a new message with a fresh allowance.
func (c *cappedGzipReader) Reset(r io.Reader) error {
	c.read = 0
	return c.gz.Reset(r)
}
