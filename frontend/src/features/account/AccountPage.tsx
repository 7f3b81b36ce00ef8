// "Mein Konto": the signed-in user's own profile and sessions (SPEC §3.1).
// Every call acts on the caller only; no area is needed.
import { Badge, Button, Center, Grid, Group, Loader, Modal, Select, Stack, Table, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { UpdateMyProfileRequestSchema, type MySession } from "../../gen/zeugo/v1/account_pb.js";
import {
  useLogoutEverywhere,
  useMyProfile,
  useMySessions,
  useRevokeMySession,
  useUpdateMyProfile,
} from "../../api/account.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { useSession } from "../../lib/session-context.js";
import { saveCall, useEntityForm } from "../../lib/use-entity-form.js";
import { PageHeader } from "../../components/PageHeader.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { ChangePasswordCard } from "./ChangePasswordCard.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";
import { IconLogout } from "../../components/icons.js";
import { SecondFactorCard } from "../mfa/SecondFactorCard.js";
import { Card } from "./AccountCard.js";

/** AccountPage is "Mein Konto": profile, password, second factors and sessions. */
export function AccountPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t("account.title")} intro={t("account.intro")} />
      <Stack gap="xl" maw={960}>
        <ProfileCard />
        <ChangePasswordCard />
        <SecondFactorCard />
        <SessionsCard />
      </Stack>
    </>
  );
}

type ProfileValues = { firstName: string; lastName: string; phone: string; language: string };

const profileOrder = ["firstName", "lastName", "phone", "language"] as const satisfies readonly (keyof ProfileValues)[];

const emptyProfile: ProfileValues = { firstName: "", lastName: "", phone: "", language: "de" };

function ProfileCard() {
  const { t } = useTranslation();
  const session = useSession();
  const query = useMyProfile();
  const update = useUpdateMyProfile();
  const profile = query.data?.profile;
  const entity = useEntityForm<ProfileValues>({
    initialValues: emptyProfile,
    fieldOrder: profileOrder,
    loaded: profile && {
      key: String(profile.version),
      values: {
        firstName: profile.fields?.firstName ?? "",
        lastName: profile.fields?.lastName ?? "",
        phone: profile.fields?.phone ?? "",
        language: profile.fields?.language || "de",
      },
    },
    save: (fields) =>
      saveCall(UpdateMyProfileRequestSchema, { version: profile?.version ?? 0n, fields }, (req) => update.mutateAsync(req)),
    onSaved: () => {
      notifySuccess(t, t("account.profileSaved"));
      // The header shows the name from the session: renew it.
      void session.refresh();
    },
    reload: () => void query.refetch(),
  });
  const { form } = entity;
  // The form stays on the page after a save; it is dirty again with the next edit.
  const isDirty = useCallback(() => form.isDirty(), [form]);

  return (
    <Card title={t("account.profileTitle")} hint={t("account.profileHint")}>
      {query.isPending ? (
        <Center py="lg">
          <Loader aria-label={t("app.loading")} />
        </Center>
      ) : query.isError ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <form onSubmit={entity.submit} noValidate aria-label={t("account.profileTitle")}>
          <Stack gap="md">
            <FormAlerts {...entity.alerts} />
            <TextInput label={t("account.email")} value={profile?.email ?? ""} readOnly variant="filled" />
            <Grid gap="md">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  label={t("account.firstName")}
                  required
                  maxLength={100}
                  autoComplete="given-name"
                  {...form.getInputProps("firstName")}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  label={t("account.lastName")}
                  required
                  maxLength={100}
                  autoComplete="family-name"
                  {...form.getInputProps("lastName")}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label={t("account.phone")} type="tel" maxLength={40} autoComplete="tel" {...form.getInputProps("phone")} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  label={t("account.language")}
                  data={[
                    { value: "de", label: t("account.languageDe") },
                    { value: "en", label: t("account.languageEn") },
                  ]}
                  allowDeselect={false}
                  {...form.getInputProps("language")}
                />
              </Grid.Col>
            </Grid>
            <Group>
              <Button type="submit" loading={entity.saving}>
                {t("common.save")}
              </Button>
            </Group>
          </Stack>
          <UnsavedChangesGuard dirty={isDirty} />
        </form>
      )}
    </Card>
  );
}

