package selfservice

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/audit"
	"github.com/zeugo/zeugo/backend/internal/keyring"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/ratelimit"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
	"github.com/zeugo/zeugo/backend/internal/selfservice/dbsqlc"
)

// errNoForm is the one answer to an unknown form, a disabled one and one of
// a tenant that is not active.
var errNoForm = apperr.Field(apperr.NotFound, "form_id", "zeugo.selfservice.form_unknown", "this form does not exist or is closed")

// allowIP counts one call of the client under rule.
func (s *Service) allowIP(ctx context.Context, rule ratelimit.Rule) error {
	return s.Limiter.Allow(ctx, rule, ratelimit.ClientKey(requestinfo.From(ctx).IP))
}

// formTenant is the tenant of an enabled form, or errNoForm.
func (s *Service) formTenant(ctx context.Context, publicID string) (uuid.UUID, error) {
	id, err := s.q.FormTenant(ctx, s.DB.Pool, publicID)
	if err != nil {
		return uuid.Nil, postgres.Classify(err)
	}
	if id == uuid.Nil {
		return uuid.Nil, errNoForm
	}
	return id, nil
}

// publicForm reads an enabled form in its tenant.
func (s *Service) publicForm(ctx context.Context, db dbsqlc.DBTX, tenantID uuid.UUID, publicID string) (*dbsqlc.PublicFormRow, error) {
	f, err := s.q.PublicForm(ctx, db, dbsqlc.PublicFormParams{TenantID: tenantID, PublicID: publicID})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errNoForm
	}
	return f, err
}

// GetForm describes an enabled form to anyone holding its public id.
func (s *Service) GetForm(ctx context.Context, publicID string) (*PublicForm, error) {
	if err := s.allowIP(ctx, s.Rules.ReadPerIP); err != nil {
		return nil, err
	}
	tenantID, err := s.formTenant(ctx, publicID)
	if err != nil {
		return nil, err
	}
	f, err := s.publicForm(ctx, s.DB.Tenant(tenantID), tenantID, publicID)
	if err != nil {
		return nil, postgres.Classify(err)
	}
	return &PublicForm{CompanyName: f.CompanyName, Intro: f.Intro}, nil
}

// Started is a started request: its token and when it expires.
type Started struct {
	Pending   string
	ExpiresAt time.Time
}

// Start mails a code to the requester and returns the request as a sealed
// token; nothing is stored. The answer does not depend on whether an
// employee of that name, number or address exists (nothing here looks).
// Limits: per client address, per form and per email address, each
// ResourceExhausted.
func (s *Service) Start(ctx context.Context, publicID string, f Fields) (*Started, error) {
	if err := s.allowIP(ctx, s.Rules.StartPerIP); err != nil {
		return nil, err
	}
	tenantID, err := s.formTenant(ctx, publicID)
	if err != nil {
		return nil, err
	}
	if err := s.Limiter.Allow(ctx, s.Rules.StartPerForm, publicID); err != nil {
		return nil, err
	}
	if err := s.Limiter.Allow(ctx, s.Rules.StartPerEmail, keyring.NormalizeEmail(f.Email)); err != nil {
		return nil, err
	}
	now := s.Work.Now()
	id := uuid.Must(uuid.NewV7())
	code := newCode()
	expires := now.Add(s.Rules.PendingTTL).Truncate(time.Second)
	var out *Started
	err = s.DB.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		form, err := s.publicForm(ctx, tx, tenantID, publicID)
		if err != nil {
			return err
		}
		c, err := s.Keys.Tenant(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		token, err := seal(c, tokenHead{ID: id, PublicID: publicID}, &pending{FormID: form.ID, CompanyID: form.CompanyID,
			Expires: expires.Unix(), CodeMAC: codeMAC(s.Index, id, code), Fields: f})
		if err != nil {
			return err
		}
		if _, err := s.Outbox.Enqueue(ctx, tx, tenantID, outbox.Message{Kind: outbox.Email, To: f.Email, Template: templateCode,
			Language: f.Language, Data: map[string]string{"Name": f.Name(), "Code": code,
				"ExpiresAt": outbox.Time(expires, f.Language)}}); err != nil {
			return err
		}
		out = &Started{Pending: token, ExpiresAt: expires}
		return nil
	})
	if err != nil {
		return nil, postgres.Classify(err)
	}
	return out, nil
}

