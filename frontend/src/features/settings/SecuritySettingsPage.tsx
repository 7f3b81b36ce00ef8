// The tenant's security settings (area Datenschutz): password policy,
// whether every user needs a second factor, invitation link lifetime,
// session timeouts, the change tracking of certificates and the one-time
// codes of handovers. The bounds come from the server — the timeouts'
// maxima are the operator's — and are shown and checked before saving; the
// server checks them again. A change to the second factor (required, the
// kinds allowed, passkey sign-in) needs a fresh step-up, as a change of
// one's own factors does: the step-up dialog comes first, and again when
// the server still asks for it, then the save is repeated.
import { Button, Center, Checkbox, Divider, Grid, Group, Loader, Paper, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { useCallback, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { HandoverCodeChannel } from "../../gen/zeugo/v1/handover_pb.js";
import { SecondFactorMethod } from "../../gen/zeugo/v1/auth_pb.js";
import {
  UpdateSecuritySettingsRequestSchema,
  type SecuritySettingsBounds,
  type SecuritySettingsFields,
} from "../../gen/zeugo/v1/settings_pb.js";
import { useSecuritySettings, useUpdateSecuritySettings } from "../../api/settings.js";
import { useMyFactors } from "../../api/mfa.js";
import { StepUpCancelled, useStepUpGuard } from "../mfa/StepUp.js";
import { hasArea } from "../../lib/access.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { saveCall, useEntityForm, type SaveCall } from "../../lib/use-entity-form.js";
import type { FieldViolation } from "../../lib/validation.js";
import { PageHeader } from "../../components/PageHeader.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";

type Values = {
  passwordMinLength: string;
  passwordComposition: string;
  invitationTtlHours: string;
  sessionIdleMinutes: string;
  sessionAbsoluteHours: string;
  certificateChangeTracking: string;
  handoverCodeRequired: string;
  /** The allowed code channels, comma-separated ("email,sms"). */
  handoverCodeChannels: string;
  secondFactorRequired: string;
  /** The kinds of second factor users may add, comma-separated ("totp,webauthn,sms"). */
  secondFactorMethods: string;
  passkeyLogin: string;
};

const fieldOrder = [
  "passwordMinLength",
  "passwordComposition",
  "invitationTtlHours",
  "sessionIdleMinutes",
  "sessionAbsoluteHours",
  "certificateChangeTracking",
  "handoverCodeRequired",
  "handoverCodeChannels",
  "secondFactorRequired",
  "secondFactorMethods",
  "passkeyLogin",
] as const satisfies readonly (keyof Values)[];

const numericFields = ["passwordMinLength", "invitationTtlHours", "sessionIdleMinutes", "sessionAbsoluteHours"] as const;
type NumericField = (typeof numericFields)[number];

const emptyValues: Values = {
  passwordMinLength: "",
  passwordComposition: "true",
  invitationTtlHours: "",
  sessionIdleMinutes: "",
  sessionAbsoluteHours: "",
  certificateChangeTracking: "false",
  handoverCodeRequired: "false",
  handoverCodeChannels: "email,sms",
  secondFactorRequired: "true",
  secondFactorMethods: "totp,webauthn",
  passkeyLogin: "false",
};

const factorMethodNames: [SecondFactorMethod, string][] = [
  [SecondFactorMethod.TOTP, "totp"],
  [SecondFactorMethod.WEBAUTHN, "webauthn"],
  [SecondFactorMethod.SMS, "sms"],
];

function factorMethodsOf(v: string): SecondFactorMethod[] {
  const names = v.split(",");
  return factorMethodNames.filter(([, n]) => names.includes(n)).map(([m]) => m);
}

const channelNames: [HandoverCodeChannel, string][] = [
  [HandoverCodeChannel.EMAIL, "email"],
  [HandoverCodeChannel.SMS, "sms"],
];

function channelsOf(v: string): HandoverCodeChannel[] {
  const names = v.split(",");
  return channelNames.filter(([, n]) => names.includes(n)).map(([c]) => c);
}

function valuesOf(f: SecuritySettingsFields | undefined): Values {
  if (!f) return emptyValues;
  return {
    passwordMinLength: String(f.passwordMinLength),
    passwordComposition: String(f.passwordComposition),
    invitationTtlHours: String(f.invitationTtlHours),
    sessionIdleMinutes: String(f.sessionIdleMinutes),
    sessionAbsoluteHours: String(f.sessionAbsoluteHours),
    certificateChangeTracking: String(f.certificateChangeTracking),
    handoverCodeRequired: String(f.handoverCodeRequired),
    handoverCodeChannels: channelNames
      .filter(([c]) => f.handoverCodeChannels.includes(c))
      .map(([, n]) => n)
      .join(","),
    secondFactorRequired: String(f.secondFactorRequired),
    // Settings saved before the kinds were a setting allowed the app only.
    secondFactorMethods:
      factorMethodNames
        .filter(([m]) => f.secondFactorMethods.includes(m))
        .map(([, n]) => n)
        .join(",") || "totp",
    passkeyLogin: String(f.passkeyLogin),
  };
}

/** boundsOf: the minimum and maximum of a numeric field. */
function boundsOf(b: SecuritySettingsBounds | undefined, field: NumericField): { min: number; max: number } {
  if (!b) return { min: 0, max: 0 };
  return { min: b[`${field}Min`], max: b[`${field}Max`] };
}

/** toInt reads a number field; anything but whole digits is NaN. */
function toInt(v: string): number {
  return /^\d{1,6}$/.test(v.trim()) ? Number(v) : Number.NaN;
}

/**
 * boundViolations checks each number against the server's bounds (the
 * proto's rules know only the product's limits, not the operator's).
 */
export function boundViolations(values: Values, bounds: SecuritySettingsBounds | undefined): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const field of numericFields) {
    const v = toInt(values[field]);
    const { min, max } = boundsOf(bounds, field);
    if (Number.isNaN(v) || v < min) out.push({ field: `fields.${field}`, ruleId: "int32.gte", limit: String(min), message: "" });
    else if (v > max) out.push({ field: `fields.${field}`, ruleId: "int32.lte", limit: String(max), message: "" });
  }
  if (out.length === 0 && toInt(values.sessionIdleMinutes) > toInt(values.sessionAbsoluteHours) * 60) {
    out.push({ field: "fields.sessionIdleMinutes", ruleId: "zeugo.idle_exceeds_absolute", message: "" });
  }
  // As the server: SMS, the weakest kind, only beside an app or passkeys.
  if (values.secondFactorMethods === "sms") {
    out.push({ field: "fields.secondFactorMethods", ruleId: "zeugo.mfa.sms_alone", message: "" });
  }
  return out;
}

