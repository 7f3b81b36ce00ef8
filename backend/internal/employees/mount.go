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

// Mount is EmployeeService as the server serves it.
func Mount(s *Service) mount.Service {
	return mount.Service{Name: zeugov1connect.EmployeeServiceName,
		Handler: func(opts ...connect.HandlerOption) (string, http.Handler) {
			return zeugov1connect.NewEmployeeServiceHandler(NewHandler(s), opts...)
		},
		Limits: map[string]int64{
			zeugov1connect.EmployeeServicePreviewEmployeeImportProcedure: ImportRequestBytes,
			zeugov1connect.EmployeeServiceCommitEmployeeImportProcedure:  ImportRequestBytes,
		}}
}
