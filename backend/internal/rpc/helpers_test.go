package rpc

import "net/http"

func httptestRequest(remote, xff string) *http.Request {
	r, _ := http.NewRequest(http.MethodGet, "https://localhost/", nil)
	r.RemoteAddr = remote
	if xff != "" {
		r.Header.Set("X-Forwarded-For", xff)
	}
	return r
}
