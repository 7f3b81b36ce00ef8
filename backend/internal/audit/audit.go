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
//
// The ends of the chain are keyed too, because a chain that verifies between
// two endpoints proves nothing if the endpoints can be moved:
//
//   - the head (seq, hash) carries HMAC(K_tenant, "head", seq, hash), written
//     by the writer at every append and checked by the writer before it
//     appends (it never extends or re-keys a head it cannot verify);
//   - the anchor (anchor_seq, anchor_hash) carries HMAC(K_tenant, "anchor",
//     …) unless it is the genesis anchor (seq 0), which anyone can compute;
//     zeugo_app has no privilege on the anchor columns (only the owner moves
//     it, when old partitions expire: MoveAnchor), and Verify refuses any
//     event at or before the anchor, so the anchor cannot hide kept events;
//   - audit_checkpoints keeps keyed snapshots HMAC(K_tenant, "checkpoint",
//     seq, hash, time) of the head — every CheckpointEvery events by the
//     writer and at every cleanup run by the job (Checkpoint) — and Verify
//     requires each one after the anchor to match the event at its seq and
//     to lie within the chain. zeugo_app may only INSERT and SELECT them.
//
// What an attacker with the zeugo_app credential (but not the master key)
// can and cannot do: it cannot change or delete events or checkpoints, nor
// move the anchor (no privilege). It can append rows and rewrite the head
// (the writer must), but without K_chain it cannot compute an event hash, a
// head, anchor or checkpoint MAC for a state the application did not
// produce; replaying an old head (it can read every head it ever saw) leaves
// the newer events behind it, which Verify reports. So it can break the
// chain visibly (denial of service) but hide nothing.
//
// What the owner (a DBA with the migration role, but not the master key)
// can and cannot do: it can change or delete any row, disable triggers and
// drop constraints. Every change to an event, every removal or insertion
// inside the chain, moving the anchor or the head to a state the
// application never keyed, removing the oldest events without a keyed
// anchor, or cutting the newest events while any checkpoint after the cut
// survives, is reported by Verify. What remains undetectable from the
// database alone is a rollback of the whole tail to a state the owner saw
// earlier: delete the events after seq s, delete every checkpoint after s
// and restore the head row (seq, hash, head_mac) as it was when the chain
// ended at s — from a backup, a replica or an earlier SELECT. Every piece of
// that state was produced by the application and the database is the only
// witness, so no key can tell it from a chain that simply ended at s. The
// same holds for erasing a tenant's log completely (head, events and
// checkpoints). Closing that gap needs a witness outside the owner's reach:
// the cleanup job logs each tenant's newest checkpoint (tenant id, seq and
// a hash prefix, no content) to the application log, and VerifyWitness
// (`zeugo audit verify --witness SEQ:HASH`) checks the chain against such a
// line. A cut then shows, except for the events written after the last
// logged checkpoint: bounded by the job's interval (15 minutes), however
// many events that is. The writer's own checkpoints (every CheckpointEvery
// events) are not logged — they catch a cut whose checkpoints were left
// behind, nothing more.
//
// Whoever holds the master key (the running server, an operator with
// ZEUGO_MASTER_KEY) can of course compute any chain; this design protects
// against the database's writers, not against the key holder.
package audit

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

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
	// tenants caches the derived key of each tenant (uuid.UUID → []byte):
	// a list page's read events would derive it fifty times.
	tenants sync.Map
}

// NewChainKey wraps the raw platform chain key.
func NewChainKey(raw []byte) *ChainKey { return &ChainKey{key: append([]byte{}, raw...)} }

func (k *ChainKey) tenantKey(tenantID uuid.UUID) []byte {
	if v, ok := k.tenants.Load(tenantID); ok {
		return v.([]byte)
	}
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte("zeugo audit chain/" + tenantID.String()))
	key := m.Sum(nil)
	k.tenants.Store(tenantID, key)
	return key
}

// CheckpointEvery is how many events the writer appends between two keyed
// checkpoints of the head (the cleanup job adds one per run for every head
// that moved since).
const CheckpointEvery = 100

