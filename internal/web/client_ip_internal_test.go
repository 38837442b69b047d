package web

import (
	"net/http/httptest"
	"testing"
)

// The client's address is the connection's unless it comes from a proxy
// the operator named; then the nearest untrusted hop of X-Forwarded-For.
func TestClientIP(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.5, 192.168.0.0/24 ,::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"10.0.0", "proxy.example", "10.0.0.0/33"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	cases := []struct {
		name, remote, forwarded string
		trusted                 bool
		want                    string
	}{
		{"served directly", "203.0.113.7:5000", "", true, "203.0.113.7"},
		{"a forged header, directly", "203.0.113.7:5000", "198.51.100.1", true, "203.0.113.7"},
		{"off by default", "10.0.0.5:5000", "198.51.100.1", false, "10.0.0.5"},
		{"behind the proxy", "10.0.0.5:5000", "198.51.100.1", true, "198.51.100.1"},
		{"a chain of trusted proxies", "10.0.0.5:5000", "198.51.100.1, 192.168.0.9", true, "198.51.100.1"},
		{"a forged first hop is not believed", "10.0.0.5:5000", "1.2.3.4, 198.51.100.1", true, "198.51.100.1"},
		{"garbage in the header", "10.0.0.5:5000", "198.51.100.1, not-an-ip", true, "10.0.0.5"},
		{"IPv6 loopback proxy", "[::1]:5000", "2001:db8::7", true, "2001:db8::7"},
		{"no header from the proxy", "10.0.0.5:5000", "", true, "10.0.0.5"},
	}
	for _, c := range cases {
		s := &Server{}
		if c.trusted {
			s.TrustedProxies = proxies
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.forwarded != "" {
			r.Header.Set("X-Forwarded-For", c.forwarded)
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
