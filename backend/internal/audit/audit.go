// Package audit writes and verifies the tamper-evident audit log.
//
// Every event is written in the same transaction as the action it records,
// so an action without its record (or a record of an action that was rolled
// back) cannot exist. Per tenant the events form a keyed hash chain:
//
//	hash(n) = HMAC-SHA256(K_tenant, hash(n-1) || canonical(event n))
//	K_tenant = HMAC-SHA256(K_chain, "zeugo audit chain/" || tenant id)
//
// K_chain is a platform key wrapped by the master key, so whoever can write
// the database but does not hold the master key (a database administrator,
// a stolen backup) cannot recompute a consistent chain after changing it.
// The chain head row is locked by the writer, which serialises appends per
// tenant. zeugo_app may only INSERT and SELECT audit rows; Verify proves that
// no event was altered, removed or inserted since the anchor (the last hash
// before the oldest kept event).
package audit

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

// Actor types.
const (
	ActorUser      = "user"
	ActorAnonymous = "anonymous"
	ActorOperator  = "operator"
	ActorSystem    = "system"
)

// Outcomes.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
)

// Actions recorded by the Foundation; later features add their own.
const (
	ActionLoginSucceeded  = "auth.login.succeeded"
	ActionLoginFailed     = "auth.login.failed"
	ActionAccountLocked   = "auth.account.locked"
	ActionAccountUnlocked = "auth.account.unlocked"
	ActionLogout          = "auth.logout"
	ActionRefreshReuse    = "auth.refresh.reuse_detected"
	ActionTenantCreated   = "tenant.created"
)

// Event is one audit record before it is chained. Details must never hold
// personal data: ids, counts and codes only.
type Event struct {
	Action     string
	Outcome    string
	ActorType  string
	ActorID    string
	TargetType string
	TargetID   string
	// Details are small non-personal facts (reason codes, counts).
	Details map[string]string
}

// ChainKey computes and verifies the keyed chain.
type ChainKey struct {
	key []byte
}

// NewChainKey wraps the raw platform chain key.
func NewChainKey(raw []byte) *ChainKey { return &ChainKey{key: append([]byte{}, raw...)} }

func (k *ChainKey) tenantKey(tenantID uuid.UUID) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte("zeugo audit chain/" + tenantID.String()))
	return m.Sum(nil)
}

// Writer appends events.
type Writer struct {
	keys  *keyring.Keyring
	chain *ChainKey
	now   func() time.Time
}

// NewWriter returns a writer that chains with chain and encrypts IP and user
// agent with the tenant's data key.
func NewWriter(keys *keyring.Keyring, chain *ChainKey, now func() time.Time) *Writer {
	if now == nil {
		now = time.Now
	}
	return &Writer{keys: keys, chain: chain, now: now}
}

// Genesis is the hash before a tenant's first event.
func Genesis(tenantID uuid.UUID) []byte {
	h := sha256.Sum256([]byte("zeugo audit genesis/" + tenantID.String()))
	return h[:]
}

// Record is a stored event as Verify and readers see it.
type Record struct {
	TenantID     uuid.UUID
	Seq          int64
	ID           uuid.UUID
	OccurredAt   time.Time
	ActorType    string
	ActorID      string
	Action       string
	Outcome      string
	TargetType   string
	TargetID     string
	IPEnc        []byte
	UserAgentEnc []byte
	Details      string
	PrevHash     []byte
	Hash         []byte
}

