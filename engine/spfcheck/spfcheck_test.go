package spfcheck

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeDNS answers from maps; a name it does not know is NXDOMAIN. It counts
// calls so tests can prove no lookup was made, and never touches the network.
type fakeDNS struct {
	txt   map[string][]string
	ip    map[string][]net.IPAddr
	mx    map[string][]*net.MX
	err   error         // when set, every lookup fails with it
	hang  chan struct{} // when set, every lookup blocks until it is closed, ignoring ctx
	calls atomic.Int32
}

func (f *fakeDNS) enter() error {
	f.calls.Add(1)
	if f.hang != nil {
		<-f.hang
	}
	return f.err
}

func nxdomain(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (f *fakeDNS) LookupTXT(_ context.Context, name string) ([]string, error) {
	if err := f.enter(); err != nil {
		return nil, err
	}
	if v, ok := f.txt[strings.ToLower(name)]; ok {
		return v, nil
	}
	return nil, nxdomain(name)
}

func (f *fakeDNS) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if err := f.enter(); err != nil {
		return nil, err
	}
	if v, ok := f.mx[strings.ToLower(name)]; ok {
		return v, nil
	}
	return nil, nxdomain(name)
}

func (f *fakeDNS) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	if err := f.enter(); err != nil {
		return nil, err
	}
	if v, ok := f.ip[strings.ToLower(host)]; ok {
		return v, nil
	}
	return nil, nxdomain(host)
}

func (f *fakeDNS) LookupAddr(_ context.Context, addr string) ([]string, error) {
	if err := f.enter(); err != nil {
		return nil, err
	}
	return nil, nxdomain(addr)
}

func zone() *fakeDNS {
	return &fakeDNS{
		txt: map[string][]string{
			"pass.example":     {"some other txt", "v=spf1 ip4:203.0.113.0/24 -all"},
			"fail.example":     {"v=spf1 ip4:198.51.100.1 -all"},
			"softfail.example": {"v=spf1 ~all"},
			"neutral.example":  {"v=spf1 ?all"},
			"bad.example":      {"v=spf1 bogus:mechanism -all"},
			"notxt.example":    {"google-site-verification=x"},
			"a.example":        {"v=spf1 a mx -all"},
			"mta.example":      {"v=spf1 include:pass.example -all"},
		},
		ip: map[string][]net.IPAddr{
			"a.example":    {{IP: net.ParseIP("192.0.2.99")}},
			"mx.a.example": {{IP: net.ParseIP("203.0.113.5")}},
		},
		mx: map[string][]*net.MX{
			"a.example": {{Host: "mx.a.example", Pref: 10}},
		},
	}
}

var public = net.ParseIP("203.0.113.5")

func TestCheck(t *testing.T) {
	tests := []struct {
		name, helo, from    string
		ip                  net.IP
		wantResult, wantDom string
	}{
		{"pass", "client.example", "user@pass.example", public, "pass", "pass.example"},
		{"pass upper-case domain", "client.example", "user@PASS.Example", public, "pass", "pass.example"},
		{"pass via mx", "client.example", "user@a.example", public, "pass", "a.example"},
		{"pass via include", "client.example", "user@mta.example", public, "pass", "mta.example"},
		{"fail", "client.example", "user@fail.example", public, "fail", "fail.example"},
		{"softfail", "client.example", "user@softfail.example", public, "softfail", "softfail.example"},
		{"neutral", "client.example", "user@neutral.example", public, "neutral", "neutral.example"},
		{"permerror bad record", "client.example", "user@bad.example", public, "permerror", "bad.example"},
		{"none no spf record", "client.example", "user@notxt.example", public, "none", "notxt.example"},
		{"none nxdomain", "client.example", "user@missing.example", public, "none", "missing.example"},
		{"bounce uses helo", "Pass.Example", "", public, "pass", "pass.example"},
		{"bounce fails on helo", "fail.example", "", public, "fail", "fail.example"},
		{"ipv6 client", "client.example", "user@fail.example", net.ParseIP("2001:db8::1"), "fail", "fail.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Options{Resolver: zone()})
			res, dom := c.Check(context.Background(), tt.ip, tt.helo, tt.from)
			if res != tt.wantResult || dom != tt.wantDom {
				t.Errorf("Check = %q, %q; want %q, %q", res, dom, tt.wantResult, tt.wantDom)
			}
		})
	}
}

