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

// ClientNetwork is the pseudonymised client address the application log
// carries: the IPv4 /24 or the IPv6 /48 network (e.g. "203.0.113.0/24"),
// empty when the address is unknown.
//
// The full address is personal data (GDPR Art. 4(1); CJEU C-582/14
// Breyer), and the application log goes to the operator's log pipeline,
// which keeps it longer and shows it to more people than the audit log. So
// the log gets the network only — the same truncation as the well-known
// "anonymise IP" setting of web analytics that German supervisory
// authorities accept (last octet of IPv4, last 80 bits of IPv6). It is
// still enough for an investigation timeline (ASVS V16.2.1 "where"): lines
// of one attack share the network, a firewall rule can block it, and an
// abuse contact can be found. We chose truncation over a keyed hash because
// a hash of IPv4 addresses is reversible by anyone holding the key (2³²
// guesses) yet useless for blocking or abuse reports. The exact address of
// attributable security events stays in the audit log, encrypted with the
// tenant's key.
func (i Info) ClientNetwork() string {
	if !i.IP.IsValid() {
		return ""
	}
	ip := i.IP.Unmap()
	bits := 24
	if ip.Is6() {
		bits = 48
	}
	p, err := ip.WithZone("").Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}
