package keyring

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier is what the keyring needs from a transaction or pool.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Platform key names.
const (
	BlindIndexKey   = "blind_index"
	TokenSigningKey = "token_signing"
	AuditChainKey   = "audit_chain"
)

// cacheTTL bounds how long a process keeps encrypting with a DEK version
// after another process (zeugo keys rotate --new-data-keys) added a newer one.
const cacheTTL = 5 * time.Minute

// Keyring caches unwrapped tenant data keys. Reads go through the caller's
// tenant-bound transaction, so row-level security applies to key material too.
type Keyring struct {
	Master *Master
	now    func() time.Time

	mu      sync.RWMutex
	tenants map[uuid.UUID]*tenantKeys
}

type tenantKeys struct {
	current   *DataKey
	byVersion map[uint32]*DataKey
	loadedAt  time.Time
}

// New returns a keyring over master.
func New(master *Master, now func() time.Time) *Keyring {
	if now == nil {
		now = time.Now
	}
	return &Keyring{Master: master, now: now, tenants: map[uuid.UUID]*tenantKeys{}}
}

// Forget drops a tenant's cached keys (after purge or in tests).
func (r *Keyring) Forget(tenantID uuid.UUID) {
	r.mu.Lock()
	delete(r.tenants, tenantID)
	r.mu.Unlock()
}

// Tenant returns the field cipher of tenantID; q must be bound to that tenant.
func (r *Keyring) Tenant(ctx context.Context, q Querier, tenantID uuid.UUID) (*TenantCipher, error) {
	r.mu.RLock()
	tk := r.tenants[tenantID]
	r.mu.RUnlock()
	if tk == nil || r.now().Sub(tk.loadedAt) > cacheTTL {
		var err error
		if tk, err = r.load(ctx, q, tenantID); err != nil {
			return nil, err
		}
	}
	return &TenantCipher{r: r, q: q, tenantID: tenantID, keys: tk}, nil
}

