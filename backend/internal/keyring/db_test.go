package keyring_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/dbtest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/tenant"
)

// userAgent is an interceptor that sets the User-Agent header.
func userAgent(ua string) connect.Interceptor {
	return connect.UnaryInterceptorFunc(func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			req.Header().Set("User-Agent", ua)
			return next(ctx, req)
		}
	})
}

// dumpAll returns every row of every table in the public schema as text,
// read as the owner (what a database administrator or a backup sees).
func dumpAll(t *testing.T, env *apptest.Env) (string, int) {
	t.Helper()
	ctx := context.Background()
	rows, err := env.DB.Owner.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, tbl := range tables {
		rows, err := env.DB.Owner.Query(ctx, "SELECT t::text FROM "+pgx.Identifier{tbl}.Sanitize()+" t")
		if err != nil {
			t.Fatalf("dump %s: %v", tbl, err)
		}
		lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			b.WriteString(tbl + ": " + l + "\n")
		}
	}
	return b.String(), len(tables)
}

// TestNoPlaintextPersonalDataAtRest provisions a tenant and signs in (once
// wrongly, once rightly), then reads every table as the owner: neither the
// administrator's email and names nor the client's IP address and user
// agent (stored with the audit events) may appear in clear or as hex.
func TestNoPlaintextPersonalDataAtRest(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ctx := context.Background()
	const (
		email = "friederike.quastenflosser@klartext.example"
		first = "Friederike"
		last  = "Quastenflosser-Ölmüller"
		ua    = "ZeugoPlaintextProbe/7.3 (Klartextsuche)"
		ip    = "127.0.0.1"
		// A managing director in a company letterhead (G21).
		director = "Dr. Gundolf Zaunkönig-Schwarzbach"
	)
	pw := "Sicher-" + tenant.GeneratePassword()
	if _, err := env.Owner.Provisioner.Create(ctx, tenant.NewTenant{Name: "Klartext KG", AdminEmail: email,
		AdminFirstName: first, AdminLastName: last, AdminPassword: pw}); err != nil {
		t.Fatal(err)
	}
	c := authClient(env, userAgent(ua))
	if _, err := c.Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: "falsch-falsch-falsch"})); err == nil {
		t.Fatal("wrong password accepted")
	}
	res, err := c.Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: strings.ToUpper(email), Password: pw, RefreshTokenInBody: true}))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	if got := res.Msg.GetPrincipal(); got.GetEmail() != email || got.GetFirstName() != first || got.GetLastName() != last {
		t.Fatalf("principal does not decrypt: %v", got)
	}
	org := env.OrgClient(env.HTTPClient(), apptest.Connect, res.Msg.GetTokens().GetAccessToken())
	co, err := org.CreateCompany(ctx, connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
		Name: "Klartext KG", ManagingDirectors: director}}))
	if err != nil || co.Msg.GetCompany().GetFields().GetManagingDirectors() != director {
		t.Fatalf("company with managing director: %v", err)
	}

	dump, tables := dumpAll(t, env)
	lower := strings.ToLower(dump)
	if tables < 10 || !strings.Contains(dump, "users: ") || !strings.Contains(dump, "audit_events: ") {
		t.Fatalf("dump covers %d tables; users or audit_events missing", tables)
	}
	// The audit events do carry the IP and user agent — encrypted.
	var withIP, withUA int
	if err := env.DB.Owner.QueryRow(ctx, `SELECT count(ip_enc), count(user_agent_enc) FROM audit_events`).Scan(&withIP, &withUA); err != nil || withIP < 2 || withUA < 2 {
		t.Fatalf("audit events with encrypted ip %d, user agent %d (%v); want ≥ 2 each", withIP, withUA, err)
	}
	// The application log must not carry them either (DESIGN.md §3.10).
	logText := strings.ToLower(env.Log.String())
	if !strings.Contains(logText, "login") {
		t.Errorf("the server log has no login entries, so this check proves nothing: %.500s", env.Log.String())
	}
	for _, secret := range []string{email, strings.Split(email, "@")[0], first, last, "Ölmüller", ua, "Klartextsuche", pw} {
		if strings.Contains(logText, strings.ToLower(secret)) {
			t.Errorf("the server log contains %q", secret)
		}
	}
	for _, secret := range []string{email, strings.Split(email, "@")[0], first, last, "Ölmüller", ua, "Klartextsuche", ip, director, "Zaunkönig"} {
		s := strings.ToLower(secret)
		if strings.Contains(lower, s) {
			i := strings.Index(lower, s)
			t.Errorf("plaintext %q found at rest: …%s…", secret, dump[max(0, i-80):min(len(dump), i+len(s)+20)])
		}
		if h := hex.EncodeToString([]byte(secret)); strings.Contains(lower, h) {
			t.Errorf("hex of plaintext %q found at rest", secret)
		}
	}
}

