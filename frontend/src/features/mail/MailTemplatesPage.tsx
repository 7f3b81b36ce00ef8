// The tenant's email templates (area E-Mail-Vorlagen): pick a template and
// a language, edit subject and text with the template's placeholders, see
// the mail as received (debounced preview from the server, with sample
// data and the tenant's sender name), save, or return to the built-in
// template. The preview shows subject and plain text only: the HTML part
// is derived from the same text on the server, and the SPA's
// Content-Security-Policy (style-src with a nonce) would strip the mail's
// inline styles inside a srcdoc frame, so it would not show the mail as
// received anyway.
import {
  Alert,
  Badge,
  Button,
  Center,
  Code,
  Divider,
  Grid,
  Group,
  Loader,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { UpdateMailTemplateRequestSchema, type MailTemplate } from "../../gen/zeugo/v1/mail_pb.js";
import { useMailTemplates, usePreviewMailTemplate, useResetMailTemplate, useSendTestMail, useUpdateMailTemplate } from "../../api/mail.js";
import { hasArea } from "../../lib/access.js";
import { errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { saveCall, useEntityForm, type SaveCall } from "../../lib/use-entity-form.js";
import { violationMessage, violationsFromError } from "../../lib/validation.js";
import { PageHeader } from "../../components/PageHeader.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";

type Values = { subject: string; text: string };
const fieldOrder = ["subject", "text"] as const satisfies readonly (keyof Values)[];
const languages = ["de", "en"] as const;
type Language = (typeof languages)[number];

/** previewDelayMs is how long typing pauses before the preview is rendered again. */
export const previewDelayMs = 400;

/** placeholder is how a placeholder is written in a template. */
export const placeholder = (name: string) => `{{.${name}}}`;

/** MailTemplatesPage lists the templates and edits one. */
export function MailTemplatesPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const canEdit = !principal.tenantReadOnly && hasArea(principal, Area.EMAIL_TEMPLATES);
  const query = useMailTemplates();
  const [name, setName] = useState("invitation");
  const [language, setLanguage] = useState<Language>("de");
  const title = t("mail.templates.title");
  const header = <PageHeader title={title} intro={t("mail.templates.intro")} />;

  if (query.isPending) {
    return (
      <>
        {header}
        <Center py="xl">
          <Loader aria-label={t("app.loading")} />
        </Center>
      </>
    );
  }
  if (query.isError) {
    return (
      <>
        {header}
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }
  const templates = query.data.templates;
  const names = [...new Set(templates.map((tpl) => tpl.name))];
  const current = templates.find((tpl) => tpl.name === name && tpl.language === language);

  return (
    <>
      {header}
      {!canEdit && (
        <Text c="dimmed" size="sm" mb="md">
          {t("common.readOnlyHint")}
        </Text>
      )}
      <Group align="flex-end" gap="md" mb="md">
        <Select
          label={t("mail.templates.template")}
          data={names.map((n) => ({ value: n, label: t(`mail.templates.names.${n}`, { defaultValue: n }) }))}
          value={name}
          onChange={(v) => v && setName(v)}
          allowDeselect={false}
          w={280}
        />
        <SegmentedControl
          aria-label={t("mail.templates.language")}
          data={languages.map((l) => ({ value: l, label: t(`mail.templates.languages.${l}`) }))}
          value={language}
          onChange={(v) => setLanguage(v as Language)}
        />
      </Group>
      {current && <TemplateEditor key={`${current.name}.${current.language}`} template={current} canEdit={canEdit} reload={() => void query.refetch()} />}
    </>
  );
}

function contentOf(tpl: MailTemplate): Values {
  const c = tpl.overridden ? tpl.customContent : tpl.defaultContent;
  return { subject: c?.subject ?? "", text: c?.text ?? "" };
}

/** TemplateEditor edits one template in one language, with its preview. */
function TemplateEditor({ template, canEdit, reload }: { template: MailTemplate; canEdit: boolean; reload: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateMailTemplate();
  const [confirmReset, setConfirmReset] = useState(false);
  const entity = useEntityForm<Values>({
    initialValues: contentOf(template),
    fieldOrder,
    loaded: { key: `${template.name}.${template.language}.${template.version}`, values: contentOf(template) },
    save: (values): SaveCall =>
      saveCall(
        UpdateMailTemplateRequestSchema,
        { name: template.name, language: template.language, version: template.version, fields: values },
        (req) => update.mutateAsync(req),
      ),
    onSaved: () => notifySuccess(t, t("mail.templates.saved")),
    reload,
  });
  const { form } = entity;
  const isDirty = useCallback(() => canEdit && form.isDirty(), [canEdit, form]);
  const label = t("mail.templates.editorLabel", {
    name: t(`mail.templates.names.${template.name}`, { defaultValue: template.name }),
    language: t(`mail.templates.languages.${template.language}`),
  });

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }}>
          <form onSubmit={entity.submit} noValidate aria-label={label}>
            <Stack gap="md">
              <Group justify="space-between">
                <Title order={2} fz="h5" c="zeugo.9">
                  {label}
                </Title>
                <Badge variant="light" color={template.overridden ? "zeugo" : "gray"}>
                  {template.overridden ? t("mail.templates.own") : t("mail.templates.standard")}
                </Badge>
              </Group>
              <FormAlerts {...entity.alerts} />
              <TextInput label={t("mail.templates.subject")} required readOnly={!canEdit} {...form.getInputProps("subject")} />
              <Textarea
                label={t("mail.templates.text")}
                required
                readOnly={!canEdit}
                autosize
                minRows={10}
                maxRows={24}
                {...form.getInputProps("text")}
              />
              <Placeholders template={template} />
              {canEdit && (
                <>
                  <Divider />
                  <Group>
                    <Button type="submit" loading={entity.saving}>
                      {t("common.save")}
                    </Button>
                    {template.overridden && (
                      <Button variant="default" onClick={() => setConfirmReset(true)}>
                        {t("mail.templates.reset")}
                      </Button>
                    )}
                    <SendTestButton template={template} values={form.values} />
                  </Group>
                </>
              )}
            </Stack>
          </form>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Preview template={template} values={form.values} />
      </Grid.Col>
      <ResetModal template={template} opened={confirmReset} onDone={() => setConfirmReset(false)} />
      <UnsavedChangesGuard dirty={isDirty} />
    </Grid>
  );
}

