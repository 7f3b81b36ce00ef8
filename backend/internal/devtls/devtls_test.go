package devtls

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestEnsureCreatesAP256CertificateForLocalhostOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "tls", "cert.pem"), filepath.Join(dir, "tls", "key.pem")
	now := time.Now()
	created, err := Ensure(cert, key, now)
	if err != nil || !created {
		t.Fatalf("first Ensure: %v %v", created, err)
	}
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Fatalf("key is %T, want ECDSA P-256", leaf.PublicKey)
	}
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := leaf.VerifyHostname(host); err != nil {
			t.Errorf("not valid for %s: %v", host, err)
		}
	}
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	if created, err := Ensure(cert, key, now.Add(time.Hour)); err != nil || created {
		t.Fatalf("a valid certificate was replaced: %v %v", created, err)
	}
	// Within a week of expiry it is renewed.
	if created, err := Ensure(cert, key, leaf.NotAfter.Add(-24*time.Hour)); err != nil || !created {
		t.Fatalf("an expiring certificate was kept: %v %v", created, err)
	}
}

func TestServerConfigIsTLS13Only(t *testing.T) {
	t.Parallel()
	c := ServerConfig(tls.Certificate{})
	if c.MinVersion != tls.VersionTLS13 || len(c.NextProtos) == 0 || c.NextProtos[0] != "h2" {
		t.Fatalf("config %+v", c)
	}
}
