import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Center,
  Drawer,
  Grid,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm, type UseFormReturnType } from "@mantine/form";
import { Code, ConnectError } from "@connectrpc/connect";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useCreateEmployee, useDeleteEmployee, useEmployee, useUpdateEmployee } from "../../api/employees.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { IconArrowDown, IconArrowUp, IconLock, IconPlus, IconTrash } from "../../components/icons.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";
import {
  AuthorityKind,
  CreateEmployeeRequestSchema,
  UpdateEmployeeRequestSchema,
  type Employee,
} from "../../gen/zeugo/v1/employees_pb.js";
import { isCode } from "../../lib/errors.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { saveCall } from "../../lib/use-entity-form.js";
import { useSaveForm } from "../users/save-form.js";
import { DateField } from "./DateField.js";
import { darkText, EmployeeStateBadge } from "./EmployeeStateBadge.js";
import { displayName, emptyAuthority, emptyInterruption, fieldOrder, fieldsOf, move, valuesOf, type EmployeeValues } from "./form.js";
import { authorityKindChoices, exitReasonChoices, interruptionReasonChoices, salutationChoices } from "./options.js";
import type { OrgChoices } from "./org-choices.js";
import { ActionModal, PrivacyActions } from "./PrivacyActions.js";
import { CertificatesLink } from "../certificates/CertificatesLink.js";

type Form = UseFormReturnType<EmployeeValues>;

/**
 * EmployeeDrawer creates an employee (id undefined) or shows and edits one,
 * in sections: personal data, contact, employment, tasks, interruptions and
 * authorities; below them the delete and data-protection actions the
 * principal may use.
 */