/** Placeholders lists what the template may use; required ones are marked. */
function Placeholders({ template }: { template: MailTemplate }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t("mail.templates.placeholders")}
      </Text>
      <Text size="sm" c="dimmed">
        {t("mail.templates.placeholdersHint")}
      </Text>
      <Stack gap={2} component="ul" m={0} pl="md">
        {template.placeholders.map((p) => (
          <Text component="li" size="sm" key={p}>
            <Code>{placeholder(p)}</Code> – {t(`mail.templates.placeholder.${p}`, { defaultValue: p })}
            {template.requiredPlaceholders.includes(p) && ` (${t("mail.templates.requiredInText")})`}
          </Text>
        ))}
      </Stack>
    </Stack>
  );
}

/** Preview shows the mail as received, rendered by the server with sample data. */
function Preview({ template, values }: { template: MailTemplate; values: Values }) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(values, previewDelayMs);
  const ready = debounced.subject.trim() !== "" && debounced.text.trim() !== "";
  const preview = usePreviewMailTemplate(
    ready ? { name: template.name, language: template.language, fields: { subject: debounced.subject, text: debounced.text } } : undefined,
  );
  const problems = preview.isError
    ? violationsFromError(preview.error).map((v) => violationMessage(v, t))
    : [];
  return (
    <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }} aria-label={t("mail.templates.preview")} component="section">
      <Stack gap="sm">
        <Title order={2} fz="h5" c="zeugo.9">
          {t("mail.templates.preview")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("mail.templates.previewHint")}
        </Text>
        {preview.isError && (
          <Alert color="red" variant="light" role="alert">
            {problems.length > 0 ? problems.join(" ") : errorMessage(preview.error, t)}
          </Alert>
        )}
        {preview.data && !preview.isError && (
          <Stack gap="xs" data-testid="mail-preview">
            <Text size="sm">
              <strong>{t("mail.templates.from")}:</strong> {preview.data.senderName}
            </Text>
            <Text size="sm">
              <strong>{t("mail.templates.subject")}:</strong> {preview.data.subject}
            </Text>
            <Code block style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
              {preview.data.text}
            </Code>
          </Stack>
        )}
        {!preview.data && !preview.isError && ready && <Loader size="sm" aria-label={t("app.loading")} />}
      </Stack>
    </Paper>
  );
}

/** SendTestButton sends the template as it stands (saved or not) to the caller's own address. */
function SendTestButton({ template, values }: { template: MailTemplate; values: Values }) {
  const { t } = useTranslation();
  const send = useSendTestMail();
  const [error, setError] = useState<string | undefined>();
  const click = async () => {
    setError(undefined);
    try {
      const res = await send.mutateAsync({ name: template.name, language: template.language, fields: values });
      notifySuccess(t, t("mail.templates.testSent", { to: res.to }));
    } catch (err) {
      const v = violationsFromError(err).map((x) => violationMessage(x, t));
      setError(v.length > 0 ? v.join(" ") : errorMessage(err, t));
    }
  };
  return (
    <>
      <Button variant="subtle" onClick={() => void click()} loading={send.isPending} aria-describedby={error ? "mail-test-error" : undefined}>
        {t("mail.templates.sendTest")}
      </Button>
      {error && (
        <Text c="red.6" size="sm" role="alert" id="mail-test-error" w="100%">
          {error}
        </Text>
      )}
    </>
  );
}

/** ResetModal asks before returning to the built-in template; focus starts on "Abbrechen". */
function ResetModal({ template, opened, onDone }: { template: MailTemplate; opened: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const reset = useResetMailTemplate();
  const [error, setError] = useState<string | undefined>();
  const close = () => {
    if (reset.isPending) return;
    setError(undefined);
    onDone();
  };
  const confirm = async () => {
    setError(undefined);
    try {
      await reset.mutateAsync({ name: template.name, language: template.language, version: template.version });
      notifySuccess(t, t("mail.templates.resetDone"));
      onDone();
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={t("mail.templates.resetTitle")} centered closeButtonProps={{ "aria-label": t("common.close") }}>
      <Stack gap="md">
        <Text size="sm">{t("mail.templates.resetText")}</Text>
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} data-autofocus disabled={reset.isPending}>
            {t("common.cancel")}
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={reset.isPending}>
            {t("mail.templates.resetConfirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
