package certificates_test

import (
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	"github.com/zeugo/zeugo/backend/internal/dbtest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// zeugoBinary is the server binary: ZEUGO_BIN when set (as for the e2e
// tests), else built from this tree into a temporary directory.
func zeugoBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ZEUGO_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "zeugo")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/zeugo/zeugo/backend/cmd/zeugo")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is `zeugo serve` running as a process of its own.
type server struct {
	t    *testing.T
	bin  string
	env  []string
	cmd  *exec.Cmd
	URL  string
	log  *apptest.SyncBuffer
	addr string
}

// start runs `zeugo serve` and waits until it names its address.
func (s *server) start() {
	s.t.Helper()
	_ = os.Remove(s.addr)
	s.log = &apptest.SyncBuffer{}
	s.cmd = exec.Command(s.bin, "serve")
	s.cmd.Env, s.cmd.Stdout, s.cmd.Stderr = s.env, s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(exited) }()
	cmd := s.cmd
	s.t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
	for {
		if b, err := os.ReadFile(s.addr); err == nil && strings.HasSuffix(string(b), "\n") {
			s.URL = strings.TrimRight(strings.TrimSpace(string(b)), "/")
			return
		}
		select {
		case <-exited:
			s.t.Fatalf("zeugo serve exited: %s", s.log.String())
		case <-time.After(20 * time.Millisecond): // polling for the address file, not a threshold
		}
	}
}

// kill ends the server with SIGKILL: no shutdown, no flush.
func (s *server) kill() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatal(err)
	}
	_, _ = s.cmd.Process.Wait()
}

// session signs in to the server over Connect.
func (s *server) session(email, password string) *client {
	s.t.Helper()
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, ForceAttemptHTTP2: true}} //nolint:gosec // the development certificate of a local test server
	res, err := zeugov1connect.NewAuthServiceClient(hc, s.URL).Login(ctx(), connect.NewRequest(&zeugov1.LoginRequest{Email: email, Password: password}))
	if err != nil {
		s.t.Fatalf("login: %v\n%s", err, s.log.String())
	}
	return clientOf(&apptest.Session{Token: res.Msg.GetTokens().GetAccessToken(), Protocol: apptest.Connect, URL: s.URL, HTTP: hc})
}

var tenantPassword = regexp.MustCompile(`(?m)^  password: (\S+)$`)

