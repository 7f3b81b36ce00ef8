// DataTable is the one list of the SPA: columns with optional server-side
// sorting, rows that open by click or Enter, a search box, a pager over a
// keyset-paged list (usePagedQuery), and the loading, empty and error states.
// Every list screen of every domain uses it, so that keyboard behaviour and
// wording are the same everywhere.
import {
  Anchor,
  Button,
  Checkbox,
  EmptyState,
  Group,
  NativeSelect,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  UnstyledButton,
  VisuallyHidden,
} from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useId, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { PagedQuery } from "../api/paging.js";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import { formatNumber } from "../lib/format.js";
import { ErrorAlert } from "./ErrorAlert.js";
import { IconArrowDown, IconArrowUp, IconSearch, IconSelector } from "./icons.js";

/** How long typing pauses before the search is sent. */
export const searchDelayMs = 250;

/** DataColumn describes one column. */
export type DataColumn<Row, Order extends number = number> = {
  /** Stable id (React key). */
  id: string;
  /** The header text. */
  header: string;
  /** The cell's content; keep it to one line (rows have a fixed height). */
  cell: (row: Row) => ReactNode;
  /** The server's sort key for this column; without it the column is not sortable. */
  sortKey?: Order;
  /** The direction of the first click (descending suits "last changed"). */
  firstDirection?: SortDirection;
  /** CSS width, e.g. "30%" or 180. */
  width?: string | number;
};

/** DataTableProps configures a DataTable. */
export type DataTableProps<Row, Order extends number> = {
  /** The table's accessible name, e.g. the page title. */
  label: string;
  columns: DataColumn<Row, Order>[];
  /** The paged list (usePagedQuery). */
  data: PagedQuery<Row, Order>;
  rowKey: (row: Row) => string;
  /** Opens a row (click, or Enter on the focused row). */
  onOpenRow?: (row: Row) => void;
  /** Buttons at the end of a row (e.g. delete); they do not open the row. */
  rowActions?: (row: Row) => ReactNode;
  /** A search box above the table. */
  search?: { label: string; placeholder?: string };
  /** What an empty list (without a search) shows. */
  empty: { title: string; description: string; icon?: ReactNode; action?: ReactNode };
  /** Page sizes to choose from; none: no choice. */
  pageSizes?: number[];
  /** Minimum width before the table scrolls sideways. */
  minWidth?: number;
  /**
   * Rows the user can pick for an action on several (a bulk export): a
   * checkbox in front of each row and one for the page. The picked keys
   * live with the caller, so they survive paging.
   */
  selection?: {
    selected: ReadonlySet<string>;
    onChange: (next: Set<string>) => void;
    /** The row's name in its checkbox's label ("Anna Schäfer auswählen"). */
    rowLabel: (row: Row) => string;
  };
};

/**
 * isEmptyList: the list has no rows at all (not merely none matching a
 * search). The table then shows its empty state, and the page its create
 * button there rather than in the header.
 */
export function isEmptyList<Row, Order extends number>(data: PagedQuery<Row, Order>): boolean {
  return !data.isPending && !data.error && data.total === 0 && data.query === "" && data.rows.length === 0;
}

/** How many skeleton rows stand in for the first page. */
const skeletonRows = 8;

