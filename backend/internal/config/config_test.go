package config_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zeugo/zeugo/backend/internal/config"
)

func env(m map[string]string) config.Getenv {
	return func(k string) string { return m[k] }
}

func key(b byte) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, config.MasterKeyLen))
}

// production returns a complete, valid production environment with TLS
// files in a temporary directory.
func production(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	cert, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for _, f := range []string{cert, keyFile} {
		if err := os.WriteFile(f, []byte("-----BEGIN PLACEHOLDER-----\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return map[string]string{
		"ZEUGO_DATABASE_URL":  "postgres://zeugo_owner:geheim-owner-pw@db:5432/zeugo?sslmode=verify-full",
		"ZEUGO_MASTER_KEY":    key(1),
		"ZEUGO_TLS_CERT_FILE": cert,
		"ZEUGO_TLS_KEY_FILE":  keyFile,
		"ZEUGO_DATA_DIR":      dir,
	}
}

func TestLoadRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	badKeyFile := filepath.Join(dir, "bad.key")
	if err := os.WriteFile(badKeyFile, []byte("c2hvcnQ=\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "does-not-exist.pem")
	secretKey := base64.StdEncoding.EncodeToString([]byte("sixteen byte key"))
	cases := []struct {
		name      string
		change    map[string]string // "" deletes the variable
		needServe bool
		wantVar   string
	}{
		{"missing database url", map[string]string{"ZEUGO_DATABASE_URL": ""}, false, "ZEUGO_DATABASE_URL"},
		{"database url scheme", map[string]string{"ZEUGO_DATABASE_URL": "mysql://u:geheim-owner-pw@db/zeugo"}, false, "ZEUGO_DATABASE_URL"},
		{"database url no host", map[string]string{"ZEUGO_DATABASE_URL": "postgres://u@/zeugo"}, false, "ZEUGO_DATABASE_URL"},
		{"database url no database", map[string]string{"ZEUGO_DATABASE_URL": "postgres://u@db:5432/"}, false, "ZEUGO_DATABASE_URL"},
		{"database url no user", map[string]string{"ZEUGO_DATABASE_URL": "postgres://db:5432/zeugo"}, false, "ZEUGO_DATABASE_URL"},
		{"database url garbage", map[string]string{"ZEUGO_DATABASE_URL": "::not a url::"}, false, "ZEUGO_DATABASE_URL"},
		{"app database url", map[string]string{"ZEUGO_APP_DATABASE_URL": "http://zeugo_app@db/zeugo"}, false, "ZEUGO_APP_DATABASE_URL"},
		{"missing master key", map[string]string{"ZEUGO_MASTER_KEY": ""}, false, "ZEUGO_MASTER_KEY"},
		{"master key too short", map[string]string{"ZEUGO_MASTER_KEY": secretKey}, false, "ZEUGO_MASTER_KEY"},
		{"master key too long", map[string]string{"ZEUGO_MASTER_KEY": base64.StdEncoding.EncodeToString(make([]byte, 33))}, false, "ZEUGO_MASTER_KEY"},
		{"master key not base64", map[string]string{"ZEUGO_MASTER_KEY": "not-base64-!!!"}, false, "ZEUGO_MASTER_KEY"},
		{"master key hex instead of base64", map[string]string{"ZEUGO_MASTER_KEY": strings.Repeat("ab", 32)}, false, "ZEUGO_MASTER_KEY"},
		{"master key file missing", map[string]string{"ZEUGO_MASTER_KEY": "", "ZEUGO_MASTER_KEY_FILE": missing}, false, "ZEUGO_MASTER_KEY_FILE"},
		{"master key file bad", map[string]string{"ZEUGO_MASTER_KEY": "", "ZEUGO_MASTER_KEY_FILE": badKeyFile}, false, "ZEUGO_MASTER_KEY_FILE"},
		{"old master key bad", map[string]string{"ZEUGO_MASTER_KEYS_OLD": key(2) + "," + secretKey}, false, "ZEUGO_MASTER_KEYS_OLD"},
		{"bad environment", map[string]string{"ZEUGO_ENV": "staging"}, false, "ZEUGO_ENV"},
		{"environment capitalised", map[string]string{"ZEUGO_ENV": "Development"}, false, "ZEUGO_ENV"},
		{"log level", map[string]string{"ZEUGO_LOG_LEVEL": "verbose"}, false, "ZEUGO_LOG_LEVEL"},
		{"hash concurrency zero", map[string]string{"ZEUGO_HASH_CONCURRENCY": "0"}, false, "ZEUGO_HASH_CONCURRENCY"},
		{"hash concurrency text", map[string]string{"ZEUGO_HASH_CONCURRENCY": "many"}, false, "ZEUGO_HASH_CONCURRENCY"},
		{"migrate on start", map[string]string{"ZEUGO_MIGRATE_ON_START": "maybe"}, false, "ZEUGO_MIGRATE_ON_START"},
		{"rpc timeout without unit", map[string]string{"ZEUGO_RPC_TIMEOUT": "10"}, false, "ZEUGO_RPC_TIMEOUT"},
		{"rpc timeout zero", map[string]string{"ZEUGO_RPC_TIMEOUT": "0s"}, false, "ZEUGO_RPC_TIMEOUT"},
		{"rpc timeout an hour", map[string]string{"ZEUGO_RPC_TIMEOUT": "1h"}, false, "ZEUGO_RPC_TIMEOUT"},
		{"handover days zero", map[string]string{"ZEUGO_HANDOVER_MAX_DAYS": "0"}, false, "ZEUGO_HANDOVER_MAX_DAYS"},
		{"handover days over a year", map[string]string{"ZEUGO_HANDOVER_MAX_DAYS": "366"}, false, "ZEUGO_HANDOVER_MAX_DAYS"},
		{"handover days not a number", map[string]string{"ZEUGO_HANDOVER_MAX_DAYS": "30d"}, false, "ZEUGO_HANDOVER_MAX_DAYS"},
		{"missing tls cert", map[string]string{"ZEUGO_TLS_CERT_FILE": ""}, true, "ZEUGO_TLS_CERT_FILE"},
		{"missing tls key", map[string]string{"ZEUGO_TLS_KEY_FILE": ""}, true, "ZEUGO_TLS_KEY_FILE"},
		{"missing both tls files", map[string]string{"ZEUGO_TLS_CERT_FILE": "", "ZEUGO_TLS_KEY_FILE": ""}, true, "ZEUGO_TLS_CERT_FILE"},
		{"tls cert does not exist", map[string]string{"ZEUGO_TLS_CERT_FILE": missing}, true, "ZEUGO_TLS_CERT_FILE"},
		{"tls key does not exist", map[string]string{"ZEUGO_TLS_KEY_FILE": missing}, true, "ZEUGO_TLS_KEY_FILE"},
		{"listen addr without port", map[string]string{"ZEUGO_LISTEN_ADDR": "localhost"}, true, "ZEUGO_LISTEN_ADDR"},
		{"listen addr bare port", map[string]string{"ZEUGO_LISTEN_ADDR": "8443"}, true, "ZEUGO_LISTEN_ADDR"},
		{"listen addr port too big", map[string]string{"ZEUGO_LISTEN_ADDR": ":99999"}, true, "ZEUGO_LISTEN_ADDR"},
		{"listen addr port negative", map[string]string{"ZEUGO_LISTEN_ADDR": ":-1"}, true, "ZEUGO_LISTEN_ADDR"},
		{"listen addr named port", map[string]string{"ZEUGO_LISTEN_ADDR": ":https"}, true, "ZEUGO_LISTEN_ADDR"},
		{"public url http", map[string]string{"ZEUGO_PUBLIC_URL": "http://zeugo.example"}, true, "ZEUGO_PUBLIC_URL"},
		{"public url with path", map[string]string{"ZEUGO_PUBLIC_URL": "https://zeugo.example/app"}, true, "ZEUGO_PUBLIC_URL"},
		{"trusted proxies", map[string]string{"ZEUGO_TRUSTED_PROXIES": "10.0.0.0/8, proxy.internal"}, true, "ZEUGO_TRUSTED_PROXIES"},
		{"trusted proxies bad prefix", map[string]string{"ZEUGO_TRUSTED_PROXIES": "10.0.0.0/33"}, true, "ZEUGO_TRUSTED_PROXIES"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := production(t)
			for k, v := range tc.change {
				if v == "" {
					delete(m, k)
				} else {
					m[k] = v
				}
			}
			c, err := config.Load(env(m), tc.needServe)
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %+v, %v; want *config.Error", c, err)
			}
			if ce.Var != tc.wantVar {
				t.Errorf("error names %s (%v), want %s", ce.Var, err, tc.wantVar)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.wantVar+": ") || strings.Contains(msg, "\n") || ce.Problem == "" {
				t.Errorf("message %q is not one line naming %s", msg, tc.wantVar)
			}
			// Secrets never end up in the message.
			for _, secret := range []string{"geheim-owner-pw", secretKey, key(1), key(2)} {
				if strings.Contains(msg, secret) {
					t.Errorf("message %q reveals a secret", msg)
				}
			}
		})
	}
}

func TestLoadProduction(t *testing.T) {
	t.Parallel()
	m := production(t)
	m["ZEUGO_MASTER_KEYS_OLD"] = key(2) + ", " + key(3)
	m["ZEUGO_TRUSTED_PROXIES"] = "10.1.2.3, 192.168.7.0/24 10.9.9.9/8 ::1"
	m["ZEUGO_LISTEN_ADDR"] = "127.0.0.1:0"
	m["ZEUGO_PUBLIC_URL"] = "https://zeugnisse.example.com/"
	c, err := config.Load(env(m), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != config.Production || c.MigrateOnStart != true || c.LogLevel != "info" || c.HashConcurrency < 1 {
		t.Errorf("defaults: %+v", c)
	}
	if len(c.MasterKeys) != 3 || !bytes.Equal(c.MasterKeys[0], bytes.Repeat([]byte{1}, 32)) || !bytes.Equal(c.MasterKeys[2], bytes.Repeat([]byte{3}, 32)) {
		t.Errorf("master keys: %d, first must be ZEUGO_MASTER_KEY", len(c.MasterKeys))
	}
	if !strings.HasPrefix(c.AppDatabaseURL, "postgres://zeugo_app@db:5432/zeugo") || strings.Contains(c.AppDatabaseURL, "geheim") {
		t.Errorf("derived app URL %q must use zeugo_app without the owner's password", c.AppDatabaseURL)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.1.2.3/32"), netip.MustParsePrefix("192.168.7.0/24"),
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	if len(c.TrustedProxies) != len(want) {
		t.Fatalf("trusted proxies %v, want %v", c.TrustedProxies, want)
	}
	for i := range want {
		if c.TrustedProxies[i] != want[i] {
			t.Errorf("trusted proxy %d = %v, want %v", i, c.TrustedProxies[i], want[i])
		}
	}
	if c.PublicURL.Host != "zeugnisse.example.com" || c.ListenAddr != "127.0.0.1:0" {
		t.Errorf("public URL %v, listen %s", c.PublicURL, c.ListenAddr)
	}
	// Without needServe the server-only settings are not required.
	delete(m, "ZEUGO_TLS_CERT_FILE")
	delete(m, "ZEUGO_TLS_KEY_FILE")
	m["ZEUGO_LISTEN_ADDR"] = "nonsense"
	if _, err := config.Load(env(m), false); err != nil {
		t.Errorf("operator command needs no TLS or listener: %v", err)
	}
	// A key file works like the variable (trailing newline allowed).
	kf := filepath.Join(t.TempDir(), "master.key")
	if err := os.WriteFile(kf, []byte(key(9)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	delete(m, "ZEUGO_MASTER_KEY")
	m["ZEUGO_MASTER_KEY_FILE"] = kf
	c, err = config.Load(env(m), false)
	if err != nil || !bytes.Equal(c.MasterKeys[0], bytes.Repeat([]byte{9}, 32)) {
		t.Errorf("master key file: %v", err)
	}
	// Production never invents a master key in the data directory.
	if _, err := os.Stat(filepath.Join(m["ZEUGO_DATA_DIR"], "master.key")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("production created a master key file: %v", err)
	}
}

func TestLoadDevelopmentDefaults(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nested", ".data")
	m := map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": dir}
	c, err := config.Load(env(m), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != config.Development || c.DatabaseURL != config.DefaultDatabaseURL || c.ListenAddr != ":8443" ||
		c.PublicURL.String() != "https://localhost:8443" {
		t.Errorf("development defaults: %+v", c)
	}
	if c.TLSCertFile != filepath.Join(dir, "tls", "cert.pem") || c.TLSKeyFile != filepath.Join(dir, "tls", "key.pem") {
		t.Errorf("TLS files %s %s, want under %s", c.TLSCertFile, c.TLSKeyFile, dir)
	}
	if !strings.Contains(c.AppDatabaseURL, "zeugo_app@") {
		t.Errorf("app URL %q", c.AppDatabaseURL)
	}
	path := filepath.Join(dir, "master.key")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("development master key not created: %v", err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("master.key mode %v, want 0600", st.Mode().Perm())
	}
	if dst, err := os.Stat(dir); err != nil || dst.Mode().Perm()&0o077 != 0 {
		t.Errorf("data dir mode %v (%v), want no group/other access", dst.Mode().Perm(), err)
	}
	if len(c.MasterKeys) != 1 || len(c.MasterKeys[0]) != config.MasterKeyLen {
		t.Fatalf("master keys %d", len(c.MasterKeys))
	}
	c2, err := config.Load(env(m), false)
	if err != nil || !bytes.Equal(c.MasterKeys[0], c2.MasterKeys[0]) {
		t.Fatalf("second Load returned another master key (%v)", err)
	}
	// An explicit key still wins in development.
	m["ZEUGO_MASTER_KEY"] = key(5)
	c3, err := config.Load(env(m), false)
	if err != nil || !bytes.Equal(c3.MasterKeys[0], bytes.Repeat([]byte{5}, 32)) {
		t.Fatalf("explicit key in development: %v", err)
	}
	// A corrupt development key file is reported, not replaced.
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "master.key"), []byte("kaputt"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = config.Load(env(map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": bad}), false)
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Var != "ZEUGO_MASTER_KEY_FILE" {
		t.Errorf("corrupt development key: %v", err)
	}
}

// TestDevelopmentMasterKeyConcurrentFirstUse: several processes starting at
// once on a fresh data directory (make run starts migrate and serve) must
// all end up with the same, complete key.
func TestDevelopmentMasterKeyConcurrentFirstUse(t *testing.T) {
	t.Parallel()
	for range 20 {
		dir := t.TempDir()
		m := map[string]string{"ZEUGO_ENV": "development", "ZEUGO_DATA_DIR": dir}
		const n = 8
		keys := make([][]byte, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				c, err := config.Load(env(m), false)
				errs[i] = err
				if err == nil {
					keys[i] = c.MasterKeys[0]
				}
			}()
		}
		close(start)
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("concurrent first Load %d: %v", i, errs[i])
			}
			if !bytes.Equal(keys[i], keys[0]) {
				t.Fatalf("concurrent first Loads returned different master keys")
			}
		}
	}
}

func TestNonMigratingServerNeedsNoOwnerCredential(t *testing.T) {
	t.Parallel()
	e := production(t)
	delete(e, "ZEUGO_DATABASE_URL")
	e["ZEUGO_MIGRATE_ON_START"] = "false"
	e["ZEUGO_APP_DATABASE_URL"] = "postgres://zeugo_app:app-pw@db:5432/zeugo?sslmode=verify-full"
	c, err := config.Load(env(e), true)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.DatabaseURL != "" || c.AppDatabaseURL != e["ZEUGO_APP_DATABASE_URL"] {
		t.Fatalf("owner %q, app %q", c.DatabaseURL, c.AppDatabaseURL)
	}
	// A migrating server still needs the owner.
	e["ZEUGO_MIGRATE_ON_START"] = "true"
	var ce *config.Error
	if _, err := config.Load(env(e), true); !errors.As(err, &ce) || ce.Var != "ZEUGO_DATABASE_URL" {
		t.Fatalf("migrating server without owner URL: %v", err)
	}
}

func TestRPCTimeoutDefaultsToTenSecondsAndIsConfigurable(t *testing.T) {
	t.Parallel()
	m := production(t)
	c, err := config.Load(env(m), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.RPCTimeout != 10*time.Second {
		t.Fatalf("default RPCTimeout = %v, want 10s", c.RPCTimeout)
	}
	m["ZEUGO_RPC_TIMEOUT"] = "2500ms"
	if c, err = config.Load(env(m), true); err != nil || c.RPCTimeout != 2500*time.Millisecond {
		t.Fatalf("RPCTimeout = %v, %v; want 2.5s", c.RPCTimeout, err)
	}
}
