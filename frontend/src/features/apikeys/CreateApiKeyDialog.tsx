// The dialog that creates an API key: name, a scope per service (none, read,
// write — what the server's access rules offer), optional expiry and
// allow-list. After saving it shows the token once, with a copy button and
// a clear warning: the server keeps only its hash.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  Alert,
  Button,
  Center,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useApiKeyScopes, useCreateApiKey } from "../../api/apikeys.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { ApiKeyAccess, CreateApiKeyRequestSchema, type ApiKeyScopeOption } from "../../gen/zeugo/v1/apikeys_pb.js";
import { errorMessage } from "../../lib/errors.js";
import { validateMessage, violationMessage, violationsFromError, type FieldViolation } from "../../lib/validation.js";
import { serviceLabel } from "./labels.js";

/** Access is a service's choice in the scope matrix. */
export type Access = "none" | "read" | "write";

/** KeyFormValues are the dialog's fields. */
export type KeyFormValues = {
  name: string;
  scopes: Record<string, Access>;
  /** yyyy-mm-dd, or "" for no expiry. */
  expiresOn: string;
  /** One network per line. */
  cidrs: string;
};

const fieldOrder = ["name", "scopes", "expiresOn", "cidrs"] as const;
type FieldName = (typeof fieldOrder)[number];

/** The longest lifetime the server accepts (731 days); the date picker stops a day earlier. */
const maxLifetimeDays = 730;

function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function addDays(d: Date, days: number): Date {
  const out = new Date(d);
  out.setDate(out.getDate() + days);
  return out;
}

/**
 * cidrLines reads the allow-list: one network per line, blank lines
 * ignored; a single address becomes its own network (/32, /128).
 */
export function cidrLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => (line.includes("/") ? line : line.includes(":") ? `${line}/128` : `${line}/32`));
}

/** toRequest builds the CreateApiKeyRequest; the key expires at the end of the chosen day (local time). */
export function toRequest(v: KeyFormValues): MessageInitShape<typeof CreateApiKeyRequestSchema> {
  const scopes = Object.entries(v.scopes)
    .filter(([, access]) => access !== "none")
    .map(([service, access]) => ({ service, access: access === "write" ? ApiKeyAccess.WRITE : ApiKeyAccess.READ }));
  let expireTime;
  if (v.expiresOn !== "") {
    const [y, m, d] = v.expiresOn.split("-").map(Number);
    expireTime = timestampFromDate(new Date(y ?? 0, (m ?? 1) - 1, d ?? 1, 23, 59, 59));
  }
  return { name: v.name.trim(), scopes, expireTime, allowedCidrs: cidrLines(v.cidrs) };
}

/** fieldOf maps a violation's path to the dialog's field. */
function fieldOf(path: string): FieldName | undefined {
  const head = path.split(".")[0];
  switch (head) {
    case "name":
      return "name";
    case "scopes":
      return "scopes";
    case "expireTime":
      return "expiresOn";
    case "allowedCidrs":
      return "cidrs";
  }
  return undefined;
}

/** messageOf is the text next to the field; an allow-list entry names its line. */
function messageOf(v: FieldViolation, t: TFunction): string {
  const own = t(`apikeys.validation.${v.ruleId}`, { defaultValue: "" });
  const text = typeof own === "string" && own !== "" ? own : violationMessage(v, t);
  const index = /^allowedCidrs\.(\d+)/.exec(v.field)?.[1];
  return index !== undefined ? t("apikeys.validation.line", { line: Number(index) + 1, message: text }) : text;
}

/** formErrors turns violations into field errors (the first per field) and the rest. */
function formErrors(violations: FieldViolation[], t: TFunction): { fields: Partial<Record<FieldName, string>>; other: string[] } {
  const out: { fields: Partial<Record<FieldName, string>>; other: string[] } = { fields: {}, other: [] };
  for (const v of violations) {
    const field = fieldOf(v.field);
    if (field === undefined) out.other.push(messageOf(v, t));
    else out.fields[field] ??= messageOf(v, t);
  }
  return out;
}

