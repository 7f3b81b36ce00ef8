package certificates

import (
	"context"

	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/generator"
	"github.com/zeugo/zeugo/backend/internal/postgres"
)

// Libraries gives the library a tenant's certificates are written with:
// the tenant's catalogue (package tenantcatalog implements it over the
// shipped default) or, without one, the shipped default alone. Both read
// in db, the caller's transaction or reader bound to the tenant.
type Libraries interface {
	// Current is the tenant's current library and its catalogue version
	// (0: the shipped default alone).
	Current(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID) (*generator.Library, int64, error)
	// At is the library of version v of the tenant's catalogue, so a
	// certificate's text and document are reproduced from the version it
	// was generated with.
	At(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID, v int64) (*generator.Library, error)
}

// defaultLibraries is the shipped default library for every tenant.
type defaultLibraries struct{ lib *generator.Library }

func (d defaultLibraries) Current(context.Context, postgres.DBTX, uuid.UUID) (*generator.Library, int64, error) {
	return d.lib, 0, nil
}

func (d defaultLibraries) At(context.Context, postgres.DBTX, uuid.UUID, int64) (*generator.Library, error) {
	return d.lib, nil
}

// UseLibraries makes the service write with the tenants' catalogues.
func (s *Service) UseLibraries(l Libraries) { s.libs = l }

// libraryOf is the library certificate content c's document is written
// with: the catalogue version its text was generated with, or the current
// one before the first text.
func (s *Service) libraryOf(ctx context.Context, db postgres.DBTX, tenantID uuid.UUID, c *Content) (*generator.Library, error) {
	if c.Result != nil && len(c.Result.Paragraphs) > 0 {
		return s.libs.At(ctx, db, tenantID, c.Result.TenantCatalogVersion)
	}
	lib, _, err := s.libs.Current(ctx, db, tenantID)
	return lib, err
}
