import {
  ActionIcon,
  Button,
  CloseButton,
  Group,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Tooltip,
} from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useMatch, useNavigate, useSearchParams } from "react-router";
import { useCertificateList, type CertificateListFilter } from "../../api/certificates.js";
import { useEmployee } from "../../api/employees.js";
import type { PagedQuery } from "../../api/paging.js";
import { lastChangedColumn } from "../../components/columns.js";
import { DataTable, RowLink, type DataColumn } from "../../components/DataTable.js";
import { IconArrowDown, IconArrowUp, IconCertificate, IconLock, IconPlus } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import {
  CertificateKind,
  CertificateOrder,
  CertificateStatus,
  type CertificateSummary,
} from "../../gen/zeugo/v1/certificates_pb.js";
import { SortDirection } from "../../gen/zeugo/v1/paging_pb.js";
import { formatDateTime } from "../../lib/format.js";
import { displayName } from "../employees/form.js";
import { useOrgChoices, type OrgChoices } from "../employees/org-choices.js";
import { CertificateStatusBadge } from "./CertificateStatusBadge.js";
import { ExportBar } from "./export/ExportBar.js";
import { NewCertificateWizard } from "./NewCertificateWizard.js";
import { kindChoices, kindName, languageName, statusChoices } from "./options.js";

const base = "/certificates";
const pageSizes = [25, 50, 100];

/** The filters as the inputs hold them ("" and [] for all). */
type Filters = { statuses: string[]; kind: string; companyId: string; privateOnly: boolean };
const noFilters: Filters = { statuses: [], kind: "", companyId: "", privateOnly: false };

/**
 * CertificatesPage (/certificates) lists the certificates the caller may
 * see: searched by the employee's name or personnel number, filtered by
 * status, kind, company and the private flag, one employee's alone with
 * ?employee=<id> (the employee drawer links so). /certificates/new opens
 * the wizard over the list.
 */
export function CertificatesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const employeeId = params.get("employee") ?? "";
  const org = useOrgChoices();
  const [filters, setFilters] = useState<Filters>(noFilters);
  // Picked for a bulk export; kept over pages and filter changes.
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const filter: CertificateListFilter = useMemo(
    () => ({
      statuses: filters.statuses.map((s) => Number(s) as CertificateStatus),
      kinds: filters.kind ? [Number(filters.kind) as CertificateKind] : [],
      companyId: filters.companyId,
      privateOnly: filters.privateOnly,
      employeeId,
    }),
    [filters, employeeId],
  );
  const list = useCertificateList(filter);
  const wizardOpen = useMatch(`${base}/new`) !== null;
  const newPath = employeeId ? `${base}/new?employee=${employeeId}` : `${base}/new`;
  const filtered = JSON.stringify(filters) !== JSON.stringify(noFilters) || employeeId !== "";

  return (
    <>
      <PageHeader
        title={t("certificates.title")}
        intro={t("certificates.intro")}
        actions={
          <Button component={Link} to={newPath} leftSection={<IconPlus size={16} />}>
            {t("certificates.create")}
          </Button>
        }
      />
      <Stack gap="md">
        <FilterBar
          filters={filters}
          onChange={setFilters}
          org={org}
          list={list}
          employeeId={employeeId}
          onClearEmployee={() =>
            setParams((p) => {
              const out = new URLSearchParams(p);
              out.delete("employee");
              return out;
            })
          }
        />
        <ExportBar selected={selected} onClear={() => setSelected(new Set())} />
        <CertificatesTable list={list} org={org} filtered={filtered} newPath={newPath} selected={selected} onSelect={setSelected} />
      </Stack>
      {wizardOpen && <NewCertificateWizard employeeId={params.get("employee") ?? undefined} onClose={() => void navigate(employeeId ? `${base}?employee=${employeeId}` : base)} />}
    </>
  );
}

const sortChoices: { order: CertificateOrder; key: string }[] = [
  { order: CertificateOrder.UPDATE_TIME, key: "updated" },
  { order: CertificateOrder.CREATE_TIME, key: "created" },
];

