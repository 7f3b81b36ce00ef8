package employees

import (
	"context"

	"connectrpc.com/connect"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

var outcomes = map[Outcome]zeugov1.UpsertOutcome{
	Created:   zeugov1.UpsertOutcome_UPSERT_OUTCOME_CREATED,
	Updated:   zeugov1.UpsertOutcome_UPSERT_OUTCOME_UPDATED,
	Unchanged: zeugov1.UpsertOutcome_UPSERT_OUTCOME_UNCHANGED,
}

// UpsertEmployees implements zeugov1connect.EmployeeServiceHandler.
func (h *Handler) UpsertEmployees(ctx context.Context, req *connect.Request[zeugov1.UpsertEmployeesRequest]) (*connect.Response[zeugov1.UpsertEmployeesResponse], error) {
	in := req.Msg.GetEmployees()
	all := make([]Fields, len(in))
	var bad map[int][]string
	for i, m := range in {
		var b []string
		all[i], b = FieldsFromProto(m)
		if len(b) > 0 {
			if bad == nil {
				bad = map[int][]string{}
			}
			bad[i] = b
		}
	}
	results, err := h.svc.Upsert(ctx, all, bad)
	if err != nil {
		return nil, err
	}
	out := make([]*zeugov1.UpsertResult, len(results))
	for i, r := range results {
		out[i] = &zeugov1.UpsertResult{Id: r.ID.String(), PersonnelNumber: r.PersonnelNumber, Outcome: outcomes[r.Outcome],
			Version: r.Version}
	}
	return connect.NewResponse(&zeugov1.UpsertEmployeesResponse{Results: out}), nil
}
