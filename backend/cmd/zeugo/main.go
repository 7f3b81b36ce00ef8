// Command zeugo is the Zeugo server and its operator commands:
//
//	zeugo serve                      run the HTTPS server and the background jobs
//	zeugo migrate                    create the database if missing and apply migrations
//	zeugo tenant create --name N --admin-email E
//	zeugo user unlock --email E --tenant T
//	zeugo keys rotate [--new-data-keys]
//	zeugo audit verify --tenant T    verify a tenant's audit chain (exit 3 and the first break if not intact)
//	zeugo demo                       ensure the demo tenant of `make run` and print its login
//	zeugo render --facts F.json      certificate text or PDF without a server or database
//	zeugo check FILE.txt             read any reference text: grades, codes, slips (no facts needed)
//
// Configuration comes from ZEUGO_* environment variables (README.md). A bad
// configuration ends the program with exit code 2 and one line naming the
// variable; a broken audit chain (`audit verify`) with exit code 3 and one
// line naming the first break; other failures with exit code 1 and one line.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/zeugo/zeugo/backend/internal/config"
	"github.com/zeugo/zeugo/backend/internal/rendercmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

const usage = `usage: zeugo <command> [flags]

commands:
  serve           run the HTTPS server (Connect, gRPC, gRPC-Web, SPA) and background jobs
  migrate         create the database if it does not exist and apply all migrations
  tenant create   create a tenant with its first administrator
  user unlock     unlock a locked account
  keys rotate     re-wrap all data keys under the current master key
  audit verify    verify a tenant's audit chain (exit 0 intact, 3 broken)
  outbox failed   list the messages whose delivery failed for good (ids and error classes)
  outbox retry    send a failed message again (--id MESSAGE_ID)
  demo            ensure the demo tenant "Muster GmbH" and print its login
  render          print a certificate text (or write its PDF) from a facts file, offline
  check           read any reference text (FILE.txt): grades, coded phrases, slips, overall reading
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv config.Getenv) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = cmdServe(ctx, getenv, stdout)
	case "migrate":
		err = cmdMigrate(ctx, getenv, stdout)
	case "tenant":
		err = cmdTenant(ctx, rest, getenv, stdout)
	case "user":
		err = cmdUser(ctx, rest, getenv, stdout)
	case "keys":
		err = cmdKeys(ctx, rest, getenv, stdout)
	case "audit":
		err = cmdAudit(ctx, rest, getenv, stdout)
	case "outbox":
		err = cmdOutbox(ctx, rest, getenv, stdout)
	case "demo":
		err = cmdDemo(ctx, getenv, stdout)
	case "render":
		// Needs no configuration, database or server.
		return rendercmd.Run(ctx, rest, stdout, stderr)
	case "check":
		return rendercmd.RunCheck(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "zeugo: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err == nil {
		return 0
	}
	var ce *config.Error
	var ue *usageError
	var be *brokenChainError
	switch {
	case errors.As(err, &be):
		fmt.Fprintf(stderr, "zeugo: %s\n", be)
		return 3
	case errors.As(err, &ce):
		fmt.Fprintf(stderr, "zeugo: configuration: %s\n", ce)
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "zeugo: %s\n", ue.msg)
		return 2
	default:
		fmt.Fprintf(stderr, "zeugo: %s\n", oneLine(err))
		return 1
	}
}

// usageError is a wrong command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func oneLine(err error) string {
	s := err.Error()
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