// endMAC keys one end of the chain (head, anchor or checkpoint): domain
// separates the three, so that a MAC of one kind never passes as another.
func (k *ChainKey) endMAC(domain string, tenantID uuid.UUID, seq int64, hash []byte, at time.Time) []byte {
	var buf bytes.Buffer
	field := func(b []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		buf.Write(n[:])
		buf.Write(b)
	}
	var s [8]byte
	binary.BigEndian.PutUint64(s[:], uint64(seq))
	field([]byte("zeugo-audit-" + domain + "-v1"))
	field(tenantID[:])
	field(s[:])
	field(hash)
	if !at.IsZero() {
		field([]byte(at.UTC().Format(time.RFC3339Nano)))
	}
	m := hmac.New(sha256.New, k.tenantKey(tenantID))
	m.Write(buf.Bytes())
	return m.Sum(nil)
}

// HeadMAC keys the chain head (seq, hash) of tenantID.
func (k *ChainKey) HeadMAC(tenantID uuid.UUID, seq int64, hash []byte) []byte {
	return k.endMAC("head", tenantID, seq, hash, time.Time{})
}

// AnchorMAC keys the anchor (the last hash before the oldest kept event).
func (k *ChainKey) AnchorMAC(tenantID uuid.UUID, seq int64, hash []byte) []byte {
	return k.endMAC("anchor", tenantID, seq, hash, time.Time{})
}

// CheckpointMAC keys a checkpoint: the chain of tenantID reached seq with
// hash at time at (microsecond precision, as stored).
func (k *ChainKey) CheckpointMAC(tenantID uuid.UUID, seq int64, hash []byte, at time.Time) []byte {
	return k.endMAC("checkpoint", tenantID, seq, hash, at)
}

// ErrHeadNotKeyed means a tenant's chain head does not carry a valid MAC:
// someone without the chain key changed it. The writer refuses to append to
// such a head (appending would re-key it and so legitimise the change).
var ErrHeadNotKeyed = errors.New("audit chain head is not keyed with the chain key (tampered?); run zeugo audit verify")

// Writer appends events.
type Writer struct {
	keys  *keyring.Keyring
	chain *ChainKey
	now   func() time.Time
	// ensuredDay is the UTC day (days since 1970, plus one so that zero
	// means none) whose partition this writer has seen to exist: the hot
	// path costs no extra statement, the first write of a day one.
	ensuredDay atomic.Int64
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
	return w.WriteMany(ctx, tx, tenantID, []Event{e})
}

// lockHead creates or locks the tenant's chain head in one statement (the
// no-op update of an existing head takes its row lock, serialising this
// tenant's writers until commit) and returns the current end of the chain,
// refusing a head whose MAC does not verify.
func (w *Writer) lockHead(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) (int64, []byte, error) {
	var seq int64
	var prev, mac []byte
	genesis := Genesis(tenantID)
	if err := tx.QueryRow(ctx, `INSERT INTO audit_chain_heads (tenant_id, seq, hash, head_mac)
		VALUES ($1, 0, $2, $3)
		ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_chain_heads.seq
		RETURNING seq, hash, head_mac`, tenantID, genesis, w.chain.HeadMAC(tenantID, 0, genesis)).Scan(&seq, &prev, &mac); err != nil {
		return 0, nil, fmt.Errorf("audit head: %w", err)
	}
	if !hmac.Equal(mac, w.chain.HeadMAC(tenantID, seq, prev)) {
		return 0, nil, ErrHeadNotKeyed
	}
	return seq, prev, nil
}

// prepare is e as a record before it is chained: id, time, canonical
// details, and the request's IP and user agent sealed with the tenant key.
func (w *Writer) prepare(ctx context.Context, q keyring.Querier, tenantID uuid.UUID, e Event, at time.Time) (*Record, error) {
	info := requestinfo.From(ctx)
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	details := "{}"
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details) // map keys are sorted: canonical
		if err != nil {
			return nil, err
		}
		details = string(b)
	}
	r := &Record{
		TenantID: tenantID, ID: id, OccurredAt: at,
		ActorType: e.ActorType, ActorID: e.ActorID, Action: e.Action, Outcome: e.Outcome,
		TargetType: e.TargetType, TargetID: e.TargetID, Details: details,
	}
	if info.IP.IsValid() || info.UserAgent != "" {
		c, err := w.keys.Tenant(ctx, q, tenantID)
		if err != nil {
			return nil, err
		}
		if info.IP.IsValid() {
			r.IPEnc = c.SealString(id, "audit.ip", info.IP.String())
		}
		if info.UserAgent != "" {
			r.UserAgentEnc = c.SealString(id, "audit.user_agent", info.UserAgent)
		}
	}
	return r, nil
}

