package users

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Berlin for the dates in emails, also without a system zone database

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/paging"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/secretlink"
	"github.com/zeugo/zeugo/backend/internal/uow"
	"github.com/zeugo/zeugo/backend/internal/users/dbsqlc"
)

// Associated-data names of the encrypted columns (the same as package
// tenant writes for the first administrator).
const (
	colEmail     = "users.email"
	colFirstName = "users.first_name"
	colLastName  = "users.last_name"
	colPhone     = "users.phone"
)

const purposeInvitation = "invitation"

// Unit kinds of org_units (package organization).
const (
	kindLocation     = "location"
	kindDepartment   = "department"
	kindOrgUnit      = "org_unit"
	kindEmployeeType = "employee_type"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func notFoundOr(err error) error { return postgres.NotFoundOr(err) }

func ts(t pgtype.Timestamptz) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

func sealOptional(c *keyring.TenantCipher, id uuid.UUID, column, v string) []byte {
	if v == "" {
		return nil
	}
	return c.SealString(id, column, v)
}

func openOptional(ctx context.Context, c *keyring.TenantCipher, id uuid.UUID, column string, v []byte) (string, error) {
	if v == nil {
		return "", nil
	}
	return c.OpenString(ctx, id, column, v)
}

func insertInvited(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, idx *keyring.IndexKey, id uuid.UUID, email string, f Fields, now time.Time) error {
	c, err := tx.Cipher()
	if err != nil {
		return err
	}
	a := f.Access
	_, err = q.InsertInvitedUser(ctx, tx, dbsqlc.InsertInvitedUserParams{ID: id, TenantID: tx.P.TenantID,
		EmailIndex: idx.Email(email), EmailEnc: c.SealString(id, colEmail, email),
		FirstNameEnc: c.SealString(id, colFirstName, f.FirstName), LastNameEnc: c.SealString(id, colLastName, f.LastName),
		PhoneEnc: sealOptional(c, id, colPhone, f.Phone), RoleID: f.RoleID, AccessAll: a.All,
		AccessCompanies: nonNil(a.Companies), AccessLocations: nonNil(a.Locations), AccessDepartments: nonNil(a.Departments),
		AccessOrgUnits: nonNil(a.OrgUnits), AccessEmployeeTypes: nonNil(a.EmployeeTypes), Language: f.Language,
		InvitedBy: tx.P.ActorID, Now: now})
	// An address used in this tenant is AlreadyExists on the field; one used
	// in another tenant does not collide (the index is per tenant) and so
	// reveals nothing.
	return postgres.UniqueField(err, "email", "users_email_key")
}

func nonNil(ids []uuid.UUID) []uuid.UUID {
	if ids == nil {
		return []uuid.UUID{}
	}
	return ids
}

// sendInvitation stores a new registration link for the user and enqueues
// the invitation email with it, in tx; it returns the link's expiry.
func (s *Service) sendInvitation(ctx context.Context, tx *uow.Tx, id uuid.UUID, email string, f Fields, now time.Time) (time.Time, error) {
	hours, err := s.q.InvitationTTL(ctx, tx, tx.P.TenantID)
	if err != nil {
		return time.Time{}, err
	}
	expires := now.Add(time.Duration(hours) * time.Hour)
	token, hash := secretlink.New(tx.P.TenantID)
	if err := s.q.InsertLink(ctx, tx, dbsqlc.InsertLinkParams{TenantID: tx.P.TenantID, ID: uuid.Must(uuid.NewV7()),
		UserID: id, Purpose: purposeInvitation, TokenHash: hash, Now: now, ExpiresAt: expires}); err != nil {
		return time.Time{}, err
	}
	_, err = s.outbox.Enqueue(ctx, tx, tx.P.TenantID, outbox.Message{Kind: outbox.Email, To: email, Template: "invitation",
		Language: f.Language, Data: map[string]string{
			"Name":      f.FirstName + " " + f.LastName,
			"Link":      s.publicURL + "/register#" + token,
			"ExpiresAt": outbox.Time(expires, f.Language),
		}})
	return expires, err
}

// notInState tells a user in the wrong state (want) from a missing one.
func (s *Service) notInState(ctx context.Context, tx *uow.Tx, id uuid.UUID, want error) error {
	ok, err := s.q.UserExists(ctx, tx, dbsqlc.UserExistsParams{TenantID: tx.P.TenantID, ID: id})
	if err != nil {
		return err
	}
	if !ok {
		return postgres.ErrNotFound
	}
	return want
}

func (s *Service) setState(ctx context.Context, tx *uow.Tx, id uuid.UUID, to State, now time.Time, from ...State) error {
	names := make([]string, len(from))
	for i, f := range from {
		names[i] = string(f)
	}
	n, err := s.q.SetUserStatus(ctx, tx, dbsqlc.SetUserStatusParams{TenantID: tx.P.TenantID, ID: id, Status: string(to),
		Now: now, FromStatus: names})
	if err != nil {
		return err
	}
	if n == 0 {
		return s.notInState(ctx, tx, id, apperr.New(apperr.FailedPrecondition,
			"the user is not in state "+strings.Join(names, " or ")))
	}
	return nil
}

// checkFields refuses a role or certificate-access id that does not exist
// in the tenant (or names a unit of another kind), on the field.
func (s *Service) checkFields(ctx context.Context, tx *uow.Tx, f Fields) error {
	ok, err := s.q.RoleExists(ctx, tx, dbsqlc.RoleExistsParams{TenantID: tx.P.TenantID, ID: f.RoleID})
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Field(apperr.InvalidArgument, "fields.role_id", "zeugo.exists", "no such role")
	}
	a := f.Access
	if len(a.Companies) > 0 {
		found, err := s.q.ExistingCompanies(ctx, tx, dbsqlc.ExistingCompaniesParams{TenantID: tx.P.TenantID, Ids: a.Companies})
		if err != nil {
			return err
		}
		if len(found) != len(a.Companies) {
			return apperr.Field(apperr.InvalidArgument, "fields.certificate_access.company_ids", "zeugo.exists", "no such company")
		}
	}
	for _, d := range []struct {
		kind, field string
		ids         []uuid.UUID
	}{
		{kindLocation, "location_ids", a.Locations}, {kindDepartment, "department_ids", a.Departments},
		{kindOrgUnit, "org_unit_ids", a.OrgUnits}, {kindEmployeeType, "employee_type_ids", a.EmployeeTypes},
	} {
		if len(d.ids) == 0 {
			continue
		}
		found, err := s.q.ExistingUnits(ctx, tx, dbsqlc.ExistingUnitsParams{TenantID: tx.P.TenantID, Kind: d.kind, Ids: d.ids})
		if err != nil {
			return err
		}
		if len(found) != len(d.ids) {
			return apperr.Field(apperr.InvalidArgument, "fields.certificate_access."+d.field, "zeugo.exists",
				"no such "+strings.ReplaceAll(d.kind, "_", " "))
		}
	}
	return nil
}

