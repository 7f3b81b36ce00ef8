// @vitest-environment happy-dom
import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { OrganizationService, UnitKind, UnitOrder } from "../gen/zeugo/v1/organization_pb.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import { fakeOrganization, unitName } from "../test/fake-organization.js";
import { providers } from "../test/render.js";
import { pageReducer, scopeKey, toggledSort, usePagedQuery, type PageState } from "./paging.js";

const start: PageState<UnitOrder> = {
  pageSize: 50,
  orderBy: UnitOrder.NAME,
  direction: SortDirection.ASCENDING,
  query: "",
  tokens: [],
};

describe("pageReducer", () => {
  it("pushes the next token and pops it again", () => {
    let s = pageReducer(start, { type: "next", token: "a" });
    s = pageReducer(s, { type: "next", token: "b" });
    expect(s.tokens).toEqual(["a", "b"]);
    s = pageReducer(s, { type: "previous" });
    expect(s.tokens).toEqual(["a"]);
    s = pageReducer(s, { type: "previous" });
    s = pageReducer(s, { type: "previous" });
    expect(s.tokens).toEqual([]);
    // The last page has no token: "next" does nothing there.
    expect(pageReducer(start, { type: "next", token: "" })).toBe(start);
  });

  it("starts at the first page when order, search or page size change", () => {
    const deep = { ...start, tokens: ["a", "b"] };
    expect(pageReducer(deep, { type: "sort", orderBy: UnitOrder.NAME, direction: SortDirection.DESCENDING }).tokens).toEqual([]);
    expect(pageReducer(deep, { type: "search", query: "Nord" })).toMatchObject({ query: "Nord", tokens: [] });
    expect(pageReducer(deep, { type: "pageSize", pageSize: 100 })).toMatchObject({ pageSize: 100, tokens: [] });
    // Unchanged values keep the page (a debounced search that ends where it began).
    expect(pageReducer(deep, { type: "search", query: "  " })).toBe(deep);
    expect(pageReducer(deep, { type: "sort", orderBy: UnitOrder.NAME, direction: SortDirection.ASCENDING })).toBe(deep);
    // The server's maximum.
    expect(pageReducer(start, { type: "pageSize", pageSize: 5000 }).pageSize).toBe(200);
  });

  it("starts at the first page when the request's filter changes", () => {
    const deep = { ...start, scope: scopeKey({ kind: 1 }), tokens: ["a", "b"] };
    expect(pageReducer(deep, { type: "scope", scope: scopeKey({ kind: 2 }) })).toMatchObject({ tokens: [] });
    expect(pageReducer(deep, { type: "scope", scope: scopeKey({ kind: 1 }) })).toBe(deep);
    // Compared by value, bigints included.
    expect(scopeKey({ filter: { a: "x", n: 2n } })).toBe(scopeKey({ filter: { a: "x", n: 2n } }));
  });
});

describe("toggledSort", () => {
  it("flips the sorted column and starts another in its first direction", () => {
    const byName = { orderBy: UnitOrder.NAME, direction: SortDirection.ASCENDING };
    expect(toggledSort(byName, UnitOrder.NAME)).toEqual({ orderBy: UnitOrder.NAME, direction: SortDirection.DESCENDING });
    expect(toggledSort({ ...byName, direction: SortDirection.DESCENDING }, UnitOrder.NAME).direction).toBe(SortDirection.ASCENDING);
    expect(toggledSort(byName, UnitOrder.UPDATE_TIME, SortDirection.DESCENDING)).toEqual({
      orderBy: UnitOrder.UPDATE_TIME,
      direction: SortDirection.DESCENDING,
    });
  });
});

function renderUnits(count: number) {
  const fake = fakeOrganization(count);
  const hook = renderHook(
    () =>
      usePagedQuery(OrganizationService.method.listUnits, { kind: UnitKind.LOCATION }, {
        rows: (res) => res.units,
        orderBy: UnitOrder.NAME,
      }),
    { wrapper: providers(fake.transport) },
  );
  const tokens = () => fake.listRequests.map((r) => r.page?.pageToken ?? "");
  return { fake, hook, tokens };
}

const names = (rows: { fields?: { name: string } }[]) => rows.map((r) => r.fields?.name);

describe("usePagedQuery", () => {
  it("keeps a stack of keyset tokens: next pushes, previous pops, a sort change starts over", async () => {
    const { hook, tokens } = renderUnits(120);
    const current = () => hook.result.current;
    await waitFor(() => expect(current().rows).toHaveLength(50));
    expect(current()).toMatchObject({ pageIndex: 0, total: 120, hasPrevious: false, hasNext: true });
    expect(names(current().rows)[0]).toBe(unitName(0));

    act(() => current().next());
    await waitFor(() => expect(names(current().rows)[0]).toBe(unitName(50)));
    act(() => current().next());
    await waitFor(() => expect(names(current().rows)[0]).toBe(unitName(100)));
    expect(current()).toMatchObject({ pageIndex: 2, hasNext: false, hasPrevious: true });
    expect(current().rows).toHaveLength(20);
    const [first, second, third] = tokens();
    expect(first).toBe("");
    expect(second).not.toBe("");
    expect(third).not.toBe(second);

    // Back: the token of page 2 again (served from the cache, no request).
    act(() => current().previous());
    await waitFor(() => expect(names(current().rows)[0]).toBe(unitName(50)));
    expect(current().pageIndex).toBe(1);
    expect(tokens()).toHaveLength(3);

    // A click on the sorted column: descending, from the first page, no token.
    act(() => current().toggleSort(UnitOrder.NAME));
    await waitFor(() => expect(names(current().rows)[0]).toBe(unitName(119)));
    expect(current()).toMatchObject({ pageIndex: 0, direction: SortDirection.DESCENDING, hasPrevious: false });
    expect(tokens().at(-1)).toBe("");

    // And "next" now uses the token of the new order, which the server accepts.
    act(() => current().next());
    await waitFor(() => expect(names(current().rows)[0]).toBe(unitName(69)));
    expect(current().error).toBeNull();
  });

  it("shows the current page while the next one loads", async () => {
    const { fake, hook } = renderUnits(60);
    const current = () => hook.result.current;
    await waitFor(() => expect(current().rows).toHaveLength(50));
    let open: () => void = () => {};
    fake.gate = new Promise((resolve) => (open = resolve));
    act(() => current().next());
    await waitFor(() => expect(current().isFetching).toBe(true));
    expect(current().isPlaceholderData).toBe(true);
    expect(names(current().rows)[0]).toBe(unitName(0));
    // The rows shown are still those of page one, and so is their offset.
    expect(current()).toMatchObject({ pageIndex: 1, offset: 0, hasNext: false });
    // Pressing "next" again meanwhile must not push the old page's token twice.
    act(() => current().next());
    expect(current().pageIndex).toBe(1);
    fake.gate = undefined;
    open();
    await waitFor(() => expect(names(current().rows)[0]).toBe(unitName(50)));
    expect(current()).toMatchObject({ pageIndex: 1, offset: 50 });
  });

  it("searches from the first page", async () => {
    const { hook, fake } = renderUnits(120);
    const current = () => hook.result.current;
    await waitFor(() => expect(current().rows).toHaveLength(50));
    act(() => current().next());
    await waitFor(() => expect(current().pageIndex).toBe(1));
    act(() => current().setQuery(" 011"));
    // "0011" and "0110" … "0119".
    await waitFor(() => expect(current().total).toBe(11));
    expect(current().pageIndex).toBe(0);
    expect(fake.listRequests.at(-1)).toMatchObject({ query: "011", page: { pageToken: "" } });
  });
});