// TestKilledServerLeavesOldOrNewStateNeverHalf: `zeugo serve` is killed
// with SIGKILL while section saves and a text generation run; after a
// restart every certificate reads (each section decrypts), each section's
// version counts exactly the saves that committed — those the clients saw
// succeed, plus at most the one in flight — its content is that save's,
// and the change log and the audit chain hold one entry per committed
// save, none for a save that was lost.
func TestKilledServerLeavesOldOrNewStateNeverHalf(t *testing.T) {
	t.Parallel()
	bin := zeugoBinary(t)
	db := dbtest.New(t)
	dir := t.TempDir()
	s := &server{t: t, bin: bin, addr: filepath.Join(dir, "addr"), env: []string{
		"ZEUGO_ENV=development", "ZEUGO_DATA_DIR=" + filepath.Join(dir, "data"),
		"ZEUGO_DATABASE_URL=" + db.OwnerURL, "ZEUGO_APP_DATABASE_URL=" + db.AppURL,
		"ZEUGO_MASTER_KEY=" + base64.StdEncoding.EncodeToString(keyring.NewKey()),
		"ZEUGO_LISTEN_ADDR=127.0.0.1:0", "ZEUGO_ADDR_FILE=" + filepath.Join(dir, "addr"), "ZEUGO_LOG_LEVEL=warn",
		"ZEUGO_HASH_CONCURRENCY=2", "PATH=" + os.Getenv("PATH"), "HOME=" + dir}}
	// Without a second factor: the test signs in with the password alone.
	provision := exec.Command(bin, "tenant", "create", "--name", "Absturz GmbH", "--admin-email", "admin@absturz.example",
		"--require-mfa=false")
	provision.Env = s.env
	out, err := provision.CombinedOutput()
	m := tenantPassword.FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("tenant create: %v %s", err, out)
	}
	email, password := "admin@absturz.example", string(m[1])

	s.start()
	admin := s.session(email, password)
	f := &fixture{admin: admin}
	setTracking(t, admin, true)
	co, err := admin.Org.CreateCompany(ctx(), connect.NewRequest(&zeugov1.CreateCompanyRequest{Fields: &zeugov1.CompanyFields{
		Name: "Absturz GmbH", City: "Kiel"}}))
	if err != nil {
		t.Fatal(err)
	}
	emp := f.employee(t, admin, "C1", "Absturz", co.Msg.GetCompany().GetId())
	const certs = 4
	type state struct {
		cert    *zeugov1.Certificate
		acked   atomic.Int64 // saves the client saw succeed
		gens    atomic.Int64 // generations the client saw succeed
		stopped atomic.Bool
	}
	states := make([]*state, certs)
	for i := range states {
		states[i] = &state{cert: rated(t, admin, create(t, admin, emp.GetId(), final, false))}
	}

	// Each certificate: one writer saving its successes section, one after
	// the other ("Erfolg 1", "Erfolg 2", …), with the version of its last
	// answer; certificate 0 also regenerates its text meanwhile.
	var total atomic.Int64
	const killAfter = 60 // acknowledged saves, all certificates together
	killed := make(chan struct{})
	var wg sync.WaitGroup
	for i, st := range states {
		c := s.session(email, password)
		wg.Go(func() {
			cert := st.cert
			for n := int64(1); ; n++ {
				next, err := update(c, cert, secSuccesses, &zeugov1.UpdateCertificateSectionRequest{Section: &zeugov1.UpdateCertificateSectionRequest_Successes{
					Successes: &zeugov1.TextListSection{Items: []string{fmt.Sprintf("Erfolg %d", n)}}}})
				if err != nil {
					st.stopped.Store(true)
					return // the server is gone: this save may or may not have committed
				}
				cert = next
				st.acked.Store(n)
				if total.Add(1) == killAfter {
					close(killed)
				}
			}
		})
		if i == 0 {
			g := s.session(email, password)
			wg.Go(func() {
				for {
					cur, err := g.Cert.GetCertificate(ctx(), connect.NewRequest(&zeugov1.GetCertificateRequest{Id: st.cert.GetId()}))
					if err != nil {
						return
					}
					if _, err := g.Cert.GenerateCertificateText(ctx(), connect.NewRequest(&zeugov1.GenerateCertificateTextRequest{
						Id: st.cert.GetId(), Version: version(t, cur.Msg.GetCertificate(), secResult)})); err != nil {
						if connect.CodeOf(err) == connect.CodeAborted {
							continue
						}
						return
					}
					st.gens.Add(1)
				}
			})
		}
	}
	<-killed
	s.kill()
	wg.Wait()

	s.start()
	admin = s.session(email, password)
	for i, st := range states {
		got := get(t, admin, st.cert.GetId()) // every section decrypts, or this fails
		v := version(t, got, secSuccesses)
		committed := v - 1 // the section starts at version 1
		acked := st.acked.Load()
		t.Logf("certificate %d: %d saves acknowledged, %d committed", i, acked, committed)
		if committed != acked && committed != acked+1 {
			t.Errorf("certificate %d: %d saves committed, the client saw %d succeed", i, committed, acked)
		}
		if committed > 0 {
			if items := got.GetContent().GetSuccesses().GetItems(); len(items) != 1 || items[0] != fmt.Sprintf("Erfolg %d", committed) {
				t.Errorf("certificate %d: version %d holds %v", i, v, items)
			}
		}
		var logged []string
		for _, ch := range changes(t, admin, st.cert.GetId()) {
			if ch.GetSection() == secSuccesses {
				logged = append(logged, ch.GetAfter())
			}
		}
		if int64(len(logged)) != committed || committed > 0 && logged[0] != fmt.Sprintf("Erfolg %d", committed) {
			t.Errorf("certificate %d: %d saves committed, %d in the change log (newest %v)", i, committed, len(logged), first(logged))
		}
		events := auditCount(t, db, st.cert.GetId(), "certificate.section_updated")
		if want := committed + 2; events != want { // + the two ratings of rated()
			t.Errorf("certificate %d: %d save events, want %d", i, events, want)
		}
		if i == 0 {
			gens := auditCount(t, db, st.cert.GetId(), "certificate.text_generated")
			rv := version(t, got, secResult) - 1
			if gens != rv || rv < st.gens.Load() || rv > st.gens.Load()+1 {
				t.Errorf("generations: %d committed (result version), %d audited, %d acknowledged", rv, gens, st.gens.Load())
			}
		}
		h, err := admin.Cert.ListCertificateHistory(ctx(), connect.NewRequest(&zeugov1.ListCertificateHistoryRequest{Id: st.cert.GetId()}))
		if err != nil || len(h.Msg.GetEntries()) != 1 {
			t.Errorf("certificate %d: history %v %v", i, err, h)
		}
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// auditCount counts the chained audit events of action on a certificate.
func auditCount(t *testing.T, db *dbtest.DB, id, action string) int64 {
	t.Helper()
	var n int64
	if err := db.Owner.QueryRow(ctx(), `SELECT count(*) FROM audit_events WHERE action = $1 AND target_id = $2`, action, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
