package rpc

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/rs/zerolog"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/zeugo/zeugo/backend/internal/config"
)

// Behind a trusted proxy that adds its own X-Forwarded-For line (instead of
// appending to the client's), the client's forged first line must not decide
// the address; every line counts, right to left.
func TestClientIPReadsEveryForwardedForLine(t *testing.T) {
	t.Parallel()
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, c := range []struct {
		name   string
		remote string
		lines  []string
		want   string
	}{
		{"forged line, proxy adds its own", "10.1.2.3:1234", []string{"203.0.113.66", "198.51.100.7"}, "198.51.100.7"},
		{"forged lines rotate, proxy line decides", "10.1.2.3:1234", []string{"192.0.2.1, 192.0.2.2", "198.51.100.7"}, "198.51.100.7"},
		{"two trusted hops, each its own line", "10.1.2.3:1234", []string{"203.0.113.66", "198.51.100.7", "10.9.9.9"}, "198.51.100.7"},
		{"one combined line", "10.1.2.3:1234", []string{"203.0.113.66, 198.51.100.7, 10.9.9.9"}, "198.51.100.7"},
		{"entries with ports", "10.1.2.3:1234", []string{"[2001:db8::7]:443, 10.9.9.9:80"}, "2001:db8::7"},
		{"empty elements are ignored", "10.1.2.3:1234", []string{"198.51.100.7,, ", ""}, "198.51.100.7"},
		{"garbage from the nearest proxy: the proxy", "10.1.2.3:1234", []string{"198.51.100.7", "unknown"}, "10.1.2.3"},
		{"garbage behind a trusted hop: that hop", "10.1.2.3:1234", []string{"unknown, 10.9.9.9"}, "10.9.9.9"},
		{"garbage left of the client is never read", "10.1.2.3:1234", []string{"unknown, 198.51.100.7"}, "198.51.100.7"},
		{"all trusted: the left-most hop", "10.1.2.3:1234", []string{"10.7.7.7, 10.9.9.9"}, "10.7.7.7"},
		{"untrusted peer: its own address", "203.0.113.5:1234", []string{"198.51.100.7"}, "203.0.113.5"},
		{"IPv4-mapped peer", "[::ffff:10.1.2.3]:1234", []string{"198.51.100.7"}, "198.51.100.7"},
		{"no header", "10.1.2.3:1234", nil, "10.1.2.3"},
	} {
		r := httptestRequest(c.remote, "")
		for _, l := range c.lines {
			r.Header.Add("X-Forwarded-For", l)
		}
		if got := clientIP(r, proxies).String(); got != c.want {
			t.Errorf("%s: clientIP = %s, want %s", c.name, got, c.want)
		}
	}
}

