import {
  ActionIcon,
  Button,
  Group,
  Menu,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useMatch, useNavigate } from "react-router";
import { saveFile, useEmployeeList, useExportEmployees, type EmployeeListFilter } from "../../api/employees.js";
import type { PagedQuery } from "../../api/paging.js";
import { RowLink, DataTable, searchDelayMs, type DataColumn } from "../../components/DataTable.js";
import { textColumn } from "../../components/columns.js";
import { IconArrowDown, IconArrowUp, IconId, IconLock, IconPlus, IconSearch } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { EmployeeOrder, EmployeeState, ExportFormat, type Employee } from "../../gen/zeugo/v1/employees_pb.js";
import { SortDirection } from "../../gen/zeugo/v1/paging_pb.js";
import { errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { notifications } from "@mantine/notifications";
import { canEditEmployees, canUsePrivacy } from "./access.js";
import { formatDate } from "./dates.js";
import { EmployeeDrawer } from "./EmployeeDrawer.js";
import { EmployeeStateBadge } from "./EmployeeStateBadge.js";
import { listName } from "./form.js";
import { useOrgChoices, type OrgChoices } from "./org-choices.js";

const base = "/employees";
const pageSizes = [25, 50, 100];

/** The filters of the list, as the Selects hold them ("" for all). */
type Filters = {
  companyId: string;
  locationId: string;
  departmentId: string;
  orgUnitId: string;
  employeeTypeId: string;
  state: EmployeeState;
};

const noFilters: Filters = { companyId: "", locationId: "", departmentId: "", orgUnitId: "", employeeTypeId: "", state: EmployeeState.UNSPECIFIED };

/**
 * EmployeesPage lists the employees in the caller's scope: a search by
 * name words or personnel number, filters by company, unit and state, a
 * sort by change or dates, and the export of what matches. Creating
 * (/employees/new) and the detail (/employees/:id) open a drawer over the
 * list, which keeps its search, filters and page.
 */
export function EmployeesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const principal = usePrincipal();
  const canEdit = canEditEmployees(principal);
  const canPrivacy = canUsePrivacy(principal);
  const org = useOrgChoices();
  const [filters, setFilters] = useState<Filters>(noFilters);
  const filter: EmployeeListFilter = useMemo(() => ({ ...filters }), [filters]);
  const list = useEmployeeList(filter);
  const isNewRoute = useMatch(`${base}/new`) !== null;
  const idMatch = useMatch(`${base}/:id`);
  // /employees/import is the import wizard's own route, never an employee.
  const id = isNewRoute || idMatch?.params.id === "import" ? undefined : idMatch?.params.id;

  const actions = (
    <>
      {canEdit && (
        <Button component={Link} to={`${base}/import`} variant="default">
          {t("employees.import")}
        </Button>
      )}
      <ExportMenu filter={{ ...filter, query: list.query }} />
      {canEdit && (
        <Button component={Link} to={`${base}/new`} leftSection={<IconPlus size={16} />}>
          {t("employees.create")}
        </Button>
      )}
    </>
  );
  const filtered = JSON.stringify(filters) !== JSON.stringify(noFilters);

  return (
    <>
      <PageHeader title={t("employees.title")} intro={t("employees.intro")} actions={actions} />
      <Stack gap="md">
        <FilterBar filters={filters} onChange={setFilters} org={org} list={list} />
        <EmployeesTable list={list} org={org} filtered={filtered} canEdit={canEdit} />
      </Stack>
      {(id !== undefined || (isNewRoute && canEdit)) && (
        <EmployeeDrawer key={id ?? "new"} id={id} canEdit={canEdit} canPrivacy={canPrivacy} org={org} onClose={() => void navigate(base)} />
      )}
    </>
  );
}

