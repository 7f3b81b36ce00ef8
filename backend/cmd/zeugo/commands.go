package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	stdlog "log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/rs/zerolog"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/app"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/certificates"
	"github.com/zeugo/zeugo/backend/internal/config"
	"github.com/zeugo/zeugo/backend/internal/devtls"
	"github.com/zeugo/zeugo/backend/internal/employees"
	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/organization"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/tenant"
)

// zerolog's time format is a package variable: set once, before any
// command runs (tests run commands in parallel).
func init() { zerolog.TimeFieldFormat = time.RFC3339Nano }

func newLogger(cfg *config.Config) zerolog.Logger {
	lvl, _ := zerolog.ParseLevel(cfg.LogLevel)
	return zerolog.New(os.Stderr).Level(lvl).With().Timestamp().Str("service", "zeugo").Logger()
}

// openOwner connects with the owner role (migrations, operator commands).
func openOwner(ctx context.Context, cfg *config.Config) (*pgxpool.Pool, error) {
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("database (ZEUGO_DATABASE_URL): %w", err)
	}
	return pool, nil
}

func cmdMigrate(ctx context.Context, getenv config.Getenv, stdout io.Writer) error {
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return err
	}
	pool, err := openOwner(ctx, cfg)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "3D000" { // database does not exist
		if cerr := postgres.CreateDatabase(ctx, cfg.DatabaseURL); cerr != nil {
			return fmt.Errorf("create database (ZEUGO_DATABASE_URL): %w", cerr)
		}
		fmt.Fprintln(stdout, "created database")
		pool, err = openOwner(ctx, cfg)
	}
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	if err := prepareAudit(ctx, cfg, pool, stdout); err != nil {
		return err
	}
	if cfg.AppDBPassword != "" {
		if err := postgres.SetAppPassword(ctx, pool, cfg.AppDBPassword); err != nil {
			return fmt.Errorf("set password of %s (ZEUGO_APP_DB_PASSWORD): %w", postgres.AppRole, err)
		}
	}
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}

// operatorApp builds the components over the owner pool.
func operatorApp(ctx context.Context, getenv config.Getenv) (*app.App, func(), error) {
	cfg, err := config.Load(getenv, false)
	if err != nil {
		return nil, nil, err
	}
	pool, err := openOwner(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	a, err := app.Build(ctx, cfg, newLogger(cfg), pool, app.Options{})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return a, func() { a.Close(); pool.Close() }, nil
}

func cmdTenant(ctx context.Context, args []string, getenv config.Getenv, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return &usageError{"usage: zeugo tenant create --name NAME --admin-email EMAIL [--slug SLUG] [--admin-first-name F] [--admin-last-name L] [--require-mfa=true]"}
	}
	fs := flag.NewFlagSet("tenant create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("name", "", "display name of the tenant")
	email := fs.String("admin-email", "", "email of the first administrator")
	slug := fs.String("slug", "", "short unique name (default: derived from --name)")
	first := fs.String("admin-first-name", "", "first name of the administrator")
	last := fs.String("admin-last-name", "", "last name of the administrator")
	mfa := fs.Bool("require-mfa", true, "require a second factor for all users")
	if err := fs.Parse(args[1:]); err != nil {
		return &usageError{"tenant create: " + err.Error()}
	}
	if *name == "" || *email == "" {
		return &usageError{"tenant create: --name and --admin-email are required"}
	}
	a, done, err := operatorApp(ctx, getenv)
	if err != nil {
		return err
	}
	defer done()
	c, err := a.Provisioner.Create(ctx, tenant.NewTenant{Name: *name, Slug: *slug, AdminEmail: *email,
		AdminFirstName: *first, AdminLastName: *last, RequireMFA: *mfa})
	if err != nil {
		return friendly(err)
	}
	fmt.Fprintf(stdout, "tenant created\n  id:       %s\n  slug:     %s\n  admin:    %s\n  password: %s\n"+
		"The password is shown only now; the administrator should change it after the first login.\n",
		c.TenantID, c.Slug, strings.ToLower(strings.TrimSpace(*email)), c.AdminPassword)
	return nil
}

func cmdUser(ctx context.Context, args []string, getenv config.Getenv, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "unlock" {
		return &usageError{"usage: zeugo user unlock --email EMAIL --tenant SLUG_OR_ID"}
	}
	fs := flag.NewFlagSet("user unlock", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "email of the locked account")
	ten := fs.String("tenant", "", "tenant slug or id")
	if err := fs.Parse(args[1:]); err != nil {
		return &usageError{"user unlock: " + err.Error()}
	}
	if *email == "" || *ten == "" {
		return &usageError{"user unlock: --email and --tenant are required"}
	}
	a, done, err := operatorApp(ctx, getenv)
	if err != nil {
		return err
	}
	defer done()
	id, err := a.Provisioner.Unlock(ctx, *ten, *email)
	if err != nil {
		return friendly(err)
	}
	fmt.Fprintf(stdout, "account %s unlocked\n", id)
	return nil
}

func cmdKeys(ctx context.Context, args []string, getenv config.Getenv, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		return &usageError{"usage: zeugo keys rotate [--new-data-keys]"}
	}
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	newDEKs := fs.Bool("new-data-keys", false, "also start a new data-key version for every tenant")
	if err := fs.Parse(args[1:]); err != nil {
		return &usageError{"keys rotate: " + err.Error()}
	}
	a, done, err := operatorApp(ctx, getenv)
	if err != nil {
		return err
	}
	defer done()
	res, err := a.Keys.Rotate(ctx, a.Pool, *newDEKs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "re-wrapped %d platform keys and %d tenant data keys under master key %s; %d new data keys\n",
		res.PlatformKeys, res.TenantKeys, a.Keys.Master.CurrentID(), res.NewDataKeys)
	return nil
}

