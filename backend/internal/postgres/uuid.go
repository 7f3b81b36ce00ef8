package postgres

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// Every statement carries ids (the tenant's at least), as
// github.com/google/uuid.UUID. pgx would send one through its
// driver.Valuer (formatted as text, parsed back) and scan one through its
// sql.Scanner (printed as text, parsed again): about 1.7 µs an argument
// against 40 ns in binary (docs/performance.md, "Employees"). RegisterUUID
// makes a connection's type map encode and scan uuid.UUID (alone, in
// slices and as pointers) as the binary 16 bytes of PostgreSQL's uuid,
// the way pgx's own pgtype.UUID travels.
func RegisterUUID(m *pgtype.Map) {
	m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{tryWrapUUIDEncode}, m.TryWrapEncodePlanFuncs...)
	// A scan into a sql.Scanner is planned before any wrap function is
	// asked, so the scan goes through the codec of the uuid type itself.
	m.RegisterType(&pgtype.Type{Name: "uuid", OID: pgtype.UUIDOID, Codec: uuidCodec{}})
	m.RegisterDefaultPgType(uuid.UUID{}, "uuid")
	m.RegisterDefaultPgType([]uuid.UUID{}, "_uuid")
}

// registerTypes is the pool's AfterConnect.
func registerTypes(_ context.Context, conn *pgx.Conn) error {
	RegisterUUID(conn.TypeMap())
	return nil
}

// binUUID is uuid.UUID as pgtype's uuid codec takes and fills it.
type binUUID uuid.UUID

// UUIDValue implements pgtype.UUIDValuer.
func (u binUUID) UUIDValue() (pgtype.UUID, error) { return pgtype.UUID{Bytes: u, Valid: true}, nil }

// ScanUUID implements pgtype.UUIDScanner: NULL is the zero uuid (scan a
// nullable column into *uuid.UUID or pgtype.UUID to tell NULL apart).
func (u *binUUID) ScanUUID(v pgtype.UUID) error {
	*u = v.Bytes
	return nil
}

func tryWrapUUIDEncode(value any) (pgtype.WrappedEncodePlanNextSetter, any, bool) {
	if u, ok := value.(uuid.UUID); ok {
		return &uuidEncodePlan{}, binUUID(u), true
	}
	return nil, nil, false
}

type uuidEncodePlan struct{ next pgtype.EncodePlan }

func (p *uuidEncodePlan) SetNext(next pgtype.EncodePlan) { p.next = next }

func (p *uuidEncodePlan) Encode(value any, buf []byte) ([]byte, error) {
	return p.next.Encode(binUUID(value.(uuid.UUID)), buf)
}

// uuidCodec is pgtype's uuid codec that also scans into *uuid.UUID
// directly.
type uuidCodec struct{ pgtype.UUIDCodec }

func (c uuidCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if _, ok := target.(*uuid.UUID); ok {
		if next := c.UUIDCodec.PlanScan(m, oid, format, new(binUUID)); next != nil {
			return uuidScanPlan{next: next}
		}
	}
	return c.UUIDCodec.PlanScan(m, oid, format, target)
}

type uuidScanPlan struct{ next pgtype.ScanPlan }

func (p uuidScanPlan) Scan(src []byte, dst any) error {
	return p.next.Scan(src, (*binUUID)(dst.(*uuid.UUID)))
}
