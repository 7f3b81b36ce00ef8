package certificates_test

import (
	"slices"
	"testing"

	"connectrpc.com/connect"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
)

// TestPagesWalkEveryRowOnce: the list and the change log page by keyset;
// with the test clock standing still every row has the same time, so the
// id alone orders them — every row comes exactly once, in both
// directions, and a token does not open another list.
func TestPagesWalkEveryRowOnce(t *testing.T) {
	t.Parallel()
	f := setup(t, "seiten")
	c := f.admin
	setTracking(t, c, true)
	emp := f.employee(t, c, "S1", "Seite", "")
	var want []string
	for range 7 {
		want = append(want, create(t, c, emp.GetId(), final, false).GetId())
	}
	slices.Sort(want)
	for _, order := range []zeugov1.CertificateOrder{zeugov1.CertificateOrder_CERTIFICATE_ORDER_UPDATE_TIME, zeugov1.CertificateOrder_CERTIFICATE_ORDER_CREATE_TIME} {
		for _, dir := range []zeugov1.SortDirection{zeugov1.SortDirection_SORT_DIRECTION_ASCENDING, zeugov1.SortDirection_SORT_DIRECTION_DESCENDING} {
			var got []string
			token := ""
			for pages := 0; ; pages++ {
				res, err := c.Cert.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{Order: order, Direction: dir,
					Page: &zeugov1.PageRequest{PageSize: 2, PageToken: token}}))
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range res.Msg.GetCertificates() {
					got = append(got, s.GetId())
				}
				if token = res.Msg.GetPage().GetNextPageToken(); token == "" || pages > 10 {
					break
				}
			}
			sorted := slices.Clone(got)
			slices.Sort(sorted)
			if !slices.Equal(sorted, want) {
				t.Errorf("%v %v: pages held %v, want each of %v once", order, dir, got, want)
			}
		}
	}
	// A token of one list does not open another.
	res, err := c.Cert.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{Page: &zeugov1.PageRequest{PageSize: 2}}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Cert.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{Page: &zeugov1.PageRequest{PageSize: 2,
		PageToken: res.Msg.GetPage().GetNextPageToken()}, Filter: &zeugov1.CertificateFilter{PrivateOnly: true}}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("a token of another list: %v", err)
	}

	// The change log: one save of many fields, one row each.
	cert := mustUpdate(t, c, create(t, c, emp.GetId(), final, false), secSuccesses, &zeugov1.UpdateCertificateSectionRequest{
		Section: &zeugov1.UpdateCertificateSectionRequest_Successes{Successes: &zeugov1.TextListSection{Items: []string{"a", "b", "c", "d", "e"}}}})
	all := changes(t, c, cert.GetId())
	if len(all) != 5 {
		t.Fatalf("%d changes, want 5", len(all))
	}
	var paged []string
	token := ""
	for range 10 {
		res, err := c.Cert.ListCertificateChanges(ctx(), connect.NewRequest(&zeugov1.ListCertificateChangesRequest{Id: cert.GetId(),
			Page: &zeugov1.PageRequest{PageSize: 2, PageToken: token}}))
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range res.Msg.GetChanges() {
			paged = append(paged, ch.GetField())
		}
		if token = res.Msg.GetPage().GetNextPageToken(); token == "" {
			break
		}
	}
	var whole []string
	for _, ch := range all {
		whole = append(whole, ch.GetField())
	}
	if !slices.Equal(paged, whole) {
		t.Errorf("change log in pages %v, whole %v", paged, whole)
	}
}

// TestListFiltersByStatusAndKind: statuses and kinds each match any of
// theirs, and combine with each other.
func TestListFiltersByStatusAndKind(t *testing.T) {
	t.Parallel()
	f := setup(t, "filter")
	c := f.admin
	emp := f.employee(t, c, "F1", "Filter", "")
	simple := create(t, c, emp.GetId(), zeugov1.CertificateKind_CERTIFICATE_KIND_SIMPLE, false)
	fin := create(t, c, emp.GetId(), final, false)
	review := transition(t, c, create(t, c, emp.GetId(), final, false), stReview)
	list := func(fl *zeugov1.CertificateFilter) []string {
		t.Helper()
		res, err := c.Cert.ListCertificates(ctx(), connect.NewRequest(&zeugov1.ListCertificatesRequest{Filter: fl}))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range res.Msg.GetCertificates() {
			out = append(out, s.GetId())
		}
		slices.Sort(out)
		return out
	}
	ids := func(cs ...*zeugov1.Certificate) []string {
		var out []string
		for _, x := range cs {
			out = append(out, x.GetId())
		}
		slices.Sort(out)
		return out
	}
	for what, tc := range map[string]struct {
		f    *zeugov1.CertificateFilter
		want []string
	}{
		"drafts":          {&zeugov1.CertificateFilter{Statuses: []zeugov1.CertificateStatus{stDraft}}, ids(simple, fin)},
		"draft or review": {&zeugov1.CertificateFilter{Statuses: []zeugov1.CertificateStatus{stDraft, stReview}}, ids(simple, fin, review)},
		"simple":          {&zeugov1.CertificateFilter{Kinds: []zeugov1.CertificateKind{zeugov1.CertificateKind_CERTIFICATE_KIND_SIMPLE}}, ids(simple)},
		"final in review": {&zeugov1.CertificateFilter{Kinds: []zeugov1.CertificateKind{final}, Statuses: []zeugov1.CertificateStatus{stReview}}, ids(review)},
		"issued":          {&zeugov1.CertificateFilter{Statuses: []zeugov1.CertificateStatus{stIssued}}, nil},
	} {
		if got := list(tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", what, got, tc.want)
		}
	}
}
