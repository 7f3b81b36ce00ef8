import {
  ActionIcon,
  Anchor,
  Button,
  Center,
  EmptyState,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { Code, ConnectError } from "@connectrpc/connect";
import { useEffect, useState, type ReactElement } from "react";
import { useTranslation } from "react-i18next";
import { Link, useMatch, useNavigate, useParams } from "react-router";
import {
  CreateUnitRequestSchema,
  UpdateUnitRequestSchema,
  type Unit,
} from "../../gen/zeugo/v1/organization_pb.js";
import { useCreateUnit, useDeleteUnit, useUnit, useUnits, useUpdateUnit } from "../../api/organization.js";
import { canEditStructure } from "../../lib/access.js";
import { isCode } from "../../lib/errors.js";
import { showFormErrors, showSaveError } from "../../lib/form.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { toFormErrors, validateMessage } from "../../lib/validation.js";
import { IconHierarchy, IconId, IconMapPin, IconPencil, IconPlus, IconTrash, IconUsersGroup } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { ConfirmDeleteModal } from "../../components/ConfirmDeleteModal.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { formatDateTime } from "../../lib/format.js";
import { unitKinds, type UnitKindInfo, type UnitKindSlug } from "./unit-kinds.js";

const emptyIcons: Record<UnitKindSlug, ReactElement> = {
  locations: <IconMapPin size={28} />,
  departments: <IconUsersGroup size={28} />,
  "org-units": <IconHierarchy size={28} />,
  "employee-types": <IconId size={28} />,
};

/**
 * UnitsPage lists the units of one kind. Creating (/new) and editing (/:id)
 * happen in a dialog over the list; both are URLs, so they survive a reload.
 */
export function UnitsPage({ slug }: { slug: UnitKindSlug }) {
  const info = unitKinds[slug];
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const principal = usePrincipal();
  const canEdit = canEditStructure(principal);
  const query = useUnits(info.kind);
  const remove = useDeleteUnit();
  const [toDelete, setToDelete] = useState<Unit | undefined>();
  const units = query.data?.units ?? [];
  const base = `/organisation/${slug}`;
  const isNewRoute = useMatch(`${base}/new`) !== null;
  const text = (key: string) => t(`unit.kinds.${info.textKey}.${key}`);

  const createButton = canEdit && (
    <Button component={Link} to={`${base}/new`} leftSection={<IconPlus size={16} />}>
      {text("create")}
    </Button>
  );

  return (
    <>
      <PageHeader title={text("title")} intro={text("intro")} actions={units.length > 0 && createButton} />
      {query.isPending ? (
        <Center py="xl">
          <Loader aria-label={t("app.loading")} />
        </Center>
      ) : query.isError ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : units.length === 0 ? (
        <Paper withBorder radius="lg" p="xl">
          <EmptyState icon={emptyIcons[slug]} title={text("title")} description={canEdit ? text("empty") : t("common.emptyReadOnly")}>
            {createButton}
          </EmptyState>
        </Paper>
      ) : (
        <Paper withBorder radius="lg">
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Caption>{t("common.count", { count: units.length })}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("common.name")}</Table.Th>
                  <Table.Th scope="col">{t("common.description")}</Table.Th>
                  <Table.Th scope="col">{t("common.lastChanged")}</Table.Th>
                  {canEdit && (
                    <Table.Th scope="col" ta="right">
                      {t("common.actions")}
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {units.map((u) => {
                  const name = u.fields?.name ?? "";
                  return (
                    <Table.Tr key={u.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`${base}/${u.id}`} className="table-row-link">
                          {name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={2}>
                          {u.fields?.description}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {formatDateTime(u.updateTime ?? u.createTime, i18n.language)}
                        </Text>
                      </Table.Td>
                      {canEdit && (
                        <Table.Td>
                          <Group gap={4} justify="flex-end" wrap="nowrap">
                            <Tooltip label={t("common.edit")} openDelay={400}>
                              <ActionIcon
                                component={Link}
                                to={`${base}/${u.id}`}
                                variant="subtle"
                                color="gray"
                                aria-label={`${t("common.edit")}: ${name}`}
                              >
                                <IconPencil size={16} />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label={t("common.delete")} openDelay={400}>
                              <ActionIcon variant="subtle" color="red" aria-label={`${t("common.delete")}: ${name}`} onClick={() => setToDelete(u)}>
                                <IconTrash size={16} />
                              </ActionIcon>
                            </Tooltip>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {(id !== undefined || (isNewRoute && canEdit)) && (
        <UnitDialog key={id ?? "new"} info={info} id={id} canEdit={canEdit} onClose={() => void navigate(base)} />
      )}
      <ConfirmDeleteModal
        opened={toDelete !== undefined}
        name={toDelete?.fields?.name ?? ""}
        onCancel={() => setToDelete(undefined)}
        onConfirm={async () => {
          if (!toDelete) return;
          const name = toDelete.fields?.name ?? "";
          await remove.mutateAsync({ id: toDelete.id });
          setToDelete(undefined);
          notifySuccess(t, t("unit.deleted", { name }));
        }}
      />
    </>
  );
}

type UnitValues = { name: string; description: string };
const unitFieldOrder = ["name", "description"] as const;

function UnitDialog({
  info,
  id,
  canEdit,
  onClose,
}: {
  info: UnitKindInfo;
  id: string | undefined;
  canEdit: boolean;
  onClose: () => void;
}) {
  const isNew = id === undefined;
  const { t } = useTranslation();
  const query = useUnit(id);
  const create = useCreateUnit();
  const update = useUpdateUnit();
  const [formError, setFormError] = useState<string | undefined>();
  const [conflict, setConflict] = useState(false);
  const form = useForm<UnitValues>({ mode: "controlled", initialValues: { name: "", description: "" } });
  const unit = query.data?.unit;
  const text = (key: string) => t(`unit.kinds.${info.textKey}.${key}`);
  const wrongKind = unit !== undefined && unit.kind !== info.kind;

  useEffect(() => {
    if (unit) {
      const values = { name: unit.fields?.name ?? "", description: unit.fields?.description ?? "" };
      form.setValues(values);
      form.resetDirty(values);
    }
  }, [unit?.id, unit?.version]);

  const submit = form.onSubmit(async (raw) => {
    setFormError(undefined);
    setConflict(false);
    const fields = { name: raw.name.trim(), description: raw.description.trim() };
    const schema = isNew ? CreateUnitRequestSchema : UpdateUnitRequestSchema;
    const version = unit?.version ?? 0n;
    const { violations } = isNew
      ? validateMessage(CreateUnitRequestSchema, { kind: info.kind, fields })
      : validateMessage(UpdateUnitRequestSchema, { id, version, fields });
    if (violations.length > 0) {
      const errors = toFormErrors(violations, t, { prefix: "fields.", known: unitFieldOrder });
      if (!showFormErrors(form, errors, unitFieldOrder)) setFormError(errors.other.join(" "));
      return;
    }
    try {
      if (isNew) {
        await create.mutateAsync({ kind: info.kind, fields });
        notifySuccess(t, t("unit.created", { name: fields.name }));
      } else {
        await update.mutateAsync({ id, version, fields });
        notifySuccess(t, t("unit.updated", { name: fields.name }));
      }
      onClose();
    } catch (err) {
      showSaveError(err, { form, schema, order: unitFieldOrder, t, setFormError, setConflict });
    }
  });

  const title = isNew ? text("createTitle") : canEdit ? text("editTitle") : text("one");
  const saving = create.isPending || update.isPending;

  return (
    <Modal opened onClose={onClose} title={title} size="lg" centered closeButtonProps={{ "aria-label": t("common.close") }}>
      {!isNew && query.isPending ? (
        <Center py="lg">
          <Loader aria-label={t("app.loading")} />
        </Center>
      ) : !isNew && (query.isError || wrongKind) ? (
        // A malformed id, or one of another kind, is as unknown here as one of another tenant.
        <ErrorAlert
          error={
            query.error && !isCode(query.error, Code.InvalidArgument) ? query.error : new ConnectError("", Code.NotFound)
          }
        />
      ) : (
        <form onSubmit={submit} noValidate aria-label={title}>
          <Stack gap="md">
            <FormAlerts
              conflict={conflict}
              formError={formError}
              onReload={() => {
                setConflict(false);
                void query.refetch();
              }}
            />
            <TextInput
              id="unit-name"
              label={t("common.name")}
              required={canEdit}
              maxLength={100}
              readOnly={!canEdit}
              data-autofocus
              {...form.getInputProps("name")}
            />
            <Textarea
              id="unit-description"
              label={t("common.description")}
              autosize
              minRows={3}
              maxRows={8}
              readOnly={!canEdit}
              {...form.getInputProps("description")}
            />
            <Group justify="flex-end" gap="sm" mt="sm">
              <Button variant="default" onClick={onClose}>
                {canEdit ? t("common.cancel") : t("common.close")}
              </Button>
              {canEdit && (
                <Button type="submit" loading={saving}>
                  {t("common.save")}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