function ExportMenu({ filter }: { filter: EmployeeListFilter & { query: string } }) {
  const { t } = useTranslation();
  const run = useExportEmployees();
  const [busy, setBusy] = useState(false);
  const start = async (format: ExportFormat) => {
    setBusy(true);
    try {
      const file = await run(format, filter);
      saveFile(file);
      notifySuccess(t, t("employees.exportDone", { name: file.fileName }));
    } catch (err) {
      notifications.show({
        color: "red",
        message: t("employees.exportFailed", { reason: errorMessage(err, t) }),
        closeButtonProps: { "aria-label": t("common.close") },
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" loading={busy}>
          {t("employees.export")}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t("employees.exportHint")}</Menu.Label>
        <Menu.Item onClick={() => void start(ExportFormat.CSV)}>{t("employees.exportCsv")}</Menu.Item>
        <Menu.Item onClick={() => void start(ExportFormat.JSON)}>{t("employees.exportJson")}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

const sortChoices: { order: EmployeeOrder; key: string; first: SortDirection }[] = [
  { order: EmployeeOrder.UNSPECIFIED, key: "updated", first: SortDirection.DESCENDING },
  { order: EmployeeOrder.ENTRY_DATE, key: "entry", first: SortDirection.DESCENDING },
  { order: EmployeeOrder.EXIT_DATE, key: "exit", first: SortDirection.DESCENDING },
  { order: EmployeeOrder.CREATE_TIME, key: "created", first: SortDirection.DESCENDING },
];

function FilterBar({
  filters,
  onChange,
  org,
  list,
}: {
  filters: Filters;
  onChange: (f: Filters) => void;
  org: OrgChoices;
  list: PagedQuery<Employee, EmployeeOrder>;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const send = useDebouncedCallback(list.setQuery, searchDelayMs);
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => onChange({ ...filters, [key]: value });
  const orgSelect = (key: keyof Omit<Filters, "state">, label: string, data: { value: string; label: string }[]) => (
    <Select
      label={label}
      placeholder={t("employees.anyValue")}
      data={data}
      value={filters[key] || null}
      onChange={(v) => set(key, v ?? "")}
      clearable
      searchable={data.length > 8}
      nothingFoundMessage={t("table.none")}
      size="sm"
    />
  );
  const descending = list.direction === SortDirection.DESCENDING;
  const filtered = JSON.stringify(filters) !== JSON.stringify(noFilters);
  return (
    <Paper withBorder radius="lg" p="md">
      <Stack gap="sm">
        <Group align="flex-start" gap="md" wrap="wrap">
          <TextInput
            type="search"
            label={t("employees.search")}
            placeholder={t("employees.searchPlaceholder")}
            description={t("employees.searchHint")}
            inputWrapperOrder={["label", "input", "description"]}
            leftSection={<IconSearch size={16} />}
            maxLength={100}
            style={{ flex: "1 1 320px" }}
            maw={520}
            value={text}
            onChange={(e) => {
              setText(e.currentTarget.value);
              send(e.currentTarget.value);
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                send.cancel();
                list.setQuery(e.currentTarget.value);
              }
            }}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} component="span" id="employee-state-label">
              {t("employees.stateFilter")}
            </Text>
            <SegmentedControl
              aria-labelledby="employee-state-label"
              value={String(filters.state)}
              onChange={(v) => set("state", Number(v) as EmployeeState)}
              data={[
                { value: String(EmployeeState.UNSPECIFIED), label: t("employees.states.all") },
                { value: String(EmployeeState.ACTIVE), label: t("employees.states.active") },
                { value: String(EmployeeState.LEFT), label: t("employees.states.left") },
              ]}
            />
          </Stack>
          <Group gap={4} align="flex-end" ml="auto">
            <Select
              label={t("employees.sortBy")}
              data={sortChoices.map((s) => ({ value: String(s.order), label: t(`employees.order.${s.key}`) }))}
              value={String(list.orderBy)}
              allowDeselect={false}
              w={190}
              onChange={(v) => {
                const choice = sortChoices.find((s) => String(s.order) === v);
                if (choice && choice.order !== list.orderBy) list.toggleSort(choice.order, choice.first);
              }}
            />
            <Tooltip label={descending ? t("employees.descending") : t("employees.ascending")}>
              <ActionIcon
                variant="default"
                size={36}
                aria-label={`${t("employees.sortDirection")}: ${descending ? t("employees.descending") : t("employees.ascending")}`}
                onClick={() => list.toggleSort(list.orderBy)}
              >
                {descending ? <IconArrowDown size={16} /> : <IconArrowUp size={16} />}
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
          {orgSelect("companyId", t("employees.fields.company"), org.companies)}
          {orgSelect("locationId", t("employees.fields.location"), org.locations)}
          {orgSelect("departmentId", t("employees.fields.department"), org.departments)}
          {orgSelect("orgUnitId", t("employees.fields.orgUnit"), org.orgUnits)}
          {orgSelect("employeeTypeId", t("employees.fields.employeeType"), org.employeeTypes)}
        </SimpleGrid>
        {filtered && (
          <Button variant="subtle" size="xs" style={{ alignSelf: "flex-start" }} onClick={() => onChange(noFilters)}>
            {t("employees.resetFilters")}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}

function EmployeesTable({
  list,
  org,
  filtered,
  canEdit,
}: {
  list: PagedQuery<Employee, EmployeeOrder>;
  org: OrgChoices;
  filtered: boolean;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const dim = (text: string) => (
    <Text size="sm" c="dimmed" truncate="end">
      {text || "–"}
    </Text>
  );
  const columns: DataColumn<Employee, EmployeeOrder>[] = [
    {
      id: "personnelNumber",
      header: t("employees.columns.personnelNumber"),
      cell: (e) => (
        <Text size="sm" ff="monospace" truncate="end">
          {e.fields?.personnelNumber}
        </Text>
      ),
      width: 108,
    },
    {
      id: "name",
      header: t("employees.columns.name"),
      cell: (e) => (
        <Group gap={6} wrap="nowrap">
          <RowLink to={`${base}/${e.id}`}>{listName(e.fields)}</RowLink>
          {e.legalHold && (
            <Tooltip label={t("employees.legalHold")}>
              <Text component="span" c="orange.9" lh={0} aria-label={t("employees.legalHold")} role="img">
                <IconLock size={15} />
              </Text>
            </Tooltip>
          )}
        </Group>
      ),
      width: "21%",
    },
    {
      id: "organisation",
      header: t("employees.columns.organisation"),
      cell: (e) => {
        const place = [org.name(e.fields?.locationId ?? ""), org.name(e.fields?.departmentId ?? "")].filter((s) => s !== "").join(" · ");
        return (
          <Stack gap={0}>
            <Text size="sm" truncate="end">
              {org.name(e.fields?.companyId ?? "") || "–"}
            </Text>
            {place && (
              <Text size="xs" c="dimmed" truncate="end">
                {place}
              </Text>
            )}
          </Stack>
        );
      },
    },
    textColumn("jobTitle", t("employees.columns.jobTitle"), (e) => e.fields?.jobTitle ?? ""),
    {
      id: "entry",
      header: t("employees.columns.entryDate"),
      cell: (e) => dim(formatDate(e.fields?.entryDate ?? "")),
      sortKey: EmployeeOrder.ENTRY_DATE,
      firstDirection: SortDirection.DESCENDING,
      width: 124,
    },
    {
      id: "exit",
      header: t("employees.columns.exitDate"),
      cell: (e) => (
        <Group gap={6} wrap="nowrap">
          {e.fields?.exitDate && (
            <Text size="sm" c="dimmed">
              {formatDate(e.fields.exitDate)}
            </Text>
          )}
          <EmployeeStateBadge state={e.state} />
        </Group>
      ),
      sortKey: EmployeeOrder.EXIT_DATE,
      firstDirection: SortDirection.DESCENDING,
      width: 236,
    },
  ];
  return (
    <DataTable
      label={t("employees.title")}
      columns={columns}
      data={list}
      rowKey={(e) => e.id}
      onOpenRow={(e) => void navigate(`${base}/${e.id}`)}
      empty={{
        icon: <IconId size={28} />,
        title: t("employees.title"),
        description: filtered ? t("employees.emptyFiltered") : t("employees.empty"),
        action:
          canEdit && !filtered ? (
            <Button component={Link} to={`${base}/new`} leftSection={<IconPlus size={16} />}>
              {t("employees.create")}
            </Button>
          ) : undefined,
      }}
      pageSizes={pageSizes}
      minWidth={960}
    />
  );
}