export function EmployeeDrawer({
  id,
  canEdit,
  canPrivacy,
  org,
  onClose,
}: {
  id: string | undefined;
  canEdit: boolean;
  canPrivacy: boolean;
  org: OrgChoices;
  onClose: () => void;
}) {
  const isNew = id === undefined;
  const { t, i18n } = useTranslation();
  const query = useEmployee(id);
  const create = useCreateEmployee();
  const update = useUpdateEmployee();
  const remove = useDeleteEmployee();
  const employee = query.data?.employee;
  const form = useForm<EmployeeValues>({ mode: "controlled", initialValues: valuesOf(undefined) });
  const save = useSaveForm(form, fieldOrder(form.values));
  // Read when a navigation starts, right after a save: a ref, not state.
  const done = useRef(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const loadedKey = employee && `${employee.id}/${employee.version}`;
  useEffect(() => {
    if (employee) {
      const values = valuesOf(employee.fields);
      form.setValues(values);
      form.resetDirty(values);
    }
  }, [loadedKey]);
  const readOnly = !canEdit;
  const isDirty = useCallback(() => canEdit && !done.current && form.isDirty(), [canEdit, form]);

  const submit = form.onSubmit(async (v) => {
    const fields = fieldsOf(v);
    const call = isNew
      ? saveCall(CreateEmployeeRequestSchema, { fields }, (req) => create.mutateAsync(req))
      : saveCall(UpdateEmployeeRequestSchema, { id, version: employee?.version ?? 0n, fields }, (req) => update.mutateAsync(req));
    if (await save.run(call)) {
      done.current = true;
      notifySuccess(t, t(isNew ? "employees.created" : "employees.updated", { name: displayName({ firstName: v.firstName.trim(), lastName: v.lastName.trim() }) }));
      onClose();
    }
  });

  const name = displayName(employee?.fields);
  const title = isNew ? t("employees.createTitle") : name || t("employees.viewTitle");

  let body: ReactNode;
  if (!isNew && query.isPending) {
    body = (
      <Center py="xl">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  } else if (!isNew && (query.isError || !employee)) {
    const err = query.error && !isCode(query.error, Code.InvalidArgument) ? query.error : new ConnectError("", Code.NotFound);
    body = <ErrorAlert error={err} onRetry={isCode(err, Code.NotFound) ? undefined : () => void query.refetch()} />;
  } else {
    body = (
      <Stack gap="lg">
        {employee && <EmployeeStatus employee={employee} language={i18n.language} />}
        {employee && <CertificatesLink employeeId={employee.id} />}
        {readOnly && (
          <Text c="dimmed" size="sm">
            {t("common.readOnlyHint")}
          </Text>
        )}
        <form onSubmit={submit} noValidate aria-label={title}>
          <Stack gap="xl">
            <FormAlerts
              conflict={save.conflict}
              formError={save.formError}
              onReload={() => {
                save.clearAlerts();
                void query.refetch();
              }}
            />
            <PersonalSection form={form} readOnly={readOnly} autoFocus={isNew} />
            <ContactSection form={form} readOnly={readOnly} />
            <EmploymentSection form={form} readOnly={readOnly} org={org} />
            <TasksSection form={form} readOnly={readOnly} />
            <InterruptionsSection form={form} readOnly={readOnly} />
            <AuthoritiesSection form={form} readOnly={readOnly} />
            <Box className="employee-form-footer" style={footerStyle}>
              <Group justify="space-between" gap="sm">
                <Group gap="sm">
                  {canEdit && (
                    <Button type="submit" loading={save.saving}>
                      {t("common.save")}
                    </Button>
                  )}
                  <Button variant="default" onClick={onClose}>
                    {canEdit ? t("common.cancel") : t("common.close")}
                  </Button>
                </Group>
                {canEdit && employee && (
                  <Button color="red" variant="subtle" leftSection={<IconTrash size={16} />} onClick={() => setConfirmDelete(true)}>
                    {t("common.delete")}
                  </Button>
                )}
              </Group>
            </Box>
          </Stack>
        </form>
        {employee && canPrivacy && (
          <PrivacyActions
            employee={employee}
            onGone={() => {
              done.current = true;
              onClose();
            }}
          />
        )}
      </Stack>
    );
  }

  return (
    <>
      <Drawer
        opened
        onClose={onClose}
        position="right"
        size={860}
        title={title}
        styles={{ title: { fontSize: "var(--mantine-h3-font-size)", fontWeight: 700 } }}
        closeButtonProps={{ "aria-label": t("common.close") }}
        padding="xl"
      >
        {body}
      </Drawer>
      <UnsavedChangesGuard dirty={isDirty} />
      {employee && (
        <ActionModal
          opened={confirmDelete}
          title={t("employees.privacy.deleteTitle", { name })}
          confirmLabel={t("common.delete")}
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={async () => {
            await remove.mutateAsync({ id: employee.id });
            setConfirmDelete(false);
            done.current = true;
            notifySuccess(t, t("employees.deleted", { name }));
            onClose();
          }}
          employee={employee}
        >
          <Text size="sm">{t("employees.privacy.deleteText", { name })}</Text>
        </ActionModal>
      )}
    </>
  );
}

function EmployeeStatus({ employee, language }: { employee: Employee; language: string }) {
  const { t } = useTranslation();
  const hold = employee.legalHold;
  return (
    <Stack gap="xs">
      <Group gap="sm">
        <EmployeeStateBadge state={employee.state} />
        {hold && (
          <Badge color="orange" variant="light" leftSection={<IconLock size={12} />} style={darkText}>
            {t("employees.legalHold")}
          </Badge>
        )}
        <Text size="sm" c="dimmed">
          {employee.updateTime
            ? t("employees.updatedAt", { time: formatDateTime(employee.updateTime, language) })
            : t("employees.createdAt", { time: formatDateTime(employee.createTime, language) })}
        </Text>
      </Group>
      {hold && (
        <Alert color="orange" variant="light" icon={<IconLock size={16} />}>
          {t("employees.legalHoldSince", { time: formatDateTime(hold.setTime, language), reason: hold.reason })}
        </Alert>
      )}
    </Stack>
  );
}

function Section({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <section>
      <Title order={3} fz="h5" mb={intro ? 4 : "sm"} c="zeugo.9">
        {title}
      </Title>
      {intro && (
        <Text size="sm" c="dimmed" mb="sm">
          {intro}
        </Text>
      )}
      {children}
    </section>
  );
}

type SectionProps = { form: Form; readOnly: boolean };

/** inputProps are the form's props of a field plus read-only without the marks of an editable field. */
function field(form: Form, path: string, readOnly: boolean, extra: { required?: boolean; description?: string } = {}) {
  return {
    id: `employee-${path.replace(/\./g, "-")}`,
    readOnly,
    required: !readOnly && extra.required,
    description: readOnly ? undefined : extra.description,
    ...form.getInputProps(path),
  };
}

function PersonalSection({ form, readOnly, autoFocus }: SectionProps & { autoFocus: boolean }) {
  const { t } = useTranslation();
  return (
    <Section title={t("employees.sections.personal")}>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <Select
            label={t("employees.fields.salutation")}
            data={salutationChoices(t)}
            allowDeselect={false}
            {...field(form, "salutation", readOnly)}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput label={t("employees.fields.title")} placeholder={readOnly ? undefined : "Dr."} maxLength={50} {...field(form, "title", readOnly)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }} />
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput
            label={t("employees.fields.firstName")}
            maxLength={100}
            data-autofocus={autoFocus || undefined}
            autoComplete="off"
            {...field(form, "firstName", readOnly, { required: true })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t("employees.fields.lastName")} maxLength={100} autoComplete="off" {...field(form, "lastName", readOnly, { required: true })} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <DateField label={t("employees.fields.birthDate")} {...field(form, "birthDate", readOnly)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t("employees.fields.birthplace")} maxLength={100} {...field(form, "birthplace", readOnly)} />
        </Grid.Col>
      </Grid>
    </Section>
  );
}

function ContactSection({ form, readOnly }: SectionProps) {
  const { t } = useTranslation();
  return (
    <Section title={t("employees.sections.contact")}>
      <Grid gap="md">
        <Grid.Col span={12}>
          <TextInput label={t("employees.fields.street")} maxLength={200} autoComplete="off" {...field(form, "street", readOnly)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 3 }}>
          <TextInput label={t("employees.fields.postcode")} maxLength={10} autoComplete="off" {...field(form, "postcode", readOnly)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 9 }}>
          <TextInput label={t("employees.fields.city")} maxLength={100} autoComplete="off" {...field(form, "city", readOnly)} />
        </Grid.Col>
        <Grid.Col span={12}>
          <TextInput label={t("employees.fields.email")} type="email" maxLength={254} autoComplete="off" {...field(form, "email", readOnly)} />
        </Grid.Col>
      </Grid>
    </Section>
  );
}

