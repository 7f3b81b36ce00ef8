package requestinfo_test

import (
	"net/netip"
	"testing"

	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

// The application log gets the client's network, never the address: IPv4
// per /24, IPv6 per /48 (zones dropped), nothing when unknown.
func TestClientNetworkIsTruncated(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"203.0.113.77":          "203.0.113.0/24",
		"::ffff:203.0.113.77":   "203.0.113.0/24",
		"2001:db8:1234:5678::9": "2001:db8:1234::/48",
		"fe80::1%eth0":          "fe80::/48",
		"":                      "",
	} {
		var info requestinfo.Info
		if in != "" {
			info.IP = netip.MustParseAddr(in)
		}
		if got := info.ClientNetwork(); got != want {
			t.Errorf("ClientNetwork(%q) = %q, want %q", in, got, want)
		}
	}
}