func updateUser(ctx context.Context, q *dbsqlc.Queries, tx *uow.Tx, id uuid.UUID, version int64, f Fields, rightsChanged bool, now time.Time) error {
	c, err := tx.Cipher()
	if err != nil {
		return err
	}
	a := f.Access
	n, err := q.UpdateUser(ctx, tx, dbsqlc.UpdateUserParams{TenantID: tx.P.TenantID, ID: id, Version: version,
		FirstNameEnc: c.SealString(id, colFirstName, f.FirstName), LastNameEnc: c.SealString(id, colLastName, f.LastName),
		PhoneEnc: sealOptional(c, id, colPhone, f.Phone), Language: f.Language, RoleID: f.RoleID, AccessAll: a.All,
		AccessCompanies: nonNil(a.Companies), AccessLocations: nonNil(a.Locations), AccessDepartments: nonNil(a.Departments),
		AccessOrgUnits: nonNil(a.OrgUnits), AccessEmployeeTypes: nonNil(a.EmployeeTypes), RightsChanged: rightsChanged, Now: now})
	if err != nil {
		return err
	}
	if n == 0 {
		return postgres.StaleOrMissing(ctx, tx, "users", tx.P.TenantID, id)
	}
	return nil
}

func accessDetails(a Access) map[string]string {
	if a.All {
		return map[string]string{"all": "true"}
	}
	join := func(ids []uuid.UUID) string {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = id.String()
		}
		return strings.Join(s, ",")
	}
	return map[string]string{"all": "false", "companies": join(a.Companies), "locations": join(a.Locations),
		"departments": join(a.Departments), "org_units": join(a.OrgUnits), "employee_types": join(a.EmployeeTypes)}
}

