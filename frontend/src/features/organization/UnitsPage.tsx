import { Button, Center, Loader, Modal, Stack, Text, Textarea, TextInput, Group } from "@mantine/core";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ReactElement } from "react";
import { useTranslation } from "react-i18next";
import { Link, useMatch, useNavigate } from "react-router";
import { CreateUnitRequestSchema, UnitOrder, UpdateUnitRequestSchema, type Unit } from "../../gen/zeugo/v1/organization_pb.js";
import { SortDirection } from "../../gen/zeugo/v1/paging_pb.js";
import { useCreateUnit, useDeleteUnit, useUnit, useUnitList, useUpdateUnit } from "../../api/organization.js";
import { DataTable, isEmptyList, RowLink, type DataColumn } from "../../components/DataTable.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { IconHierarchy, IconId, IconMapPin, IconPlus, IconUsersGroup } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { useDeleteConfirmation } from "../../components/useDeleteConfirmation.js";
import { canEditStructure } from "../../lib/access.js";
import { isCode } from "../../lib/errors.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { saveCall, useEntityForm } from "../../lib/use-entity-form.js";
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
 * The routes keep this page mounted while the dialog's URL changes, so the
 * list stays on its page, sort and search.
 */
export function UnitsPage({ slug }: { slug: UnitKindSlug }) {
  const info = unitKinds[slug];
  const base = `/organisation/${slug}`;
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const canEdit = canEditStructure(usePrincipal());
  const list = useUnitList(info.kind);
  const remove = useDeleteUnit();
  const deletion = useDeleteConfirmation<Unit>({
    name: (u) => u.fields?.name ?? "",
    remove: (u) => remove.mutateAsync({ id: u.id }),
    onDeleted: (name) => notifySuccess(t, t("unit.deleted", { name })),
  });
  const isNewRoute = useMatch(`${base}/new`) !== null;
  const idMatch = useMatch(`${base}/:id`);
  const id = isNewRoute ? undefined : idMatch?.params.id;
  const text = (key: string) => t(`unit.kinds.${info.textKey}.${key}`);

  const columns: DataColumn<Unit, UnitOrder>[] = [
    {
      id: "name",
      header: t("common.name"),
      cell: (u) => <RowLink to={`${base}/${u.id}`}>{u.fields?.name}</RowLink>,
      sortKey: UnitOrder.NAME,
      width: "34%",
    },
    {
      id: "description",
      header: t("common.description"),
      cell: (u) => <Text size="sm" truncate="end">{u.fields?.description}</Text>,
    },
    {
      id: "updated",
      header: t("common.lastChanged"),
      cell: (u) => (
        <Text size="sm" c="dimmed" truncate="end">
          {formatDateTime(u.updateTime ?? u.createTime, i18n.language)}
        </Text>
      ),
      sortKey: UnitOrder.UPDATE_TIME,
      firstDirection: SortDirection.DESCENDING,
      width: 200,
    },
  ];

  const createButton = canEdit && (
    <Button component={Link} to={`${base}/new`} leftSection={<IconPlus size={16} />}>
      {text("create")}
    </Button>
  );

  return (
    <>
      <PageHeader title={text("title")} intro={text("intro")} actions={!isEmptyList(list) && createButton} />
      <DataTable
        label={text("title")}
        columns={columns}
        data={list}
        rowKey={(u) => u.id}
        onOpenRow={(u) => void navigate(`${base}/${u.id}`)}
        rowActions={canEdit ? deletion.button : undefined}
        search={{ label: t("unit.search") }}
        empty={{
          icon: emptyIcons[slug],
          title: text("title"),
          description: canEdit ? text("empty") : t("common.emptyReadOnly"),
          action: createButton,
        }}
        pageSizes={[25, 50, 100]}
      />
      {(id !== undefined || (isNewRoute && canEdit)) && (
        <UnitDialog key={id ?? "new"} info={info} id={id} canEdit={canEdit} onClose={() => void navigate(base)} />
      )}
      {deletion.modal}
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
  const unit = query.data?.unit;
  const text = (key: string) => t(`unit.kinds.${info.textKey}.${key}`);
  const wrongKind = unit !== undefined && unit.kind !== info.kind;
  const entity = useEntityForm<UnitValues>({
    initialValues: { name: "", description: "" },
    fieldOrder: unitFieldOrder,
    loaded: unit && {
      key: `${unit.id}/${unit.version}`,
      values: { name: unit.fields?.name ?? "", description: unit.fields?.description ?? "" },
    },
    save: (fields) =>
      isNew
        ? saveCall(CreateUnitRequestSchema, { kind: info.kind, fields }, (req) => create.mutateAsync(req))
        : saveCall(UpdateUnitRequestSchema, { id, version: unit?.version ?? 0n, fields }, (req) => update.mutateAsync(req)),
    onSaved: (fields) => {
      notifySuccess(t, t(isNew ? "unit.created" : "unit.updated", { name: fields.name }));
      onClose();
    },
    reload: () => void query.refetch(),
  });
  const { form } = entity;
  const title = isNew ? text("createTitle") : canEdit ? text("editTitle") : text("one");

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
        <form onSubmit={entity.submit} noValidate aria-label={title}>
          <Stack gap="md">
            <FormAlerts {...entity.alerts} />
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
                <Button type="submit" loading={entity.saving}>
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
