// One hook for every paged list (ListCompanies, ListUnits and the lists of
// the domains to come). The server pages by keyset: a page token names the
// last row of the previous page and only leads forward, and only for the
// order, direction and search it was issued for. So the client keeps the
// tokens of the pages it has passed (a stack: "Weiter" pushes, "Zurück"
// pops) and starts again at the first page whenever order, search or page
// size change — or the request's other fields (a filter), which the hook
// compares by value.
import type { DescMethodUnary, Message, MessageInitShape } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import { Code, type ConnectError } from "@connectrpc/connect";
import { useQuery } from "@connectrpc/connect-query";
import { keepPreviousData } from "@tanstack/react-query";
import { useCallback, useEffect, useReducer, useRef } from "react";
import { SortDirection, type PageInfo, type PageRequest } from "../gen/zeugo/v1/paging_pb.js";
import { isCode } from "../lib/errors.js";

/**
 * The fields every paged list request has (see proto/zeugo/v1/paging.proto).
 * The search is the top-level `query`, unless the list puts it elsewhere
 * (PagedQueryOptions.searchInput, e.g. EmployeeFilter.query).
 */
export type PagedRequest = Message & {
  page?: PageRequest;
  direction: SortDirection;
  query?: string;
} & ({ orderBy: number } | { order: number });

/** OrderOf is the sort key's type of a request: its `orderBy`, or `order` where a list names it so. */
export type OrderOf<Req> = Req extends { orderBy: infer O extends number }
  ? O
  : Req extends { order: infer O extends number }
    ? O
    : never;

/** The field every paged list response has. */
export type PagedResponse = Message & { page?: PageInfo };

/** The server's default and maximum page sizes (paging.proto). */
export const defaultPageSize = 50;
export const maxPageSize = 200;

/** PageState is what the hook owns; tokens[i] is the token that fetched page i+1. */
export type PageState<Order extends number> = {
  pageSize: number;
  orderBy: Order;
  /** Always ASCENDING or DESCENDING, never UNSPECIFIED, so the request says what the UI shows. */
  direction: SortDirection;
  query: string;
  tokens: string[];
  /** The request's other fields (filters) the tokens were issued for, as a key. */
  scope?: string;
};

/** PageAction changes the PageState. */
export type PageAction<Order extends number> =
  | { type: "next"; token: string }
  | { type: "previous" }
  | { type: "first" }
  | { type: "sort"; orderBy: Order; direction: SortDirection }
  | { type: "search"; query: string }
  | { type: "pageSize"; pageSize: number }
  | { type: "scope"; scope: string };

/**
 * pageReducer is the token stack. Anything that changes which rows match or
 * how they are ordered invalidates every token, so it starts at page one.
 */
export function pageReducer<Order extends number>(state: PageState<Order>, action: PageAction<Order>): PageState<Order> {
  switch (action.type) {
    case "next":
      return action.token === "" ? state : { ...state, tokens: [...state.tokens, action.token] };
    case "previous":
      return state.tokens.length === 0 ? state : { ...state, tokens: state.tokens.slice(0, -1) };
    case "first":
      return state.tokens.length === 0 ? state : { ...state, tokens: [] };
    case "sort":
      if (state.orderBy === action.orderBy && state.direction === action.direction) return state;
      return { ...state, orderBy: action.orderBy, direction: action.direction, tokens: [] };
    case "search": {
      const query = action.query.trim();
      return query === state.query ? state : { ...state, query, tokens: [] };
    }
    case "pageSize": {
      const pageSize = clampPageSize(action.pageSize);
      return pageSize === state.pageSize ? state : { ...state, pageSize, tokens: [] };
    }
    case "scope":
      return action.scope === state.scope ? state : { ...state, scope: action.scope, tokens: [] };
  }
}

function clampPageSize(n: number): number {
  if (!Number.isFinite(n) || n < 1) return defaultPageSize;
  return Math.min(Math.floor(n), maxPageSize);
}

/**
 * toggledSort is what a click on a column header does: the sorted column
 * flips its direction, another column becomes the sort key in its first
 * direction (ascending for names, descending for "last changed").
 */
export function toggledSort<Order extends number>(
  current: { orderBy: Order; direction: SortDirection },
  key: Order,
  first: SortDirection = SortDirection.ASCENDING,
): { orderBy: Order; direction: SortDirection } {
  if (current.orderBy === key) {
    return {
      orderBy: key,
      direction: current.direction === SortDirection.DESCENDING ? SortDirection.ASCENDING : SortDirection.DESCENDING,
    };
  }
  return { orderBy: key, direction: first };
}

/** PagedQuery is everything a DataTable needs from a paged list. */
export type PagedQuery<Row, Order extends number = number> = {
  /** The rows of the current page (the previous page's while the next one loads). */
  rows: Row[];
  /** Rows matching the search on all pages. */
  total: number;
  /** 0-based index of the current page (the one asked for). */
  pageIndex: number;
  /**
   * How many rows come before the rows shown: while the next page loads the
   * rows are still the previous page's, and so is this number.
   */
  offset: number;
  pageSize: number;
  orderBy: Order;
  direction: SortDirection;
  /** The search as sent (trimmed). */
  query: string;
  hasPrevious: boolean;
  hasNext: boolean;
  next: () => void;
  previous: () => void;
  toggleSort: (key: Order, first?: SortDirection) => void;
  setQuery: (query: string) => void;
  setPageSize: (pageSize: number) => void;
  /** Nothing to show yet: the very first load. */
  isPending: boolean;
  /** A request is under way (the rows shown may be the previous page's). */
  isFetching: boolean;
  /** The rows shown belong to the previous request while the new one loads. */
  isPlaceholderData: boolean;
  error: ConnectError | null;
  /** After an error: try again; a refused page token starts again at page one. */
  retry: () => void;
};

