// "Übergeben": HR hands the certificate to a named person (SPEC §6) —
// recipient, language, message, per section Lesen/Bearbeiten, download,
// a one-time code and the expiry. Violations (client-side rules from the
// proto, the server's domain rules zeugo.handover.*) are shown next to
// their field; a grant's violation (grants[i].write) next to its row.
import { Alert, Button, Checkbox, Grid, Group, Modal, NumberInput, SegmentedControl, Stack, Switch, Table, Text, Textarea, TextInput, Tooltip } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCreateHandover } from "../../api/handovers.js";
import { IconAlert } from "../../components/icons.js";
import type { Certificate } from "../../gen/zeugo/v1/certificates_pb.js";
import { CreateHandoverRequestSchema, HandoverCodeChannel } from "../../gen/zeugo/v1/handover_pb.js";
import { errorMessage } from "../../lib/errors.js";
import { showFormErrors } from "../../lib/form.js";
import { notifySuccess } from "../../lib/notify.js";
import { toFormErrors, validateMessage, violationMessage, violationsFromError, type FieldViolation } from "../../lib/validation.js";
import { canGrantWrite, grantSections, setGrant, toSectionGrants, type GrantKey, type Grants } from "./grants.js";

type Values = {
  recipient: { name: string; email: string; phone: string };
  language: string;
  message: string;
  download: boolean;
  codeChannel: string;
  expiresInDays: number | string;
};

const order = ["recipient.name", "recipient.email", "recipient.phone", "language", "message", "codeChannel", "expiresInDays"] as const;

/** The default expiry (SPEC §6: 30 days). */
export const defaultExpiryDays = 30;

/** sectionTitle is the section's name as the editor's tabs show it. */
export function sectionTitle(key: GrantKey, t: (k: string) => string): string {
  return key === "result" ? t("certificates.tabs.result") : t(`certificates.sections.${key}.title`);
}

/** grantErrorsOf sorts grant violations (grants.3.write, grants[3]) to their section; the rest is the matrix's. */
function grantErrorsOf(violations: FieldViolation[], grants: Grants, t: Parameters<typeof violationMessage>[1]) {
  const rows: Record<number, string> = {};
  const matrix: string[] = [];
  const rest: FieldViolation[] = [];
  const list = toSectionGrants(grants);
  for (const v of violations) {
    const m = /^grants(?:\.(\d+))?(?:\.|$)/.exec(v.field);
    if (!m) {
      rest.push(v);
      continue;
    }
    const section = m[1] !== undefined ? list[Number(m[1])]?.section : undefined;
    if (section !== undefined) rows[section] ??= violationMessage(v, t);
    else matrix.push(violationMessage(v, t));
  }
  return { rows, matrix, rest };
}

