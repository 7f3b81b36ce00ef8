import { useTranslation } from "react-i18next";
import { CompanyOrder, type Company } from "../../gen/zeugo/v1/organization_pb.js";
import { useCompanyList, useDeleteCompany } from "../../api/organization.js";
import { lastChangedColumn, linkColumn, textColumn } from "../../components/columns.js";
import type { DataColumn } from "../../components/DataTable.js";
import { IconBuilding } from "../../components/icons.js";
import { ListPage } from "../../components/ListPage.js";
import { canEditStructure } from "../../lib/access.js";
import { usePrincipal } from "../../lib/session-context.js";

const base = "/organisation/companies";

/** CompaniesPage lists the legal entities of the tenant, a page at a time. */
export function CompaniesPage() {
  const { t, i18n } = useTranslation();
  const canEdit = canEditStructure(usePrincipal());
  const list = useCompanyList();
  const remove = useDeleteCompany();

  const columns: DataColumn<Company, CompanyOrder>[] = [
    linkColumn({ header: t("common.name"), text: (c) => c.fields?.name ?? "", to: (c) => `${base}/${c.id}`, sortKey: CompanyOrder.NAME, width: "32%" }),
    textColumn("city", t("company.location"), (c) => [c.fields?.postcode, c.fields?.city].filter(Boolean).join(" "), CompanyOrder.CITY),
    textColumn("email", t("company.fields.email"), (c) => c.fields?.email ?? ""),
    lastChangedColumn(t, i18n.language, CompanyOrder.UPDATE_TIME),
  ];

  return (
    <ListPage
      title={t("company.listTitle")}
      intro={t("company.listIntro")}
      data={list}
      columns={columns}
      rowKey={(c) => c.id}
      rowPath={(c) => `${base}/${c.id}`}
      searchLabel={t("company.search")}
      create={canEdit ? { label: t("company.create"), to: `${base}/new` } : undefined}
      empty={{ icon: <IconBuilding size={28} />, description: canEdit ? t("company.empty") : t("common.emptyReadOnly") }}
      remove={
        canEdit
          ? {
              name: (c) => c.fields?.name ?? "",
              run: (c) => remove.mutateAsync({ id: c.id }),
              done: (name) => t("company.deleted", { name }),
            }
          : undefined
      }
      minWidth={720}
    />
  );
}