function OrgSelect({ form, path, label, data, readOnly }: SectionProps & { path: string; label: string; data: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  return (
    <Select
      label={label}
      data={data}
      clearable={!readOnly}
      searchable={data.length > 8}
      placeholder={readOnly ? undefined : t("employees.fields.none")}
      nothingFoundMessage={t("table.none")}
      comboboxProps={{ withinPortal: true }}
      {...field(form, path, readOnly)}
      // An empty id leaves the dimension unset (the proto's ""); the Select knows "none" as null.
      value={form.getValues()[path as "companyId"] || null}
      onChange={(v) => form.setFieldValue(path as "companyId", v ?? "")}
    />
  );
}

function EmploymentSection({ form, readOnly, org }: SectionProps & { org: OrgChoices }) {
  const { t } = useTranslation();
  return (
    <Section title={t("employees.sections.employment")}>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput
            label={t("employees.fields.personnelNumber")}
            inputWrapperOrder={["label", "input", "description", "error"]}
            maxLength={40}
            autoComplete="off"
            {...field(form, "personnelNumber", readOnly, { required: true, description: t("employees.fields.personnelNumberHint") })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label={t("employees.fields.jobTitle")} maxLength={200} {...field(form, "jobTitle", readOnly)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <OrgSelect form={form} readOnly={readOnly} path="companyId" label={t("employees.fields.company")} data={org.companies} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <OrgSelect form={form} readOnly={readOnly} path="locationId" label={t("employees.fields.location")} data={org.locations} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <OrgSelect form={form} readOnly={readOnly} path="departmentId" label={t("employees.fields.department")} data={org.departments} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <OrgSelect form={form} readOnly={readOnly} path="orgUnitId" label={t("employees.fields.orgUnit")} data={org.orgUnits} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <OrgSelect form={form} readOnly={readOnly} path="employeeTypeId" label={t("employees.fields.employeeType")} data={org.employeeTypes} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }} />
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <DateField label={t("employees.fields.entryDate")} {...field(form, "entryDate", readOnly)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <DateField
            label={t("employees.fields.exitDate")}
            inputWrapperOrder={["label", "input", "description", "error"]}
            {...field(form, "exitDate", readOnly, { description: t("employees.fields.exitDateHint") })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select label={t("employees.fields.exitReason")} data={exitReasonChoices(t)} allowDeselect={false} {...field(form, "exitReason", readOnly)} />
        </Grid.Col>
      </Grid>
    </Section>
  );
}

/** RowButtons move a row up or down and remove it; each names the row for screen readers. */
function RowButtons({ what, index, count, onMove, onRemove }: { what: string; index: number; count: number; onMove?: (to: number) => void; onRemove: () => void }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      {onMove && (
        <>
          <ActionIcon variant="subtle" color="gray" aria-label={t("employees.moveUp", { what })} disabled={index === 0} onClick={() => onMove(index - 1)}>
            <IconArrowUp size={16} />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-label={t("employees.moveDown", { what })}
            disabled={index === count - 1}
            onClick={() => onMove(index + 1)}
          >
            <IconArrowDown size={16} />
          </ActionIcon>
        </>
      )}
      <ActionIcon variant="subtle" color="red" aria-label={t("employees.remove", { what })} onClick={onRemove}>
        <IconTrash size={16} />
      </ActionIcon>
    </Group>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed" fs="italic">
      {children}
    </Text>
  );
}

function TasksSection({ form, readOnly }: SectionProps) {
  const { t } = useTranslation();
  const tasks = form.values.tasks;
  return (
    <Section title={t("employees.sections.tasks")} intro={readOnly ? undefined : t("employees.tasksIntro")}>
      <Stack gap="sm">
        {tasks.length === 0 && <Empty>{t("employees.tasksEmpty")}</Empty>}
        {tasks.map((_, i) => {
          const what = t("employees.fields.task", { n: i + 1 });
          return (
            <Group key={i} align="flex-start" gap="sm" wrap="nowrap">
              <Textarea
                label={what}
                autosize
                minRows={1}
                maxRows={6}
                maxLength={1000}
                style={{ flex: 1 }}
                {...field(form, `tasks.${i}`, readOnly, { required: true })}
              />
              {!readOnly && (
                <Box pt={26}>
                  <RowButtons
                    what={what}
                    index={i}
                    count={tasks.length}
                    onMove={(to) => form.setFieldValue("tasks", move(form.values.tasks, i, to))}
                    onRemove={() => form.removeListItem("tasks", i)}
                  />
                </Box>
              )}
            </Group>
          );
        })}
        {!readOnly && tasks.length < 50 && (
          <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} style={{ alignSelf: "flex-start" }} onClick={() => form.insertListItem("tasks", "")}>
            {t("employees.addTask")}
          </Button>
        )}
      </Stack>
    </Section>
  );
}

function InterruptionsSection({ form, readOnly }: SectionProps) {
  const { t } = useTranslation();
  const rows = form.values.interruptions;
  return (
    <Section
      title={t("employees.sections.interruptions")}
      intro={
        <>
          {readOnly ? null : `${t("employees.interruptionsIntro")} `}
          {t("employees.interruptionsPrivacy")}
        </>
      }
    >
      <Stack gap="sm">
        {rows.length === 0 && <Empty>{t("employees.interruptionsEmpty")}</Empty>}
        {rows.map((_, i) => {
          const what = t("employees.interruption", { n: i + 1 });
          return (
            <Paper key={i} withBorder radius="md" p="md" role="group" aria-label={what}>
              <Grid gap="sm" align="flex-end">
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <DateField label={t("employees.fields.fromDate")} {...field(form, `interruptions.${i}.fromDate`, readOnly, { required: true })} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <DateField label={t("employees.fields.toDate")} {...field(form, `interruptions.${i}.toDate`, readOnly)} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 5 }}>
                  <Select
                    label={t("employees.fields.reason")}
                    data={interruptionReasonChoices(t)}
                    allowDeselect={false}
                    {...field(form, `interruptions.${i}.reason`, readOnly)}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 1 }}>
                  {!readOnly && (
                    <Group justify="flex-end" pb={4}>
                      <RowButtons what={what} index={i} count={rows.length} onRemove={() => form.removeListItem("interruptions", i)} />
                    </Group>
                  )}
                </Grid.Col>
                <Grid.Col span={12}>
                  <TextInput label={t("employees.fields.note")} maxLength={500} {...field(form, `interruptions.${i}.note`, readOnly)} />
                </Grid.Col>
              </Grid>
            </Paper>
          );
        })}
        {!readOnly && rows.length < 20 && (
          <Button
            variant="light"
            size="xs"
            leftSection={<IconPlus size={14} />}
            style={{ alignSelf: "flex-start" }}
            onClick={() => form.insertListItem("interruptions", { ...emptyInterruption })}
          >
            {t("employees.addInterruption")}
          </Button>
        )}
      </Stack>
    </Section>
  );
}