func TestCheckWithoutLookup(t *testing.T) {
	tests := []struct {
		name, helo, from string
		ip               net.IP
		wantDom          string
	}{
		{"loopback v4", "laptop", "me@pass.example", net.ParseIP("127.0.0.1"), "pass.example"},
		{"loopback v6", "laptop", "me@pass.example", net.IPv6loopback, "pass.example"},
		{"rfc 1918", "laptop", "me@pass.example", net.ParseIP("192.168.1.20"), "pass.example"},
		{"unique local v6", "laptop", "me@pass.example", net.ParseIP("fd12::1"), "pass.example"},
		{"link-local", "laptop", "me@pass.example", net.ParseIP("fe80::1"), "pass.example"},
		{"unspecified", "laptop", "me@pass.example", net.IPv4zero, "pass.example"},
		{"no ip", "laptop", "me@pass.example", nil, "pass.example"},
		{"no domain at all", "", "", public, ""},
		{"bounce with single-label helo", "localhost", "", public, "localhost"},
		{"bounce with address literal helo", "[203.0.113.5]", "", public, "[203.0.113.5]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dns := zone()
			dns.hang = make(chan struct{}) // a lookup would block the test
			defer close(dns.hang)
			res, dom := New(Options{Resolver: dns}).Check(context.Background(), tt.ip, tt.helo, tt.from)
			if res != "none" || dom != tt.wantDom {
				t.Errorf("Check = %q, %q; want none, %q", res, dom, tt.wantDom)
			}
			if n := dns.calls.Load(); n != 0 {
				t.Errorf("%d DNS lookups, want none", n)
			}
		})
	}
}

func TestCheckDNSTrouble(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"temporary dns error", &net.DNSError{Err: "server misbehaving", Name: "pass.example", IsTemporary: true}, "temperror"},
		{"dns timeout", &net.DNSError{Err: "i/o timeout", Name: "pass.example", IsTimeout: true}, "temperror"},
		{"non-temporary dns error", &net.DNSError{Err: "refused", Name: "pass.example"}, "permerror"}, // the library's call
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dns := zone()
			dns.err = tt.err
			res, dom := New(Options{Resolver: dns}).Check(context.Background(), public, "h.example", "u@pass.example")
			if res != tt.want || dom != "pass.example" {
				t.Errorf("Check = %q, %q; want %q, pass.example", res, dom, tt.want)
			}
		})
	}
}

func TestCheckHangingResolver(t *testing.T) {
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{"own timeout", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }},
		{"caller cancels", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 20*time.Millisecond)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dns := zone()
			dns.hang = make(chan struct{})
			defer close(dns.hang) // lets the abandoned lookup goroutine end
			ctx, cancel := tt.ctx()
			defer cancel()
			start := time.Now()
			res, dom := New(Options{Resolver: dns, Timeout: 100 * time.Millisecond}).Check(ctx, public, "h.example", "u@pass.example")
			if took := time.Since(start); took > time.Second {
				t.Errorf("Check took %v with a 100ms timeout", took)
			}
			if res != "temperror" || dom != "pass.example" {
				t.Errorf("Check = %q, %q; want temperror, pass.example", res, dom)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Options{})
	if c.timeout != DefaultTimeout {
		t.Errorf("timeout = %v", c.timeout)
	}
	if r, ok := c.resolver.(*net.Resolver); !ok || r == net.DefaultResolver {
		t.Errorf("resolver = %T %p, want a fresh *net.Resolver", c.resolver, c.resolver)
	}
}

func TestValidResult(t *testing.T) {
	for _, s := range []string{"none", "neutral", "pass", "fail", "softfail", "temperror", "permerror"} {
		if !ValidResult(s) {
			t.Errorf("ValidResult(%q) = false", s)
		}
	}
	for _, s := range []string{"", "Pass", " pass", "hardfail", "policy"} {
		if ValidResult(s) {
			t.Errorf("ValidResult(%q) = true", s)
		}
	}
}

func TestSkipsLookup(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"::1", true}, {"::ffff:127.0.0.1", true},
		{"10.1.2.3", true}, {"172.16.0.1", true}, {"172.31.255.255", true}, {"192.168.0.1", true},
		{"fc00::1", true}, {"fdff::1", true}, {"169.254.1.1", true}, {"fe80::1", true},
		{"0.0.0.0", true}, {"::", true},
		{"172.32.0.1", false}, {"8.8.8.8", false}, {"203.0.113.5", false}, {"2001:db8::1", false}, {"fe00::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			if got := SkipsLookup(net.ParseIP(tt.ip)); got != tt.want {
				t.Errorf("SkipsLookup(%s) = %v, want %v", tt.ip, got, tt.want)
			}
		})
	}
	if !SkipsLookup(nil) {
		t.Error("SkipsLookup(nil) = false")
	}
}
