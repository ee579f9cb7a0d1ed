package main

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrustedProxiesConfig(t *testing.T) {
	ps, err := parseProxies([]string{"10.0.0.5", " 10.1.0.0/16 ", "::1", "::ffff:192.0.2.7"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"10.0.0.5", "10.1.200.3", "::1", "192.0.2.7"} {
		a := netip.MustParseAddr(want)
		found := false
		for _, p := range ps {
			found = found || p.Contains(a)
		}
		if !found {
			t.Errorf("%s is not trusted by %v", want, ps)
		}
	}
	if a := netip.MustParseAddr("10.0.0.6"); ps[0].Contains(a) {
		t.Errorf("a single address trusts its neighbour: %v", ps[0])
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	os.WriteFile(path, []byte("portal:\n  trusted_proxies: [10.0.0.5, proxy.council.example]\n"), 0o644)
	_, err = loadPortalConfig(&config{path: path})
	if err == nil || !strings.Contains(err.Error(), "portal.trusted_proxies") || !strings.Contains(err.Error(), "proxy.council.example") {
		t.Errorf("a host name in trusted_proxies: %v", err)
	}
}
