package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// sample is the example data of examples/hr-sync.
var sample = filepath.Join("..", "..", "..", "examples", "hr-sync")

// TestExampleAgainstServer runs the example as its README does against a
// test server (TLS, HTTP/2, a real API key), so that it cannot rot.
func TestExampleAgainstServer(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Beispiel GmbH", "admin@beispiel.example")
	hc := env.HTTPClient()
	login, err := env.AuthClient(hc, apptest.Connect).Login(context.Background(),
		connect.NewRequest(&zeugov1.LoginRequest{Email: ten.Email, Password: ten.Password}))
	if err != nil {
		t.Fatal(err)
	}
	keys := zeugov1connect.NewApiKeyServiceClient(hc, env.Server.URL,
		connect.WithInterceptors(apptest.Bearer(login.Msg.GetTokens().GetAccessToken())))
	key, err := keys.CreateApiKey(context.Background(), connect.NewRequest(&zeugov1.CreateApiKeyRequest{Name: "HR-Sync",
		Scopes: []*zeugov1.ApiKeyScope{{Service: "employees", Access: zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE}}}))
	if err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: env.Server.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"ZEUGO_URL": env.Server.URL, "ZEUGO_API_KEY": key.Msg.GetSecret(), "ZEUGO_CA_FILE": ca}
	sync := func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), func(k string) string { return vars[k] }, args, &out, &errOut)
		return out.String(), errOut.String(), err
	}

	out, report, err := sync("-export", "csv", filepath.Join(sample, "employees.csv"))
	if err != nil {
		t.Fatalf("%v\n%s", err, report)
	}
	if !strings.Contains(report, "3 created, 0 updated, 0 unchanged") {
		t.Fatalf("report: %s", report)
	}
	for _, want := range []string{"Jördis", "Yılmaz", "Budgetplanung", "1003"} {
		if !strings.Contains(out, want) {
			t.Errorf("the export lacks %q:\n%s", want, out)
		}
	}
	if _, report, err = sync("-export", "none", filepath.Join(sample, "employees.csv")); err != nil ||
		!strings.Contains(report, "0 created, 0 updated, 3 unchanged") {
		t.Fatalf("second run: %v %s", err, report)
	}
	out, report, err = sync("-export", "json", filepath.Join(sample, "employees.json"))
	if err != nil || !strings.Contains(report, "1 created") || !strings.Contains(out, "Groß") || !strings.Contains(out, "Schäfer") {
		t.Fatalf("json: %v %s %s", err, report, out)
	}

	// Long records go in several calls, each under the server's 8 MiB.
	var big []map[string]any
	long := strings.Repeat("Abschlüsse", 100) // 1,000 characters, the most a task may have
	for i := range 160 {
		tasks := make([]string, 50)
		for j := range tasks {
			tasks[j] = long
		}
		big = append(big, map[string]any{"personnelNumber": fmt.Sprintf("L%03d", i), "firstName": "Lang",
			"lastName": "Schreiber", "tasks": tasks})
	}
	bigFile := filepath.Join(t.TempDir(), "big.json")
	b, _ := json.Marshal(big)
	if err := os.WriteFile(bigFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, report, err = sync("-export", "none", bigFile); err != nil || strings.Count(report, "created") != 2 ||
		!strings.Contains(report, "to 160: ") {
		t.Fatalf("long records (%d bytes): %v\n%s", len(b), err, report)
	}

	// A file with a bad employee stores nothing and names it.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("personnel_number,first_name,last_name,entry_date,exit_date\n"+
		"3001,Anna,Neu,2020-01-01,\n3002,Bert,Falsch,2020-01-01,2019-12-31\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, report, err = sync("-export", "none", bad); err == nil || !strings.Contains(report, "employee 2: employees[1].exit_date") {
		t.Fatalf("bad file: %v\n%s", err, report)
	}
	out, _, err = sync("-export-only", "-export", "csv")
	if err != nil || strings.Contains(out, "3001") {
		t.Fatalf("after the refused file: %v %s", err, out)
	}
}
