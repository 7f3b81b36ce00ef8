import { Alert, Badge, Button, Center, Group, Loader, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Code, ConnectError } from "@connectrpc/connect";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, useMatch, useNavigate } from "react-router";
import { useCreateRole, useDeleteRole, useRole, useRoleList, useUpdateRole } from "../../api/roles.js";
import { linkColumn, textColumn } from "../../components/columns.js";
import { DataTable, isEmptyList, type DataColumn } from "../../components/DataTable.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { IconLock, IconPlus } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { useDeleteConfirmation } from "../../components/useDeleteConfirmation.js";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import type { Principal } from "../../gen/zeugo/v1/auth_pb.js";
import { CreateRoleRequestSchema, RoleOrder, UpdateRoleRequestSchema, type Role } from "../../gen/zeugo/v1/roles_pb.js";
import { hasArea } from "../../lib/access.js";
import { isCode } from "../../lib/errors.js";
import { formatNumber } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { saveCall } from "../../lib/use-entity-form.js";
import { useSaveForm } from "../users/save-form.js";
import { AreaMatrix } from "./AreaMatrix.js";
import { areaKey } from "./areas.js";

/** canEditRoles: create, change and delete roles (area Rollen). */
export function canEditRoles(principal: Principal): boolean {
  return !principal.tenantReadOnly && hasArea(principal, Area.ROLES);
}

const base = "/roles";

/**
 * RolesPage lists the tenant's roles; creating (/roles/new) and editing
 * (/roles/:id) happen in a dialog over the list. The builtin Administrator
 * role is shown read-only.
 */
export function RolesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const canEdit = canEditRoles(usePrincipal());
  const list = useRoleList();
  const remove = useDeleteRole();
  const isNewRoute = useMatch(`${base}/new`) !== null;
  const idMatch = useMatch(`${base}/:id`);
  const id = isNewRoute ? undefined : idMatch?.params.id;

  const columns: DataColumn<Role, RoleOrder>[] = [
    linkColumn({ header: t("common.name"), text: (r) => r.fields?.name ?? "", to: (r) => `${base}/${r.id}`, sortKey: RoleOrder.NAME, width: "28%" }),
    {
      id: "areas",
      header: t("roles.fields.areas"),
      cell: (r) =>
        r.builtin ? (
          <Badge variant="light" leftSection={<IconLock size={12} />}>
            {t("roles.builtin")}
          </Badge>
        ) : (
          <Text size="sm" truncate="end">
            {(r.fields?.areas ?? []).map((a) => t(`roles.areas.${areaKey(a)}.name`)).join(", ") || t("roles.noAreas")}
          </Text>
        ),
    },
    textColumn("users", t("roles.users"), (r) => formatNumber(Number(r.userCount), i18n.language)),
  ];

  // A role can be deleted when it is not builtin and no user holds it (the
  // server refuses otherwise); the others have no delete button.
  const deletion = useDeleteConfirmation<Role>({
    name: (r) => r.fields?.name ?? "",
    remove: (r) => remove.mutateAsync({ id: r.id }),
    onDeleted: (name) => notifySuccess(t, t("roles.deleted", { name })),
  });
  const createButton = canEdit && (
    <Button component={Link} to={`${base}/new`} leftSection={<IconPlus size={16} />}>
      {t("roles.create")}
    </Button>
  );

  return (
    <>
      <PageHeader title={t("roles.title")} intro={t("roles.intro")} actions={!isEmptyList(list) && createButton} />
      <DataTable
        label={t("roles.title")}
        columns={columns}
        data={list}
        rowKey={(r) => r.id}
        onOpenRow={(r) => void navigate(`${base}/${r.id}`)}
        rowActions={canEdit ? (r) => (r.builtin || r.userCount > 0n ? null : deletion.button(r)) : undefined}
        search={{ label: t("roles.search") }}
        empty={{ icon: <IconLock size={28} />, title: t("roles.title"), description: t("roles.empty"), action: createButton }}
        pageSizes={pageSizes}
      />
      {canEdit && deletion.modal}
      {(id !== undefined || (isNewRoute && canEdit)) && (
        <RoleDialog key={id ?? "new"} id={id} canEdit={canEdit} onClose={() => void navigate(base)} />
      )}
    </>
  );
}

const pageSizes = [25, 50, 100];

type RoleValues = { name: string; areas: Area[] };
const roleFieldOrder = ["name", "areas"] as const;

function RoleDialog({ id, canEdit: mayEdit, onClose }: { id: string | undefined; canEdit: boolean; onClose: () => void }) {
  const isNew = id === undefined;
  const { t } = useTranslation();
  const query = useRole(id);
  const create = useCreateRole();
  const update = useUpdateRole();
  const role = query.data?.role;
  const canEdit = mayEdit && !role?.builtin;
  const form = useForm<RoleValues>({ mode: "controlled", initialValues: { name: "", areas: [] } });
  const save = useSaveForm(form, roleFieldOrder);
  const loadedKey = role && `${role.id}/${role.version}`;
  useEffect(() => {
    if (role) {
      const values = { name: role.fields?.name ?? "", areas: [...(role.fields?.areas ?? [])] };
      form.setValues(values);
      form.resetDirty(values);
    }
  }, [loadedKey]);

  const submit = form.onSubmit(async (values) => {
    const fields = { name: values.name.trim(), areas: values.areas };
    const call = isNew
      ? saveCall(CreateRoleRequestSchema, { fields }, (req) => create.mutateAsync(req))
      : saveCall(UpdateRoleRequestSchema, { id, version: role?.version ?? 0n, fields }, (req) => update.mutateAsync(req));
    if (await save.run(call)) {
      notifySuccess(t, t(isNew ? "roles.created" : "roles.updated", { name: fields.name }));
      onClose();
    }
  });
  const title = isNew ? t("roles.createTitle") : canEdit ? t("roles.editTitle") : (role?.fields?.name ?? t("roles.one"));

  return (
    <Modal opened onClose={onClose} title={title} size="xl" centered closeButtonProps={{ "aria-label": t("common.close") }}>
      {!isNew && query.isPending ? (
        <Center py="lg">
          <Loader aria-label={t("app.loading")} />
        </Center>
      ) : !isNew && query.isError ? (
        <ErrorAlert error={isCode(query.error, Code.InvalidArgument) ? new ConnectError("", Code.NotFound) : query.error} />
      ) : (
        <form onSubmit={submit} noValidate aria-label={title}>
          <Stack gap="md">
            <FormAlerts
              conflict={save.conflict}
              formError={save.formError}
              onReload={() => {
                save.clearAlerts();
                void query.refetch();
              }}
            />
            {role?.builtin && (
              <Alert variant="light" icon={<IconLock />}>
                {t("roles.builtinHint")}
              </Alert>
            )}
            <TextInput
              id="role-name"
              label={t("common.name")}
              required={canEdit}
              maxLength={100}
              readOnly={!canEdit}
              data-autofocus
              {...form.getInputProps("name")}
            />
            <AreaMatrix
              value={form.values.areas}
              onChange={(areas) => form.setFieldValue("areas", areas)}
              readOnly={!canEdit}
              error={typeof form.errors.areas === "string" ? form.errors.areas : undefined}
            />
            <Group justify="flex-end" gap="sm" mt="sm">
              <Button variant="default" onClick={onClose}>
                {canEdit ? t("common.cancel") : t("common.close")}
              </Button>
              {canEdit && (
                <Button type="submit" loading={save.saving}>
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