// insertEventSQL stores one chained record (chainBatch).
const insertEventSQL = `INSERT INTO audit_events (tenant_id, seq, id, occurred_at, actor_type, actor_id, action, outcome,
		target_type, target_id, ip_enc, user_agent_enc, details, prev_hash, hash)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`

// chainBatch chains records after the locked head (seq, prev) and sends
// them with the head's move in one batch: every write of the chain —
// Write, WriteMany, ChainPending — goes through it, so hashes and
// checkpoints are made in one place.
type chainBatch struct {
	w        *Writer
	tenantID uuid.UUID
	seq      int64
	prev     []byte
	at       time.Time
	b        pgx.Batch
}

func (w *Writer) newChainBatch(tenantID uuid.UUID, seq int64, prev []byte, at time.Time) *chainBatch {
	return &chainBatch{w: w, tenantID: tenantID, seq: seq, prev: prev, at: at}
}

// add chains r (its Seq, PrevHash and Hash are set) and queues its insert,
// with a checkpoint every CheckpointEvery events.
func (c *chainBatch) add(r *Record) {
	c.seq++
	r.Seq, r.PrevHash = c.seq, c.prev
	r.Hash = c.w.chain.Hash(c.prev, r)
	c.prev = r.Hash
	c.b.Queue(insertEventSQL, r.TenantID, r.Seq, r.ID, r.OccurredAt, r.ActorType, r.ActorID, r.Action, r.Outcome,
		r.TargetType, r.TargetID, r.IPEnc, r.UserAgentEnc, r.Details, r.PrevHash, r.Hash)
	if r.Seq%CheckpointEvery == 0 {
		c.b.Queue(`INSERT INTO audit_checkpoints (tenant_id, seq, hash, created_at, mac) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (tenant_id, seq) DO NOTHING`,
			c.tenantID, r.Seq, r.Hash, c.at, c.w.chain.CheckpointMAC(c.tenantID, r.Seq, r.Hash, c.at))
	}
}

// send moves the head to the last record and sends the batch.
func (c *chainBatch) send(ctx context.Context, tx pgx.Tx) error {
	c.b.Queue(`UPDATE audit_chain_heads SET seq = $2, hash = $3, head_mac = $4 WHERE tenant_id = $1`,
		c.tenantID, c.seq, c.prev, c.w.chain.HeadMAC(c.tenantID, c.seq, c.prev))
	if err := tx.SendBatch(ctx, &c.b).Close(); err != nil {
		return fmt.Errorf("audit chain: %w", err)
	}
	return nil
}

