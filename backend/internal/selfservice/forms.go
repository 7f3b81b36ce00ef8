package selfservice

import (
	"context"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/postgres"
	"github.com/zeugo/zeugo/backend/internal/selfservice/dbsqlc"
	"github.com/zeugo/zeugo/backend/internal/uow"
)

// ListForms returns the forms of the companies in the caller's scope, and
// those companies without one.
func (s *Service) ListForms(ctx context.Context) ([]Form, []Company, error) {
	var out []Form
	var free []Company
	err := s.Work.Read(ctx, func(rd *uow.Reader) error {
		var err error
		if out, err = forms(ctx, rd.DB, rd.P); err != nil {
			return err
		}
		if free, err = companiesWithoutForm(ctx, rd.DB, rd.P); err != nil {
			return err
		}
		for _, f := range out {
			rd.Audit(ActionFormsListed, formTarget(f.ID))
		}
		return nil
	})
	return out, free, err
}

// errCompany is a company that does not exist or is out of the caller's
// scope.
var errCompany = apperr.Field(apperr.NotFound, "company_id", "zeugo.unknown", "no such company")

// CreateForm publishes a form for a company in the caller's scope.
func (s *Service) CreateForm(ctx context.Context, companyID uuid.UUID, intro string, enabled bool) (*Form, error) {
	var out *Form
	err := s.Work.Write(ctx, func(tx *uow.Tx) error {
		names, err := companyNames(ctx, tx, tx.P.TenantID, []uuid.UUID{companyID})
		if err != nil {
			return err
		}
		if _, ok := names[companyID]; !ok {
			return errCompany
		}
		if ok, err := companyInScope(ctx, tx, companyID); err != nil {
			return err
		} else if !ok {
			return errCompany
		}
		id := uuid.Must(uuid.NewV7())
		err = s.q.InsertForm(ctx, tx, dbsqlc.InsertFormParams{TenantID: tx.P.TenantID, ID: id, PublicID: newPublicID(),
			CompanyID: companyID, Enabled: enabled, Intro: intro, Now: s.Work.Now()})
		if err != nil {
			return postgres.UniqueField(postgres.Classify(err), "company_id", "selfservice_forms_tenant_id_company_id_key")
		}
		if err := tx.Record(ActionFormCreated, formTarget(id), map[string]string{"enabled": boolString(enabled)}); err != nil {
			return err
		}
		out, err = form(ctx, tx, tx.P, id, false)
		return err
	})
	return out, err
}

// companyInScope tells whether the caller's scope admits companyID (the
// scope condition over a one-row VALUES list).
func companyInScope(ctx context.Context, tx *uow.Tx, companyID uuid.UUID) (bool, error) {
	sql, args := postgres.And("SELECT EXISTS (SELECT FROM (VALUES ($1::uuid)) AS v(company_id) WHERE TRUE",
		[]any{companyID}, scope(tx.P))
	var ok bool
	err := tx.QueryRow(ctx, sql+")", args...).Scan(&ok)
	return ok, err
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// UpdateForm sets a form's enabled flag and intro at the version read.
func (s *Service) UpdateForm(ctx context.Context, id uuid.UUID, version int64, enabled bool, intro string) (*Form, error) {
	return s.changeForm(ctx, id, ActionFormUpdated, map[string]string{"enabled": boolString(enabled)}, func(tx *uow.Tx) (int64, error) {
		return s.q.UpdateForm(ctx, tx, dbsqlc.UpdateFormParams{TenantID: tx.P.TenantID, ID: id, Version: version,
			Enabled: enabled, Intro: intro, Now: s.Work.Now()})
	})
}

// RotateForm gives a form a new public id at the version read: the old URL
// and every pending token of it stop working.
func (s *Service) RotateForm(ctx context.Context, id uuid.UUID, version int64) (*Form, error) {
	return s.changeForm(ctx, id, ActionFormRotated, nil, func(tx *uow.Tx) (int64, error) {
		return s.q.RotateForm(ctx, tx, dbsqlc.RotateFormParams{TenantID: tx.P.TenantID, ID: id, Version: version,
			PublicID: newPublicID(), Now: s.Work.Now()})
	})
}

// changeForm runs a versioned change of a form in the caller's scope.
func (s *Service) changeForm(ctx context.Context, id uuid.UUID, action string, details map[string]string,
	change func(tx *uow.Tx) (int64, error)) (*Form, error) {
	var out *Form
	err := s.Work.Write(ctx, func(tx *uow.Tx) error {
		if _, err := form(ctx, tx, tx.P, id, true); err != nil {
			return err
		}
		n, err := change(tx)
		if err != nil {
			return err
		}
		if n == 0 {
			return apperr.ErrConcurrentChange // the row is locked and in scope: only its version differs
		}
		if err := tx.Record(action, formTarget(id), details); err != nil {
			return err
		}
		out, err = form(ctx, tx, tx.P, id, false)
		return err
	})
	return out, err
}

// DeleteForm removes a form; its requests stay.
func (s *Service) DeleteForm(ctx context.Context, id uuid.UUID) error {
	return s.Work.Write(ctx, func(tx *uow.Tx) error {
		if _, err := form(ctx, tx, tx.P, id, true); err != nil {
			return err
		}
		if err := postgres.Affected(s.q.DeleteForm(ctx, tx, dbsqlc.DeleteFormParams{TenantID: tx.P.TenantID, ID: id})); err != nil {
			return err
		}
		return tx.Record(ActionFormDeleted, formTarget(id), nil)
	})
}
