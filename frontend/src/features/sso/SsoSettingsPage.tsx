// The tenant's single sign-on (area Datenschutz): the identity provider
// (issuer, client id, client secret — write-only: the server says only
// whether one is stored), the mode, the email domains the login page routes
// to it, and just-in-time provisioning with a default role. "Verbindung
// testen" runs the provider's discovery on the server.
import { Alert, Button, Center, Code, Divider, Grid, Group, Loader, Paper, Select, Stack, Switch, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useCallback, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { SsoMode, UpdateSsoSettingsRequestSchema, type SsoSettings } from "../../gen/zeugo/v1/sso_pb.js";
import { useSsoSettings, useTestSsoConnection, useUpdateSsoSettings } from "../../api/sso.js";
import { useRoleChoices } from "../../api/roles.js";
import { hasArea } from "../../lib/access.js";
import { errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { saveCall, useEntityForm, type SaveCall } from "../../lib/use-entity-form.js";
import { PageHeader } from "../../components/PageHeader.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";

type Values = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  clearClientSecret: string;
  mode: string;
  /** One domain per line (or separated by commas). */
  emailDomains: string;
  jitEnabled: string;
  jitRoleId: string;
};

const fieldOrder = [
  "issuer",
  "clientId",
  "clientSecret",
  "clearClientSecret",
  "mode",
  "emailDomains",
  "jitEnabled",
  "jitRoleId",
] as const satisfies readonly (keyof Values)[];

const modes: [SsoMode, string][] = [
  [SsoMode.OFF, "off"],
  [SsoMode.OPTIONAL, "optional"],
  [SsoMode.SSO_ONLY, "ssoOnly"],
];

const emptyValues: Values = {
  issuer: "",
  clientId: "",
  clientSecret: "",
  clearClientSecret: "false",
  mode: "off",
  emailDomains: "",
  jitEnabled: "false",
  jitRoleId: "",
};

export function valuesOf(s: SsoSettings | undefined): Values {
  if (!s || s.version === 0n) return emptyValues;
  return {
    issuer: s.issuer,
    clientId: s.clientId,
    clientSecret: "",
    clearClientSecret: "false",
    mode: modes.find(([m]) => m === s.mode)?.[1] ?? "off",
    emailDomains: s.emailDomains.join("\n"),
    jitEnabled: String(s.jitEnabled),
    jitRoleId: s.jitRoleId,
  };
}

/** domainsOf splits the text field into domains (lines, commas or blanks). */
export function domainsOf(v: string): string[] {
  return v
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);
}

