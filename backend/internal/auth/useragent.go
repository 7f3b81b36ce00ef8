package auth

import (
	"strings"
	"unicode"
)

// UserAgent is what a session keeps of the client's User-Agent header: a
// browser and an operating system label its owner recognises ("Firefox
// 128", "Windows"), never the raw header (migration 00014).
type UserAgent struct {
	Browser string
	OS      string
	Mobile  bool
}

// maxUserAgentLabel bounds each label (sessions.user_agent_* columns).
const maxUserAgentLabel = 64

// browserTokens are tested in order: many browsers also name the engine or
// browser they derive from (Edge says Chrome and Safari, Chrome says
// Safari), so the most specific comes first.
var browserTokens = []struct{ token, name string }{
	{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"},
	{"OPR/", "Opera"}, {"Opera/", "Opera"},
	{"SamsungBrowser/", "Samsung Internet"},
	{"Vivaldi/", "Vivaldi"},
	{"YaBrowser/", "Yandex"},
	{"FxiOS/", "Firefox"}, {"Firefox/", "Firefox"},
	{"CriOS/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
	{"Version/", "Safari"}, // Safari names its version as Version/x; checked with "Safari/" below
	{"curl/", "curl"},
	{"Go-http-client/", "Go"},
	{"grpc-go/", "gRPC"},
	{"connect-go/", "Connect"},
	{"python-requests/", "Python"},
}

// ParseUserAgent derives browser and operating system labels from a
// User-Agent header. Unknown clients get empty labels; the labels carry the
// browser's major version only.
func ParseUserAgent(ua string) UserAgent {
	var out UserAgent
	for _, b := range browserTokens {
		i := strings.Index(ua, b.token)
		if i < 0 {
			continue
		}
		if b.token == "Version/" && !strings.Contains(ua, "Safari/") {
			continue
		}
		out.Browser = b.name
		if v := majorVersion(ua[i+len(b.token):]); v != "" {
			out.Browser += " " + v
		}
		break
	}
	out.OS = operatingSystem(ua)
	// Phones say "Mobile" (Android tablets do not, iPads say "Mobile/" only
	// in their WebKit token, which comes with "iPad").
	out.Mobile = strings.Contains(ua, "iPhone") || strings.Contains(ua, "Mobi") && !strings.Contains(ua, "iPad")
	out.Browser = bounded(out.Browser)
	out.OS = bounded(out.OS)
	return out
}

func operatingSystem(ua string) string {
	switch {
	case strings.Contains(ua, "iPhone"):
		return "iOS"
	case strings.Contains(ua, "iPad"):
		return "iPadOS"
	case strings.Contains(ua, "Android"):
		return "Android"
	case strings.Contains(ua, "CrOS"):
		return "ChromeOS"
	case strings.Contains(ua, "Windows"):
		return "Windows"
	case strings.Contains(ua, "Mac OS X") || strings.Contains(ua, "Macintosh"):
		return "macOS"
	case strings.Contains(ua, "Linux"):
		return "Linux"
	}
	return ""
}

// majorVersion is the leading digits of s (at most 5).
func majorVersion(s string) string {
	n := 0
	for n < len(s) && n < 5 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return s[:n]
}

// bounded keeps printable characters and at most maxUserAgentLabel bytes.
func bounded(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, s)
	if len(s) > maxUserAgentLabel {
		s = s[:maxUserAgentLabel]
	}
	return s
}
