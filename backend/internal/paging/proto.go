package paging

import zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"

// FromProto is the request of a list rpc.
func FromProto(p *zeugov1.PageRequest) Request {
	return Request{Size: int(p.GetPageSize()), Token: p.GetPageToken()}
}

// Descending reports whether d asks for descending order.
func Descending(d zeugov1.SortDirection) bool {
	return d == zeugov1.SortDirection_SORT_DIRECTION_DESCENDING
}

// InfoToProto is the page information of a list answer.
func InfoToProto[T any](p Page[T]) *zeugov1.PageInfo {
	return &zeugov1.PageInfo{NextPageToken: p.Next, TotalSize: p.Total}
}

// Map converts the items of a page (domain → proto).
func Map[T, P any](p Page[T], conv func(*T) P) []P {
	out := make([]P, len(p.Items))
	for i := range p.Items {
		out[i] = conv(&p.Items[i])
	}
	return out
}
