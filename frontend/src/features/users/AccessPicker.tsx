import { Alert, MultiSelect, Stack, Switch, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { AccessOption, ListAccessOptionsResponse } from "../../gen/zeugo/v1/users_pb.js";

/** AccessValue is the certificate access being edited (CertificateAccess). */
export type AccessValue = {
  all: boolean;
  companyIds: string[];
  locationIds: string[];
  departmentIds: string[];
  orgUnitIds: string[];
  employeeTypeIds: string[];
};

export const noAccess: AccessValue = {
  all: false,
  companyIds: [],
  locationIds: [],
  departmentIds: [],
  orgUnitIds: [],
  employeeTypeIds: [],
};

/** The five dimensions in their order, with the options' field and the i18n key. */
export const dimensions = [
  { field: "companyIds", options: "companies", key: "companies" },
  { field: "locationIds", options: "locations", key: "locations" },
  { field: "departmentIds", options: "departments", key: "departments" },
  { field: "orgUnitIds", options: "orgUnits", key: "orgUnits" },
  { field: "employeeTypeIds", options: "employeeTypes", key: "employeeTypes" },
] as const;

export type AccessField = (typeof dimensions)[number]["field"];

function toData(options: AccessOption[], selected: string[]) {
  const data = options.map((o) => ({ value: o.id, label: o.name }));
  // An id whose company or unit is gone still shows (and can be removed).
  for (const id of selected) if (!data.some((d) => d.value === id)) data.push({ value: id, label: id });
  return data;
}

/**
 * AccessPicker edits a user's certificate access (SPEC §3.3): the switch
 * "Alle Zeugnisse (Administrator)", or any combination of companies,
 * locations, departments, org units and employee types. When the user's
 * role grants the Administrator area, the role decides (all certificates)
 * and the picker only says so.
 */
export function AccessPicker({
  value,
  onChange,
  options,
  roleGrantsAll,
  readOnly = false,
  errors = {},
}: {
  value: AccessValue;
  onChange: (value: AccessValue) => void;
  options: ListAccessOptionsResponse | undefined;
  roleGrantsAll: boolean;
  readOnly?: boolean;
  errors?: Partial<Record<AccessField, string>>;
}) {
  const { t } = useTranslation();
  const nothing = !value.all && dimensions.every((d) => value[d.field].length === 0);
  return (
    <Stack gap="sm" role="group" aria-label={t("users.access.title")}>
      <Text size="sm" fw={500}>
        {t("users.access.title")}
      </Text>
      {roleGrantsAll ? (
        <Alert variant="light">{t("users.access.byRole")}</Alert>
      ) : (
        <>
          <Switch
            id="access-all"
            label={t("users.access.all")}
            description={t("users.access.allHint")}
            checked={value.all}
            disabled={readOnly}
            onChange={(e) => onChange({ ...value, all: e.currentTarget.checked })}
          />
          {!value.all && (
            <>
              <Text size="xs" c="dimmed">
                {t("users.access.combineHint")}
              </Text>
              {dimensions.map((d) => (
                <MultiSelect
                  key={d.field}
                  id={`access-${d.field}`}
                  label={t(`users.access.${d.key}`)}
                  placeholder={!nothing && value[d.field].length === 0 ? t("users.access.any") : undefined}
                  data={toData(options?.[d.options] ?? [], value[d.field])}
                  value={value[d.field]}
                  onChange={(ids) => onChange({ ...value, [d.field]: ids })}
                  searchable
                  clearable
                  readOnly={readOnly}
                  error={errors[d.field]}
                  nothingFoundMessage={t("users.access.nothingFound")}
                />
              ))}
              {nothing && (
                <Alert color="orange" variant="light">
                  {t("users.access.none")}
                </Alert>
              )}
            </>
          )}
        </>
      )}
    </Stack>
  );
}