function FilterBar({
  filters,
  onChange,
  org,
  list,
  employeeId,
  onClearEmployee,
}: {
  filters: Filters;
  onChange: (f: Filters) => void;
  org: OrgChoices;
  list: PagedQuery<CertificateSummary, CertificateOrder>;
  employeeId: string;
  onClearEmployee: () => void;
}) {
  const { t } = useTranslation();
  const employee = useEmployee(employeeId || undefined);
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => onChange({ ...filters, [key]: value });
  const descending = list.direction === SortDirection.DESCENDING;
  const changed = JSON.stringify(filters) !== JSON.stringify(noFilters);
  return (
    <Paper withBorder radius="lg" p="md">
      <Stack gap="sm">
        {employeeId && (
          <Group gap="xs">
            <Text size="sm">
              {t("certificates.filters.employeeOnly", {
                name: displayName(employee.data?.employee?.fields) || t("certificates.filters.thisEmployee"),
              })}
            </Text>
            <CloseButton size="sm" aria-label={t("certificates.filters.allEmployees")} onClick={onClearEmployee} />
          </Group>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
          <MultiSelect
            label={t("certificates.filters.status")}
            placeholder={filters.statuses.length === 0 ? t("certificates.filters.any") : undefined}
            data={statusChoices(t)}
            value={filters.statuses}
            onChange={(v) => set("statuses", v)}
            clearable
          />
          <Select
            label={t("certificates.filters.kind")}
            placeholder={t("certificates.filters.any")}
            data={kindChoices(t)}
            value={filters.kind || null}
            onChange={(v) => set("kind", v ?? "")}
            clearable
          />
          <Select
            label={t("certificates.filters.company")}
            placeholder={t("certificates.filters.any")}
            data={org.companies}
            value={filters.companyId || null}
            onChange={(v) => set("companyId", v ?? "")}
            clearable
            searchable={org.companies.length > 8}
            nothingFoundMessage={t("table.none")}
          />
          <Group gap={4} align="flex-end" wrap="nowrap">
            <Select
              label={t("certificates.filters.sortBy")}
              data={sortChoices.map((s) => ({ value: String(s.order), label: t(`certificates.order.${s.key}`) }))}
              value={String(list.orderBy)}
              allowDeselect={false}
              style={{ flex: 1 }}
              onChange={(v) => {
                const choice = sortChoices.find((s) => String(s.order) === v);
                if (choice && choice.order !== list.orderBy) list.toggleSort(choice.order, SortDirection.DESCENDING);
              }}
            />
            <Tooltip label={descending ? t("certificates.filters.newestFirst") : t("certificates.filters.oldestFirst")}>
              <ActionIcon
                variant="default"
                size={36}
                aria-label={`${t("certificates.filters.direction")}: ${descending ? t("certificates.filters.newestFirst") : t("certificates.filters.oldestFirst")}`}
                onClick={() => list.toggleSort(list.orderBy)}
              >
                {descending ? <IconArrowDown size={16} /> : <IconArrowUp size={16} />}
              </ActionIcon>
            </Tooltip>
          </Group>
        </SimpleGrid>
        <Group justify="space-between">
          <Switch
            label={t("certificates.filters.privateOnly")}
            checked={filters.privateOnly}
            onChange={(e) => set("privateOnly", e.currentTarget.checked)}
          />
          {changed && (
            <Button variant="subtle" size="xs" onClick={() => onChange(noFilters)}>
              {t("certificates.filters.reset")}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function CertificatesTable({
  list,
  org,
  filtered,
  newPath,
  selected,
  onSelect,
}: {
  list: PagedQuery<CertificateSummary, CertificateOrder>;
  org: OrgChoices;
  filtered: boolean;
  newPath: string;
  selected: ReadonlySet<string>;
  onSelect: (next: Set<string>) => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const columns: DataColumn<CertificateSummary, CertificateOrder>[] = [
    {
      id: "employee",
      header: t("certificates.columns.employee"),
      cell: (c) => (
        <Group gap={6} wrap="nowrap">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <RowLink to={`${base}/${c.id}`}>{c.employeeName}</RowLink>
            <Text size="xs" c="dimmed" ff="monospace" truncate="end">
              {c.personnelNumber}
            </Text>
          </Stack>
          {c.private && (
            <Tooltip label={t("certificates.privateHint")}>
              <Text component="span" c="orange.9" lh={0} aria-label={t("certificates.private")} role="img">
                <IconLock size={15} />
              </Text>
            </Tooltip>
          )}
        </Group>
      ),
      width: "24%",
    },
    {
      id: "kind",
      header: t("certificates.columns.kind"),
      cell: (c) => (
        <Text size="sm" truncate="end">
          {kindName(c.kind, t)}
        </Text>
      ),
      width: 190,
    },
    { id: "status", header: t("certificates.columns.status"), cell: (c) => <CertificateStatusBadge status={c.status} />, width: 140 },
    {
      id: "language",
      header: t("certificates.columns.language"),
      cell: (c) => (
        <Text size="sm" c="dimmed">
          {languageName(c.language, t)}
        </Text>
      ),
      width: 96,
    },
    {
      id: "company",
      header: t("certificates.columns.company"),
      cell: (c) => (
        <Text size="sm" truncate="end">
          {org.name(c.companyId) || "–"}
        </Text>
      ),
    },
    {
      ...lastChangedColumn<CertificateSummary, CertificateOrder>(t, i18n.language, CertificateOrder.UPDATE_TIME),
      cell: (c) => (
        <Tooltip label={t("certificates.columns.createdAt", { time: formatDateTime(c.createTime, i18n.language) })}>
          <Text size="sm" c="dimmed" truncate="end">
            {formatDateTime(c.updateTime ?? c.createTime, i18n.language)}
          </Text>
        </Tooltip>
      ),
    },
  ];
  return (
    <DataTable
      label={t("certificates.title")}
      columns={columns}
      data={list}
      rowKey={(c) => c.id}
      onOpenRow={(c) => void navigate(`${base}/${c.id}`)}
      search={{ label: t("certificates.filters.search"), placeholder: t("certificates.filters.searchPlaceholder") }}
      empty={{
        icon: <IconCertificate size={28} />,
        title: t("certificates.title"),
        description: filtered ? t("certificates.emptyFiltered") : t("certificates.empty"),
        action: (
          <Button component={Link} to={newPath} leftSection={<IconPlus size={16} />}>
            {t("certificates.create")}
          </Button>
        ),
      }}
      pageSizes={pageSizes}
      minWidth={900}
      selection={{ selected, onChange: onSelect, rowLabel: (c) => c.employeeName }}
    />
  );
}
