// ListPage is the screen of a paged list: heading with the create button,
// the DataTable, rows that open their own URL, and delete with
// confirmation. A domain's list screen only declares its columns and texts.
import { Button } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import type { PagedQuery } from "../api/paging.js";
import { notifySuccess } from "../lib/notify.js";
import { DataTable, isEmptyList, type DataColumn } from "./DataTable.js";
import { IconPlus } from "./icons.js";
import { PageHeader } from "./PageHeader.js";
import { useDeleteConfirmation } from "./useDeleteConfirmation.js";

/** The page sizes every list offers. */
const pageSizes = [25, 50, 100];

/** ListPageProps configures a ListPage. */
export type ListPageProps<Row, Order extends number> = {
  title: string;
  intro: string;
  data: PagedQuery<Row, Order>;
  columns: DataColumn<Row, Order>[];
  rowKey: (row: Row) => string;
  /** Where a row leads (click, Enter). */
  rowPath: (row: Row) => string;
  /** The search box's label. */
  searchLabel: string;
  /** The create button; leave out without the right to create. */
  create?: { label: string; to: string };
  /** The empty state (its title is the page title, its action the create button). */
  empty: { icon: ReactNode; description: string };
  /** Delete per row; leave out without the right to delete. */
  remove?: {
    name: (row: Row) => string;
    run: (row: Row) => Promise<unknown>;
    /** The success message for the deleted row's name. */
    done: (name: string) => string;
  };
  minWidth?: number;
  /** Shown over the list, e.g. an edit dialog with its own URL. */
  children?: ReactNode;
};

/** ListPage renders a list screen. */
export function ListPage<Row, Order extends number>(props: ListPageProps<Row, Order>) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { remove } = props;
  const deletion = useDeleteConfirmation<Row>({
    name: (row) => remove?.name(row) ?? "",
    remove: (row) => remove?.run(row) ?? Promise.resolve(),
    onDeleted: (name) => {
      if (remove) notifySuccess(t, remove.done(name));
    },
  });
  const createButton = props.create && (
    <Button component={Link} to={props.create.to} leftSection={<IconPlus size={16} />}>
      {props.create.label}
    </Button>
  );
  return (
    <>
      <PageHeader title={props.title} intro={props.intro} actions={!isEmptyList(props.data) && createButton} />
      <DataTable
        label={props.title}
        columns={props.columns}
        data={props.data}
        rowKey={props.rowKey}
        onOpenRow={(row) => void navigate(props.rowPath(row))}
        rowActions={remove ? deletion.button : undefined}
        search={{ label: props.searchLabel }}
        empty={{ icon: props.empty.icon, title: props.title, description: props.empty.description, action: createButton }}
        pageSizes={pageSizes}
        minWidth={props.minWidth}
      />
      {remove && deletion.modal}
      {props.children}
    </>
  );
}
