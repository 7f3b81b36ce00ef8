// Package pgcluster runs a private PostgreSQL cluster that one test owns:
// initdb into a temporary directory, a free port on 127.0.0.1, and Stop,
// Start, Freeze and Thaw at the test's will — the outage tests stop and
// freeze a database, which must never be the machine's shared server.
//
// The binaries are taken from $PATH or /usr/lib/postgresql/<version>/bin.
// PostgreSQL refuses to run as root; when the test runs as root, the
// cluster runs as the "postgres" user (runuser). Without binaries the test
// is skipped.
package pgcluster

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Cluster is a private PostgreSQL server.
type Cluster struct {
	t      testing.TB
	bin    string // directory of initdb, pg_ctl, postgres
	dir    string // everything: data, socket, log
	data   string
	port   int
	runAs  string // "" or the user to run the binaries as
	frozen []int
}

// New creates and starts a cluster for t (superuser "postgres", trust
// authentication, fsync off). It is stopped and removed when t ends.
func New(t testing.TB) *Cluster {
	t.Helper()
	bin := findBin()
	if bin == "" {
		t.Skip("pgcluster: no PostgreSQL server binaries (initdb, pg_ctl) in $PATH or /usr/lib/postgresql/*/bin")
	}
	c := &Cluster{t: t, bin: bin}
	if os.Geteuid() == 0 {
		c.runAs = "postgres"
		u, err := user.Lookup(c.runAs)
		if err != nil {
			t.Fatalf("pgcluster: running as root needs the %q user: %v", c.runAs, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		// t.TempDir's parent is private to root: the server needs a
		// directory of its own.
		dir, err := os.MkdirTemp("", "pgcluster-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.RemoveAll(dir) })
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.dir = dir
	} else {
		c.dir = t.TempDir()
	}
	c.data = filepath.Join(c.dir, "data")
	c.run("initdb", "-D", c.data, "-U", "postgres", "--auth=trust", "-N", "--no-instructions",
		"-E", "UTF8", "--no-locale")
	t.Cleanup(c.cleanup)
	var err error
	for range 5 { // a free port can be taken between choosing and listening
		if c.port, err = freePort(); err != nil {
			t.Fatal(err)
		}
		if err = c.start(); err == nil {
			return c
		}
	}
	t.Fatalf("pgcluster: start: %v\n%s", err, c.logTail())
	return nil
}

// URL is a superuser URL of database db on the cluster.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
}

// Stop stops the server the hard way (pg_ctl stop -m immediate): every
// backend dies at once, as in a crash; the next Start recovers.
func (c *Cluster) Stop() {
	c.t.Helper()
	c.run("pg_ctl", "-D", c.data, "-m", "immediate", "-w", "stop")
}

// Start starts the server again on the same port.
func (c *Cluster) Start() {
	c.t.Helper()
	if err := c.start(); err != nil {
		c.t.Fatalf("pgcluster: start: %v\n%s", err, c.logTail())
	}
}

// Freeze stops (SIGSTOP) the postmaster and every backend: connections stay
// open and new ones are accepted by the kernel, but nothing answers — a
// hung database, not a dead one. Linux only (the processes are found in
// /proc); elsewhere the test is skipped.
func (c *Cluster) Freeze() {
	c.t.Helper()
	pids := c.processes()
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGSTOP)
	}
	c.frozen = pids
}

// Thaw resumes what Freeze stopped.
func (c *Cluster) Thaw() {
	for _, pid := range c.frozen {
		_ = syscall.Kill(pid, syscall.SIGCONT)
	}
	c.frozen = nil
}

func (c *Cluster) cleanup() {
	c.Thaw()
	if _, err := os.Stat(filepath.Join(c.data, "postmaster.pid")); err == nil {
		_ = c.cmd("pg_ctl", "-D", c.data, "-m", "immediate", "-w", "stop").Run()
	}
}

func (c *Cluster) start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"+
		" -c max_connections=100 -c shared_buffers=16MB", c.port, c.dir)
	cmd := c.cmd("pg_ctl", "-D", c.data, "-l", filepath.Join(c.dir, "log"), "-w", "-t", "120", "-o", opts, "start")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

// processes lists the postmaster and its children.
func (c *Cluster) processes() []int {
	b, err := os.ReadFile(filepath.Join(c.data, "postmaster.pid"))
	if err != nil {
		c.t.Fatalf("pgcluster: not running: %v", err)
	}
	master, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		c.t.Fatalf("pgcluster: postmaster.pid: %v", err)
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		c.t.Skipf("pgcluster: no /proc to find the server's processes: %v", err)
	}
	pids := []int{master}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may contain spaces and parentheses.
		rest := string(stat[bytes.LastIndexByte(stat, ')')+1:])
		if f := strings.Fields(rest); len(f) > 1 && f[1] == strconv.Itoa(master) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func (c *Cluster) cmd(name string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if c.runAs != "" {
		cmd = exec.Command("runuser", append([]string{"-u", c.runAs, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	// The server must not inherit the test's PG* settings.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "LC_ALL=C")
	return cmd
}

func (c *Cluster) run(name string, args ...string) {
	c.t.Helper()
	if out, err := c.cmd(name, args...).CombinedOutput(); err != nil {
		c.t.Fatalf("pgcluster: %s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, out, c.logTail())
	}
}

func (c *Cluster) logTail() string {
	b, _ := os.ReadFile(filepath.Join(c.dir, "log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// findBin returns the directory with initdb and pg_ctl: $PATH first, then
// the newest /usr/lib/postgresql/<version>/bin.
func findBin() string {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	return ""
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func freePort() (int, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// WaitFor calls ok until it returns true or limit passes; it reports
// whether ok succeeded. For conditions that depend on a real server
// (recovery after Start), polled every 50 ms.
func WaitFor(limit time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(limit)
	for {
		if ok() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}