func (r *Keyring) load(ctx context.Context, q Querier, tenantID uuid.UUID) (*tenantKeys, error) {
	rows, err := q.Query(ctx, `SELECT version, master_key_id, wrapped FROM tenant_keys WHERE tenant_id = $1 ORDER BY version`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("load data keys: %w", err)
	}
	defer rows.Close()
	tk := &tenantKeys{byVersion: map[uint32]*DataKey{}, loadedAt: r.now()}
	for rows.Next() {
		var version int
		var masterID string
		var wrapped []byte
		if err := rows.Scan(&version, &masterID, &wrapped); err != nil {
			return nil, err
		}
		raw, err := r.Master.Unwrap(masterID, wrapped, TenantDEKLabel(tenantID, version))
		if err != nil {
			return nil, err
		}
		dk, err := newDataKey(tenantID, version, raw)
		if err != nil {
			return nil, err
		}
		tk.byVersion[uint32(version)] = dk
		tk.current = dk
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if tk.current == nil {
		return nil, fmt.Errorf("keyring: tenant %s has no data key", tenantID)
	}
	r.mu.Lock()
	r.tenants[tenantID] = tk
	r.mu.Unlock()
	return tk, nil
}

// CreateTenantKey adds the next DEK version of tenantID (version 1 for a new
// tenant). q must be bound to the tenant.
func (r *Keyring) CreateTenantKey(ctx context.Context, q Querier, tenantID uuid.UUID) (int, error) {
	var version int
	if err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) + 1 FROM tenant_keys WHERE tenant_id = $1`, tenantID).Scan(&version); err != nil {
		return 0, err
	}
	masterID, wrapped, err := r.Master.Wrap(NewKey(), TenantDEKLabel(tenantID, version))
	if err != nil {
		return 0, err
	}
	_, err = q.Exec(ctx, `INSERT INTO tenant_keys (tenant_id, version, master_key_id, wrapped, created_at) VALUES ($1, $2, $3, $4, $5)`,
		tenantID, version, masterID, wrapped, r.now())
	if err != nil {
		return 0, fmt.Errorf("store data key: %w", err)
	}
	r.Forget(tenantID)
	return version, nil
}

// TenantCipher encrypts and decrypts one tenant's fields.
type TenantCipher struct {
	r        *Keyring
	q        Querier
	tenantID uuid.UUID
	keys     *tenantKeys
}

// Seal encrypts a field value of row rowID, column column.
func (c *TenantCipher) Seal(rowID uuid.UUID, column string, plain []byte) []byte {
	return c.keys.current.Seal(rowID, column, plain)
}

// SealString encrypts a string field.
func (c *TenantCipher) SealString(rowID uuid.UUID, column, plain string) []byte {
	return c.Seal(rowID, column, []byte(plain))
}

// Open decrypts a field of row rowID, column column. A value that was moved
// from another row, column or tenant, or altered, yields ErrDecrypt.
func (c *TenantCipher) Open(ctx context.Context, rowID uuid.UUID, column string, ct []byte) ([]byte, error) {
	v, err := Version(ct)
	if err != nil {
		return nil, err
	}
	dk := c.keys.byVersion[uint32(v)]
	if dk == nil { // a newer version created by another process
		tk, err := c.r.load(ctx, c.q, c.tenantID)
		if err != nil {
			return nil, err
		}
		c.keys = tk
		if dk = tk.byVersion[uint32(v)]; dk == nil {
			return nil, ErrDecrypt
		}
	}
	return dk.open(rowID, column, ct)
}

// OpenString decrypts a string field; a nil ciphertext is the empty string.
func (c *TenantCipher) OpenString(ctx context.Context, rowID uuid.UUID, column string, ct []byte) (string, error) {
	if ct == nil {
		return "", nil
	}
	b, err := c.Open(ctx, rowID, column, ct)
	return string(b), err
}

// PlatformKey is one version of a platform-wide key.
type PlatformKey struct {
	Version int
	Key     []byte
}

// EnsurePlatformKey creates version 1 of a platform key if there is none and
// returns all versions, oldest first. Safe to call from several replicas at
// once.
func (r *Keyring) EnsurePlatformKey(ctx context.Context, q Querier, name string) ([]PlatformKey, error) {
	masterID, wrapped, err := r.Master.Wrap(NewKey(), PlatformKeyLabel(name, 1))
	if err != nil {
		return nil, err
	}
	if _, err := q.Exec(ctx, `INSERT INTO platform_keys (name, version, master_key_id, wrapped, created_at)
		VALUES ($1, 1, $2, $3, $4) ON CONFLICT DO NOTHING`, name, masterID, wrapped, r.now()); err != nil {
		return nil, fmt.Errorf("store platform key %s: %w", name, err)
	}
	rows, err := q.Query(ctx, `SELECT version, master_key_id, wrapped FROM platform_keys WHERE name = $1 ORDER BY version`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []PlatformKey
	for rows.Next() {
		var pk PlatformKey
		var mid string
		var w []byte
		if err := rows.Scan(&pk.Version, &mid, &w); err != nil {
			return nil, err
		}
		if pk.Key, err = r.Master.Unwrap(mid, w, PlatformKeyLabel(name, pk.Version)); err != nil {
			return nil, err
		}
		keys = append(keys, pk)
	}
	return keys, rows.Err()
}

// RotateResult counts what Rotate re-wrapped.
type RotateResult struct {
	PlatformKeys int
	TenantKeys   int
	NewDataKeys  int
}

// Rotate re-wraps every platform and tenant key that is not wrapped by the
// current master key, one key per statement, so a running server (which
// holds both master keys) keeps serving throughout. With newDataKeys it also
// adds a new DEK version for every active tenant; new writes use it, old
// values stay readable. q must be able to see all tenants (owner role).
func (r *Keyring) Rotate(ctx context.Context, q Querier, newDataKeys bool) (RotateResult, error) {
	var res RotateResult
	cur := r.Master.CurrentID()

	// One table at a time: every row whose key is not under the current
	// master key is unwrapped and wrapped again, each in its own statement
	// (guarded by the old master id, so concurrent rotations cannot clash).
	type table struct {
		selectSQL, updateSQL string
		label                func(key string, version int) string
		count                *int
	}
	tables := []table{
		{`SELECT name, version, master_key_id, wrapped FROM platform_keys WHERE master_key_id <> $1`,
			`UPDATE platform_keys SET master_key_id = $1, wrapped = $2 WHERE name = $3 AND version = $4 AND master_key_id = $5`,
			PlatformKeyLabel, &res.PlatformKeys},
		{`SELECT tenant_id::text, version, master_key_id, wrapped FROM tenant_keys WHERE master_key_id <> $1`,
			`UPDATE tenant_keys SET master_key_id = $1, wrapped = $2 WHERE tenant_id = $3::uuid AND version = $4 AND master_key_id = $5`,
			func(tenant string, v int) string { return TenantDEKLabel(uuid.MustParse(tenant), v) }, &res.TenantKeys},
	}
	type wrappedKey struct {
		key     string
		version int
		master  string
		wrapped []byte
	}
	for _, tb := range tables {
		rows, err := q.Query(ctx, tb.selectSQL, cur)
		if err != nil {
			return res, err
		}
		keys, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (wrappedKey, error) {
			var k wrappedKey
			err := row.Scan(&k.key, &k.version, &k.master, &k.wrapped)
			return k, err
		})
		if err != nil {
			return res, err
		}
		for _, k := range keys {
			label := tb.label(k.key, k.version)
			raw, err := r.Master.Unwrap(k.master, k.wrapped, label)
			if err != nil {
				return res, err
			}
			mid, w, _ := r.Master.Wrap(raw, label)
			if _, err := q.Exec(ctx, tb.updateSQL, mid, w, k.key, k.version, k.master); err != nil {
				return res, err
			}
			*tb.count++
		}
	}
	if newDataKeys {
		rows, err := q.Query(ctx, `SELECT id FROM tenants WHERE status <> 'purged' ORDER BY id`)
		if err != nil {
			return res, err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		if err != nil {
			return res, err
		}
		for _, id := range ids {
			if _, err := r.CreateTenantKey(ctx, q, id); err != nil {
				return res, err
			}
			res.NewDataKeys++
		}
	}
	return res, nil
}

// ErrNoKey is returned when a platform key is missing.
var ErrNoKey = errors.New("keyring: key missing")
