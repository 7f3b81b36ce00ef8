// Column builders for DataTable: the kinds of column every list has, so
// that a list screen reads as a list of its columns.
import { Text } from "@mantine/core";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { TFunction } from "i18next";
import { SortDirection } from "../gen/zeugo/v1/paging_pb.js";
import { formatDateTime } from "../lib/format.js";
import { RowLink, type DataColumn } from "./DataTable.js";

/** linkColumn shows the row's name as the link to its page (the first column). */
export function linkColumn<Row, Order extends number>(opts: {
  header: string;
  text: (row: Row) => string;
  to: (row: Row) => string;
  sortKey?: Order;
  width?: string | number;
}): DataColumn<Row, Order> {
  return {
    id: "name",
    header: opts.header,
    cell: (row) => <RowLink to={opts.to(row)}>{opts.text(row)}</RowLink>,
    sortKey: opts.sortKey,
    width: opts.width,
  };
}

/** textColumn shows one line of text, cut with an ellipsis. */
export function textColumn<Row, Order extends number>(
  id: string,
  header: string,
  text: (row: Row) => string,
  sortKey?: Order,
): DataColumn<Row, Order> {
  return {
    id,
    header,
    cell: (row) => (
      <Text size="sm" truncate="end">
        {text(row)}
      </Text>
    ),
    sortKey,
  };
}

/** lastChangedColumn shows when a row last changed; its first sort is newest first. */
export function lastChangedColumn<Row extends { updateTime?: Timestamp; createTime?: Timestamp }, Order extends number>(
  t: TFunction,
  language: string,
  sortKey: Order,
): DataColumn<Row, Order> {
  return {
    id: "updated",
    header: t("common.lastChanged"),
    cell: (row) => (
      <Text size="sm" c="dimmed" truncate="end">
        {formatDateTime(row.updateTime ?? row.createTime, language)}
      </Text>
    ),
    sortKey,
    firstDirection: SortDirection.DESCENDING,
    width: 200,
  };
}
