import { Button, Center, Group, Loader, Modal, Stack, Textarea, TextInput } from "@mantine/core";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ReactElement } from "react";
import { useTranslation } from "react-i18next";
import { useMatch, useNavigate } from "react-router";
import { CreateUnitRequestSchema, UnitOrder, UpdateUnitRequestSchema, type Unit } from "../../gen/zeugo/v1/organization_pb.js";
import { useCreateUnit, useDeleteUnit, useUnit, useUnitList, useUpdateUnit } from "../../api/organization.js";
import { lastChangedColumn, linkColumn, textColumn } from "../../components/columns.js";
import type { DataColumn } from "../../components/DataTable.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { IconHierarchy, IconId, IconMapPin, IconUsersGroup } from "../../components/icons.js";
import { ListPage } from "../../components/ListPage.js";
import { canEditStructure } from "../../lib/access.js";
import { isCode } from "../../lib/errors.js";
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
  const isNewRoute = useMatch(`${base}/new`) !== null;
  const idMatch = useMatch(`${base}/:id`);
  const id = isNewRoute ? undefined : idMatch?.params.id;
  const text = (key: string) => t(`unit.kinds.${info.textKey}.${key}`);

  const columns: DataColumn<Unit, UnitOrder>[] = [
    linkColumn({ header: t("common.name"), text: (u) => u.fields?.name ?? "", to: (u) => `${base}/${u.id}`, sortKey: UnitOrder.NAME, width: "34%" }),
    textColumn("description", t("common.description"), (u) => u.fields?.description ?? ""),
    lastChangedColumn(t, i18n.language, UnitOrder.UPDATE_TIME),
  ];

  return (
    <ListPage
      title={text("title")}
      intro={text("intro")}
      data={list}
      columns={columns}
      rowKey={(u) => u.id}
      rowPath={(u) => `${base}/${u.id}`}
      searchLabel={t("unit.search")}
      create={canEdit ? { label: text("create"), to: `${base}/new` } : undefined}
      empty={{ icon: emptyIcons[slug], description: canEdit ? text("empty") : t("common.emptyReadOnly") }}
      remove={
        canEdit
          ? {
              name: (u) => u.fields?.name ?? "",
              run: (u) => remove.mutateAsync({ id: u.id }),
              done: (name) => t("unit.deleted", { name }),
            }
          : undefined
      }
    >
      {(id !== undefined || (isNewRoute && canEdit)) && (
        <UnitDialog key={id ?? "new"} info={info} id={id} canEdit={canEdit} onClose={() => void navigate(base)} />
      )}
    </ListPage>
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
