package employees

import (
	"context"
	"strconv"

	"connectrpc.com/connect"
	"github.com/google/uuid"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
	"github.com/zeugo/zeugo/backend/internal/paging"
)

// Handler is the Connect handler of EmployeeService: proto <-> domain only
// (validation and access run in interceptors, from the proto).
type Handler struct {
	svc *Service
}

var _ zeugov1connect.EmployeeServiceHandler = (*Handler)(nil)

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

func itoa(i int) string { return strconv.Itoa(i) }

// badDates is the InvalidArgument for dates with the right shape that do
// not exist (2025-02-30), under prefix ("fields.").
func badDates(prefix string, fields []string) error {
	if len(fields) == 0 {
		return nil
	}
	v := make([]apperr.FieldViolation, len(fields))
	for i, f := range fields {
		v[i] = dateViolation(prefix + f)
	}
	return &apperr.Error{Code: apperr.InvalidArgument, Message: "not a valid date", Violations: v}
}

// dateViolation refuses field (a full path): a date of the right shape
// that does not exist.
func dateViolation(field string) apperr.FieldViolation {
	return apperr.FieldViolation{Field: field, RuleID: "zeugo.date", Message: "not a valid date"}
}

func fieldsIn(m *zeugov1.EmployeeFields) (Fields, error) {
	f, bad := FieldsFromProto(m)
	return f, badDates("fields.", bad)
}

// CreateEmployee implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) CreateEmployee(ctx context.Context, req *connect.Request[zeugov1.CreateEmployeeRequest]) (*connect.Response[zeugov1.CreateEmployeeResponse], error) {
	f, err := fieldsIn(req.Msg.GetFields())
	if err != nil {
		return nil, err
	}
	e, err := h.svc.Create(ctx, f)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.CreateEmployeeResponse{Employee: h.svc.toProto(e)}), nil
}

// GetEmployee implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) GetEmployee(ctx context.Context, req *connect.Request[zeugov1.GetEmployeeRequest]) (*connect.Response[zeugov1.GetEmployeeResponse], error) {
	e, err := h.svc.Get(ctx, uuid.MustParse(req.Msg.GetId()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.GetEmployeeResponse{Employee: h.svc.toProto(e)}), nil
}

// UpdateEmployee implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) UpdateEmployee(ctx context.Context, req *connect.Request[zeugov1.UpdateEmployeeRequest]) (*connect.Response[zeugov1.UpdateEmployeeResponse], error) {
	f, err := fieldsIn(req.Msg.GetFields())
	if err != nil {
		return nil, err
	}
	e, err := h.svc.Update(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetVersion(), f)
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.UpdateEmployeeResponse{Employee: h.svc.toProto(e)}), nil
}

// ListEmployees implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) ListEmployees(ctx context.Context, req *connect.Request[zeugov1.ListEmployeesRequest]) (*connect.Response[zeugov1.ListEmployeesResponse], error) {
	page, err := h.svc.List(ctx, queryFromProto(req.Msg))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.ListEmployeesResponse{Employees: paging.Map(page, h.svc.toProto),
		Page: paging.InfoToProto(page)}), nil
}

// DeleteEmployee implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) DeleteEmployee(ctx context.Context, req *connect.Request[zeugov1.DeleteEmployeeRequest]) (*connect.Response[zeugov1.DeleteEmployeeResponse], error) {
	if err := h.svc.Delete(ctx, uuid.MustParse(req.Msg.GetId())); err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.DeleteEmployeeResponse{}), nil
}

// SetLegalHold implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) SetLegalHold(ctx context.Context, req *connect.Request[zeugov1.SetLegalHoldRequest]) (*connect.Response[zeugov1.SetLegalHoldResponse], error) {
	e, err := h.svc.SetHold(ctx, uuid.MustParse(req.Msg.GetId()), req.Msg.GetHold(), req.Msg.GetReason())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&zeugov1.SetLegalHoldResponse{Employee: h.svc.toProto(e)}), nil
}

// ExportEmployees implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) ExportEmployees(ctx context.Context, req *connect.Request[zeugov1.ExportEmployeesRequest], stream *connect.ServerStream[zeugov1.ExportEmployeesResponse]) error {
	format, contentType, name := CSV, "text/csv; charset=utf-8", "mitarbeiter.csv"
	if req.Msg.GetFormat() == zeugov1.ExportFormat_EXPORT_FORMAT_JSON {
		format, contentType, name = JSON, "application/json", "mitarbeiter.json"
	}
	first := true
	return h.svc.Export(ctx, format, FilterFromProto(req.Msg.GetFilter()), func(chunk []byte) error {
		m := &zeugov1.ExportEmployeesResponse{Chunk: chunk}
		if first {
			m.ContentType, m.FileName, first = contentType, name, false
		}
		return stream.Send(m)
	})
}