// Write appends e to the tenant's chain inside tx, which must be bound to
// tenantID. Request facts (IP, user agent) come from ctx.
func (w *Writer) Write(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, e Event) error {
	// Create or lock the chain head in one statement: the no-op update of
	// an existing head takes its row lock (serialising this tenant's writers
	// until commit) and returns the current end of the chain.
	var seq int64
	var prev []byte
	if err := tx.QueryRow(ctx, `INSERT INTO audit_chain_heads (tenant_id, seq, hash, anchor_seq, anchor_hash)
		VALUES ($1, 0, $2, 0, $2)
		ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_chain_heads.seq
		RETURNING seq, hash`, tenantID, Genesis(tenantID)).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	info := requestinfo.From(ctx)
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	details := "{}"
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details) // map keys are sorted: canonical
		if err != nil {
			return err
		}
		details = string(b)
	}
	r := Record{
		TenantID: tenantID, Seq: seq + 1, ID: id,
		OccurredAt: w.now().UTC().Truncate(time.Microsecond),
		ActorType:  e.ActorType, ActorID: e.ActorID, Action: e.Action, Outcome: e.Outcome,
		TargetType: e.TargetType, TargetID: e.TargetID, Details: details, PrevHash: prev,
	}
	if info.IP.IsValid() || info.UserAgent != "" {
		c, err := w.keys.Tenant(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		if info.IP.IsValid() {
			r.IPEnc = c.SealString(id, "audit.ip", info.IP.String())
		}
		if info.UserAgent != "" {
			r.UserAgentEnc = c.SealString(id, "audit.user_agent", info.UserAgent)
		}
	}
	r.Hash = w.chain.Hash(prev, &r)
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events (tenant_id, seq, id, occurred_at, actor_type, actor_id, action, outcome,
			target_type, target_id, ip_enc, user_agent_enc, details, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		r.TenantID, r.Seq, r.ID, r.OccurredAt, r.ActorType, r.ActorID, r.Action, r.Outcome,
		r.TargetType, r.TargetID, r.IPEnc, r.UserAgentEnc, r.Details, r.PrevHash, r.Hash); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE audit_chain_heads SET seq = $2, hash = $3 WHERE tenant_id = $1`, tenantID, r.Seq, r.Hash); err != nil {
		return fmt.Errorf("audit head update: %w", err)
	}
	return nil
}

// Hash is HMAC-SHA256 under the tenant's chain key of prev || canonical(r);
// canonical is every stored field, length-prefixed, in a fixed order.
func (k *ChainKey) Hash(prev []byte, r *Record) []byte {
	var buf bytes.Buffer
	field := func(b []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		buf.Write(n[:])
		buf.Write(b)
	}
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], uint64(r.Seq))
	field([]byte("zeugo-audit-v1"))
	field(r.TenantID[:])
	field(seq[:])
	field(r.ID[:])
	field([]byte(r.OccurredAt.UTC().Format(time.RFC3339Nano)))
	field([]byte(r.ActorType))
	field([]byte(r.ActorID))
	field([]byte(r.Action))
	field([]byte(r.Outcome))
	field([]byte(r.TargetType))
	field([]byte(r.TargetID))
	field(r.IPEnc)
	field(r.UserAgentEnc)
	field([]byte(r.Details))
	h := hmac.New(sha256.New, k.tenantKey(r.TenantID))
	h.Write(prev)
	h.Write(buf.Bytes())
	return h.Sum(nil)
}

// VerifyResult reports a chain verification.
type VerifyResult struct {
	// Events is how many events were checked.
	Events int64
	// OK is true when the chain is intact from the anchor to the head.
	OK bool
	// BrokenAtSeq is the first sequence number that does not verify (0 if OK).
	BrokenAtSeq int64
	// Problem describes the first failure.
	Problem string
}

// Verify recomputes the tenant's chain from its anchor to its head inside tx
// (bound to tenantID), reading in batches of 1,000.
func (k *ChainKey) Verify(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) (VerifyResult, error) {
	var headSeq, anchorSeq int64
	var headHash, anchorHash []byte
	err := tx.QueryRow(ctx, `SELECT seq, hash, anchor_seq, anchor_hash FROM audit_chain_heads WHERE tenant_id = $1`, tenantID).
		Scan(&headSeq, &headHash, &anchorSeq, &anchorHash)
	if err == pgx.ErrNoRows {
		return VerifyResult{OK: true}, nil
	}
	if err != nil {
		return VerifyResult{}, err
	}
	res := VerifyResult{}
	prev, expect := anchorHash, anchorSeq+1
	fail := func(seq int64, problem string) (VerifyResult, error) {
		res.BrokenAtSeq, res.Problem = seq, problem
		return res, nil
	}
	for {
		rows, err := tx.Query(ctx, `SELECT tenant_id, seq, id, occurred_at, actor_type, actor_id, action, outcome, target_type,
				target_id, ip_enc, user_agent_enc, details, prev_hash, hash
			FROM audit_events WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT 1000`, tenantID, expect)
		if err != nil {
			return res, err
		}
		batch, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Record, error) {
			var r Record
			err := row.Scan(&r.TenantID, &r.Seq, &r.ID, &r.OccurredAt, &r.ActorType, &r.ActorID, &r.Action, &r.Outcome,
				&r.TargetType, &r.TargetID, &r.IPEnc, &r.UserAgentEnc, &r.Details, &r.PrevHash, &r.Hash)
			return r, err
		})
		if err != nil {
			return res, err
		}
		for i := range batch {
			r := &batch[i]
			if r.Seq != expect {
				return fail(expect, fmt.Sprintf("event %d is missing", expect))
			}
			if !bytes.Equal(r.PrevHash, prev) {
				return fail(r.Seq, "previous hash does not match")
			}
			if !hmac.Equal(k.Hash(prev, r), r.Hash) {
				return fail(r.Seq, "event content does not match its hash")
			}
			prev, expect = r.Hash, expect+1
			res.Events++
		}
		if len(batch) < 1000 {
			break
		}
	}
	if expect-1 != headSeq || !bytes.Equal(prev, headHash) {
		// The first event missing from the chain, or not covered by the
		// head; when the lengths agree, the last event is not the one the
		// head recorded.
		at := min(expect, headSeq+1)
		if expect-1 == headSeq {
			at = headSeq
		}
		return fail(at, fmt.Sprintf("chain ends at %d but the head is at %d", expect-1, headSeq))
	}
	res.OK = true
	return res, nil
}

// EnsurePartitions creates the daily partitions from yesterday through the
// next week (idempotent; runs at start and daily).
func EnsurePartitions(ctx context.Context, q keyring.Querier, now time.Time) (int, error) {
	var n int
	from := now.UTC().AddDate(0, 0, -1).Format("2006-01-02")
	err := q.QueryRow(ctx, `SELECT audit_ensure_partitions($1::date, 9)`, from).Scan(&n)
	return n, err
}
