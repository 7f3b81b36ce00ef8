// Command hr-sync is the example client of Zeugo's HR-system interface
// (examples/hr-sync/README.md): it reads employees from a CSV or JSON
// file, sends them to EmployeeService.UpsertEmployees over gRPC (TLS,
// HTTP/2) authenticated by an API key, in batches of up to 1,000, and then
// streams ExportEmployees to standard output.
//
//	ZEUGO_URL=https://zeugo.example.de ZEUGO_API_KEY=zk_… \
//	  go run ./examples/hr-sync -export csv ../examples/hr-sync/employees.csv > export.csv
//
// Environment: ZEUGO_URL (the server), ZEUGO_API_KEY (a key with the scope
// employees:write; employees:read suffices with -export-only), and
// optionally ZEUGO_CA_FILE (PEM certificates to trust instead of the
// system's, e.g. a test CA).
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// batchSize is the most employees the server takes per call; batchBytes
// keeps a batch of long records under the server's request limit for
// UpsertEmployees (8 MiB).
const (
	batchSize  = 1000
	batchBytes = 7 << 20
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Getenv, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "hr-sync:", err)
		os.Exit(1)
	}
}

// run is the program: getenv and args as the process has them, the export
// to stdout, the report to stderr.
func run(ctx context.Context, getenv func(string) string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("hr-sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	export := fs.String("export", "csv", "format of the export written to standard output: csv, json or none")
	exportOnly := fs.Bool("export-only", false, "upsert nothing, only export")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: hr-sync [-export csv|json|none] [-export-only] [employees.csv|employees.json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	url, key := strings.TrimRight(getenv("ZEUGO_URL"), "/"), getenv("ZEUGO_API_KEY")
	if url == "" || key == "" {
		return errors.New("set ZEUGO_URL and ZEUGO_API_KEY")
	}
	hc, err := httpClient(getenv("ZEUGO_CA_FILE"))
	if err != nil {
		return err
	}
	c := zeugov1connect.NewEmployeeServiceClient(hc, url, connect.WithGRPC(),
		connect.WithInterceptors(apiKey(key)))

	if !*exportOnly {
		if fs.NArg() != 1 {
			fs.Usage()
			return errors.New("name one file of employees")
		}
		employees, err := readEmployees(fs.Arg(0))
		if err != nil {
			return err
		}
		if err := upsert(ctx, c, employees, stderr); err != nil {
			return err
		}
	}
	switch *export {
	case "none":
		return nil
	case "csv":
		return exportTo(ctx, c, zeugov1.ExportFormat_EXPORT_FORMAT_CSV, stdout)
	case "json":
		return exportTo(ctx, c, zeugov1.ExportFormat_EXPORT_FORMAT_JSON, stdout)
	}
	return fmt.Errorf("unknown export format %q", *export)
}

// httpClient speaks HTTP/2 over TLS 1.2+ (gRPC needs HTTP/2), trusting
// caFile's certificates when given, else the system's.
func httpClient(caFile string) (*http.Client, error) {
	conf := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, err
		}
		conf.RootCAs = x509.NewCertPool()
		if !conf.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
		}
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: conf, ForceAttemptHTTP2: true,
		TLSHandshakeTimeout: 10 * time.Second}}, nil
}

// apiKey sends the key as a bearer token on every call.
type apiKey string

func (k apiKey) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		req.Header().Set("Authorization", "Bearer "+string(k))
		return next(ctx, req)
	}
}

func (k apiKey) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		conn.RequestHeader().Set("Authorization", "Bearer "+string(k))
		return conn
	}
}