/** secondFactorChanged: the values change what the server guards with a step-up. */
export function secondFactorChanged(before: Values, after: Values): boolean {
  const kinds = (v: string) => v.split(",").filter(Boolean).sort().join(",");
  return (
    before.secondFactorRequired !== after.secondFactorRequired ||
    before.passkeyLogin !== after.passkeyLogin ||
    kinds(before.secondFactorMethods) !== kinds(after.secondFactorMethods)
  );
}

/** SecuritySettingsPage edits the tenant's security settings. */
export function SecuritySettingsPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const canEdit = !principal.tenantReadOnly && hasArea(principal, Area.PRIVACY);
  const query = useSecuritySettings();
  const update = useUpdateSecuritySettings();
  const settings = query.data?.settings;
  const bounds = query.data?.bounds;
  // The step-up needs the caller's factors and whether one counts still.
  const factorsQuery = useMyFactors();
  const factors = factorsQuery.data?.factors ?? [];
  const guard = useStepUpGuard({
    validUntil: factorsQuery.data?.stepUpValidUntil,
    hasFactor: factors.length > 0,
    methods: factors.map((f) => f.method),
    email: principal.email,
    reason: "settings",
  });
  const entity = useEntityForm<Values>({
    initialValues: emptyValues,
    fieldOrder,
    loaded: settings && { key: String(settings.version), values: valuesOf(settings.fields) },
    save: (values): SaveCall => {
      const fields = {
        passwordMinLength: toInt(values.passwordMinLength) || 0,
        passwordComposition: values.passwordComposition === "true",
        invitationTtlHours: toInt(values.invitationTtlHours) || 0,
        sessionIdleMinutes: toInt(values.sessionIdleMinutes) || 0,
        sessionAbsoluteHours: toInt(values.sessionAbsoluteHours) || 0,
        certificateChangeTracking: values.certificateChangeTracking === "true",
        handoverCodeRequired: values.handoverCodeRequired === "true",
        handoverCodeChannels: channelsOf(values.handoverCodeChannels),
        secondFactorRequired: values.secondFactorRequired === "true",
        secondFactorMethods: factorMethodsOf(values.secondFactorMethods),
        passkeyLogin: values.passkeyLogin === "true",
      };
      const guarded = settings !== undefined && secondFactorChanged(valuesOf(settings.fields), values);
      const call = saveCall(UpdateSecuritySettingsRequestSchema, { version: settings?.version ?? 0n, fields }, (req) =>
        guarded ? guard.run(() => update.mutateAsync(req)) : update.mutateAsync(req),
      );
      const own = boundViolations(values, bounds);
      return own.length > 0 ? { ...call, violations: own } : call;
    },
    onSaved: () => notifySuccess(t, t("securitySettings.saved")),
    reload: () => void query.refetch(),
    ownError: (err) => (err instanceof StepUpCancelled ? t("mfa.settings.stepUpCancelled") : undefined),
  });
  const { form } = entity;
  // The page stays open after saving; the next edit makes it dirty again.
  const isDirty = useCallback(() => canEdit && form.isDirty(), [canEdit, form]);
  const title = t("securitySettings.title");

  if (query.isPending) {
    return (
      <>
        <PageHeader title={title} intro={t("securitySettings.intro")} />
        <Center py="xl">
          <Loader aria-label={t("app.loading")} />
        </Center>
      </>
    );
  }
  if (query.isError) {
    return (
      <>
        <PageHeader title={title} intro={t("securitySettings.intro")} />
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }

  const numberField = (name: NumericField, unitHintKey: string) => {
    const { min, max } = boundsOf(bounds, name);
    return (
      <TextInput
        label={t(`securitySettings.${name}`)}
        description={t(unitHintKey, { min: String(min), max: String(max) })}
        inputMode="numeric"
        type="number"
        min={min}
        max={max}
        required
        readOnly={!canEdit}
        maw={260}
        {...form.getInputProps(name)}
      />
    );
  };

  return (
    <>
      <PageHeader title={title} intro={t("securitySettings.intro")} />
      {!canEdit && (
        <Text c="dimmed" size="sm" mb="md">
          {t("common.readOnlyHint")}
        </Text>
      )}
      <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }} maw={960}>
        <form onSubmit={entity.submit} noValidate aria-label={title}>
          <Stack gap="xl">
            <FormAlerts {...entity.alerts} />
            <Section title={t("securitySettings.sectionPassword")}>
              <Grid.Col span={12}>{numberField("passwordMinLength", "securitySettings.passwordMinLengthHint")}</Grid.Col>
              <Grid.Col span={12}>
                <Switch
                  label={t("securitySettings.passwordComposition")}
                  description={t("securitySettings.passwordCompositionHint")}
                  checked={form.values.passwordComposition === "true"}
                  disabled={!canEdit}
                  onChange={(e) => form.setFieldValue("passwordComposition", String(e.currentTarget.checked))}
                  error={form.errors.passwordComposition}
                />
              </Grid.Col>
            </Section>
            <Section title={t("mfa.settings.section")}>
              <Grid.Col span={12}>
                <Switch
                  label={t("mfa.settings.required")}
                  description={t("mfa.settings.requiredHint")}
                  checked={form.values.secondFactorRequired === "true"}
                  disabled={!canEdit}
                  onChange={(e) => form.setFieldValue("secondFactorRequired", String(e.currentTarget.checked))}
                  error={form.errors.secondFactorRequired}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Checkbox.Group
                  label={t("passkeys.settings.methods")}
                  description={t("passkeys.settings.methodsHint")}
                  value={form.values.secondFactorMethods.split(",").filter(Boolean)}
                  onChange={(v) =>
                    form.setFieldValue(
                      "secondFactorMethods",
                      factorMethodNames
                        .map(([, n]) => n)
                        .filter((n) => v.includes(n))
                        .join(","),
                    )
                  }
                  error={form.errors.secondFactorMethods}
                >
                  <Group mt="xs">
                    <Checkbox value="totp" label={t("passkeys.settings.methodApp")} disabled={!canEdit} />
                    <Checkbox value="webauthn" label={t("passkeys.settings.methodPasskey")} disabled={!canEdit} />
                    <Checkbox value="sms" label={t("passkeys.settings.methodSms")} disabled={!canEdit} />
                  </Group>
                </Checkbox.Group>
              </Grid.Col>
              <Grid.Col span={12}>
                <Switch
                  label={t("passkeys.settings.passkeyLogin")}
                  description={t("passkeys.settings.passkeyLoginHint")}
                  checked={form.values.passkeyLogin === "true"}
                  disabled={!canEdit}
                  onChange={(e) => form.setFieldValue("passkeyLogin", String(e.currentTarget.checked))}
                  error={form.errors.passkeyLogin}
                />
              </Grid.Col>
            </Section>
            <Section title={t("securitySettings.sectionLinks")}>
              <Grid.Col span={12}>{numberField("invitationTtlHours", "securitySettings.invitationTtlHoursHint")}</Grid.Col>
            </Section>
            <Section title={t("securitySettings.sectionSessions")}>
              <Grid.Col span={{ base: 12, sm: 6 }}>{numberField("sessionIdleMinutes", "securitySettings.sessionIdleMinutesHint")}</Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                {numberField("sessionAbsoluteHours", "securitySettings.sessionAbsoluteHoursHint")}
              </Grid.Col>
              <Grid.Col span={12}>
                <Text size="sm" c="dimmed">
                  {t("securitySettings.sessionsApplyLater")}
                </Text>
              </Grid.Col>
            </Section>
            <Section title={t("certificateText.settings.section")}>
              <Grid.Col span={12}>
                <Switch
                  label={t("certificateText.settings.changeTracking")}
                  description={t("certificateText.settings.changeTrackingHint")}
                  checked={form.values.certificateChangeTracking === "true"}
                  disabled={!canEdit}
                  onChange={(e) => form.setFieldValue("certificateChangeTracking", String(e.currentTarget.checked))}
                  error={form.errors.certificateChangeTracking}
                />
              </Grid.Col>
            </Section>
            <Section title={t("securitySettings.sectionHandover")}>
              <Grid.Col span={12}>
                <Switch
                  label={t("securitySettings.handoverCodeRequired")}
                  description={t("securitySettings.handoverCodeRequiredHint")}
                  checked={form.values.handoverCodeRequired === "true"}
                  disabled={!canEdit}
                  onChange={(e) => form.setFieldValue("handoverCodeRequired", String(e.currentTarget.checked))}
                  error={form.errors.handoverCodeRequired}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Checkbox.Group
                  label={t("securitySettings.handoverCodeChannels")}
                  description={t("securitySettings.handoverCodeChannelsHint")}
                  value={form.values.handoverCodeChannels.split(",").filter(Boolean)}
                  onChange={(v) =>
                    form.setFieldValue(
                      "handoverCodeChannels",
                      channelNames
                        .map(([, n]) => n)
                        .filter((n) => v.includes(n))
                        .join(","),
                    )
                  }
                  error={form.errors.handoverCodeChannels}
                >
                  <Group mt="xs">
                    <Checkbox value="email" label={t("securitySettings.channelEmail")} disabled={!canEdit} />
                    <Checkbox value="sms" label={t("securitySettings.channelSms")} disabled={!canEdit} />
                  </Group>
                </Checkbox.Group>
              </Grid.Col>
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
      {guard.dialog}
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