function AuthoritiesSection({ form, readOnly }: SectionProps) {
  const { t } = useTranslation();
  const rows = form.values.authorities;
  return (
    <Section title={t("employees.sections.authorities")} intro={readOnly ? undefined : t("employees.authoritiesIntro")}>
      <Stack gap="sm">
        {rows.length === 0 && <Empty>{t("employees.authoritiesEmpty")}</Empty>}
        {rows.map((row, i) => {
          const what = t("employees.authority", { n: i + 1 });
          const other = row.kind === String(AuthorityKind.OTHER);
          return (
            <Grid key={i} gap="sm" align="flex-end" role="group" aria-label={what}>
              <Grid.Col span={{ base: 12, sm: other ? 4 : 7 }}>
                <Select label={t("employees.fields.kind")} data={authorityKindChoices(t)} allowDeselect={false} {...field(form, `authorities.${i}.kind`, readOnly, { required: true })} />
              </Grid.Col>
              {other && (
                <Grid.Col span={{ base: 12, sm: 3 }}>
                  <TextInput label={t("employees.fields.authorityName")} maxLength={100} {...field(form, `authorities.${i}.name`, readOnly, { required: true })} />
                </Grid.Col>
              )}
              <Grid.Col span={{ base: 12, sm: 4 }}>
                <DateField label={t("employees.fields.sinceDate")} {...field(form, `authorities.${i}.sinceDate`, readOnly)} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 1 }}>
                {!readOnly && (
                  <Group justify="flex-end" pb={4}>
                    <RowButtons what={what} index={i} count={rows.length} onRemove={() => form.removeListItem("authorities", i)} />
                  </Group>
                )}
              </Grid.Col>
            </Grid>
          );
        })}
        {!readOnly && rows.length < 10 && (
          <Button
            variant="light"
            size="xs"
            leftSection={<IconPlus size={14} />}
            style={{ alignSelf: "flex-start" }}
            onClick={() => form.insertListItem("authorities", { ...emptyAuthority })}
          >
            {t("employees.addAuthority")}
          </Button>
        )}
      </Stack>
    </Section>
  );
}

/** The save buttons stay in view at the bottom of the drawer while the long form scrolls. */
const footerStyle = {
  position: "sticky",
  bottom: 0,
  zIndex: 2,
  background: "var(--mantine-color-body)",
  borderTop: "1px solid var(--mantine-color-default-border)",
  margin: "0 calc(var(--mantine-spacing-xl) * -1)",
  padding: "var(--mantine-spacing-md) var(--mantine-spacing-xl)",
} as const;