// Confirm checks code against a pending token and stores its request.
// A wrong code is errWrongCode and counts against the token; a token with
// WrongCodes wrong codes, expired, forged or of a form that was disabled,
// rotated or deleted since is errInvalidPending. Confirming the same token
// again succeeds without storing it twice.
func (s *Service) Confirm(ctx context.Context, token, code string) error {
	if err := s.allowIP(ctx, s.Rules.ReadPerIP); err != nil {
		return err
	}
	head, sealed, err := parseHead(token)
	if err != nil {
		return err
	}
	tenantID, err := s.formTenant(ctx, head.PublicID)
	if err != nil {
		return invalidPendingOr(err)
	}
	subject := head.ID.String()
	if err := s.Limiter.Check(ctx, s.Rules.WrongCodes, subject); err != nil {
		if apperr.Is(err, apperr.ResourceExhausted) {
			return errInvalidPending
		}
		return err
	}
	err = s.DB.TenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		c, err := s.Keys.Tenant(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		p, err := open(ctx, c, head, sealed, s.Work.Now())
		if err != nil {
			return err
		}
		form, err := s.publicForm(ctx, tx, tenantID, head.PublicID)
		if err != nil {
			return invalidPendingOr(err)
		}
		if form.ID != p.FormID {
			return errInvalidPending // defence in depth: the sealed token names the form it was made for
		}
		if !codeMatches(s.Index, head.ID, code, p.CodeMAC) {
			return errWrongCode
		}
		return s.store(ctx, tx, c, tenantID, head.ID, p)
	})
	if errors.Is(err, errWrongCode) {
		// Counted outside the rolled-back transaction, in the shared table.
		if herr := s.Limiter.Hit(ctx, nil, s.Rules.WrongCodes, subject); herr != nil {
			return herr
		}
	}
	return postgres.Classify(err)
}

// invalidPendingOr turns errNoForm (the form was closed, rotated or
// deleted since the token was made) into errInvalidPending and passes
// failures.
func invalidPendingOr(err error) error {
	if errors.Is(err, errNoForm) {
		return errInvalidPending
	}
	return err
}

// store writes a confirmed request and its audit event.
func (s *Service) store(ctx context.Context, tx pgx.Tx, c *keyring.TenantCipher, tenantID, id uuid.UUID, p *pending) error {
	f := p.Fields
	params := dbsqlc.InsertRequestParams{TenantID: tenantID, ID: id, FormID: pgtype.UUID{Bytes: p.FormID, Valid: true},
		CompanyID: p.CompanyID, Kind: string(f.Kind), Language: f.Language,
		WishedDate:   pgtype.Date{Time: f.WishedDate, Valid: !f.WishedDate.IsZero()},
		FirstNameEnc: c.SealString(id, colFirstName, f.FirstName), LastNameEnc: c.SealString(id, colLastName, f.LastName),
		EmailEnc: c.SealString(id, colEmail, f.Email), ReasonEnc: c.SealString(id, colReason, f.Reason), Now: s.Work.Now()}
	if f.PersonnelNumber != "" {
		params.PersonnelNumberEnc = c.SealString(id, colPersonnelNumber, f.PersonnelNumber)
	}
	n, err := s.q.InsertRequest(ctx, tx, params)
	if err != nil || n == 0 {
		return err // n == 0: this token was confirmed before
	}
	return s.Audit.Write(ctx, tx, tenantID, audit.Event{Action: ActionRequestSubmitted, Outcome: audit.OutcomeSuccess,
		ActorType: audit.ActorAnonymous, TargetType: TargetRequest, TargetID: id.String(),
		Details: map[string]string{"kind": string(f.Kind), "language": f.Language}})
}
