package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"papers/internal/portal"
)

// TestOIDCSettings reads portal.oidc from config.yaml: the secret from its
// file or the environment, the callback from base_url, and a clear error
// for each way the settings cannot work.
func TestOIDCSettings(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("secret", "s3cret\n")
	write("empty", "\n")
	write("huge", strings.Repeat("x", 5000))
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == oidcSecretEnv {
				return v
			}
			return ""
		}
	}
	type result struct {
		oidc portal.OIDC
		err  string
	}
	cases := []struct {
		name string
		yaml string
		env  string
		want result
	}{
		{"no provider", "", "", result{}},
		{"secret from a file, callback from base_url", `
  base_url: https://papers.example.gov.uk/
  oidc:
    issuer: https://login.example.com/tenant/v2.0
    client_id: abc
    client_secret_file: secret
    label: Sign in with Microsoft`, "", result{oidc: portal.OIDC{Issuer: "https://login.example.com/tenant/v2.0", ClientID: "abc", ClientSecret: "s3cret",
			RedirectURL: "https://papers.example.gov.uk/signin/oidc/callback", Label: "Sign in with Microsoft"}}},
		{"secret from the environment, callback given", `
  passwords: false
  oidc:
    issuer: https://accounts.google.com
    client_id: abc
    redirect_url: https://papers.example.gov.uk/signin/oidc/callback
    scopes: [openid, email]`, "env-secret", result{oidc: portal.OIDC{Issuer: "https://accounts.google.com", ClientID: "abc", ClientSecret: "env-secret",
			RedirectURL: "https://papers.example.gov.uk/signin/oidc/callback", Scopes: []string{"openid", "email"}}}},
		{"passwords off, no provider", "\n  passwords: false", "", result{err: "portal.passwords is false but portal.oidc.issuer is empty"}},
		{"no secret", "\n  base_url: https://p.example\n  oidc:\n    issuer: https://login.example\n    client_id: abc", "", result{err: "no client secret"}},
		{"secret file missing", "\n  base_url: https://p.example\n  oidc:\n    issuer: https://login.example\n    client_id: abc\n    client_secret_file: nothere", "", result{err: "portal.oidc.client_secret_file: open"}},
		{"secret file empty", "\n  base_url: https://p.example\n  oidc:\n    issuer: https://login.example\n    client_id: abc\n    client_secret_file: empty", "", result{err: "is empty"}},
		{"secret file huge", "\n  base_url: https://p.example\n  oidc:\n    issuer: https://login.example\n    client_id: abc\n    client_secret_file: huge", "", result{err: "longer than 4096 bytes"}},
		{"no base_url", "\n  oidc:\n    issuer: https://login.example\n    client_id: abc", "x", result{err: "set portal.base_url"}},
		{"plain-http issuer", "\n  base_url: https://p.example\n  oidc:\n    issuer: http://login.example\n    client_id: abc", "x", result{err: "is not an https:// address"}},
		{"no client_id", "\n  base_url: https://p.example\n  oidc:\n    issuer: https://login.example", "x", result{err: "no client_id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := write("config.yaml", "portal:"+tc.yaml+"\n")
			if tc.yaml == "" {
				path = write("config.yaml", "portal: {}\n")
			}
			cfg, err := readConfig(path, false)
			if err != nil {
				t.Fatal(err)
			}
			pc, err := loadPortalConfig(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pc.oidcSettings(cfg, env(tc.env))
			switch {
			case tc.want.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.want.err) || !strings.Contains(err.Error(), "config ") {
					t.Errorf("error %v, want one saying %q", err, tc.want.err)
				}
			case err != nil:
				t.Errorf("error: %v", err)
			case got.Issuer != tc.want.oidc.Issuer || got.ClientID != tc.want.oidc.ClientID || got.ClientSecret != tc.want.oidc.ClientSecret ||
				got.RedirectURL != tc.want.oidc.RedirectURL || got.Label != tc.want.oidc.Label || strings.Join(got.Scopes, " ") != strings.Join(tc.want.oidc.Scopes, " "):
				t.Errorf("got %+v, want %+v", got, tc.want.oidc)
			}
		})
	}
}
