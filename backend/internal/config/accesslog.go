package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AccessLog says which requests the access log records. Failed requests
// (HTTP status ≥ 400 or an RPC error code) and slow ones are always logged;
// of the other requests one in Every (0: none, 1: all). At ~270 bytes a
// line, logging every request of a busy server costs gigabytes an hour and
// tells nothing the metrics do not.
type AccessLog struct {
	// Every is the sampling rate of successful, fast requests: 0 logs none,
	// 1 logs all, N logs one in N.
	Every int
	// Slow is the duration above which a request is always logged; zero
	// means DefaultSlowRequest.
	Slow time.Duration
}

// DefaultSlowRequest is the default threshold of a slow request.
const DefaultSlowRequest = time.Second

// parseAccessLog reads ZEUGO_ACCESS_LOG ("all", "errors" or "sample:N") and
// ZEUGO_ACCESS_LOG_SLOW (a Go duration such as 500ms). Without a setting,
// production logs errors and slow requests only, development everything.
func parseAccessLog(getenv Getenv, env Environment) (AccessLog, error) {
	a := AccessLog{Slow: DefaultSlowRequest}
	v := strings.TrimSpace(getenv("ZEUGO_ACCESS_LOG"))
	switch {
	case v == "" && env == Development, v == "all":
		a.Every = 1
	case v == "", v == "errors":
		a.Every = 0
	case strings.HasPrefix(v, "sample:"):
		n, err := strconv.Atoi(strings.TrimPrefix(v, "sample:"))
		if err != nil || n < 1 {
			return a, &Error{"ZEUGO_ACCESS_LOG", fmt.Sprintf("sample:N needs a whole number N ≥ 1, got %q", v)}
		}
		a.Every = n
	default:
		return a, &Error{"ZEUGO_ACCESS_LOG", fmt.Sprintf("must be all, errors or sample:N, got %q", v)}
	}
	if s := strings.TrimSpace(getenv("ZEUGO_ACCESS_LOG_SLOW")); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return a, &Error{"ZEUGO_ACCESS_LOG_SLOW", fmt.Sprintf("must be a positive duration such as 500ms or 2s, got %q", s)}
		}
		a.Slow = d
	}
	return a, nil
}
