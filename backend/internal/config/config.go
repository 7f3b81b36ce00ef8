// Package config turns environment variables into a validated Config. Every
// problem is reported as one line naming the variable and what is wrong, so an
// operator never has to read a stack trace to fix a deployment.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Environment selects defaults: development generates a TLS certificate and a
// master key under DataDir; production requires both to be configured.
type Environment string

const (
	// Production is the default: nothing is generated, everything must be configured.
	Production Environment = "production"
	// Development generates local secrets under DataDir (make run, e2e tests).
	Development Environment = "development"
)

// Config is the validated configuration of the zeugo binary.
type Config struct {
	Env Environment
	// DataDir holds development state (TLS cert, master key, mail sink).
	DataDir string
	// ListenAddr is the TLS listener address, e.g. ":8443" or "localhost:0".
	ListenAddr string
	// AddrFile, when set, receives the base URL once the server listens.
	AddrFile string
	// PublicURL is the address people use, for links in emails.
	PublicURL *url.URL
	// DatabaseURL is the owner role's URL: migrations and operator commands.
	DatabaseURL string
	// AppDatabaseURL is the zeugo_app role's URL: everything the server does.
	AppDatabaseURL string
	// AppDBPassword, when set, is given to the zeugo_app role by migrate.
	AppDBPassword string
	// MasterKeys are the key-encryption keys; the first wraps new data keys,
	// the others only unwrap (during a rotation).
	MasterKeys [][]byte
	// TLSCertFile and TLSKeyFile are the server certificate (PEM).
	TLSCertFile, TLSKeyFile string
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// HashConcurrency bounds concurrent argon2id computations.
	HashConcurrency int
	// MigrateOnStart applies pending migrations when serve starts.
	MigrateOnStart bool
	// LogLevel is the zerolog level name.
	LogLevel string
	// MetricsToken guards /metrics (bearer); empty: loopback only.
	MetricsToken string
	// ShutdownTimeout bounds graceful shutdown.
	ShutdownTimeout time.Duration
	// AccessLog selects the requests the access log records.
	AccessLog AccessLog
	// RPCTimeout is the server deadline of every unary RPC (a client's
	// shorter deadline wins), so no request waits unboundedly on a frozen
	// database.
	RPCTimeout time.Duration
	// HandoverMaxDays is the longest a handover link may stay valid (SPEC
	// §6: "maximum set by the operator"); HR's default is 30 days.
	HandoverMaxDays int
	// Mail configures the outbox's delivery (SMTP relay, sender address,
	// SMS gateway); read for serve only.
	Mail Mail
}

// DefaultHandoverMaxDays is the operator's maximum handover lifetime
// unless ZEUGO_HANDOVER_MAX_DAYS says otherwise.
const DefaultHandoverMaxDays = 90

// Getenv is the lookup Load uses; tests pass a map's lookup.
type Getenv func(string) string

// Error is a configuration problem: which variable and what is wrong.
type Error struct {
	Var     string
	Problem string
}

func (e *Error) Error() string { return e.Var + ": " + e.Problem }

// DefaultDatabaseURL is used when ZEUGO_DATABASE_URL is not set in development.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/zeugo?sslmode=disable"

// DefaultRPCTimeout is the server deadline of an RPC unless
// ZEUGO_RPC_TIMEOUT says otherwise.
const DefaultRPCTimeout = 10 * time.Second

// AppRole is the database role the server runs as (no BYPASSRLS, not owner).
const AppRole = "zeugo_app"