// ensurePartition makes sure the partition of at's day exists before the
// first event of that day is written through w (operator commands on a fresh
// database write before any server created partitions; such rows would sit
// in the default partition, which never expires). Later writes of the day
// skip it. A partition created here is part of tx and not yet visible to
// others, so the day counts as ensured only once a call found it existing.
// When the database function yields (its locks not granted within
// lock_timeout) the day counts as ensured too: rows that then land in the
// default partition are moved by the next EnsurePartitions (cleanup job).
func (w *Writer) ensurePartition(ctx context.Context, tx pgx.Tx, at time.Time) error {
	day := at.Unix()/86400 + 1
	if w.ensuredDay.Load() == day {
		return nil
	}
	var created int
	if err := tx.QueryRow(ctx, `SELECT audit_ensure_partitions($1::date, 2)`, at.Format("2006-01-02")).Scan(&created); err != nil {
		return fmt.Errorf("audit partition: %w", err)
	}
	if created == 0 {
		w.ensuredDay.Store(day)
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
	// AnchorSeq and HeadSeq are the keyed ends of the chain (the events
	// checked are AnchorSeq+1 … HeadSeq).
	AnchorSeq, HeadSeq int64
	// Checkpoints is how many keyed checkpoints after the anchor matched.
	Checkpoints int
}

// checkpoint is a stored audit_checkpoints row.
type checkpoint struct {
	seq  int64
	hash []byte
	at   time.Time
	mac  []byte
}

// Verify recomputes the tenant's chain from its anchor to its head inside tx
// (bound to tenantID), reading in batches of 1,000. Beyond the events it
// checks the ends: the head and a non-genesis anchor must carry their MACs,
// no event may exist at or before the anchor, and every checkpoint after
// the anchor must be keyed, match the event at its seq and lie within the
// chain (package comment: what remains undetectable).
func (k *ChainKey) Verify(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID) (VerifyResult, error) {
	return k.verify(ctx, tx, tenantID, false)
}

// verify is Verify; unkeyedHead accepts a head without any MAC (written
// before migration 00004), for KeyLegacyHeads only.
func (k *ChainKey) verify(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, unkeyedHead bool) (VerifyResult, error) {
	res := VerifyResult{}
	fail := func(seq int64, problem string) (VerifyResult, error) {
		res.BrokenAtSeq, res.Problem = max(seq, 1), problem
		return res, nil
	}
	var headSeq, anchorSeq int64
	var headHash, headMAC, anchorHash, anchorMAC []byte
	err := tx.QueryRow(ctx, `SELECT seq, hash, head_mac, anchor_seq, anchor_hash, anchor_mac FROM audit_chain_heads WHERE tenant_id = $1`, tenantID).
		Scan(&headSeq, &headHash, &headMAC, &anchorSeq, &anchorHash, &anchorMAC)
	if errors.Is(err, pgx.ErrNoRows) {
		// No chain: there must be no events or checkpoints either (a
		// deleted head must not turn a log into "nothing to verify").
		var first *int64
		if err := tx.QueryRow(ctx, `SELECT least((SELECT min(seq) FROM audit_events WHERE tenant_id = $1),
				(SELECT min(seq) FROM audit_checkpoints WHERE tenant_id = $1))`, tenantID).Scan(&first); err != nil {
			return res, err
		}
		if first != nil {
			return fail(*first, fmt.Sprintf("event or checkpoint %d exists but the chain has no head", *first))
		}
		res.OK = true
		return res, nil
	}
	if err != nil {
		return res, err
	}
	res.AnchorSeq, res.HeadSeq = anchorSeq, headSeq
	switch {
	case anchorSeq < 0 || anchorSeq > headSeq:
		return fail(anchorSeq, fmt.Sprintf("the anchor (seq %d) lies outside the chain (head %d)", anchorSeq, headSeq))
	case anchorSeq == 0:
		if anchorHash != nil && !bytes.Equal(anchorHash, Genesis(tenantID)) {
			return fail(1, "the genesis anchor does not hold the genesis hash")
		}
		anchorHash = Genesis(tenantID)
	case !hmac.Equal(anchorMAC, k.AnchorMAC(tenantID, anchorSeq, anchorHash)):
		return fail(anchorSeq, fmt.Sprintf("the anchor (seq %d) is not keyed with the chain key", anchorSeq))
	}
	rows, err := tx.Query(ctx, `SELECT seq, hash, created_at, mac FROM audit_checkpoints WHERE tenant_id = $1 AND seq > $2 ORDER BY seq`,
		tenantID, anchorSeq)
	if err != nil {
		return res, err
	}
	cps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (checkpoint, error) {
		var c checkpoint
		err := row.Scan(&c.seq, &c.hash, &c.at, &c.mac)
		return c, err
	})
	if err != nil {
		return res, err
	}
	checkCP := func(c checkpoint) bool { return hmac.Equal(c.mac, k.CheckpointMAC(tenantID, c.seq, c.hash, c.at)) }

	// The first batch starts at seq 1, not after the anchor: an event at or
	// before the anchor (one the anchor was moved past) shows up first. A
	// legitimately anchored chain has none, so this costs nothing.
	prev, expect, from := anchorHash, anchorSeq+1, int64(1)
	cp := 0
	for {
		rows, err := tx.Query(ctx, `SELECT tenant_id, seq, id, occurred_at, actor_type, actor_id, action, outcome, target_type,
				target_id, ip_enc, user_agent_enc, details, prev_hash, hash
			FROM audit_events WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq LIMIT 1000`, tenantID, from)
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
			if r.Seq <= anchorSeq {
				return fail(r.Seq, fmt.Sprintf("event %d exists at or before the anchor (seq %d)", r.Seq, anchorSeq))
			}
			if r.Seq != expect {
				return fail(expect, fmt.Sprintf("event %d is missing", expect))
			}
			if !bytes.Equal(r.PrevHash, prev) {
				return fail(r.Seq, "previous hash does not match")
			}
			if !hmac.Equal(k.Hash(prev, r), r.Hash) {
				return fail(r.Seq, "event content does not match its hash")
			}
			for cp < len(cps) && cps[cp].seq <= r.Seq {
				c := cps[cp]
				if c.seq < r.Seq { // cannot happen: the chain is gapless up to here
					return fail(c.seq, fmt.Sprintf("checkpoint %d names no event", c.seq))
				}
				if !checkCP(c) {
					return fail(c.seq, fmt.Sprintf("checkpoint %d is not keyed with the chain key", c.seq))
				}
				if !bytes.Equal(c.hash, r.Hash) {
					return fail(c.seq, fmt.Sprintf("event %d differs from its checkpoint", c.seq))
				}
				cp++
				res.Checkpoints++
			}
			prev, expect = r.Hash, expect+1
			res.Events++
		}
		if len(batch) < 1000 {
			break
		}
		from = expect
	}
	end := expect - 1
	if cp < len(cps) {
		// Checkpoints beyond the end of the chain: either forged, or the
		// chain once reached further and its tail was cut.
		c := cps[cp]
		if !checkCP(c) {
			return fail(c.seq, fmt.Sprintf("checkpoint %d is not keyed with the chain key", c.seq))
		}
		return fail(end+1, fmt.Sprintf("chain ends at %d but a checkpoint shows it reached %d: events were removed", end, cps[len(cps)-1].seq))
	}
	if end != headSeq || !bytes.Equal(prev, headHash) {
		// The first event missing from the chain, or not covered by the
		// head; when the lengths agree, the last event is not the one the
		// head recorded.
		at := min(expect, headSeq+1)
		if end == headSeq {
			at = headSeq
		}
		return fail(at, fmt.Sprintf("chain ends at %d but the head is at %d", end, headSeq))
	}
	// Checked last so that a moved head is reported where the chain and
	// the head part; a head that matches the chain's end but carries no
	// valid MAC was set by someone without the key.
	if !(unkeyedHead && headMAC == nil) && !hmac.Equal(headMAC, k.HeadMAC(tenantID, headSeq, headHash)) {
		return fail(headSeq, fmt.Sprintf("the head (seq %d) is not keyed with the chain key", headSeq))
	}
	res.OK = true
	return res, nil
}