// gzipped returns n bytes of one letter, gzip-compressed (a "bomb" when n is
// far beyond the limit).
func gzipped(t *testing.T, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	chunk := bytes.Repeat([]byte{'x'}, 1<<16)
	for n > 0 {
		k := min(n, len(chunk))
		if _, err := w.Write(chunk[:k]); err != nil {
			t.Fatal(err)
		}
		n -= k
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The capped decompressor does what connect-go's Decompress needs: it
// yields up to limit+1 bytes (so the overflow is seen), then fails instead
// of inflating the rest; it starts afresh for the next message.
func TestCappedGzipReaderStopsAfterLimitPlusOne(t *testing.T) {
	t.Parallel()
	const limit = 4096
	d := &cappedGzipReader{max: limit + 1}
	if err := d.Reset(bytes.NewReader(gzipped(t, 1<<20))); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(io.LimitReader(d, limit+1)) // what connect-go copies
	if err != nil || len(got) != limit+1 {
		t.Fatalf("first read: %d bytes, %v", len(got), err)
	}
	rest, err := io.Copy(io.Discard, d) // connect-go's "how large was it"
	if !errors.Is(err, errInflatedTooLarge) || rest != 0 {
		t.Fatalf("after the limit: %d more bytes, %v; want none and errInflatedTooLarge", rest, err)
	}
	if err := d.Reset(bytes.NewReader(gzipped(t, limit))); err != nil {
		t.Fatal(err)
	}
	if small, err := io.ReadAll(d); err != nil || len(small) != limit {
		t.Fatalf("next message within the limit: %d bytes, %v", len(small), err)
	}
}

// The NUL walk finds strings in nested messages, lists and map keys and
// values, with paths protovalidate clients understand.
func TestNoNULFindsNestedStrings(t *testing.T) {
	t.Parallel()
	s, err := structpb.NewStruct(map[string]any{
		"clean":  "ok",
		"nested": map[string]any{"list": []any{"fine", "bad\x00"}},
		"k\x00":  "the key holds it",
	})
	if err != nil {
		t.Fatal(err)
	}
	var ce *connect.Error
	if !errors.As(checkNoNUL(s), &ce) || ce.Code() != connect.CodeInvalidArgument {
		t.Fatalf("got %v, want InvalidArgument", checkNoNUL(s))
	}
	got := map[string]bool{}
	for _, d := range ce.Details() {
		m, _ := d.Value()
		v, ok := m.(*validate.Violations)
		if !ok {
			continue
		}
		for _, vi := range v.GetViolations() {
			if vi.GetRuleId() != NoNULRuleID {
				t.Errorf("rule id %q", vi.GetRuleId())
			}
			key := pathString(vi.GetField())
			if vi.GetForKey() {
				key += " (key)"
			}
			got[key] = true
		}
	}
	for _, want := range []string{
		`fields["nested"].struct_value.fields["list"].list_value.values[1].string_value`,
		`fields["k\x00"] (key)`,
	} {
		if !got[want] {
			t.Errorf("no violation at %s; got %v", want, got)
		}
	}
	if len(got) != 2 {
		t.Errorf("violations %v, want exactly 2", got)
	}
	if err := checkNoNUL(structpb.NewStringValue("clean")); err != nil {
		t.Errorf("clean message refused: %v", err)
	}
}

// fakeClock is moved by the handler under test: "slow" without sleeping.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

// The access log records every failed or slow request and samples the rest
// as configured; each line carries the request id and the client network.
func TestAccessLogSamplingKeepsErrorsAndSlowRequests(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/fail":
			w.WriteHeader(http.StatusUnauthorized)
		case "/grpc-fail": // gRPC: 200 with an error in the (trailers-only) headers
			w.Header().Set("Grpc-Status", "7")
			w.WriteHeader(http.StatusOK)
		case "/grpc-trailer-fail":
			w.WriteHeader(http.StatusOK)
			w.Header().Set(http.TrailerPrefix+"Grpc-Status", "16")
		case "/grpc-ok":
			w.WriteHeader(http.StatusOK)
			w.Header().Set(http.TrailerPrefix+"Grpc-Status", "0")
		case "/rpc-fail": // an error mapped by toConnect, e.g. at the end of a stream
			noteRPCError(r.Context(), connect.CodeResourceExhausted)
			w.WriteHeader(http.StatusOK)
		case "/slow":
			clock.now = clock.now.Add(1500 * time.Millisecond)
		}
		_, _ = w.Write([]byte("ok"))
	})
	run := func(al config.AccessLog, paths ...string) []map[string]any {
		var buf bytes.Buffer
		h := withMiddleware(handler, nil, newAccessLog(zerolog.New(&buf), al, clock.Now), nil)
		for _, p := range paths {
			r := httptest.NewRequest(http.MethodPost, p, nil)
			r.RemoteAddr = "198.51.100.77:4321"
			h.ServeHTTP(httptest.NewRecorder(), r)
		}
		if strings.Contains(buf.String(), "198.51.100.77") {
			t.Errorf("the full client address is logged: %s", buf.String())
		}
		var lines []map[string]any
		for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			if l == "" {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, m)
		}
		return lines
	}
	paths := func(lines []map[string]any) string {
		var out []string
		for _, l := range lines {
			out = append(out, l["path"].(string))
		}
		return strings.Join(out, " ")
	}
	ten := []string{"/ok", "/ok", "/ok", "/ok", "/ok", "/ok", "/ok", "/ok", "/ok", "/ok"}
	mixed := append([]string{"/fail", "/grpc-fail", "/grpc-trailer-fail", "/grpc-ok", "/rpc-fail", "/slow", "/healthz"}, ten...)

	if got := paths(run(config.AccessLog{Every: 0}, mixed...)); got != "/fail /grpc-fail /grpc-trailer-fail /rpc-fail /slow" {
		t.Errorf("errors only: logged %q", got)
	}
	if got := run(config.AccessLog{Every: 1}, mixed...); len(got) != 16 { // all but /healthz
		t.Errorf("all: logged %q", paths(got))
	}
	if got := paths(run(config.AccessLog{Every: 5}, ten...)); got != "/ok /ok" {
		t.Errorf("sample:5 of 10: logged %q", got)
	}
	if got := paths(run(config.AccessLog{Every: 0, Slow: 2 * time.Second}, "/slow")); got != "" {
		t.Errorf("1.5 s is not slow with a 2 s threshold: logged %q", got)
	}
	lines := run(config.AccessLog{}, "/grpc-fail", "/slow")
	if len(lines) != 2 {
		t.Fatalf("lines %v", lines)
	}
	for _, l := range lines {
		if l["client_net"] != "198.51.100.0/24" || l["request_id"] == "" || l["request_id"] == nil {
			t.Errorf("line lacks request id or client network: %v", l)
		}
	}
	if lines[0]["code"] != "permission_denied" || lines[1]["slow"] != true {
		t.Errorf("code or slow flag missing: %v", lines)
	}
}
