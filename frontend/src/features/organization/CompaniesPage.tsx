import { Button, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { CompanyOrder, type Company } from "../../gen/zeugo/v1/organization_pb.js";
import { SortDirection } from "../../gen/zeugo/v1/paging_pb.js";
import { useCompanyList, useDeleteCompany } from "../../api/organization.js";
import { DataTable, isEmptyList, RowLink, type DataColumn } from "../../components/DataTable.js";
import { IconBuilding, IconPlus } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { useDeleteConfirmation } from "../../components/useDeleteConfirmation.js";
import { canEditStructure } from "../../lib/access.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";

const base = "/organisation/companies";

/** CompaniesPage lists the legal entities of the tenant, a page at a time. */
export function CompaniesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const canEdit = canEditStructure(usePrincipal());
  const list = useCompanyList();
  const remove = useDeleteCompany();
  const deletion = useDeleteConfirmation<Company>({
    name: (c) => c.fields?.name ?? "",
    remove: (c) => remove.mutateAsync({ id: c.id }),
    onDeleted: (name) => notifySuccess(t, t("company.deleted", { name })),
  });

  const columns: DataColumn<Company, CompanyOrder>[] = [
    {
      id: "name",
      header: t("common.name"),
      cell: (c) => <RowLink to={`${base}/${c.id}`}>{c.fields?.name}</RowLink>,
      sortKey: CompanyOrder.NAME,
      width: "32%",
    },
    {
      id: "city",
      header: t("company.location"),
      cell: (c) => <Text size="sm" truncate="end">{[c.fields?.postcode, c.fields?.city].filter(Boolean).join(" ")}</Text>,
      sortKey: CompanyOrder.CITY,
    },
    {
      id: "email",
      header: t("company.fields.email"),
      cell: (c) => <Text size="sm" truncate="end">{c.fields?.email}</Text>,
    },
    {
      id: "updated",
      header: t("common.lastChanged"),
      cell: (c) => (
        <Text size="sm" c="dimmed" truncate="end">
          {formatDateTime(c.updateTime ?? c.createTime, i18n.language)}
        </Text>
      ),
      sortKey: CompanyOrder.UPDATE_TIME,
      firstDirection: SortDirection.DESCENDING,
    },
  ];

  const createButton = canEdit && (
    <Button component={Link} to={`${base}/new`} leftSection={<IconPlus size={16} />}>
      {t("company.create")}
    </Button>
  );

  return (
    <>
      <PageHeader title={t("company.listTitle")} intro={t("company.listIntro")} actions={!isEmptyList(list) && createButton} />
      <DataTable
        label={t("company.listTitle")}
        columns={columns}
        data={list}
        rowKey={(c) => c.id}
        onOpenRow={(c) => void navigate(`${base}/${c.id}`)}
        rowActions={canEdit ? deletion.button : undefined}
        search={{ label: t("company.search") }}
        empty={{
          icon: <IconBuilding size={28} />,
          title: t("company.listTitle"),
          description: canEdit ? t("company.empty") : t("common.emptyReadOnly"),
          action: createButton,
        }}
        pageSizes={[25, 50, 100]}
        minWidth={720}
      />
      {deletion.modal}
    </>
  );
}
