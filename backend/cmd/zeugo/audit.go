package main

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/config"
	"github.com/zeugo/zeugo/backend/internal/keyring"
)

// brokenChainError is a verification that ran and found a break; it exits
// with its own code (3) so that a monitoring script can tell "tampered"
// from "could not check" (1).
type brokenChainError struct {
	tenant uuid.UUID
	res    audit.VerifyResult
}

func (e *brokenChainError) Error() string {
	return fmt.Sprintf("audit chain of tenant %s is broken at seq %d: %s", e.tenant, e.res.BrokenAtSeq, e.res.Problem)
}

// cmdAudit is `zeugo audit verify --tenant T`: it recomputes the tenant's
// chain with the chain key (so it needs the master key) over the owner
// connection, bound to the tenant like the server.
func cmdAudit(ctx context.Context, args []string, getenv config.Getenv, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return &usageError{"usage: zeugo audit verify --tenant SLUG_OR_ID [--witness SEQ:HASHPREFIX]"}
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	ten := fs.String("tenant", "", "tenant slug or id")
	witness := fs.String("witness", "", "SEQ:HASHPREFIX from an 'audit checkpoint' line of the application log")
	if err := fs.Parse(args[1:]); err != nil {
		return &usageError{"audit verify: " + err.Error()}
	}
	if *ten == "" || fs.NArg() > 0 {
		return &usageError{"audit verify: --tenant is required (and nothing else)"}
	}
	var w *audit.Witness
	if *witness != "" {
		seq, prefix, ok := strings.Cut(*witness, ":")
		n, err1 := strconv.ParseInt(seq, 10, 64)
		b, err2 := hex.DecodeString(prefix)
		if !ok || err1 != nil || err2 != nil || n < 1 || len(b) < 4 {
			return &usageError{"audit verify: --witness must be SEQ:HEX (at least 8 hex digits), as in the log's audit checkpoint line"}
		}
		w = &audit.Witness{Seq: n, HashPrefix: b}
	}
	a, done, err := operatorApp(ctx, getenv)
	if err != nil {
		return err
	}
	defer done()
	id, err := a.Provisioner.FindBySlug(ctx, *ten)
	if err != nil {
		return err
	}
	if id == uuid.Nil {
		// An unknown tenant has no chain, which would verify as empty.
		return fmt.Errorf("audit verify: no tenant %q", *ten)
	}
	var res audit.VerifyResult
	if err := a.DB.TenantTx(ctx, id, func(tx pgx.Tx) error {
		var err error
		if w != nil {
			res, err = a.AuditChain.VerifyWitness(ctx, tx, id, *w)
		} else {
			res, err = a.AuditChain.Verify(ctx, tx, id)
		}
		return err
	}); err != nil {
		return fmt.Errorf("audit verify: %w", err)
	}
	if !res.OK {
		return &brokenChainError{tenant: id, res: res}
	}
	if res.Events == 0 {
		fmt.Fprintf(stdout, "audit chain of tenant %s intact: no events\n", id)
		return nil
	}
	fmt.Fprintf(stdout, "audit chain of tenant %s intact: %d events (seq %d to %d), %d checkpoints\n",
		id, res.Events, res.AnchorSeq+1, res.HeadSeq, res.Checkpoints)
	return nil
}

// prepareAudit runs after the migrations (`zeugo migrate`): it creates the
// audit partitions from yesterday through the next week, moving events that
// earlier versions left in the default partition into dated ones, and keys
// the chain heads written before migration 00004 (after verifying each
// chain; a broken one stays unkeyed and is named).
func prepareAudit(ctx context.Context, cfg *config.Config, pool *pgxpool.Pool, stdout io.Writer) error {
	if _, err := audit.EnsurePartitions(ctx, pool, time.Now()); err != nil {
		return fmt.Errorf("audit partitions: %w", err)
	}
	master, err := keyring.NewMaster(cfg.MasterKeys)
	if err != nil {
		return err
	}
	chain, err := keyring.New(master, time.Now).EnsurePlatformKey(ctx, pool, keyring.AuditChainKey)
	if err != nil {
		return fmt.Errorf("audit chain key: %w", err)
	}
	keyed, broken, err := audit.NewChainKey(chain[0].Key).KeyLegacyHeads(ctx, pool)
	if err != nil {
		return err
	}
	if keyed > 0 {
		fmt.Fprintf(stdout, "keyed %d audit chain heads\n", keyed)
	}
	for _, t := range broken {
		fmt.Fprintf(stdout, "audit chain of tenant %s is broken and was not keyed; see zeugo audit verify --tenant %s\n", t, t)
	}
	return nil
}