/** CreateApiKeyDialog creates a key and then shows its token once. */
export function CreateApiKeyDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const scopes = useApiKeyScopes();
  const create = useCreateApiKey();
  const [created, setCreated] = useState<{ name: string; secret: string } | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const form = useForm<KeyFormValues>({
    mode: "controlled",
    initialValues: { name: "", scopes: {}, expiresOn: "", cidrs: "" },
  });
  const today = new Date();

  const show = (violations: FieldViolation[]): boolean => {
    const errors = formErrors(violations, t);
    form.setErrors(errors.fields);
    const first = fieldOrder.find((f) => f in errors.fields);
    if (first) document.getElementById(`apikey-${first}`)?.focus();
    if (errors.other.length > 0) setFormError(errors.other.join(" "));
    return first !== undefined || errors.other.length > 0;
  };

  const submit = form.onSubmit(async (values) => {
    setFormError(undefined);
    form.clearErrors();
    const request = toRequest(values);
    if (show(validateMessage(CreateApiKeyRequestSchema, request).violations)) return;
    try {
      const res = await create.mutateAsync(request);
      setCreated({ name: res.apiKey?.name ?? request.name ?? "", secret: res.secret });
    } catch (err) {
      if (!show(violationsFromError(err, CreateApiKeyRequestSchema))) setFormError(errorMessage(err, t));
    }
  });

  const title = created ? t("apikeys.created.title", { name: created.name }) : t("apikeys.create.title");
  return (
    <Modal
      opened
      onClose={onClose}
      title={title}
      size="xl"
      centered
      closeOnClickOutside={!created}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      {created ? (
        <Stack gap="md">
          <Alert color="yellow" variant="light" title={t("apikeys.created.warningTitle")} role="alert">
            {t("apikeys.created.warning")}
          </Alert>
          <Code block data-testid="api-key-secret" style={{ wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
            {created.secret}
          </Code>
          <Text size="sm" c="dimmed">
            {t("apikeys.created.usage")}
          </Text>
          <Group justify="flex-end" gap="sm">
            <CopyButton value={created.secret}>
              {({ copied, copy }) => (
                <Button variant={copied ? "light" : "filled"} color={copied ? "green" : undefined} onClick={copy}>
                  {copied ? t("apikeys.created.copied") : t("apikeys.created.copy")}
                </Button>
              )}
            </CopyButton>
            <Button variant="default" onClick={onClose} data-autofocus>
              {t("apikeys.created.done")}
            </Button>
          </Group>
        </Stack>
      ) : scopes.isPending ? (
        <Center py="lg">
          <Loader aria-label={t("app.loading")} />
        </Center>
      ) : scopes.isError ? (
        <ErrorAlert error={scopes.error} />
      ) : (
        <form onSubmit={submit} noValidate aria-label={title}>
          <Stack gap="md">
            {formError && (
              <Alert color="red" variant="light" role="alert">
                {formError}
              </Alert>
            )}
            <TextInput
              id="apikey-name"
              label={t("common.name")}
              description={t("apikeys.create.nameHint")}
              required
              maxLength={100}
              data-autofocus
              {...form.getInputProps("name")}
            />
            <ScopeMatrix
              options={scopes.data.scopes}
              value={form.values.scopes}
              error={form.errors.scopes as string | undefined}
              onChange={(service, access) => {
                form.setFieldValue("scopes", { ...form.values.scopes, [service]: access });
                form.clearFieldError("scopes");
              }}
            />
            <TextInput
              id="apikey-expiresOn"
              type="date"
              label={t("apikeys.create.expiry")}
              description={t("apikeys.create.expiryHint")}
              min={isoDate(addDays(today, 1))}
              max={isoDate(addDays(today, maxLifetimeDays))}
              {...form.getInputProps("expiresOn")}
            />
            <Textarea
              id="apikey-cidrs"
              label={t("apikeys.create.cidrs")}
              description={t("apikeys.create.cidrsHint")}
              autosize
              minRows={2}
              maxRows={8}
              spellCheck={false}
              styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
              {...form.getInputProps("cidrs")}
            />
            <Group justify="flex-end" gap="sm" mt="sm">
              <Button variant="default" onClick={onClose}>
                {t("common.cancel")}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t("apikeys.create.submit")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** ScopeMatrix: one row per service, none / read / write (only what the service offers). */
function ScopeMatrix({
  options,
  value,
  error,
  onChange,
}: {
  options: ApiKeyScopeOption[];
  value: Record<string, Access>;
  error: string | undefined;
  onChange: (service: string, access: Access) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="apikey-scopes-label">
        {t("apikeys.create.scopes")}{" "}
        <Text span c="red" aria-hidden="true">
          *
        </Text>
      </Text>
      <Text size="xs" c="dimmed">
        {t("apikeys.create.scopesHint")}
      </Text>
      <Table aria-labelledby="apikey-scopes-label" id="apikey-scopes" tabIndex={-1} withTableBorder>
        <Table.Tbody>
          {options.map((o) => (
            <Table.Tr key={o.service}>
              <Table.Td>{serviceLabel(t, o)}</Table.Td>
              <Table.Td>
                <SegmentedControl
                  aria-label={serviceLabel(t, o)}
                  size="xs"
                  value={value[o.service] ?? "none"}
                  onChange={(v) => onChange(o.service, v as Access)}
                  data={[
                    { value: "none", label: t("apikeys.access.none") },
                    { value: "read", label: t("apikeys.access.read"), disabled: !o.read },
                    { value: "write", label: t("apikeys.access.write"), disabled: !o.write },
                  ]}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
