package api

import (
	"net"
	"net/url"
	"strings"
)

// isLoopback reports whether a RemoteAddr ("ip:port") is on this machine.
func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return ip != nil && ip.IsLoopback()
}

// loopbackOrigin accepts a request without an Origin header (curl,
// scripts) or from a page served by this machine; a browser on any other
// page sends its own origin, and is refused so a web page cannot fire
// callbacks or clear history behind the user's back.
func loopbackOrigin(origin string) bool {
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