export function SsoSettingsPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const canEdit = !principal.tenantReadOnly && hasArea(principal, Area.PRIVACY);
  const query = useSsoSettings();
  const update = useUpdateSsoSettings();
  const roles = useRoleChoices();
  const test = useTestSsoConnection();
  const [testResult, setTestResult] = useState<{ ok: boolean; text: string } | undefined>();
  const settings = query.data?.settings;
  const entity = useEntityForm<Values>({
    initialValues: emptyValues,
    fieldOrder,
    loaded: settings && { key: String(settings.version), values: valuesOf(settings) },
    save: (values): SaveCall => {
      const jit = values.jitEnabled === "true";
      const fields = {
        issuer: values.issuer,
        clientId: values.clientId,
        clientSecret: values.clientSecret,
        clearClientSecret: values.clearClientSecret === "true" && values.clientSecret === "",
        mode: modes.find(([, n]) => n === values.mode)?.[0] ?? SsoMode.OFF,
        emailDomains: domainsOf(values.emailDomains),
        jitEnabled: jit,
        jitRoleId: jit ? values.jitRoleId : "",
      };
      return saveCall(UpdateSsoSettingsRequestSchema, { version: settings?.version ?? 0n, fields }, (req) => update.mutateAsync(req));
    },
    onSaved: () => notifySuccess(t, t("sso.settings.saved")),
    reload: () => void query.refetch(),
  });
  const { form } = entity;
  const isDirty = useCallback(() => canEdit && form.isDirty(), [canEdit, form]);
  const title = t("sso.settings.title");

  const runTest = async () => {
    setTestResult(undefined);
    try {
      const res = await test.mutateAsync({ issuer: form.values.issuer.trim() });
      setTestResult(
        res.ok
          ? { ok: true, text: t("sso.settings.testOk", { endpoint: res.authorizationEndpoint }) }
          : { ok: false, text: t(`sso.settings.testError.${res.error}`, { defaultValue: t("sso.settings.testError.unreachable") }) },
      );
    } catch (err) {
      setTestResult({ ok: false, text: errorMessage(err, t) });
    }
  };

  if (query.isPending) {
    return (
      <>
        <PageHeader title={title} intro={t("sso.settings.intro")} />
        <Center py="xl">
          <Loader aria-label={t("app.loading")} />
        </Center>
      </>
    );
  }
  if (query.isError) {
    return (
      <>
        <PageHeader title={title} intro={t("sso.settings.intro")} />
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }

  const roleList = roles.data?.roles ?? [];
  const jit = form.values.jitEnabled === "true";
  return (
    <>
      <PageHeader title={title} intro={t("sso.settings.intro")} />
      {!canEdit && (
        <Text c="dimmed" size="sm" mb="md">
          {t("common.readOnlyHint")}
        </Text>
      )}
      <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }} maw={960}>
        <form onSubmit={entity.submit} noValidate aria-label={title}>
          <Stack gap="xl">
            <FormAlerts {...entity.alerts} />
            <Section title={t("sso.settings.sectionProvider")}>
              <Grid.Col span={12}>
                <TextInput
                  label={t("sso.settings.issuer")}
                  description={t("sso.settings.issuerHint")}
                  placeholder="https://login.microsoftonline.com/<Tenant-ID>/v2.0"
                  required
                  readOnly={!canEdit}
                  {...form.getInputProps("issuer")}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label={t("sso.settings.clientId")} required readOnly={!canEdit} autoComplete="off" {...form.getInputProps("clientId")} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  label={t("sso.settings.clientSecret")}
                  description={settings?.clientSecretSet ? t("sso.settings.clientSecretSet") : t("sso.settings.clientSecretNotSet")}
                  type="password"
                  autoComplete="new-password"
                  readOnly={!canEdit}
                  {...form.getInputProps("clientSecret")}
                />
                {settings?.clientSecretSet && canEdit && (
                  <Switch
                    mt="xs"
                    label={t("sso.settings.clearClientSecret")}
                    checked={form.values.clearClientSecret === "true"}
                    onChange={(e) => form.setFieldValue("clearClientSecret", String(e.currentTarget.checked))}
                  />
                )}
              </Grid.Col>
              <Grid.Col span={12}>
                <Text size="sm" fw={500}>
                  {t("sso.settings.redirectUri")}
                </Text>
                <Code data-testid="sso-redirect-uri">{settings?.redirectUri}</Code>
                <Text size="xs" c="dimmed">
                  {t("sso.settings.redirectUriHint")}
                </Text>
              </Grid.Col>
              {canEdit && (
                <Grid.Col span={12}>
                  <Group>
                    <Button variant="default" onClick={() => void runTest()} loading={test.isPending}>
                      {t("sso.settings.test")}
                    </Button>
                  </Group>
                  {testResult && (
                    <Alert mt="sm" color={testResult.ok ? "green" : "red"} variant="light" role="status" data-testid="sso-test-result">
                      {testResult.text}
                    </Alert>
                  )}
                </Grid.Col>
              )}
            </Section>
            <Section title={t("sso.settings.sectionUse")}>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  label={t("sso.settings.mode")}
                  data={modes.map(([, n]) => ({ value: n, label: t(`sso.settings.modes.${n}`) }))}
                  allowDeselect={false}
                  readOnly={!canEdit}
                  {...form.getInputProps("mode")}
                />
                <Text size="xs" c="dimmed" mt={4}>
                  {t(`sso.settings.modeHints.${form.values.mode}`)}
                </Text>
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  label={t("sso.settings.emailDomains")}
                  description={t("sso.settings.emailDomainsHint")}
                  autosize
                  minRows={2}
                  readOnly={!canEdit}
                  {...form.getInputProps("emailDomains")}
                />
              </Grid.Col>
            </Section>
            <Section title={t("sso.settings.sectionJit")}>
              <Grid.Col span={12}>
                <Switch
                  label={t("sso.settings.jitEnabled")}
                  description={t("sso.settings.jitEnabledHint")}
                  checked={jit}
                  disabled={!canEdit}
                  onChange={(e) => form.setFieldValue("jitEnabled", String(e.currentTarget.checked))}
                  error={form.errors.jitEnabled}
                />
              </Grid.Col>
              {jit && (
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <Select
                    label={t("sso.settings.jitRole")}
                    required
                    readOnly={!canEdit}
                    allowDeselect={false}
                    data={roleList.map((r) => ({ value: r.id, label: r.fields?.name ?? "" }))}
                    {...form.getInputProps("jitRoleId")}
                  />
                </Grid.Col>
              )}
            </Section>
            {canEdit && (
              <>
                <Divider />
                <Group>
                  <Button type="submit" loading={entity.saving}>
                    {t("common.save")}
                  </Button>
                </Group>
              </>
            )}
          </Stack>
        </form>
      </Paper>
      <UnsavedChangesGuard dirty={isDirty} />
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <Title order={2} fz="h5" mb="sm" c="zeugo.9">
        {title}
      </Title>
      <Grid gap="md">{children}</Grid>
    </section>
  );
}