/** Options of usePagedQuery. */
export type PagedQueryOptions<Res, Row, Order extends number> = {
  /** The rows of a response, e.g. (res) => res.units. */
  rows: (res: Res) => Row[];
  /** The initial sort key. */
  orderBy: Order;
  direction?: SortDirection;
  pageSize?: number;
  enabled?: boolean;
  /**
   * Where the search goes in the request; by default the top-level `query`.
   * Merged over baseInput, so it may fill a field of a filter message.
   */
  searchInput?: (query: string) => Record<string, unknown>;
  /** The request's field of the sort key: "orderBy" (the default) or "order". */
  orderField?: "orderBy" | "order";
};

/** scopeKey is a request's fields other than paging, order and search, compared by value. */
export function scopeKey(input: unknown): string {
  return JSON.stringify(input, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)) ?? "";
}

/**
 * usePagedQuery fetches one page of a paged list with connect-query and
 * owns page size, order, direction, search and the token stack. While the
 * next page loads the current one stays on screen (keepPreviousData), so the
 * table does not collapse into a spinner between pages.
 */
export function usePagedQuery<Req extends PagedRequest, Res extends PagedResponse, Row>(
  method: DescMethodUnary<GenMessage<Req>, GenMessage<Res>>,
  baseInput: Omit<MessageInitShape<GenMessage<Req>>, "page" | "orderBy" | "order" | "direction" | "query" | "$typeName">,
  opts: PagedQueryOptions<Res, Row, OrderOf<Req>>,
): PagedQuery<Row, OrderOf<Req>> {
  type Order = OrderOf<Req>;
  const [state, dispatch] = useReducer(pageReducer<Order>, undefined, (): PageState<Order> => ({
    pageSize: clampPageSize(opts.pageSize ?? defaultPageSize),
    orderBy: opts.orderBy,
    direction: opts.direction === SortDirection.DESCENDING ? SortDirection.DESCENDING : SortDirection.ASCENDING,
    query: "",
    tokens: [],
    scope: scopeKey(baseInput),
  }));
  // A changed filter invalidates every token at once, in this very render:
  // the old page's token must not be sent with the new filter.
  const scope = scopeKey(baseInput);
  const rescoped = scope !== state.scope;
  useEffect(() => {
    if (rescoped) dispatch({ type: "scope", scope });
  }, [rescoped, scope]);
  const tokens = rescoped ? [] : state.tokens;
  const pageToken = tokens[tokens.length - 1] ?? "";
  const search = opts.searchInput ? opts.searchInput(state.query) : { query: state.query };
  const input = {
    ...baseInput,
    ...search,
    page: { pageSize: state.pageSize, pageToken },
    [opts.orderField ?? "orderBy"]: state.orderBy,
    direction: state.direction,
  } as unknown as MessageInitShape<GenMessage<Req>>;
  const result = useQuery(method, input, {
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });

  const data = result.data;
  const rows = data ? opts.rows(data) : [];
  const nextToken = data?.page?.nextPageToken ?? "";
  const pageIndex = tokens.length;
  const settled = data !== undefined && !result.isPlaceholderData;
  const offsetOfShown = useRef(0);
  if (settled) offsetOfShown.current = pageIndex * state.pageSize;

  // A page emptied meanwhile (its rows deleted, e.g. the last row of the
  // last page) has nothing to show: go back to the page before it.
  const emptyLaterPage = settled && rows.length === 0 && pageIndex > 0;
  useEffect(() => {
    if (emptyLaterPage) dispatch({ type: "previous" });
  }, [emptyLaterPage]);

  const next = useCallback(() => {
    // While the next page loads, the data is still the previous page's: its
    // token would be pushed twice.
    if (settled && nextToken !== "") dispatch({ type: "next", token: nextToken });
  }, [settled, nextToken]);
  const previous = useCallback(() => dispatch({ type: "previous" }), []);
  const toggleSort = useCallback(
    (key: Order, first?: SortDirection) =>
      dispatch({ type: "sort", ...toggledSort({ orderBy: state.orderBy, direction: state.direction }, key, first) }),
    [state.orderBy, state.direction],
  );
  const setQuery = useCallback((query: string) => dispatch({ type: "search", query }), []);
  const setPageSize = useCallback((pageSize: number) => dispatch({ type: "pageSize", pageSize }), []);
  const { refetch, error } = result;
  const retry = useCallback(() => {
    // A token the server no longer accepts (InvalidArgument) fails again on
    // every retry; the first page needs none.
    if (pageIndex > 0 && isCode(error, Code.InvalidArgument)) dispatch({ type: "first" });
    else void refetch();
  }, [pageIndex, error, refetch]);

  return {
    rows,
    total: Number(data?.page?.totalSize ?? 0n),
    pageIndex,
    offset: offsetOfShown.current,
    pageSize: state.pageSize,
    orderBy: state.orderBy,
    direction: state.direction,
    query: state.query,
    hasPrevious: pageIndex > 0,
    hasNext: settled && nextToken !== "",
    next,
    previous,
    toggleSort,
    setQuery,
    setPageSize,
    isPending: result.isPending,
    isFetching: result.isFetching,
    isPlaceholderData: result.isPlaceholderData,
    error: result.error,
    retry,
  };
}
