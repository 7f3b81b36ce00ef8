package employees

import (
	"context"

	"connectrpc.com/connect"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

func importOptionsFromProto(m *zeugov1.ImportOptions) ImportOptions {
	o := ImportOptions{CreateMissing: m.GetCreateMissing()}
	for _, c := range m.GetColumns() {
		o.Columns = append(o.Columns, MappedColumn{Index: int(c.GetIndex()), Header: c.GetHeader(), Field: Column(c.GetField())})
	}
	return o
}

func columnsToProto(cols []MappedColumn) []*zeugov1.ImportColumn {
	out := make([]*zeugov1.ImportColumn, len(cols))
	for i, c := range cols {
		out[i] = &zeugov1.ImportColumn{Index: int32(c.Index), Header: c.Header, Field: zeugov1.ImportField(c.Field)}
	}
	return out
}

func previewToProto(p *ImportPreview) *zeugov1.PreviewEmployeeImportResponse {
	m := &zeugov1.PreviewEmployeeImportResponse{Encoding: p.Encoding, Delimiter: p.Delimiter, Columns: columnsToProto(p.Columns),
		Rows: int32(p.Rows), ProblemCount: int32(p.ProblemCount), Names: map[string]string{}}
	for _, x := range p.Problems {
		m.Problems = append(m.Problems, &zeugov1.ImportProblem{Line: int32(x.Line), Column: int32(x.Column), Header: x.Header,
			Field: zeugov1.ImportField(x.Field), Code: x.Code, MessageDe: x.DE, MessageEn: x.EN})
	}
	for _, x := range p.Missing {
		m.Missing = append(m.Missing, &zeugov1.ImportMissing{Field: zeugov1.ImportField(x.Field), Name: x.Name, Rows: int32(x.Rows)})
	}
	for i := range p.Sample {
		m.Sample = append(m.Sample, FieldsToProto(&p.Sample[i]))
	}
	for id, n := range p.Names {
		m.Names[id.String()] = n
	}
	return m
}

// PreviewEmployeeImport implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) PreviewEmployeeImport(ctx context.Context, req *connect.Request[zeugov1.PreviewEmployeeImportRequest]) (*connect.Response[zeugov1.PreviewEmployeeImportResponse], error) {
	f := req.Msg.GetFile()
	p, err := h.svc.PreviewImport(ctx, f.GetName(), f.GetContent(), importOptionsFromProto(req.Msg.GetOptions()))
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(previewToProto(p)), nil
}

// CommitEmployeeImport implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) CommitEmployeeImport(ctx context.Context, req *connect.Request[zeugov1.CommitEmployeeImportRequest], stream *connect.ServerStream[zeugov1.CommitEmployeeImportResponse]) error {
	ctx, cancel := context.WithTimeout(ctx, importDeadline)
	defer cancel()
	f := req.Msg.GetFile()
	res, err := h.svc.CommitImport(ctx, f.GetName(), f.GetContent(), importOptionsFromProto(req.Msg.GetOptions()),
		func(done, total int) error {
			return stream.Send(&zeugov1.CommitEmployeeImportResponse{Event: &zeugov1.CommitEmployeeImportResponse_Progress{
				Progress: &zeugov1.ImportProgress{Done: int32(done), Total: int32(total)}}})
		})
	if err != nil {
		return err
	}
	return stream.Send(&zeugov1.CommitEmployeeImportResponse{Event: &zeugov1.CommitEmployeeImportResponse_Result{
		Result: &zeugov1.ImportResult{Created: int32(res.Created), UnitsCreated: int32(res.UnitsCreated)}}})
}
