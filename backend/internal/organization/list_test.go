package organization_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// seedUnits creates n departments named with mixed case, concurrently.
func seedUnits(t *testing.T, c zeugov1connect.OrganizationServiceClient, n int) []string {
	t.Helper()
	names := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 8)
	for i := range n {
		names[i] = fmt.Sprintf("Abteilung %03d", i)
		if i%3 == 0 {
			names[i] = strings.ToLower(names[i])
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(name string) {
			defer wg.Done()
			defer func() { <-sem }()
			_, err := c.CreateUnit(context.Background(), connect.NewRequest(&zeugov1.CreateUnitRequest{
				Kind: zeugov1.UnitKind_UNIT_KIND_DEPARTMENT, Fields: &zeugov1.UnitFields{Name: name}}))
			errs <- err
		}(names[i])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return names
}

func listAll(t *testing.T, c zeugov1connect.OrganizationServiceClient, req *zeugov1.ListUnitsRequest) (names []string, pages int) {
	t.Helper()
	req.Page = &zeugov1.PageRequest{PageSize: req.GetPage().GetPageSize()}
	for {
		res, err := c.ListUnits(context.Background(), connect.NewRequest(req))
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		for _, u := range res.Msg.GetUnits() {
			names = append(names, u.GetFields().GetName())
		}
		if res.Msg.GetPage().GetNextPageToken() == "" {
			return names, pages
		}
		req.Page.PageToken = res.Msg.GetPage().GetNextPageToken()
	}
}

func TestListsPageByKeysetInEveryOrder(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Seiten GmbH", "admin@seiten.example")
	c := signIn(t, env, ten, apptest.Connect)
	names := seedUnits(t, c, 120)
	want := slices.Clone(names)
	slices.SortFunc(want, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })

	dep := zeugov1.UnitKind_UNIT_KIND_DEPARTMENT
	got, pages := listAll(t, c, &zeugov1.ListUnitsRequest{Kind: dep, Page: &zeugov1.PageRequest{PageSize: 50}})
	if pages != 3 || !slices.Equal(got, want) {
		t.Fatalf("by name: %d pages, %d rows; want 3 pages in case-insensitive order", pages, len(got))
	}
	got, _ = listAll(t, c, &zeugov1.ListUnitsRequest{Kind: dep, Page: &zeugov1.PageRequest{PageSize: 7},
		Direction: zeugov1.SortDirection_SORT_DIRECTION_DESCENDING})
	rev := slices.Clone(want)
	slices.Reverse(rev)
	if !slices.Equal(got, rev) {
		t.Fatalf("by name descending, pages of 7: got %d rows, not the reverse order", len(got))
	}
	// By update time (ties broken by id): every row exactly once.
	got, _ = listAll(t, c, &zeugov1.ListUnitsRequest{Kind: dep, OrderBy: zeugov1.UnitOrder_UNIT_ORDER_UPDATE_TIME, Page: &zeugov1.PageRequest{PageSize: 13}})
	slices.SortFunc(got, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	if !slices.Equal(got, want) {
		t.Fatalf("by update time: %d rows, want each of %d once", len(got), len(want))
	}
	// Search narrows the list and the total.
	res, err := c.ListUnits(context.Background(), connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: dep, Query: "ABTEILUNG 01"}))
	if err != nil || res.Msg.GetPage().GetTotalSize() != 10 || len(res.Msg.GetUnits()) != 10 {
		t.Fatalf("search: %v, total %d", err, res.Msg.GetPage().GetTotalSize())
	}
	// A page size above the maximum is lowered to it; the total counts all.
	res, err = c.ListUnits(context.Background(), connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: dep, Page: &zeugov1.PageRequest{PageSize: 100000}}))
	if err != nil || len(res.Msg.GetUnits()) != 120 || res.Msg.GetPage().GetTotalSize() != 120 || res.Msg.GetPage().GetNextPageToken() != "" {
		t.Fatalf("large page: %v, %d rows", err, len(res.Msg.GetUnits()))
	}
}

func TestPageTokensOnlyOpenForTheirList(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Token GmbH", "admin@token.example")
	c := signIn(t, env, ten, apptest.Connect)
	seedUnits(t, c, 5)
	dep := zeugov1.UnitKind_UNIT_KIND_DEPARTMENT
	res, err := c.ListUnits(context.Background(), connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: dep, Page: &zeugov1.PageRequest{PageSize: 2}}))
	if err != nil {
		t.Fatal(err)
	}
	tok := res.Msg.GetPage().GetNextPageToken()
	forged := []byte(tok)
	forged[5] ^= 1
	for name, req := range map[string]*zeugov1.ListUnitsRequest{
		"other order":     {Kind: dep, OrderBy: zeugov1.UnitOrder_UNIT_ORDER_UPDATE_TIME, Page: &zeugov1.PageRequest{PageToken: tok}},
		"other direction": {Kind: dep, Direction: zeugov1.SortDirection_SORT_DIRECTION_DESCENDING, Page: &zeugov1.PageRequest{PageToken: tok}},
		"other search":    {Kind: dep, Query: "x", Page: &zeugov1.PageRequest{PageToken: tok}},
		"other kind":      {Kind: zeugov1.UnitKind_UNIT_KIND_LOCATION, Page: &zeugov1.PageRequest{PageToken: tok}},
		"forged":          {Kind: dep, Page: &zeugov1.PageRequest{PageToken: string(forged)}},
		"garbage":         {Kind: dep, Page: &zeugov1.PageRequest{PageToken: "bm90IGEgdG9rZW4"}},
	} {
		_, err := c.ListUnits(context.Background(), connect.NewRequest(req))
		if connect.CodeOf(err) != connect.CodeInvalidArgument || violations(t, err)["page.page_token"] != "zeugo.page_token" {
			t.Errorf("%s: %v; want InvalidArgument on page.page_token", name, err)
		}
	}
	// Another tenant cannot use the token either (and would see only its
	// own rows anyway).
	other := env.CreateTenant("Andere GmbH", "admin@andere.example")
	_, err = signIn(t, env, other, apptest.Connect).ListUnits(context.Background(),
		connect.NewRequest(&zeugov1.ListUnitsRequest{Kind: dep, Page: &zeugov1.PageRequest{PageToken: tok}}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("another tenant's token: %v", err)
	}
}
