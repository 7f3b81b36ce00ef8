package postgres

import (
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestUUIDPlansSkipText: the plans pgx picks for uuid.UUID are ours (binary
// 16 bytes), not the driver.Valuer / sql.Scanner text round trip.
func TestUUIDPlansSkipText(t *testing.T) {
	m := pgtype.NewMap()
	RegisterUUID(m)
	if p, ok := m.PlanEncode(pgtype.UUIDOID, pgtype.BinaryFormatCode, uuid.New()).(*uuidEncodePlan); !ok || p == nil {
		t.Errorf("encode plan %T", m.PlanEncode(pgtype.UUIDOID, pgtype.BinaryFormatCode, uuid.New()))
	}
	var u uuid.UUID
	if _, ok := m.PlanScan(pgtype.UUIDOID, pgtype.BinaryFormatCode, &u).(uuidScanPlan); !ok {
		t.Errorf("scan plan %T", m.PlanScan(pgtype.UUIDOID, pgtype.BinaryFormatCode, &u))
	}
}

func BenchmarkUUIDEncode(b *testing.B) {
	for _, reg := range []bool{false, true} {
		m := pgtype.NewMap()
		name := "valuer"
		if reg {
			RegisterUUID(m)
			name = "binary"
		}
		b.Run(name, func(b *testing.B) {
			id := uuid.New()
			buf := make([]byte, 0, 64)
			for b.Loop() {
				if _, err := m.Encode(pgtype.UUIDOID, pgtype.BinaryFormatCode, id, buf[:0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
