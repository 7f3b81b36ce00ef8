// A searchable choice of one employee: what is typed goes to ListEmployees
// as its search (name words or personnel number), so a tenant with
// thousands of employees is never loaded whole. The wizard picks the
// certificate's employee with it, the Unterschriften section a signatory.
import { Select, type SelectProps } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@connectrpc/connect-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { searchDelayMs } from "../../components/DataTable.js";
import { IconSearch } from "../../components/icons.js";
import { EmployeeOrder, EmployeeService } from "../../gen/zeugo/v1/employees_pb.js";
import { SortDirection } from "../../gen/zeugo/v1/paging_pb.js";
import { listName } from "../employees/form.js";

/** PickedEmployee is the chosen employee with the label shown for it. */
export type PickedEmployee = { id: string; label: string };

type EmployeePickerProps = Omit<SelectProps, "data" | "value" | "onChange" | "searchable" | "searchValue" | "onSearchChange" | "filter"> & {
  value: PickedEmployee | undefined;
  onChange: (picked: PickedEmployee | undefined) => void;
};

/** EmployeePicker is a Select over the server's employee search. */
export function EmployeePicker({ value, onChange, ...rest }: EmployeePickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  // The text of the chosen option is not a search of its own.
  const typed = value && search === value.label ? "" : search;
  const [query] = useDebouncedValue(typed.trim(), searchDelayMs);
  const result = useQuery(EmployeeService.method.listEmployees, {
    filter: { query },
    page: { pageSize: 20, pageToken: "" },
    orderBy: EmployeeOrder.UNSPECIFIED,
    direction: SortDirection.DESCENDING,
  });
  const data = useMemo(() => {
    const rows = (result.data?.employees ?? []).map((e) => ({
      value: e.id,
      label: `${listName(e.fields)} · ${e.fields?.personnelNumber ?? ""}`,
    }));
    if (value && !rows.some((r) => r.value === value.id)) rows.unshift({ value: value.id, label: value.label });
    return rows;
  }, [result.data, value]);
  return (
    <Select
      searchable
      clearable
      leftSection={<IconSearch size={16} />}
      placeholder={t("certificates.employeePicker.placeholder")}
      nothingFoundMessage={result.isFetching ? t("app.loading") : t("certificates.employeePicker.none")}
      {...rest}
      data={data}
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      // The server has searched already (it also finds "Müller" for "mueller").
      filter={({ options }) => options}
      onChange={(id, option) => onChange(id ? { id, label: option?.label ?? id } : undefined)}
    />
  );
}