// Demo tenant of `make run`.
const (
	demoSlug  = "muster-gmbh"
	demoName  = "Muster GmbH"
	demoEmail = "admin@muster.example"
)

func cmdDemo(ctx context.Context, getenv config.Getenv, stdout io.Writer) error {
	a, done, err := operatorApp(ctx, getenv)
	if err != nil {
		return err
	}
	defer done()
	if a.Cfg.Env != config.Development {
		return &usageError{"demo: the demo tenant exists only in development (ZEUGO_ENV=development)"}
	}
	pw := getenv("ZEUGO_DEMO_PASSWORD")
	if pw == "" {
		if pw, err = demoPassword(a.Cfg.DataDir); err != nil {
			return fmt.Errorf("demo password (ZEUGO_DATA_DIR): %w", err)
		}
	}
	id, err := a.Provisioner.FindBySlug(ctx, demoSlug)
	if err != nil {
		return err
	}
	if id == [16]byte{} {
		c, err := a.Provisioner.Create(ctx, tenant.NewTenant{Name: demoName, Slug: demoSlug, AdminEmail: demoEmail,
			AdminFirstName: "Erika", AdminLastName: "Mustermann", AdminPassword: pw, RequireMFA: false})
		if err != nil {
			return friendly(err)
		}
		if err := seedDemo(ctx, a, c); err != nil {
			return err
		}
	} else if err := a.Provisioner.SetPassword(ctx, id, demoEmail, pw); err != nil {
		return friendly(err)
	}
	fmt.Fprintf(stdout, "Demo-Mandant / demo tenant: %s\n  E-Mail:   %s\n  Passwort: %s\n", demoName, demoEmail, pw)
	return nil
}

func demoPassword(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "demo-password")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 12 {
		return strings.TrimSpace(string(b)), nil
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", err
	}
	pw := tenant.GeneratePassword()
	return pw, os.WriteFile(path, []byte(pw+"\n"), 0o600)
}