// CheckpointResult is what Checkpoint recorded.
type CheckpointResult struct {
	// Seq and Hash are the checkpointed head (Seq 0: the tenant has no
	// events yet).
	Seq  int64
	Hash []byte
	// Written is false when a checkpoint of this head already existed.
	Written bool
}

// Witness is a point of the chain recorded outside the database (the
// cleanup job logs one for every checkpoint it writes): the event at Seq had
// a hash beginning with HashPrefix.
type Witness struct {
	Seq        int64
	HashPrefix []byte
}

// VerifyWitness is Verify, and then checks that the chain still reaches
// w.Seq with the hash the witness saw — the one check that catches an owner
// who cut the tail together with its checkpoints and restored an old head.
// A witness at or before the anchor has expired and is not checked.
func (k *ChainKey) VerifyWitness(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, w Witness) (VerifyResult, error) {
	res, err := k.Verify(ctx, tx, tenantID)
	if err != nil || !res.OK || w.Seq <= res.AnchorSeq {
		return res, err
	}
	fail := func(seq int64, problem string) (VerifyResult, error) {
		res.OK, res.BrokenAtSeq, res.Problem = false, seq, problem
		return res, nil
	}
	if w.Seq > res.HeadSeq {
		return fail(res.HeadSeq+1, fmt.Sprintf("chain ends at %d but a witness saw it reach %d: events were removed", res.HeadSeq, w.Seq))
	}
	var hash []byte
	if err := tx.QueryRow(ctx, `SELECT hash FROM audit_events WHERE tenant_id = $1 AND seq = $2`, tenantID, w.Seq).Scan(&hash); err != nil {
		return res, err
	}
	if len(w.HashPrefix) == 0 || !bytes.HasPrefix(hash, w.HashPrefix) {
		return fail(w.Seq, fmt.Sprintf("event %d differs from the witness", w.Seq))
	}
	return res, nil
}

