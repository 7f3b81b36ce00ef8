package auth

import "testing"

// The session list shows a browser and system label, parsed from the most
// common User-Agent headers; unknown clients get empty labels.
func TestParseUserAgent(t *testing.T) {
	t.Parallel()
	for ua, want := range map[string]UserAgent{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36":                         {"Chrome 131", "Windows", false},
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86":       {"Edge 131", "Windows", false},
		"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0":                                                                  {"Firefox 133", "Linux", false},
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15":                   {"Safari 18", "macOS", false},
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1": {"Safari 18", "iOS", true},
		"Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1":          {"Safari 18", "iPadOS", false},
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36":                   {"Chrome 131", "Android", true},
		"Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36":      {"Samsung Internet 26", "Android", false},
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0":           {"Opera 115", "Windows", false},
		"connect-go/1.17.0 (go1.23.4)": {"Connect 1", "", false},
		"curl/8.5.0":                   {"curl 8", "", false},
		"":                             {},
		"\x00\x01 something unknown":   {},
	} {
		if got := ParseUserAgent(ua); got != want {
			t.Errorf("ParseUserAgent(%q) = %+v, want %+v", ua, got, want)
		}
	}
}