/** deviceLabel names a session's device as its owner recognises it. */
export function deviceLabel(s: MySession, t: (key: string, params?: Record<string, string>) => string): string {
  if (s.browser !== "" && s.operatingSystem !== "") return t("account.deviceLabel", { browser: s.browser, os: s.operatingSystem });
  if (s.browser !== "") return s.browser;
  if (s.operatingSystem !== "") return s.operatingSystem;
  return t("account.unknownDevice");
}

function SessionsCard() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const query = useMySessions();
  const revoke = useRevokeMySession();
  const logoutEverywhere = useLogoutEverywhere();
  const [confirming, setConfirming] = useState(false);
  const [revokeError, setRevokeError] = useState<unknown>();
  // This session first, then the others by last activity (the server's order).
  const sessions = [...(query.data?.sessions ?? [])].sort((a, b) => Number(b.current) - Number(a.current));

  const onRevoke = async (s: MySession) => {
    setRevokeError(undefined);
    try {
      await revoke.mutateAsync({ id: s.id });
      notifySuccess(t, t("account.revoked"));
    } catch (err) {
      // E.g. NotFound: the session ended meanwhile; show the list as it is now.
      setRevokeError(err);
      void query.refetch();
    }
  };

  const onLogoutEverywhere = async () => {
    await logoutEverywhere.mutateAsync({});
    setConfirming(false);
    // This session has ended on the server too: end it here and in the other tabs.
    await session.logout();
  };

  return (
    <Card
      title={t("account.sessionsTitle")}
      hint={t("account.sessionsHint")}
      actions={
        <Button color="red" variant="light" leftSection={<IconLogout size={16} />} onClick={() => setConfirming(true)}>
          {t("account.logoutEverywhere")}
        </Button>
      }
    >
      {query.isPending ? (
        <Center py="lg">
          <Loader aria-label={t("app.loading")} />
        </Center>
      ) : query.isError ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Stack gap="sm">
          {revokeError !== undefined && <ErrorAlert error={revokeError} />}
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" aria-label={t("account.sessionsTable")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("account.device")}</Table.Th>
                  <Table.Th>
                    <span title={t("account.networkHint")}>{t("account.network")}</span>
                  </Table.Th>
                  <Table.Th>{t("account.started")}</Table.Th>
                  <Table.Th>{t("account.lastActive")}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t("common.actions")}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sessions.map((s) => {
                  const device = deviceLabel(s, t);
                  const started = formatDateTime(s.createTime, i18n.language);
                  return (
                    <Table.Tr key={s.id} data-testid="session-row">
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Text size="sm" fw={500}>
                            {device}
                          </Text>
                          {s.mobile && (
                            <Badge variant="outline" color="gray" size="sm">
                              {t("account.mobile")}
                            </Badge>
                          )}
                          {s.current && (
                            <Badge color="zeugo" variant="light" size="sm">
                              {t("account.thisSession")}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {s.clientNetwork || t("account.unknownNetwork")}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{started}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(s.lastActiveTime, i18n.language)}</Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        {!s.current && (
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={t("account.revokeLabel", { device, started })}
                            loading={revoke.isPending && revoke.variables?.id === s.id}
                            onClick={() => void onRevoke(s)}
                          >
                            {t("account.revoke")}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {sessions.every((s) => s.current) && (
            <Text size="sm" c="dimmed">
              {t("account.noOtherSessions")}
            </Text>
          )}
        </Stack>
      )}
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t("account.logoutEverywhereTitle")}
        centered
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        <Stack gap="md">
          <Text size="sm">{t("account.logoutEverywhereText")}</Text>
          {logoutEverywhere.isError && <ErrorAlert error={logoutEverywhere.error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
              {t("common.cancel")}
            </Button>
            <Button color="red" loading={logoutEverywhere.isPending} onClick={() => void onLogoutEverywhere().catch(() => undefined)}>
              {t("account.logoutEverywhereConfirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
