import { Alert, Button, Center, Divider, Group, Loader, Modal, Select, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Code, ConnectError } from "@connectrpc/connect";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useRoleChoices } from "../../api/roles.js";
import {
  useAccessOptions,
  useCancelInvitation,
  useDeactivateUser,
  useInviteUser,
  useReactivateUser,
  useResendInvitation,
  useUnlockUser,
  useEndUserSessions,
  useUpdateUser,
  useUser,
} from "../../api/users.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { InviteUserRequestSchema, UpdateUserRequestSchema, UserState, type User } from "../../gen/zeugo/v1/users_pb.js";
import { isCode } from "../../lib/errors.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { saveCall } from "../../lib/use-entity-form.js";
import { AccessPicker, dimensions, noAccess, type AccessField, type AccessValue } from "./AccessPicker.js";
import { actionErrorMessage, useSaveForm } from "./save-form.js";
import { StateBadge } from "./StateBadge.js";
import { ResetSecondFactors } from "../mfa/ResetSecondFactors.js";

type UserValues = {
  email: string;
  firstName: string;
  lastName: string;
  mobilePhone: string;
  language: string;
  roleId: string;
  certificateAccess: AccessValue;
};

const fieldOrder = [
  "email",
  "firstName",
  "lastName",
  "mobilePhone",
  "language",
  "roleId",
  ...dimensions.map((d) => `certificateAccess.${d.field}`),
] as const;

const empty: UserValues = {
  email: "",
  firstName: "",
  lastName: "",
  mobilePhone: "",
  language: "de",
  roleId: "",
  // Least privilege: the inviter chooses the certificates (or "all") deliberately.
  certificateAccess: noAccess,
};

function valuesOf(u: User): UserValues {
  const a = u.fields?.certificateAccess;
  return {
    email: u.email,
    firstName: u.fields?.firstName ?? "",
    lastName: u.fields?.lastName ?? "",
    mobilePhone: u.fields?.mobilePhone ?? "",
    language: u.fields?.language || "de",
    roleId: u.fields?.roleId ?? "",
    certificateAccess: {
      all: a?.all ?? false,
      companyIds: [...(a?.companyIds ?? [])],
      locationIds: [...(a?.locationIds ?? [])],
      departmentIds: [...(a?.departmentIds ?? [])],
      orgUnitIds: [...(a?.orgUnitIds ?? [])],
      employeeTypeIds: [...(a?.employeeTypeIds ?? [])],
    },
  };
}

/**
 * UserDialog invites a user (id undefined) or shows and edits one: names,
 * mobile phone, language, role and certificate access, and the actions its
 * state allows (resend or cancel the invitation, deactivate, reactivate,
 * unlock), each after a confirmation.
 */