/** HandoverDialog creates a handover of the certificate. */
export function HandoverDialog({ certificate, opened, onClose }: { certificate: Certificate; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateHandover();
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: {
      recipient: { name: "", email: "", phone: "" },
      language: certificate.language === "en" ? "en" : "de",
      message: "",
      download: false,
      codeChannel: String(HandoverCodeChannel.UNSPECIFIED),
      expiresInDays: defaultExpiryDays,
    },
  });
  const [grants, setGrants] = useState<Grants>({});
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [matrixError, setMatrixError] = useState<string>();
  const [formError, setFormError] = useState<string>();

  const close = () => {
    if (create.isPending) return;
    form.reset();
    setGrants({});
    setRowErrors({});
    setMatrixError(undefined);
    setFormError(undefined);
    onClose();
  };

  const show = (all: FieldViolation[], fallback: string) => {
    // The phone's format is the international one here, not the address book's.
    const violations = all.map((v) =>
      v.field === "recipient.phone" && v.ruleId === "string.pattern" ? { ...v, ruleId: "zeugo.handover.phone_format" } : v,
    );
    const g = grantErrorsOf(violations, grants, t);
    setRowErrors(g.rows);
    setMatrixError(g.matrix.join(" ") || undefined);
    const errors = toFormErrors(g.rest, t, { known: order });
    const shown = showFormErrors(form, errors, order as never);
    const anyGrant = Object.keys(g.rows).length > 0 || g.matrix.length > 0;
    if (errors.other.length > 0 || (!shown && !anyGrant)) setFormError(errors.other.join(" ") || fallback);
  };

  const submit = async (values: Values) => {
    form.clearErrors();
    setRowErrors({});
    setMatrixError(undefined);
    setFormError(undefined);
    const request = {
      certificateId: certificate.id,
      recipient: { name: values.recipient.name.trim(), email: values.recipient.email.trim(), phone: values.recipient.phone.replace(/[\s/-]/g, "") },
      message: values.message.trim(),
      language: values.language,
      grants: toSectionGrants(grants),
      download: values.download,
      codeChannel: Number(values.codeChannel) as HandoverCodeChannel,
      expiresInDays: Number(values.expiresInDays) || defaultExpiryDays,
    };
    const local: FieldViolation[] = validateMessage(CreateHandoverRequestSchema, request).violations.filter(
      // An empty matrix is said in the domain's words, not as "at least 1 item".
      (v) => !(request.grants.length === 0 && v.field === "grants"),
    );
    // What the server also refuses, said before the round trip.
    if (request.grants.length === 0) local.push({ field: "grants", ruleId: "zeugo.handover.nothing_readable", message: "" });
    if (request.codeChannel === HandoverCodeChannel.SMS && request.recipient.phone === "")
      local.push({ field: "recipient.phone", ruleId: "zeugo.handover.phone_required", message: "" });
    if (local.length > 0) {
      show(local, t("common.formHasErrors"));
      return;
    }
    try {
      await create.mutateAsync(request);
      notifySuccess(t, t("handover.create.sent", { name: request.recipient.name }));
      close();
    } catch (err) {
      const violations = violationsFromError(err, CreateHandoverRequestSchema);
      if (violations.length > 0) show(violations, errorMessage(err, t));
      else setFormError(errorMessage(err, t));
    }
  };

  const channel = Number(form.values.codeChannel) as HandoverCodeChannel;
  return (
    <Modal opened={opened} onClose={close} title={t("handover.create.title")} size="xl" centered closeButtonProps={{ "aria-label": t("common.close") }}>
      <form
        noValidate
        aria-label={t("handover.create.title")}
        onSubmit={form.onSubmit((v) => void submit(v))}
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t("handover.create.intro", { name: certificate.employeeName })}
          </Text>
          {formError && (
            <Alert color="red" variant="light" role="alert" icon={<IconAlert />}>
              {formError}
            </Alert>
          )}
          <Grid gap="md">
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput label={t("handover.fields.name")} required maxLength={200} data-autofocus {...form.getInputProps("recipient.name")} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput label={t("handover.fields.email")} type="email" required maxLength={254} {...form.getInputProps("recipient.email")} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TextInput
                label={t("handover.fields.phone")}
                description={t("handover.fields.phoneHint")}
                type="tel"
                placeholder="+49…"
                required={channel === HandoverCodeChannel.SMS}
                {...form.getInputProps("recipient.phone")}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Stack gap={4}>
                <Text size="sm" fw={500} id="handover-language">
                  {t("handover.fields.language")}
                </Text>
                <SegmentedControl
                  aria-labelledby="handover-language"
                  data={[
                    { value: "de", label: t("handover.language.de") },
                    { value: "en", label: t("handover.language.en") },
                  ]}
                  {...form.getInputProps("language")}
                />
              </Stack>
            </Grid.Col>
            <Grid.Col span={12}>
              <Textarea label={t("handover.fields.message")} description={t("handover.fields.messageHint")} autosize minRows={3} maxLength={2000} {...form.getInputProps("message")} />
            </Grid.Col>
          </Grid>

          <GrantMatrix grants={grants} onChange={setGrants} rowErrors={rowErrors} error={matrixError} />

          <Switch label={t("handover.fields.download")} description={t("handover.fields.downloadHint")} {...form.getInputProps("download", { type: "checkbox" })} />
          <Grid gap="md">
            <Grid.Col span={{ base: 12, sm: 8 }}>
              <Stack gap={4}>
                <Text size="sm" fw={500} id="handover-code">
                  {t("handover.fields.code")}
                </Text>
                <SegmentedControl
                  aria-labelledby="handover-code"
                  fullWidth
                  data={[
                    { value: String(HandoverCodeChannel.UNSPECIFIED), label: t("handover.code.none") },
                    { value: String(HandoverCodeChannel.EMAIL), label: t("handover.code.email") },
                    { value: String(HandoverCodeChannel.SMS), label: t("handover.code.sms") },
                  ]}
                  {...form.getInputProps("codeChannel")}
                />
                {form.errors.codeChannel && (
                  <Text size="xs" c="red" role="alert">
                    {form.errors.codeChannel}
                  </Text>
                )}
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <NumberInput label={t("handover.fields.expiresInDays")} min={1} max={365} allowDecimal={false} {...form.getInputProps("expiresInDays")} />
            </Grid.Col>
          </Grid>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={create.isPending}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t("handover.create.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** GrantMatrix is the sections × Lesen/Bearbeiten table. */
export function GrantMatrix({
  grants,
  onChange,
  rowErrors,
  error,
}: {
  grants: Grants;
  onChange: (next: Grants) => void;
  rowErrors: Record<number, string>;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="handover-grants">
        {t("handover.fields.grants")}
      </Text>
      <Text size="xs" c="dimmed">
        {t("handover.fields.grantsHint")}
      </Text>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
      <Table aria-labelledby="handover-grants" striped withTableBorder verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("handover.fields.section")}</Table.Th>
            <Table.Th ta="center" w={90}>
              {t("handover.grant.read")}
            </Table.Th>
            <Table.Th ta="center" w={110}>
              {t("handover.grant.write")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {grantSections.map(({ key, section }) => {
            const g = grants[section] ?? { read: false, write: false };
            const title = sectionTitle(key, t);
            const writable = canGrantWrite(section);
            const writeBox = (
              <Checkbox
                aria-label={t("handover.grant.writeOf", { section: title })}
                checked={g.write}
                disabled={!writable}
                onChange={(e) => onChange(setGrant(grants, section, "write", e.currentTarget.checked))}
              />
            );
            return (
              <Table.Tr key={key}>
                <Table.Td>
                  <Text size="sm">{title}</Text>
                  {!writable && (
                    <Text size="xs" c="dimmed">
                      {t("handover.grant.readOnlyHint")}
                    </Text>
                  )}
                  {rowErrors[section] && (
                    <Text size="xs" c="red" role="alert">
                      {rowErrors[section]}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group justify="center">
                    <Checkbox
                      aria-label={t("handover.grant.readOf", { section: title })}
                      checked={g.read}
                      onChange={(e) => onChange(setGrant(grants, section, "read", e.currentTarget.checked))}
                    />
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group justify="center">{writable ? writeBox : <Tooltip label={t("handover.grant.readOnlyHint")}><span>{writeBox}</span></Tooltip>}</Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