// seedDemo gives the demo tenant a small structure to look at, created
// through the organisation service as its administrator.
func seedDemo(ctx context.Context, a *app.App, c *tenant.Created) error {
	ctx = access.WithPrincipal(ctx, &access.Principal{Kind: access.KindUser, ActorID: c.AdminID, UserID: c.AdminID, TenantID: c.TenantID,
		Areas: []access.Area{access.AreaAdministrator}, Scope: access.Scope{All: true}})
	company, err := a.Organization.CreateCompany(ctx, organization.CompanyFields{Name: demoName, Street: "Musterstraße 1",
		Postcode: "80331", City: "München", Country: "DE", Phone: "+49 89 123456-0", Email: "personal@muster.example",
		Website: "www.muster.example", RegisterCourt: "Amtsgericht München", RegisterNumber: "HRB 123456",
		VATID: "DE123456789", ManagingDirectors: "Dr. Max Mustermann",
		Description: "ein mittelständisches Unternehmen des Maschinenbaus"})
	if err != nil {
		return err
	}
	units := []struct {
		kind organization.UnitKind
		name string
	}{
		{organization.KindLocation, "München"}, {organization.KindLocation, "Hamburg"},
		{organization.KindDepartment, "Personal"}, {organization.KindDepartment, "Vertrieb"},
		{organization.KindDepartment, "Entwicklung"}, {organization.KindOrgUnit, "Geschäftsleitung"},
		{organization.KindOrgUnit, "Verwaltung"}, {organization.KindEmployeeType, "Angestellte"},
		{organization.KindEmployeeType, "Auszubildende"},
	}
	ids := map[string]uuid.UUID{}
	for _, u := range units {
		created, err := a.Organization.CreateUnit(ctx, u.kind, organization.UnitFields{Name: u.name})
		if err != nil {
			return err
		}
		ids[u.name] = created.ID
	}
	staff, err := seedDemoEmployees(ctx, a, company.ID, ids)
	if err != nil {
		return err
	}
	return seedDemoCertificates(ctx, a, staff)
}

// seedDemoEmployees files a few employees of the demo company, with
// umlauts, ß and accents in their names so that search can be tried at
// once ("schae", "weiss", "lefevre"). Personnel numbers MU-0001… leave the
// numbers a user or a test picks free.
func seedDemoEmployees(ctx context.Context, a *app.App, company uuid.UUID, units map[string]uuid.UUID) (map[string]uuid.UUID, error) {
	day := func(s string) time.Time {
		t, _ := employees.ParseDate(s)
		return t
	}
	people := []struct {
		salutation, first, last, location, department, unit, kind, entry, exit, job string
	}{
		{"frau", "Jana", "Schäfer", "München", "Personal", "Verwaltung", "Angestellte", "2016-03-01", "", "Personalreferentin"},
		{"herr", "Jürgen", "Weiß", "München", "Vertrieb", "Verwaltung", "Angestellte", "2012-07-01", "2025-06-30", "Vertriebsleiter"},
		{"frau", "Sophie", "Schröder", "Hamburg", "Entwicklung", "Verwaltung", "Angestellte", "2019-10-01", "", "Softwareentwicklerin"},
		{"herr", "Lukas", "Böhm", "Hamburg", "Entwicklung", "Verwaltung", "Auszubildende", "2022-08-01", "2025-07-31", "Auszubildender Fachinformatiker"},
		{"divers", "Alex", "Krüger", "München", "Vertrieb", "Verwaltung", "Angestellte", "2020-01-15", "", "Key-Account-Manager:in"},
		{"frau", "Dr. Helga", "Straßer", "München", "Personal", "Geschäftsleitung", "Angestellte", "2008-04-01", "", "Geschäftsführerin"},
		{"herr", "Mehmet", "Yılmaz", "Hamburg", "Vertrieb", "Verwaltung", "Angestellte", "2017-05-01", "", "Vertriebsingenieur"},
		{"frau", "Anna-Lena", "Groß", "München", "Entwicklung", "Verwaltung", "Angestellte", "2021-02-01", "2024-12-31", "Projektingenieurin"},
		{"herr", "Thomas", "Maier", "Hamburg", "Personal", "Verwaltung", "Angestellte", "2014-09-01", "", "Lohnbuchhalter"},
		{"frau", "Zoë", "Lefèvre", "München", "Entwicklung", "Verwaltung", "Angestellte", "2023-03-01", "", "UX-Designerin"},
		{"herr", "Fabian", "Kühn", "München", "Entwicklung", "Verwaltung", "Auszubildende", "2023-09-01", "", "Auszubildender Mechatroniker"},
		{"frau", "Marie", "Hoffmann", "Hamburg", "Vertrieb", "Verwaltung", "Angestellte", "2018-11-01", "2025-03-31", "Vertriebsassistentin"},
	}
	staff := map[string]uuid.UUID{}
	for i, p := range people {
		f := employees.Fields{Salutation: p.salutation, FirstName: p.first, LastName: p.last,
			PersonnelNumber: fmt.Sprintf("MU-%04d", 1+i), CompanyID: company, LocationID: units[p.location],
			DepartmentID: units[p.department], OrgUnitID: units[p.unit], EmployeeTypeID: units[p.kind],
			EntryDate: day(p.entry), ExitDate: day(p.exit), JobTitle: p.job, City: p.location}
		if strings.HasPrefix(f.FirstName, "Dr. ") {
			f.Title, f.FirstName = "Dr.", strings.TrimPrefix(f.FirstName, "Dr. ")
		}
		if !f.ExitDate.IsZero() {
			f.ExitReason = "own_wish"
		}
		e, err := a.Employees.Create(ctx, f)
		if err != nil {
			return nil, err
		}
		staff[p.last] = e.ID
	}
	return staff, nil
}