export function UserDialog({
  id,
  canEdit,
  self,
  onClose,
}: {
  id: string | undefined;
  canEdit: boolean;
  self: string;
  onClose: () => void;
}) {
  const isNew = id === undefined;
  const { t, i18n } = useTranslation();
  const query = useUser(id);
  const roles = useRoleChoices();
  const options = useAccessOptions();
  const invite = useInviteUser();
  const update = useUpdateUser();
  const user = query.data?.user;
  const form = useForm<UserValues>({ mode: "controlled", initialValues: empty });
  const save = useSaveForm(form, fieldOrder);
  const loadedKey = user && `${user.id}/${user.version}`;
  useEffect(() => {
    if (user) {
      const values = valuesOf(user);
      form.setValues(values);
      form.resetDirty(values);
    }
  }, [loadedKey]);

  const roleList = roles.data?.roles ?? [];
  // A new invitation starts with the first role that is not Administrator.
  useEffect(() => {
    const first = roleList.find((r) => !r.builtin) ?? roleList[0];
    if (isNew && form.values.roleId === "" && first) form.setFieldValue("roleId", first.id);
  }, [isNew, roleList.length]);
  const selectedRole = roleList.find((r) => r.id === form.values.roleId);
  const roleGrantsAll = selectedRole?.fields?.areas.includes(Area.ADMINISTRATOR) ?? false;

  const submit = form.onSubmit(async (v) => {
    const fields = {
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
      mobilePhone: v.mobilePhone.replace(/[\s/-]/g, ""),
      language: v.language,
      roleId: v.roleId,
      certificateAccess: v.certificateAccess.all ? { all: true } : v.certificateAccess,
    };
    const call = isNew
      ? saveCall(InviteUserRequestSchema, { email: v.email.trim(), fields }, (req) => invite.mutateAsync(req))
      : saveCall(UpdateUserRequestSchema, { id, version: user?.version ?? 0n, fields }, (req) => update.mutateAsync(req));
    if (await save.run(call)) {
      const name = `${fields.firstName} ${fields.lastName}`;
      notifySuccess(t, t(isNew ? "users.invited" : "users.updated", { name }));
      onClose();
    }
  });

  const title = isNew ? t("users.inviteTitle") : canEdit ? t("users.editTitle") : t("users.one");
  const accessErrors: Partial<Record<AccessField, string>> = {};
  for (const d of dimensions) {
    const e = form.errors[`certificateAccess.${d.field}`];
    if (typeof e === "string") accessErrors[d.field] = e;
  }

  return (
    <Modal opened onClose={onClose} title={title} size="xl" centered closeButtonProps={{ "aria-label": t("common.close") }}>
      {!isNew && query.isPending ? (
        <Center py="lg">
          <Loader aria-label={t("app.loading")} />
        </Center>
      ) : !isNew && (query.isError || !user) ? (
        <ErrorAlert error={query.error && !isCode(query.error, Code.InvalidArgument) ? query.error : new ConnectError("", Code.NotFound)} />
      ) : (
        <Stack gap="md">
          {user && <UserStatus user={user} language={i18n.language} />}
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
              <TextInput
                id="user-email"
                type="email"
                label={t("users.fields.email")}
                description={isNew ? t("users.fields.emailHint") : undefined}
                required={isNew}
                readOnly={!isNew}
                maxLength={254}
                data-autofocus={isNew || undefined}
                {...form.getInputProps("email")}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  id="user-firstName"
                  label={t("users.fields.firstName")}
                  required={canEdit}
                  readOnly={!canEdit}
                  maxLength={100}
                  data-autofocus={!isNew || undefined}
                  {...form.getInputProps("firstName")}
                />
                <TextInput
                  id="user-lastName"
                  label={t("users.fields.lastName")}
                  required={canEdit}
                  readOnly={!canEdit}
                  maxLength={100}
                  {...form.getInputProps("lastName")}
                />
                <TextInput
                  id="user-mobilePhone"
                  type="tel"
                  label={t("users.fields.mobilePhone")}
                  description={t("users.fields.mobilePhoneHint")}
                  placeholder="+4915112345678"
                  readOnly={!canEdit}
                  maxLength={20}
                  {...form.getInputProps("mobilePhone")}
                />
                <Select
                  id="user-language"
                  label={t("users.fields.language")}
                  data={[
                    { value: "de", label: t("users.languages.de") },
                    { value: "en", label: t("users.languages.en") },
                  ]}
                  allowDeselect={false}
                  readOnly={!canEdit}
                  {...form.getInputProps("language")}
                />
              </SimpleGrid>
              <Select
                id="user-roleId"
                label={t("users.fields.role")}
                required={canEdit}
                readOnly={!canEdit}
                allowDeselect={false}
                data={roleList.map((r) => ({ value: r.id, label: r.fields?.name ?? "" }))}
                nothingFoundMessage={t("users.noRoles")}
                {...form.getInputProps("roleId")}
              />
              <Divider />
              <AccessPicker
                value={form.values.certificateAccess}
                onChange={(v) => form.setFieldValue("certificateAccess", v)}
                options={options.data}
                roleGrantsAll={roleGrantsAll}
                readOnly={!canEdit}
                errors={accessErrors}
              />
              <Group justify="flex-end" gap="sm" mt="sm">
                <Button variant="default" onClick={onClose}>
                  {canEdit ? t("common.cancel") : t("common.close")}
                </Button>
                {canEdit && (
                  <Button type="submit" loading={save.saving}>
                    {isNew ? t("users.sendInvitation") : t("common.save")}
                  </Button>
                )}
              </Group>
            </Stack>
          </form>
          {user && canEdit && <UserActions user={user} self={self} onGone={onClose} />}
          {user && canEdit && user.id !== self && (user.state === UserState.ACTIVE || user.state === UserState.LOCKED) && <ResetSecondFactors user={user} />}
        </Stack>
      )}
    </Modal>
  );
}

