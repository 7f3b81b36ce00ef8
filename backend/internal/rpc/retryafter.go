package rpc

import (
	"strconv"
	"time"

	"connectrpc.com/connect"
)

// setRetryAfter adds a Retry-After header (RFC 9110 §10.2.3, whole seconds,
// rounded up so a client that waits exactly that long is not refused
// again) to a ResourceExhausted answer. Connect sends error metadata as
// response headers, gRPC as trailers.
func setRetryAfter(err *connect.Error, d time.Duration) {
	if d <= 0 {
		return
	}
	secs := int64((d + time.Second - 1) / time.Second)
	err.Meta().Set("Retry-After", strconv.FormatInt(secs, 10))
}
