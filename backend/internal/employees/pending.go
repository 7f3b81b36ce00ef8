package employees

// The rpcs below are being built (issue 14); each moves to its own file.

import (
	"context"
	"errors"

	"connectrpc.com/connect"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

var errPending = connect.NewError(connect.CodeUnimplemented, errors.New("not available yet"))

// UpsertEmployees implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) UpsertEmployees(context.Context, *connect.Request[zeugov1.UpsertEmployeesRequest]) (*connect.Response[zeugov1.UpsertEmployeesResponse], error) {
	return nil, errPending
}

// PreviewEmployeeImport implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) PreviewEmployeeImport(context.Context, *connect.Request[zeugov1.PreviewEmployeeImportRequest]) (*connect.Response[zeugov1.PreviewEmployeeImportResponse], error) {
	return nil, errPending
}

// CommitEmployeeImport implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) CommitEmployeeImport(context.Context, *connect.Request[zeugov1.CommitEmployeeImportRequest], *connect.ServerStream[zeugov1.CommitEmployeeImportResponse]) error {
	return errPending
}