// Checkpoint records a keyed checkpoint of tenantID's head inside tx (bound
// to the tenant) unless the head has not moved since the last one. It
// refuses a head that is not keyed (ErrHeadNotKeyed): a checkpoint must
// never vouch for a state the application did not produce.
func (k *ChainKey) Checkpoint(ctx context.Context, tx pgx.Tx, tenantID uuid.UUID, now time.Time) (CheckpointResult, error) {
	var res CheckpointResult
	var mac []byte
	err := tx.QueryRow(ctx, `SELECT seq, hash, head_mac FROM audit_chain_heads WHERE tenant_id = $1`, tenantID).Scan(&res.Seq, &res.Hash, &mac)
	if errors.Is(err, pgx.ErrNoRows) {
		return res, nil
	}
	if err != nil {
		return res, err
	}
	if !hmac.Equal(mac, k.HeadMAC(tenantID, res.Seq, res.Hash)) {
		return res, ErrHeadNotKeyed
	}
	if res.Seq == 0 {
		return res, nil
	}
	at := now.UTC().Truncate(time.Microsecond)
	tag, err := tx.Exec(ctx, `INSERT INTO audit_checkpoints (tenant_id, seq, hash, created_at, mac) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant_id, seq) DO NOTHING`, tenantID, res.Seq, res.Hash, at, k.CheckpointMAC(tenantID, res.Seq, res.Hash, at))
	if err != nil {
		return res, err
	}
	res.Written = tag.RowsAffected() == 1
	return res, nil
}

// KeyLegacyHeads gives a MAC to every chain head written before migration
// 00004 (head_mac NULL), which the writer would otherwise refuse to extend.
// Each such chain is verified in full first, and only an intact one is
// keyed: a broken chain stays unkeyed and is returned, for the operator to
// examine with `zeugo audit verify`. Runs as the owner (`zeugo migrate`),
// one transaction per tenant.
func (k *ChainKey) KeyLegacyHeads(ctx context.Context, pool *pgxpool.Pool) (keyed int, broken []uuid.UUID, err error) {
	rows, err := pool.Query(ctx, `SELECT tenant_id FROM audit_chain_heads WHERE head_mac IS NULL ORDER BY tenant_id`)
	if err != nil {
		return 0, nil, err
	}
	tenants, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return 0, nil, err
	}
	for _, t := range tenants {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, t.String()); err != nil {
				return err
			}
			// Lock the head: no writer may move it between check and key.
			var hash []byte
			err := tx.QueryRow(ctx, `SELECT hash FROM audit_chain_heads WHERE tenant_id = $1 AND head_mac IS NULL FOR UPDATE`, t).Scan(&hash)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil // keyed meanwhile
			}
			if err != nil {
				return err
			}
			res, err := k.verify(ctx, tx, t, true)
			if err != nil {
				return err
			}
			if !res.OK {
				broken = append(broken, t)
				return nil
			}
			tag, err := tx.Exec(ctx, `UPDATE audit_chain_heads SET head_mac = $2 WHERE tenant_id = $1 AND head_mac IS NULL AND seq = $3`,
				t, k.HeadMAC(t, res.HeadSeq, hash), res.HeadSeq)
			if err == nil && tag.RowsAffected() == 1 {
				keyed++
			}
			return err
		})
		if err != nil {
			return keyed, broken, fmt.Errorf("key audit head of tenant %s: %w", t, err)
		}
	}
	return keyed, broken, nil
}

// MoveAnchor moves tenantID's anchor to (seq, hash) — hash being the hash
// of event seq, i.e. the prev_hash of the oldest kept event — after the
// events up to seq were expired. It needs the owner role (zeugo_app has no
// privilege on the anchor) and refuses while any event at or before seq is
// still stored, so an anchor never hides a kept event.
func (k *ChainKey) MoveAnchor(ctx context.Context, q keyring.Querier, tenantID uuid.UUID, seq int64, hash []byte) error {
	tag, err := q.Exec(ctx, `UPDATE audit_chain_heads SET anchor_seq = $2, anchor_hash = $3, anchor_mac = $4
		WHERE tenant_id = $1 AND anchor_seq <= $2 AND seq >= $2
		  AND NOT EXISTS (SELECT FROM audit_events WHERE tenant_id = $1 AND seq <= $2)`,
		tenantID, seq, hash, k.AnchorMAC(tenantID, seq, hash))
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("audit anchor of tenant %s not moved to %d: events at or before it remain, or it lies outside the chain", tenantID, seq)
	}
	return nil
}

// EnsurePartitions creates the daily partitions from yesterday through the
// next week, and one for every day whose events sit in the default
// partition, moving them there (idempotent; runs at `migrate`, at server
// start and in the cleanup job; the writer covers its own day).
func EnsurePartitions(ctx context.Context, q keyring.Querier, now time.Time) (int, error) {
	var n int
	from := now.UTC().AddDate(0, 0, -1).Format("2006-01-02")
	err := q.QueryRow(ctx, `SELECT audit_ensure_partitions($1::date, 9)`, from).Scan(&n)
	return n, err
}