// seedDemoCertificates writes three certificates of the demo staff in
// different states, so the editor, the checker and a stored PDF can be
// tried at once: a final certificate in review (rated "gut", a leader), an
// interim certificate being drafted ("sehr gut"), and an apprenticeship
// certificate that is issued.
func seedDemoCertificates(ctx context.Context, a *app.App, staff map[string]uuid.UUID) error {
	svc := a.Certificates
	signatory := &certificates.Signatures{Signatories: []certificates.Signatory{{EmployeeID: staff["Straßer"], Function: "Geschäftsführerin"}}}
	demos := []struct {
		last    string
		kind    generator.Kind
		profile string
		further *certificates.Further
		perf    certificates.Performance
		conduct certificates.Conduct
		to      []certificates.Status
	}{
		{"Weiß", generator.Final, "abteilungsleitung", &certificates.Further{Leader: true, TeamSize: 8, ExternalParties: "Kunden und Händlern"},
			certificates.Performance{Willingness: 2, Ability: 2, Knowledge: 2, Learning: 2, WorkingStyle: 2, Results: 2, Leadership: 2},
			certificates.Conduct{Internal: 2, External: 2}, []certificates.Status{certificates.Review}},
		{"Schäfer", generator.Interim, "personalreferat", nil,
			certificates.Performance{Willingness: 1, Ability: 1, Knowledge: 1, Learning: 1, WorkingStyle: 1, Results: 1},
			certificates.Conduct{Internal: 1, External: 1}, nil},
		{"Böhm", generator.Apprenticeship, "fachinformatik-ae", &certificates.Further{ExamChamber: "IHK Hamburg"},
			certificates.Performance{Willingness: 2, Ability: 2, Knowledge: 2, Learning: 2, WorkingStyle: 2, Results: 2, Exam: 2},
			certificates.Conduct{Internal: 1, External: 2}, []certificates.Status{certificates.Review, certificates.Completed, certificates.Issued}},
	}
	for _, d := range demos {
		c, err := svc.Create(ctx, certificates.NewCertificate{EmployeeID: staff[d.last], Kind: d.kind, JobProfileID: d.profile})
		if err != nil {
			return err
		}
		if d.kind == generator.Interim {
			cd := *c.Content.CertificateData
			cd.InterimReason = string(generator.InterimSupervisorChange)
			if c, err = svc.UpdateSection(ctx, c.ID, c.Sections[certificates.SecCertificateData].Version, certificates.Content{CertificateData: &cd}); err != nil {
				return err
			}
		}
		perf, conduct := d.perf, d.conduct
		for _, next := range []certificates.Content{{Further: d.further}, {Signatures: signatory}, {Performance: &perf}, {Conduct: &conduct}} {
			sec := next.Only()
			if sec == "" {
				continue
			}
			if c, err = svc.UpdateSection(ctx, c.ID, c.Sections[sec].Version, next); err != nil {
				return err
			}
		}
		var problems []certificates.Problem
		if c, problems, err = svc.Generate(ctx, c.ID, c.Sections[certificates.SecResult].Version); err != nil {
			return err
		}
		for _, p := range problems {
			if !p.Warning {
				return fmt.Errorf("demo certificate of %s: %s.%s: %s", d.last, p.Section, p.Field, p.En)
			}
		}
		for _, to := range d.to {
			if c, err = svc.Transition(ctx, c.ID, c.Version, to, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// friendly turns a domain error into its safe message.
func friendly(err error) error {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code != apperr.Internal {
		return errors.New(ae.Message)
	}
	return err
}

func cmdServe(ctx context.Context, getenv config.Getenv, stdout io.Writer) error {
	cfg, err := config.Load(getenv, true)
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	if cfg.Env == config.Development {
		created, err := devtls.Ensure(cfg.TLSCertFile, cfg.TLSKeyFile, time.Now())
		if err != nil {
			return &config.Error{Var: "ZEUGO_DATA_DIR", Problem: "cannot create the development TLS certificate: " + err.Error()}
		}
		if created {
			log.Info().Str("cert", cfg.TLSCertFile).Msg("created development TLS certificate")
		}
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile)
	if err != nil {
		return &config.Error{Var: "ZEUGO_TLS_CERT_FILE", Problem: "certificate and key do not load as a PEM pair: " + oneLine(err)}
	}
	if cfg.MigrateOnStart {
		owner, err := openOwner(ctx, cfg)
		if err != nil {
			return err
		}
		err = postgres.Migrate(ctx, owner)
		if err == nil {
			err = prepareAudit(ctx, cfg, owner, stdout)
		}
		owner.Close()
		if err != nil {
			return err
		}
	}
	pool, err := postgres.Open(ctx, cfg.AppDatabaseURL)
	if err != nil {
		return fmt.Errorf("database (ZEUGO_APP_DATABASE_URL): %w", err)
	}
	defer pool.Close()
	if err := postgres.CheckAppRole(ctx, pool); err != nil {
		return err
	}
	app.TuneRuntime(cfg)
	a, err := app.Build(ctx, cfg, log, pool, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := audit.EnsurePartitions(ctx, pool, time.Now()); err != nil {
		return fmt.Errorf("audit partitions: %w", err)
	}
	bg, err := jobs.Start(ctx, pool, &jobs.CleanupWorker{DB: a.DB, Now: time.Now, Sweepers: a.Sweepers, Log: log, Chain: a.AuditChain}, 15*time.Minute,
		&jobs.FrequentWorker{DB: a.DB, Now: time.Now, Sweepers: a.FrequentSweepers, Interval: 10 * time.Second, Log: log},
		append([]jobs.Periodic{a.Outbox.Periodic(5 * time.Second)}, a.OnDemand...)...)
	if err != nil {
		return fmt.Errorf("background jobs: %w", err)
	}
	if cfg.Mail.SMTPRelay == "" && cfg.Env != config.Development {
		log.Warn().Msg("no SMTP relay configured (ZEUGO_SMTP_RELAY): emails stay pending until one is")
	}

	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return &config.Error{Var: "ZEUGO_LISTEN_ADDR", Problem: oneLine(err)}
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		TLSConfig:         devtls.ServerConfig(cert),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          stdlog.New(httpErrorLog{log}, "", 0),
	}
	url := baseURL(ln.Addr(), cfg.ListenAddr)
	if cfg.AddrFile != "" {
		if err := os.WriteFile(cfg.AddrFile, []byte(url+"\n"), 0o600); err != nil {
			return &config.Error{Var: "ZEUGO_ADDR_FILE", Problem: oneLine(err)}
		}
	}
	log.Info().Str("url", url).Str("env", string(cfg.Env)).Msg("listening")
	fmt.Fprintf(stdout, "Zeugo läuft auf / is serving on %s\n", url)

	errc := make(chan error, 1)
	go func() { errc <- srv.ServeTLS(ln, "", "") }()
	select {
	case err := <-errc:
		_ = bg.Stop(context.Background())
		return err
	case <-ctx.Done():
	}
	log.Info().Msg("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if berr := bg.Stop(sctx); berr != nil && err == nil {
		err = berr
	}
	return err
}

// baseURL is the https URL of the listener, naming localhost for loopback
// and wildcard addresses (certificates are issued for names).
func baseURL(addr net.Addr, configured string) string {
	host, _, _ := net.SplitHostPort(configured)
	_, port, _ := net.SplitHostPort(addr.String())
	if host == "" || host == "0.0.0.0" || host == "::" || host == "127.0.0.1" || host == "::1" {
		host = "localhost"
	}
	return "https://" + net.JoinHostPort(host, port)
}

// httpErrorLog routes net/http's own error lines (TLS handshakes, bad
// requests) into the JSON log: handshake failures — browsers that do not
// trust a development certificate, scanners — at debug, the rest as warnings.
type httpErrorLog struct{ log zerolog.Logger }

var peerAddr = regexp.MustCompile(`from \[?[0-9a-fA-F.:]+\]?:[0-9]+`)

func (h httpErrorLog) Write(p []byte) (int, error) {
	// "… from 203.0.113.7:51234: …": client addresses stay out of the log.
	msg := peerAddr.ReplaceAllString(strings.TrimSpace(string(p)), "from client")
	ev := h.log.Warn()
	if strings.Contains(msg, "TLS handshake error") {
		ev = h.log.Debug()
	}
	ev.Str("component", "http").Msg(msg)
	return len(p), nil
}

// cmdOutbox is `zeugo outbox failed` (the failed messages of all tenants:
// ids, classes and times, never recipients or content) and `zeugo outbox
// retry --id ID` (puts a failed message back into delivery with a fresh
// retry window; recorded in its tenant's audit log).
func cmdOutbox(ctx context.Context, args []string, getenv config.Getenv, stdout io.Writer) error {
	const use = "usage: zeugo outbox failed | zeugo outbox retry --id MESSAGE_ID"
	if len(args) == 0 || args[0] != "failed" && args[0] != "retry" {
		return &usageError{use}
	}
	fs := flag.NewFlagSet("outbox "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	id := fs.String("id", "", "id of the failed message (from zeugo outbox failed or the log)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return &usageError{use}
	}
	a, done, err := operatorApp(ctx, getenv)
	if err != nil {
		return err
	}
	defer done()
	if args[0] == "failed" {
		list, err := outbox.FailedEverywhere(ctx, a.Pool, 1000)
		if err != nil {
			return friendly(err)
		}
		for _, m := range list {
			fmt.Fprintf(stdout, "%s tenant=%s kind=%s template=%s attempts=%d error=%s failed_at=%s\n", m.ID, m.TenantID, m.Kind,
				m.Template, m.Attempts, m.LastError, m.UpdatedAt.UTC().Format(time.RFC3339))
		}
		fmt.Fprintf(stdout, "%d failed message(s)\n", len(list))
		return nil
	}
	msgID, err := uuid.Parse(*id)
	if err != nil {
		return &usageError{"outbox retry: --id must be a message id (UUID)"}
	}
	tenantID, err := outbox.TenantOf(ctx, a.Pool, msgID)
	if err == nil {
		err = a.Outbox.Retry(ctx, tenantID, msgID, outbox.Actor{Type: audit.ActorOperator})
	}
	if apperr.Is(err, apperr.NotFound) {
		return fmt.Errorf("no failed message %s", msgID)
	}
	if err != nil {
		return friendly(err)
	}
	fmt.Fprintf(stdout, "message %s will be sent again with the next delivery run\n", msgID)
	return nil
}
