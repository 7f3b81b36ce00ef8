// Package tenant provisions and administers tenants from the operator side
// (`zeugo tenant create`, `zeugo user unlock`, the demo tenant of make run):
// the tenant row, its first data key, the built-in Administrator role and the
// first administrator, each step audited in the tenant's own log.
package tenant

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/access"
	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/auth"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/password"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Provisioner creates tenants and administers accounts. It runs with the
// owner role (operator commands), yet binds every transaction to the tenant
// like the server does.
type Provisioner struct {
	DB     *postgres.DB
	Keys   *keyring.Keyring
	Index  *keyring.IndexKey
	Hasher *password.Hasher
	Audit  *audit.Writer
	Now    func() time.Time
}

// NewTenant describes a tenant to create.
type NewTenant struct {
	Name string
	// Slug is a short unique name; derived from Name when empty.
	Slug           string
	AdminEmail     string
	AdminFirstName string
	AdminLastName  string
	// AdminPassword, when empty, is generated and returned once.
	AdminPassword string
	// RequireMFA is the tenant's second-factor setting (new tenants: true).
	RequireMFA bool
}

// Created is the result of Create.
type Created struct {
	TenantID      uuid.UUID
	Slug          string
	AdminID       uuid.UUID
	AdminPassword string
}

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// Create provisions a tenant in one transaction: tenant, data key, roles,
// administrator and audit records. Any failure leaves nothing behind.
func (p *Provisioner) Create(ctx context.Context, nt NewTenant) (*Created, error) {
	nt.Name = strings.TrimSpace(nt.Name)
	if nt.Name == "" || len(nt.Name) > 200 {
		return nil, apperr.Field(apperr.InvalidArgument, "name", "string.len", "the tenant name must have 1 to 200 characters")
	}
	if !emailRE.MatchString(nt.AdminEmail) || len(nt.AdminEmail) > 254 {
		return nil, apperr.Field(apperr.InvalidArgument, "admin_email", "string.email", "the administrator email is not a valid address")
	}
	if nt.Slug == "" {
		nt.Slug = Slugify(nt.Name)
	}
	if nt.AdminFirstName == "" {
		nt.AdminFirstName = "Administrator"
	}
	if nt.AdminLastName == "" {
		nt.AdminLastName = nt.Name
	}
	pw := nt.AdminPassword
	if pw == "" {
		pw = GeneratePassword()
	}
	hash, err := p.Hasher.Hash(ctx, pw)
	if err != nil {
		return nil, err
	}
	tenantID, _ := uuid.NewV7()
	adminID, _ := uuid.NewV7()
	now := p.Now().UTC()
	err = p.DB.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO tenants (id, name, slug, status, require_mfa, created_at) VALUES ($1, $2, $3, 'active', $4, $5)`,
			tenantID, nt.Name, nt.Slug, nt.RequireMFA, now); err != nil {
			if c, ok := postgres.UniqueViolation(err); ok && strings.Contains(c, "slug") {
				return apperr.Field(apperr.AlreadyExists, "slug", "zeugo.unique", "a tenant with this short name exists")
			}
			return err
		}
		if _, err := p.Keys.CreateTenantKey(ctx, tx, tenantID); err != nil {
			return err
		}
		roleID, _ := uuid.NewV7()
		if _, err := tx.Exec(ctx, `INSERT INTO roles (id, tenant_id, name, areas, builtin, created_at, updated_at) VALUES ($1, $2, 'Administrator', $3, true, $4, $4)`,
			roleID, tenantID, []string{string(access.AreaAdministrator)}, now); err != nil {
			return err
		}
		if err := p.insertUser(ctx, tx, tenantID, adminID, roleID, nt, hash, now); err != nil {
			return err
		}
		if err := p.Audit.Write(ctx, tx, tenantID, audit.Event{Action: audit.ActionTenantCreated, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorOperator, TargetType: "tenant", TargetID: tenantID.String()}); err != nil {
			return err
		}
		return p.Audit.Write(ctx, tx, tenantID, audit.Event{Action: "user.created", Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorOperator, TargetType: "user", TargetID: adminID.String(),
			Details: map[string]string{"role": "Administrator"}})
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	return &Created{TenantID: tenantID, Slug: nt.Slug, AdminID: adminID, AdminPassword: pw}, nil
}

func (p *Provisioner) insertUser(ctx context.Context, tx pgx.Tx, tenantID, userID, roleID uuid.UUID, nt NewTenant, hash string, now time.Time) error {
	c, err := p.Keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return err
	}
	email := keyring.NormalizeEmail(nt.AdminEmail)
	_, err = tx.Exec(ctx, `INSERT INTO users (id, tenant_id, email_index, email_enc, first_name_enc, last_name_enc, role_id, status,
			password_hash, password_changed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $9, $9)`,
		userID, tenantID, p.Index.Email(email),
		c.SealString(userID, "users.email", email),
		c.SealString(userID, "users.first_name", nt.AdminFirstName),
		c.SealString(userID, "users.last_name", nt.AdminLastName),
		roleID, hash, now)
	return err
}

// ErrNoSuchAccount is returned by Unlock when email and tenant do not match
// an account.
var ErrNoSuchAccount = apperr.New(apperr.NotFound, "no account with this email in this tenant")

// Unlock clears the lock and the failure count of the account with email in
// the tenant named by slug (or id), and audits it. The one support action
// that needs no grant (SPEC §10): it touches account state only.
func (p *Provisioner) Unlock(ctx context.Context, tenantRef, email string) (uuid.UUID, error) {
	tenantID, err := p.resolveTenant(ctx, tenantRef)
	if err != nil {
		return uuid.Nil, err
	}
	var userID uuid.UUID
	err = p.DB.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE users SET status = 'active', failed_logins = 0, locked_at = NULL, updated_at = $3, version = version + 1
			WHERE tenant_id = $1 AND email_index = $2 AND status IN ('locked', 'active') RETURNING id`,
			tenantID, p.Index.Email(email), p.Now()).Scan(&userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoSuchAccount
		}
		if err != nil {
			return err
		}
		return p.Audit.Write(ctx, tx, tenantID, audit.Event{Action: audit.ActionAccountUnlocked, Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorOperator, TargetType: "user", TargetID: userID.String()})
	})
	return userID, postgres.Classify(err)
}