/** DataTable renders a paged, sortable, searchable list. */
export function DataTable<Row, Order extends number>({
  label,
  columns,
  data,
  rowKey,
  onOpenRow,
  rowActions,
  search,
  empty,
  pageSizes,
  minWidth = 560,
  selection,
}: DataTableProps<Row, Order>) {
  const { t, i18n } = useTranslation();
  const hintId = useId();
  const colCount = columns.length + (rowActions ? 1 : 0) + (selection ? 1 : 0);

  // A list without rows and without a search is empty, not "no matches":
  // it gets the explanation and the create button instead of a table.
  if (isEmptyList(data)) {
    return (
      <Paper withBorder radius="lg" p="xl">
        <EmptyState icon={empty.icon} title={empty.title} description={empty.description}>
          {empty.action}
        </EmptyState>
      </Paper>
    );
  }

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, row: Row) => {
    // Only the row itself: Enter on a button inside it is that button's.
    if (event.target !== event.currentTarget || event.key !== "Enter") return;
    event.preventDefault();
    onOpenRow?.(row);
  };
  const onRowClick = (event: MouseEvent<HTMLTableRowElement>, row: Row) => {
    // Links, buttons and inputs in the row do their own thing.
    if ((event.target as HTMLElement).closest("a, button, input, select, textarea, [role=button]")) return;
    onOpenRow?.(row);
  };

  const from = data.offset + 1;
  const to = data.offset + data.rows.length;
  const rangeText =
    data.total === 0 || data.rows.length === 0
      ? t("table.none")
      : t("table.range", {
          from: formatNumber(from, i18n.language),
          to: formatNumber(to, i18n.language),
          total: formatNumber(data.total, i18n.language),
        });

  return (
    <Stack gap="sm">
      {search && <SearchBox label={search.label} placeholder={search.placeholder} onSearch={data.setQuery} />}
      {data.error ? (
        <ErrorAlert error={data.error} onRetry={data.retry} />
      ) : (
        <Paper withBorder radius="lg" className="data-table">
          <Table.ScrollContainer minWidth={minWidth}>
            <Table
              verticalSpacing={0}
              horizontalSpacing="md"
              highlightOnHover={onOpenRow !== undefined}
              aria-label={label}
              aria-busy={data.isFetching}
              aria-describedby={onOpenRow ? hintId : undefined}
              layout="fixed"
            >
              <Table.Thead>
                <Table.Tr>
                  {selection && (
                    <Table.Th scope="col" w={44}>
                      <PageCheckbox rows={data.rows.map(rowKey)} selection={selection} />
                    </Table.Th>
                  )}
                  {columns.map((col) => (
                    <HeaderCell key={col.id} column={col} data={data} />
                  ))}
                  {rowActions && (
                    <Table.Th scope="col" ta="right" w={120}>
                      {t("common.actions")}
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.isPending ? (
                  Array.from({ length: Math.min(skeletonRows, data.pageSize) }, (_, i) => (
                    <Table.Tr key={i} className="data-table-row" data-testid="skeleton-row">
                      {Array.from({ length: colCount }, (_, j) => (
                        <Table.Td key={j}>
                          <Skeleton height={10} width={j === 0 ? "60%" : "40%"} radius="sm" />
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))
                ) : data.rows.length === 0 ? (
                  <Table.Tr className="data-table-row">
                    <Table.Td colSpan={colCount}>
                      <Text size="sm" c="dimmed">
                        {t("table.noMatches", { query: data.query })}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  data.rows.map((row) => (
                    <Table.Tr
                      key={rowKey(row)}
                      className="data-table-row"
                      data-clickable={onOpenRow ? true : undefined}
                      tabIndex={onOpenRow ? 0 : undefined}
                      onClick={onOpenRow ? (e) => onRowClick(e, row) : undefined}
                      onKeyDown={onOpenRow ? (e) => onRowKeyDown(e, row) : undefined}
                    >
                      {selection && (
                        <Table.Td>
                          <Checkbox
                            aria-label={t("table.selectRow", { name: selection.rowLabel(row) })}
                            checked={selection.selected.has(rowKey(row))}
                            onChange={(e) => {
                              const next = new Set(selection.selected);
                              if (e.currentTarget.checked) next.add(rowKey(row));
                              else next.delete(rowKey(row));
                              selection.onChange(next);
                            }}
                          />
                        </Table.Td>
                      )}
                      {columns.map((col) => (
                        <Table.Td key={col.id}>{col.cell(row)}</Table.Td>
                      ))}
                      {rowActions && (
                        <Table.Td>
                          <Group gap={4} justify="flex-end" wrap="nowrap">
                            {rowActions(row)}
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {onOpenRow && (
            <VisuallyHidden id={hintId}>{t("table.openHint")}</VisuallyHidden>
          )}
          <Group justify="space-between" px="md" py="sm" gap="sm" className="data-table-pager">
            <Text size="sm" c="dimmed" role="status" aria-live="polite" data-testid="table-range">
              {data.isPending ? t("app.loading") : rangeText}
            </Text>
            <Group gap="sm" wrap="nowrap">
              {pageSizes && pageSizes.length > 1 && (
                <NativeSelect
                  size="xs"
                  aria-label={t("table.pageSize")}
                  value={String(data.pageSize)}
                  data={pageSizes.map((n) => String(n))}
                  onChange={(e) => data.setPageSize(Number(e.currentTarget.value))}
                />
              )}
              <nav aria-label={t("table.pagination")}>
                <Group gap="xs" wrap="nowrap">
                  <PagerButton enabled={data.hasPrevious} onClick={data.previous}>
                    {t("table.previous")}
                  </PagerButton>
                  {/* While a page loads "Weiter" keeps its look (no flicker); a press then does nothing. */}
                  <PagerButton enabled={data.hasNext || data.isPlaceholderData} busy={data.isPlaceholderData} onClick={data.next}>
                    {t("table.next")}
                  </PagerButton>
                </Group>
              </nav>
            </Group>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}

/** PageCheckbox picks or drops every row of the page. */
function PageCheckbox({
  rows,
  selection,
}: {
  rows: string[];
  selection: { selected: ReadonlySet<string>; onChange: (next: Set<string>) => void };
}) {
  const { t } = useTranslation();
  const picked = rows.filter((k) => selection.selected.has(k)).length;
  return (
    <Checkbox
      aria-label={t("table.selectPage")}
      checked={rows.length > 0 && picked === rows.length}
      indeterminate={picked > 0 && picked < rows.length}
      disabled={rows.length === 0}
      onChange={() => {
        const next = new Set(selection.selected);
        for (const k of rows) {
          if (picked === rows.length) next.delete(k);
          else next.add(k);
        }
        selection.onChange(next);
      }}
    />
  );
}

function HeaderCell<Row, Order extends number>({ column, data }: { column: DataColumn<Row, Order>; data: PagedQuery<Row, Order> }) {
  const { sortKey } = column;
  if (sortKey === undefined) {
    return (
      <Table.Th scope="col" w={column.width}>
        {column.header}
      </Table.Th>
    );
  }
  const active = data.orderBy === sortKey;
  const descending = data.direction === SortDirection.DESCENDING;
  return (
    <Table.Th
      scope="col"
      w={column.width}
      aria-sort={active ? (descending ? "descending" : "ascending") : undefined}
      className="data-table-sortable"
    >
      {/* A real button: focusable, and Enter and Space press it. */}
      <UnstyledButton className="data-table-sort" onClick={() => data.toggleSort(sortKey, column.firstDirection)}>
        <span>{column.header}</span>
        {active ? descending ? <IconArrowDown size={14} /> : <IconArrowUp size={14} /> : <IconSelector size={14} />}
      </UnstyledButton>
    </Table.Th>
  );
}

/**
 * PagerButton stays focusable when it cannot act (aria-disabled, not
 * disabled): a keyboard user pressing "Weiter" page after page keeps focus
 * on it while the next page loads and at the last page.
 */
function PagerButton({
  enabled,
  busy,
  onClick,
  children,
}: {
  enabled: boolean;
  busy?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Button
      size="xs"
      variant="default"
      aria-disabled={!enabled || undefined}
      data-disabled={!enabled || undefined}
      data-busy={busy || undefined}
      onClick={() => {
        if (enabled) onClick();
      }}
    >
      {children}
    </Button>
  );
}

function SearchBox({ label, placeholder, onSearch }: { label: string; placeholder?: string; onSearch: (q: string) => void }) {
  const [value, setValue] = useState("");
  const send = useDebouncedCallback(onSearch, searchDelayMs);
  return (
    <TextInput
      type="search"
      aria-label={label}
      placeholder={placeholder ?? label}
      leftSection={<IconSearch size={16} />}
      maxLength={100}
      maw={420}
      value={value}
      onChange={(e) => {
        setValue(e.currentTarget.value);
        send(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        // Enter searches at once.
        if (e.key === "Enter") {
          send.cancel();
          onSearch(e.currentTarget.value);
        }
      }}
    />
  );
}

/**
 * RowLink is the name in a row as a link: middle-click and "open in new
 * tab" work, and screen readers list it among the links. It stays out of
 * the tab order because the row itself is the tab stop (Enter opens it).
 */
export function RowLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} tabIndex={-1} className="table-row-link" truncate="end">
      {children}
    </Anchor>
  );
}
