// Package requestinfo carries facts about the current request (client IP,
// user agent, request id) through the context, from the rpc layer down to
// the audit writer and the rate limiter.
package requestinfo

import (
	"context"
	"net/netip"
)

// Info describes where a request came from.
type Info struct {
	// IP is the client address (after trusted-proxy handling).
	IP netip.Addr
	// UserAgent is the client's User-Agent header, truncated.
	UserAgent string
	// RequestID correlates logs, audit records and error messages.
	RequestID string
}

type key struct{}

// With returns ctx carrying info.
func With(ctx context.Context, info Info) context.Context {
	return context.WithValue(ctx, key{}, info)
}

// From returns the request info of ctx (zero Info outside requests, e.g. for
// jobs and operator commands).
func From(ctx context.Context) Info {
	info, _ := ctx.Value(key{}).(Info)
	return info
}