function UserStatus({ user, language }: { user: User; language: string }) {
  const { t } = useTranslation();
  const detail =
    user.state === UserState.INVITED && user.invitationExpireTime
      ? t("users.invitationUntil", { time: formatDateTime(user.invitationExpireTime, language) })
      : user.state === UserState.LOCKED && user.lockTime
        ? t("users.lockedSince", { time: formatDateTime(user.lockTime, language) })
        : user.state === UserState.DEACTIVATED && user.deactivateTime
          ? t("users.deactivatedSince", { time: formatDateTime(user.deactivateTime, language) })
          : user.lastLoginTime
            ? t("users.lastLoginAt", { time: formatDateTime(user.lastLoginTime, language) })
            : "";
  return (
    <Group gap="sm">
      <StateBadge state={user.state} />
      {detail && (
        <Text size="sm" c="dimmed">
          {detail}
        </Text>
      )}
    </Group>
  );
}

type ActionKey = "resend" | "cancel" | "endSessions" | "deactivate" | "reactivate" | "unlock";

/** UserActions are the state changes the user's state allows, each confirmed first. */
function UserActions({ user, self, onGone }: { user: User; self: string; onGone: () => void }) {
  const { t } = useTranslation();
  const resend = useResendInvitation();
  const cancel = useCancelInvitation();
  const deactivate = useDeactivateUser();
  const reactivate = useReactivateUser();
  const unlock = useUnlockUser();
  const endSessions = useEndUserSessions();
  const [pending, setPending] = useState<ActionKey | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const name = `${user.fields?.firstName ?? ""} ${user.fields?.lastName ?? ""}`.trim();
  const runs: Record<ActionKey, () => Promise<unknown>> = {
    resend: () => resend.mutateAsync({ id: user.id }),
    cancel: () => cancel.mutateAsync({ id: user.id }),
    deactivate: () => deactivate.mutateAsync({ id: user.id }),
    reactivate: () => reactivate.mutateAsync({ id: user.id }),
    unlock: () => unlock.mutateAsync({ id: user.id }),
    endSessions: () => endSessions.mutateAsync({ id: user.id }),
  };
  const available: ActionKey[] = [];
  if (user.state === UserState.INVITED) available.push("resend", "cancel");
  if (user.state === UserState.LOCKED) available.push("unlock");
  if (user.state === UserState.ACTIVE && user.id !== self) available.push("endSessions");
  if ((user.state === UserState.ACTIVE || user.state === UserState.LOCKED) && user.id !== self) available.push("deactivate");
  if (user.state === UserState.DEACTIVATED) available.push("reactivate");
  if (available.length === 0) return null;
  const danger = (a: ActionKey) => a === "cancel" || a === "deactivate";

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setError(undefined);
    try {
      await runs[pending]();
      notifySuccess(t, t(`users.actions.${pending}.done`, { name }));
      const gone = pending === "cancel";
      setPending(undefined);
      if (gone) onGone();
    } catch (err) {
      setError(actionErrorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Divider />
      <Group gap="sm">
        {available.map((a) => (
          <Button key={a} variant={danger(a) ? "light" : "default"} color={danger(a) ? "red" : undefined} onClick={() => setPending(a)}>
            {t(`users.actions.${a}.button`)}
          </Button>
        ))}
      </Group>
      <Modal
        opened={pending !== undefined}
        onClose={() => !busy && (setPending(undefined), setError(undefined))}
        title={pending ? t(`users.actions.${pending}.title`, { name }) : ""}
        centered
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{pending ? t(`users.actions.${pending}.text`, { name }) : ""}</Text>
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => (setPending(undefined), setError(undefined))} data-autofocus disabled={busy}>
              {t("common.cancel")}
            </Button>
            <Button color={pending && danger(pending) ? "red" : undefined} onClick={() => void confirm()} loading={busy}>
              {pending ? t(`users.actions.${pending}.button`) : ""}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
