package employees

import (
	"net/http"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/mount"
)

// ImportRequestBytes bounds the request of the two import procedures: a
// file of ImportMaxBytes and the options around it. Every other procedure
// keeps the server's 1 MiB.
const ImportRequestBytes = ImportMaxBytes + 1<<20

// UpsertRequestBytes bounds an UpsertEmployees request: 1,000 employees
// of up to 8 KiB each (every field, a few long task descriptions). The
// server's 1 MiB would refuse a full batch of realistic records.
const UpsertRequestBytes = 8 << 20

// Mount is EmployeeService as the server serves it.
func Mount(s *Service) mount.Service {
	return mount.Service{Name: zeugov1connect.EmployeeServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewEmployeeServiceHandler(NewHandler(s), opts...)
		},
		Limits: map[string]int64{
			zeugov1connect.EmployeeServicePreviewEmployeeImportProcedure: ImportRequestBytes,
			zeugov1connect.EmployeeServiceCommitEmployeeImportProcedure:  ImportRequestBytes,
			zeugov1connect.EmployeeServiceUpsertEmployeesProcedure:       UpsertRequestBytes,
		}}
}