// Load reads and validates the configuration. needServe says whether the
// server-only settings (TLS, listener) must be valid.
func Load(getenv Getenv, needServe bool) (*Config, error) {
	c := &Config{}
	env := strings.TrimSpace(getenv("ZEUGO_ENV"))
	switch env {
	case "", string(Production):
		c.Env = Production
	case string(Development):
		c.Env = Development
	default:
		return nil, &Error{"ZEUGO_ENV", fmt.Sprintf("must be %q or %q, got %q", Production, Development, env)}
	}
	c.DataDir = getenv("ZEUGO_DATA_DIR")
	if c.DataDir == "" {
		c.DataDir = ".data"
	}
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}

	c.MigrateOnStart = true
	if v := getenv("ZEUGO_MIGRATE_ON_START"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, &Error{"ZEUGO_MIGRATE_ON_START", fmt.Sprintf("must be true or false, got %q", v)}
		}
		c.MigrateOnStart = b
	}
	c.DatabaseURL = getenv("ZEUGO_DATABASE_URL")
	c.AppDatabaseURL = getenv("ZEUGO_APP_DATABASE_URL")
	// A server that does not migrate needs no owner credentials at all:
	// then only the zeugo_app URL is required.
	serverOnly := needServe && !c.MigrateOnStart && c.AppDatabaseURL != ""
	if c.DatabaseURL == "" && !serverOnly {
		if c.Env != Development {
			return nil, &Error{"ZEUGO_DATABASE_URL", "is not set (e.g. postgres://zeugo_owner@db:5432/zeugo)"}
		}
		c.DatabaseURL = DefaultDatabaseURL
	}
	if c.DatabaseURL != "" {
		if err := checkPostgresURL(c.DatabaseURL); err != nil {
			return nil, &Error{"ZEUGO_DATABASE_URL", err.Error()}
		}
	}
	if c.AppDatabaseURL == "" {
		u, _ := url.Parse(c.DatabaseURL)
		u.User = url.User(AppRole)
		c.AppDatabaseURL = u.String()
	} else if err := checkPostgresURL(c.AppDatabaseURL); err != nil {
		return nil, &Error{"ZEUGO_APP_DATABASE_URL", err.Error()}
	}

	c.AppDBPassword = getenv("ZEUGO_APP_DB_PASSWORD")

	keys, err := loadMasterKeys(getenv, c)
	if err != nil {
		return nil, err
	}
	c.MasterKeys = keys

	c.LogLevel = getenv("ZEUGO_LOG_LEVEL")
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return nil, &Error{"ZEUGO_LOG_LEVEL", fmt.Sprintf("must be debug, info, warn or error, got %q", c.LogLevel)}
	}

	c.HashConcurrency = runtime.NumCPU()
	if v := getenv("ZEUGO_HASH_CONCURRENCY"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1024 {
			return nil, &Error{"ZEUGO_HASH_CONCURRENCY", fmt.Sprintf("must be a whole number from 1 to 1024, got %q", v)}
		}
		c.HashConcurrency = n
	}
	c.ShutdownTimeout = 20 * time.Second

	c.HandoverMaxDays = DefaultHandoverMaxDays
	if v := getenv("ZEUGO_HANDOVER_MAX_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 365 {
			return nil, &Error{"ZEUGO_HANDOVER_MAX_DAYS", fmt.Sprintf("must be a whole number of days from 1 to 365, got %q", v)}
		}
		c.HandoverMaxDays = n
	}

	c.RPCTimeout = DefaultRPCTimeout
	if v := getenv("ZEUGO_RPC_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond || d > 10*time.Minute {
			return nil, &Error{"ZEUGO_RPC_TIMEOUT", fmt.Sprintf("must be a duration from 100ms to 10m (e.g. 10s), got %q", v)}
		}
		c.RPCTimeout = d
	}

	if !needServe {
		return c, nil
	}
	c.ListenAddr = getenv("ZEUGO_LISTEN_ADDR")
	if c.ListenAddr == "" {
		c.ListenAddr = ":8443"
	}
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil {
		return nil, &Error{"ZEUGO_LISTEN_ADDR", fmt.Sprintf("must be host:port (e.g. :8443), got %q", c.ListenAddr)}
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return nil, &Error{"ZEUGO_LISTEN_ADDR", fmt.Sprintf("port must be 0 to 65535, got %q", port)}
	}
	c.AddrFile = getenv("ZEUGO_ADDR_FILE")
	if c.AccessLog, err = parseAccessLog(getenv, c.Env); err != nil {
		return nil, err
	}
	c.MetricsToken = getenv("ZEUGO_METRICS_TOKEN")
	if c.MetricsToken != "" && len(c.MetricsToken) < 32 {
		return nil, &Error{"ZEUGO_METRICS_TOKEN", "must have at least 32 characters"}
	}

	pub := getenv("ZEUGO_PUBLIC_URL")
	if pub == "" {
		pub = "https://localhost:8443"
	}
	u, err := url.Parse(pub)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Path != "" && u.Path != "/" {
		return nil, &Error{"ZEUGO_PUBLIC_URL", fmt.Sprintf("must be an https origin such as https://zeugo.example.com, got %q", pub)}
	}
	c.PublicURL = u

	c.TLSCertFile, c.TLSKeyFile = getenv("ZEUGO_TLS_CERT_FILE"), getenv("ZEUGO_TLS_KEY_FILE")
	switch {
	case c.TLSCertFile == "" && c.TLSKeyFile == "" && c.Env == Development:
		c.TLSCertFile = filepath.Join(c.DataDir, "tls", "cert.pem")
		c.TLSKeyFile = filepath.Join(c.DataDir, "tls", "key.pem")
	case c.TLSCertFile == "":
		return nil, &Error{"ZEUGO_TLS_CERT_FILE", "is not set (PEM certificate chain; required outside development)"}
	case c.TLSKeyFile == "":
		return nil, &Error{"ZEUGO_TLS_KEY_FILE", "is not set (PEM private key; required outside development)"}
	default:
		for v, f := range map[string]string{"ZEUGO_TLS_CERT_FILE": c.TLSCertFile, "ZEUGO_TLS_KEY_FILE": c.TLSKeyFile} {
			if _, err := os.Stat(f); err != nil {
				return nil, &Error{v, fmt.Sprintf("cannot read %q: %v", f, errors.Unwrap(err))}
			}
		}
	}

	for _, s := range strings.FieldsFunc(getenv("ZEUGO_TRUSTED_PROXIES"), func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, &Error{"ZEUGO_TRUSTED_PROXIES", fmt.Sprintf("%q is not an IP address or CIDR prefix", s)}
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p.Masked())
	}
	if c.Mail, err = parseMail(getenv, c.Env); err != nil {
		return nil, err
	}
	return c, nil
}

func checkPostgresURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("is not a URL (expected postgres://user@host:port/database)")
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return fmt.Errorf("scheme must be postgres://, got %q", u.Scheme)
	}
	if u.Host == "" && u.Query().Get("host") == "" {
		return errors.New("has no host")
	}
	if strings.Trim(u.Path, "/") == "" {
		return errors.New("has no database name")
	}
	if u.User == nil || u.User.Username() == "" {
		return errors.New("has no user name")
	}
	return nil
}

// MasterKeyLen is the size of a master key: AES-256.
const MasterKeyLen = 32

func loadMasterKeys(getenv Getenv, c *Config) ([][]byte, error) {
	raw, from := getenv("ZEUGO_MASTER_KEY"), "ZEUGO_MASTER_KEY"
	if raw == "" {
		if f := getenv("ZEUGO_MASTER_KEY_FILE"); f != "" {
			from = "ZEUGO_MASTER_KEY_FILE"
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, &Error{from, fmt.Sprintf("cannot read %q: %v", f, errors.Unwrap(err))}
			}
			raw = strings.TrimSpace(string(b))
		} else if c.Env == Development {
			from = "ZEUGO_MASTER_KEY_FILE"
			k, err := devMasterKey(c.DataDir)
			if err != nil {
				return nil, &Error{"ZEUGO_DATA_DIR", err.Error()}
			}
			raw = k
		} else {
			return nil, &Error{"ZEUGO_MASTER_KEY", "is not set (32 random bytes, base64; e.g. `openssl rand -base64 32`), nor ZEUGO_MASTER_KEY_FILE"}
		}
	}
	first, err := decodeKey(raw)
	if err != nil {
		return nil, &Error{from, err.Error()}
	}
	keys := [][]byte{first}
	for _, s := range strings.FieldsFunc(getenv("ZEUGO_MASTER_KEYS_OLD"), func(r rune) bool { return r == ',' || r == ' ' }) {
		k, err := decodeKey(s)
		if err != nil {
			return nil, &Error{"ZEUGO_MASTER_KEYS_OLD", err.Error()}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func decodeKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("is not valid base64")
	}
	if len(k) != MasterKeyLen {
		return nil, fmt.Errorf("must decode to %d bytes, got %d", MasterKeyLen, len(k))
	}
	return k, nil
}