// row is one user as read, before decryption.
type row struct {
	ID                                                                   uuid.UUID
	EmailEnc, FirstNameEnc, LastNameEnc, PhoneEnc                        []byte
	RoleID                                                               uuid.UUID
	RoleName, Status, Language                                           string
	AccessAll                                                            bool
	AccessCompanies, AccessLocations, AccessDepartments, AccessOrgUnits  []uuid.UUID
	AccessEmployeeTypes                                                  []uuid.UUID
	Version                                                              int64
	InvitedAt, LastLoginAt, LockedAt, DeactivatedAt, InvitationExpiresAt *time.Time
	CreatedAt, UpdatedAt                                                 time.Time
}

func (r *row) user(ctx context.Context, c *keyring.TenantCipher) (*User, error) {
	u := &User{ID: r.ID, RoleName: r.RoleName, State: State(r.Status), Version: r.Version, InvitedAt: r.InvitedAt,
		LastLoginAt: r.LastLoginAt, LockedAt: r.LockedAt, DeactivatedAt: r.DeactivatedAt, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt,
		Fields: Fields{Language: r.Language, RoleID: r.RoleID, Access: Access{All: r.AccessAll, Companies: r.AccessCompanies,
			Locations: r.AccessLocations, Departments: r.AccessDepartments, OrgUnits: r.AccessOrgUnits,
			EmployeeTypes: r.AccessEmployeeTypes}}}
	if u.State == StateInvited {
		u.InvitationExpiresAt = r.InvitationExpiresAt
	}
	var err error
	if u.Email, err = c.OpenString(ctx, r.ID, colEmail, r.EmailEnc); err != nil {
		return nil, err
	}
	if u.Fields.FirstName, err = c.OpenString(ctx, r.ID, colFirstName, r.FirstNameEnc); err != nil {
		return nil, err
	}
	if u.Fields.LastName, err = c.OpenString(ctx, r.ID, colLastName, r.LastNameEnc); err != nil {
		return nil, err
	}
	if u.Fields.Phone, err = openOptional(ctx, c, r.ID, colPhone, r.PhoneEnc); err != nil {
		return nil, err
	}
	return u, nil
}

func getUser(ctx context.Context, q *dbsqlc.Queries, db postgres.DBTX, c *keyring.TenantCipher, tenantID, id uuid.UUID) (*User, error) {
	r, err := q.GetUser(ctx, db, dbsqlc.GetUserParams{TenantID: tenantID, ID: id})
	if err != nil {
		return nil, notFoundOr(err)
	}
	rr := row{ID: r.ID, EmailEnc: r.EmailEnc, FirstNameEnc: r.FirstNameEnc, LastNameEnc: r.LastNameEnc, PhoneEnc: r.PhoneEnc,
		RoleID: r.RoleID, RoleName: r.RoleName, Status: r.Status, Language: r.Language, AccessAll: r.AccessAll,
		AccessCompanies: r.AccessCompanies, AccessLocations: r.AccessLocations, AccessDepartments: r.AccessDepartments,
		AccessOrgUnits: r.AccessOrgUnits, AccessEmployeeTypes: r.AccessEmployeeTypes, Version: r.Version,
		InvitedAt: ts(r.InvitedAt), LastLoginAt: ts(r.LastLoginAt), LockedAt: ts(r.LockedAt),
		DeactivatedAt: ts(r.DeactivatedAt), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.Status == string(StateInvited) {
		exp, err := q.InvitationExpiry(ctx, db, dbsqlc.InvitationExpiryParams{TenantID: tenantID, UserID: id})
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, err
		}
		if err == nil {
			rr.InvitationExpiresAt = &exp
		}
	}
	return rr.user(ctx, c)
}

// getInTx reads a user inside a write.
func (s *Service) getInTx(ctx context.Context, tx *uow.Tx, id uuid.UUID) (*User, error) {
	c, err := tx.Cipher()
	if err != nil {
		return nil, err
	}
	return getUser(ctx, s.q, tx, c, tx.P.TenantID, id)
}

func accessOptions(ctx context.Context, q *dbsqlc.Queries, rd *uow.Reader) (*Options, error) {
	companies, err := q.CompanyOptions(ctx, rd.DB, rd.P.TenantID)
	if err != nil {
		return nil, err
	}
	units, err := q.UnitOptions(ctx, rd.DB, rd.P.TenantID)
	if err != nil {
		return nil, err
	}
	o := &Options{}
	for _, c := range companies {
		o.Companies = append(o.Companies, Option{ID: c.ID, Name: c.Name})
	}
	for _, u := range units {
		opt := Option{ID: u.ID, Name: u.Name}
		switch u.Kind {
		case kindLocation:
			o.Locations = append(o.Locations, opt)
		case kindDepartment:
			o.Departments = append(o.Departments, opt)
		case kindOrgUnit:
			o.OrgUnits = append(o.OrgUnits, opt)
		case kindEmployeeType:
			o.EmployeeTypes = append(o.EmployeeTypes, opt)
		}
	}
	return o, nil
}