func (k apiKey) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// readEmployees reads a .json file (an array of EmployeeFields in the
// proto's JSON form) or a CSV file (UTF-8, comma or semicolon) whose
// header names EmployeeFields fields: personnel_number, first_name,
// last_name, salutation (herr, frau, divers), birth_date (YYYY-MM-DD),
// company_id, …; tasks are separated by "|".
func readEmployees(name string) ([]*zeugov1.EmployeeFields, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(filepath.Ext(name), ".json") {
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out := make([]*zeugov1.EmployeeFields, len(raw))
		for i, r := range raw {
			out[i] = &zeugov1.EmployeeFields{}
			if err := protojson.Unmarshal(r, out[i]); err != nil {
				return nil, fmt.Errorf("%s: employee %d: %w", name, i+1, err)
			}
		}
		return out, nil
	}
	text := strings.TrimPrefix(string(b), "\ufeff")
	r := csv.NewReader(strings.NewReader(text))
	if first, _, _ := strings.Cut(text, "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: no employees below the header", name)
	}
	header := rows[0]
	var out []*zeugov1.EmployeeFields
	for line, row := range rows[1:] {
		m := map[string]any{}
		for i, h := range header {
			h, v := strings.TrimSpace(h), strings.TrimSpace(row[i])
			switch {
			case v == "":
			case h == "tasks":
				m[h] = strings.Split(v, "|")
			case h == "salutation" || h == "exit_reason":
				m[h] = strings.ToUpper(h + "_" + v) // "frau" → SALUTATION_FRAU
			default:
				m[h] = v
			}
		}
		j, err := json.Marshal(m)
		if err != nil {
			return nil, err
		}
		f := &zeugov1.EmployeeFields{}
		if err := protojson.Unmarshal(j, f); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", name, line+2, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// upsert sends the employees in batches and reports what each batch did.
// A batch holds at most batchSize employees and batchBytes of them (the
// server refuses larger requests); a refused batch stored nothing, and
// its problems are printed by employee (number in the file) and field.
func upsert(ctx context.Context, c zeugov1connect.EmployeeServiceClient, all []*zeugov1.EmployeeFields, stderr io.Writer) error {
	for start := 0; start < len(all); {
		end, size := start, 0
		for end < len(all) && end-start < batchSize {
			n := proto.Size(all[end]) + 8 // the field's tag and length
			if end > start && size+n > batchBytes {
				break
			}
			size += n
			end++
		}
		res, err := c.UpsertEmployees(ctx, connect.NewRequest(&zeugov1.UpsertEmployeesRequest{Employees: all[start:end]}))
		if err != nil {
			report(stderr, err, start)
			return fmt.Errorf("employees %d to %d were not stored", start+1, end)
		}
		n := map[zeugov1.UpsertOutcome]int{}
		for _, r := range res.Msg.GetResults() {
			n[r.GetOutcome()]++
		}
		fmt.Fprintf(stderr, "employees %d to %d: %d created, %d updated, %d unchanged\n", start+1, end,
			n[zeugov1.UpsertOutcome_UPSERT_OUTCOME_CREATED], n[zeugov1.UpsertOutcome_UPSERT_OUTCOME_UPDATED],
			n[zeugov1.UpsertOutcome_UPSERT_OUTCOME_UNCHANGED])
		start = end
	}
	return nil
}

// employeeIndex finds the index in "employees[3].exit_date".
var employeeIndex = regexp.MustCompile(`^employees\[(\d+)\]`)

// report prints an error and each field it names, e.g.
// "employee 4: employees[3].exit_date: …" (the index counts within the
// batch that started at offset; the employee number within the file).
func report(w io.Writer, err error, offset int) {
	fmt.Fprintf(w, "refused (%s)\n", connect.CodeOf(err))
	var ce *connect.Error
	if !errors.As(err, &ce) {
		fmt.Fprintln(w, " ", err)
		return
	}
	fmt.Fprintln(w, " ", ce.Message())
	for _, d := range ce.Details() {
		m, derr := d.Value()
		v, ok := m.(*validate.Violations)
		if derr != nil || !ok {
			continue
		}
		for _, x := range v.GetViolations() {
			path := ""
			for i, e := range x.GetField().GetElements() {
				if i > 0 {
					path += "."
				}
				path += e.GetFieldName()
				if k, ok := e.GetSubscript().(*validate.FieldPathElement_Index); ok {
					path += fmt.Sprintf("[%d]", k.Index)
				}
			}
			employee := 0
			if m := employeeIndex.FindStringSubmatch(path); m != nil {
				n, _ := strconv.Atoi(m[1])
				employee = offset + n + 1
			}
			fmt.Fprintf(w, "  employee %d: %s: %s\n", employee, path, x.GetMessage())
		}
	}
}

// exportTo streams an export into w, chunk by chunk.
func exportTo(ctx context.Context, c zeugov1connect.EmployeeServiceClient, f zeugov1.ExportFormat, w io.Writer) error {
	stream, err := c.ExportEmployees(ctx, connect.NewRequest(&zeugov1.ExportEmployeesRequest{Format: f}))
	if err != nil {
		return err
	}
	defer stream.Close()
	for stream.Receive() {
		if _, err := w.Write(stream.Msg().GetChunk()); err != nil {
			return err
		}
	}
	return stream.Err()
}