func authClient(env *apptest.Env, ics ...connect.Interceptor) zeugov1connect.AuthServiceClient {
	return newAuthClient(env.HTTPClient(), env.Server.URL, ics...)
}

// TestSwappedCiphertextInDatabaseFails swaps two encrypted columns of one
// row, and the email ciphertexts of two users of one tenant, directly in the
// database (what an attacker with write access might try): reading them back
// fails with an error instead of showing another person's data.
func TestSwappedCiphertextInDatabaseFails(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ctx := context.Background()
	ten := env.CreateTenant("Tausch AG", "admin@tausch.example")
	other := env.CreateTenant("Anders AG", "admin@anders.example")

	var first, last []byte
	if err := env.DB.Owner.QueryRow(ctx, `SELECT first_name_enc, last_name_enc FROM users WHERE id = $1`, ten.AdminID).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	var otherEmail []byte
	if err := env.DB.Owner.QueryRow(ctx, `SELECT email_enc FROM users WHERE id = $1`, other.AdminID).Scan(&otherEmail); err != nil {
		t.Fatal(err)
	}
	err := env.App.DB.TenantTx(ctx, ten.TenantID, func(tx pgx.Tx) error {
		c, err := env.App.Keys.Tenant(ctx, tx, ten.TenantID)
		if err != nil {
			return err
		}
		if s, err := c.OpenString(ctx, ten.AdminID, "users.first_name", first); err != nil || s != "Administrator" {
			t.Errorf("genuine value: %q, %v", s, err)
		}
		for name, try := range map[string]func() ([]byte, error){
			"other column":              func() ([]byte, error) { return c.Open(ctx, ten.AdminID, "users.first_name", last) },
			"other row":                 func() ([]byte, error) { return c.Open(ctx, uuid.New(), "users.first_name", first) },
			"other tenant's ciphertext": func() ([]byte, error) { return c.Open(ctx, other.AdminID, "users.email", otherEmail) },
			// A version this tenant does not have: the keyring reloads
			// from the database, finds nothing and fails cleanly.
			"unknown key version": func() ([]byte, error) {
				return c.Open(ctx, ten.AdminID, "users.first_name", append([]byte{1, 0, 0, 0, 9}, first[5:]...))
			},
		} {
			if got, err := try(); !errors.Is(err, keyring.ErrDecrypt) || got != nil {
				t.Errorf("%s: %q, %v; want ErrDecrypt", name, got, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// End to end: swap first and last name in the row; the profile then
	// fails to load instead of showing swapped names.
	if _, err := env.DB.Owner.Exec(ctx, `UPDATE users SET first_name_enc = last_name_enc, last_name_enc = first_name_enc WHERE id = $1`, ten.AdminID); err != nil {
		t.Fatal(err)
	}
	_, err = authClient(env).Login(ctx, connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err == nil {
		t.Fatal("login with swapped name ciphertexts returned a profile")
	}
	if connect.CodeOf(err) != connect.CodeInternal || strings.Contains(err.Error(), "Administrator") {
		t.Errorf("swapped ciphertexts: got %v, want a bare internal error", err)
	}
}

// TestEnsurePlatformKeyConcurrently: replicas starting together on a fresh
// database agree on one blind-index key (otherwise logins would fail on
// some of them), and a replica with another master key cannot read it.
func TestEnsurePlatformKeyConcurrently(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	master := keyring.NewKey()
	const n = 6
	got := make([][]keyring.PlatformKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := keyring.NewMaster([][]byte{master})
			if err != nil {
				errs[i] = err
				return
			}
			<-start
			got[i], errs[i] = keyring.New(m, nil).EnsurePlatformKey(ctx, db.App, keyring.BlindIndexKey)
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		if len(got[i]) != 1 || got[i][0].Version != 1 || !bytes.Equal(got[i][0].Key, got[0][0].Key) {
			t.Fatalf("replica %d got another blind-index key", i)
		}
	}
	other, _ := keyring.NewMaster([][]byte{keyring.NewKey()})
	if _, err := keyring.New(other, nil).EnsurePlatformKey(ctx, db.App, keyring.BlindIndexKey); err == nil {
		t.Error("a replica with a foreign master key read the platform key")
	}
}