const userColumns = `id, email_enc, first_name_enc, last_name_enc, phone_enc, role_id,
	(SELECT r.name FROM roles r WHERE r.tenant_id = users.tenant_id AND r.id = users.role_id),
	status, language, access_all, access_companies, access_locations, access_departments, access_org_units,
	access_employee_types, version, invited_at, last_login_at, locked_at, deactivated_at,
	(SELECT max(l.expires_at) FROM user_links l WHERE l.tenant_id = users.tenant_id AND l.user_id = users.id
	   AND l.purpose = 'invitation' AND l.used_at IS NULL),
	created_at, updated_at`

// listUsers pages through the users by creation time (indexes
// users_list_created_idx and users_list_status_idx of migration 00010).
//
// Names and emails are ciphertext, so the search works in two ways: a text
// with "@" is an email and matches through the blind index (equality only:
// the index reveals which rows share an address, nothing else); any other
// text is compared with the decrypted first and last names of at most
// MaxNameSearch users of the tenant here in the server, and the list then
// selects the matching ids. Nothing about the search reaches the database
// but those ids.
func (s *Service) listUsers(rd *uow.Reader, q Query) (paging.Page[User], error) {
	ctx := rd.Context()
	l := postgres.List{Table: "users", Columns: userColumns, Desc: q.Desc, Key: "created_at", KeyArg: "?::timestamptz"}
	if q.State != "" {
		l.Where = append(l.Where, postgres.Where("status = ?", string(q.State)))
	}
	c, err := rd.Cipher()
	if err != nil {
		return paging.Page[User]{}, err
	}
	search := strings.TrimSpace(q.Search)
	switch {
	case strings.Contains(search, "@"):
		l.Where = append(l.Where, postgres.Where("email_index = ?", s.index.Email(search)))
	case search != "":
		ids, err := s.matchNames(ctx, rd, c, string(q.State), search)
		if err != nil {
			return paging.Page[User]{}, err
		}
		l.Where = append(l.Where, postgres.Where("id = ANY (?::uuid[])", ids))
	}
	return uow.ListPage(rd, l, q.Page, func(cr pgx.CollectableRow) (User, error) {
		var r row
		if err := cr.Scan(&r.ID, &r.EmailEnc, &r.FirstNameEnc, &r.LastNameEnc, &r.PhoneEnc, &r.RoleID, &r.RoleName,
			&r.Status, &r.Language, &r.AccessAll, &r.AccessCompanies, &r.AccessLocations, &r.AccessDepartments,
			&r.AccessOrgUnits, &r.AccessEmployeeTypes, &r.Version, &r.InvitedAt, &r.LastLoginAt, &r.LockedAt,
			&r.DeactivatedAt, &r.InvitationExpiresAt, &r.CreatedAt, &r.UpdatedAt); err != nil { // userColumns, in order
			return User{}, err
		}
		u, err := r.user(ctx, c)
		if err != nil {
			return User{}, err
		}
		return *u, nil
	}, func(u *User) (string, uuid.UUID) { return u.CreatedAt.UTC().Format(time.RFC3339Nano), u.ID })
}

// matchNames returns the ids of the users (in state, unless empty) whose
// first or last name, or both together, contain text (case-insensitive).
func (s *Service) matchNames(ctx context.Context, rd *uow.Reader, c *keyring.TenantCipher, state, text string) ([]uuid.UUID, error) {
	rows, err := s.q.UserNames(ctx, rd.DB, dbsqlc.UserNamesParams{TenantID: rd.P.TenantID, Status: state, Lim: MaxNameSearch + 1})
	if err != nil {
		return nil, err
	}
	if len(rows) > MaxNameSearch {
		return nil, errTooMany
	}
	needle := strings.ToLower(text)
	ids := []uuid.UUID{}
	for _, r := range rows {
		first, err := c.OpenString(ctx, r.ID, colFirstName, r.FirstNameEnc)
		if err != nil {
			return nil, err
		}
		last, err := c.OpenString(ctx, r.ID, colLastName, r.LastNameEnc)
		if err != nil {
			return nil, err
		}
		if strings.Contains(strings.ToLower(first+" "+last), needle) || strings.Contains(strings.ToLower(last+", "+first), needle) {
			ids = append(ids, r.ID)
		}
	}
	return ids, nil
}
