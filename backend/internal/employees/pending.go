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