func (p *Provisioner) resolveTenant(ctx context.Context, ref string) (uuid.UUID, error) {
	var id uuid.UUID
	err := p.DB.Pool.QueryRow(ctx, `SELECT id FROM tenants WHERE slug = $1 OR id::text = $1`, strings.ToLower(strings.TrimSpace(ref))).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return uuid.Nil, apperr.New(apperr.NotFound, fmt.Sprintf("no tenant %q", ref))
	}
	return id, err
}

// FindBySlug returns the id of the tenant with slug, or uuid.Nil.
func (p *Provisioner) FindBySlug(ctx context.Context, slug string) (uuid.UUID, error) {
	id, err := p.resolveTenant(ctx, slug)
	if apperr.Is(err, apperr.NotFound) {
		return uuid.Nil, nil
	}
	return id, err
}

// SetPassword replaces the password of the user with email in tenant (demo
// reset); sessions of the user are revoked.
func (p *Provisioner) SetPassword(ctx context.Context, tenantID uuid.UUID, email, pw string) error {
	hash, err := p.Hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	return postgres.Classify(p.DB.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var userID uuid.UUID
		err := tx.QueryRow(ctx, `UPDATE users SET password_hash = $3, password_changed_at = $4, failed_logins = 0, status = 'active', locked_at = NULL
			WHERE tenant_id = $1 AND email_index = $2 RETURNING id`, tenantID, p.Index.Email(email), hash, p.Now()).Scan(&userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoSuchAccount
		}
		if err != nil {
			return err
		}
		if _, err := auth.RevokeUserSessions(ctx, tx, tenantID, userID, "password_set", p.Now()); err != nil {
			return err
		}
		return p.Audit.Write(ctx, tx, tenantID, audit.Event{Action: "auth.password.set", Outcome: audit.OutcomeSuccess,
			ActorType: audit.ActorOperator, TargetType: "user", TargetID: userID.String()})
	}))
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify derives a tenant's short name from its display name.
func Slugify(name string) string {
	s := strings.ToLower(name)
	s = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss").Replace(s)
	s = strings.Trim(slugRE.ReplaceAllString(s, "-"), "-")
	if len(s) > 63 {
		s = strings.Trim(s[:63], "-")
	}
	if len(s) < 2 {
		s = "tenant-" + s
	}
	return s
}

// GeneratePassword returns a random 20-character password with lower and
// upper case letters, digits and symbols (it meets any composition policy).
func GeneratePassword() string {
	const (
		lower  = "abcdefghijkmnopqrstuvwxyz"
		upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		digits = "23456789"
		symbol = "!#%+-=?@_"
	)
	all := lower + upper + digits + symbol
	pick := func(set string) byte {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
		if err != nil {
			panic(err)
		}
		return set[n.Int64()]
	}
	b := []byte{pick(lower), pick(upper), pick(digits), pick(symbol)}
	for len(b) < 20 {
		b = append(b, pick(all))
	}
	for i := len(b) - 1; i > 0; i-- { // Fisher–Yates with crypto/rand
		j, _ := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		b[i], b[j.Int64()] = b[j.Int64()], b[i]
	}
	return string(b)
}
