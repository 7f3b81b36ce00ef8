import {
  ActionIcon,
  Alert,
  Button,
  Center,
  CopyButton,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCreateForm, useDeleteForm, useRotateForm, useSelfServiceForms, useUpdateForm } from "../../api/selfservice.js";
import { ConfirmDeleteModal } from "../../components/ConfirmDeleteModal.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { IconAlert, IconPlus, IconTrash } from "../../components/icons.js";
import type { SelfServiceForm } from "../../gen/zeugo/v1/selfservice_pb.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { formUrl } from "./labels.js";

/**
 * FormsPanel lists the published forms, one per company: the address to
 * hand to the staff (copy), open or closed, the introduction text, a new
 * address (the old one stops working) and removal. A company without a
 * form can get one.
 */
export function FormsPanel() {
  const { t } = useTranslation();
  const query = useSelfServiceForms();
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  }
  if (query.error || !query.data) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const { forms, companiesWithoutForm } = query.data;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={720}>
        {t("selfservice.forms.intro")}
      </Text>
      {forms.map((f) => (
        <FormCard key={f.id} form={f} />
      ))}
      {forms.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="no-forms">
          {t("selfservice.forms.none")}
        </Text>
      )}
      {companiesWithoutForm.length > 0 && <CreateForm companies={companiesWithoutForm.map((c) => ({ value: c.id, label: c.name }))} />}
    </Stack>
  );
}

function CreateForm({ companies }: { companies: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const create = useCreateForm();
  const [companyId, setCompanyId] = useState<string | null>(companies.length === 1 ? (companies[0]?.value ?? null) : null);
  const [error, setError] = useState<string | undefined>();
  return (
    <Paper withBorder radius="lg" p="md">
      <Group align="flex-end" gap="sm">
        <Select
          label={t("selfservice.forms.company")}
          placeholder={t("selfservice.public.choose")}
          data={companies}
          value={companyId}
          onChange={setCompanyId}
          searchable={companies.length > 8}
          error={error}
          style={{ flex: 1, minWidth: 220 }}
        />
        <Button
          leftSection={<IconPlus size={16} />}
          disabled={!companyId}
          loading={create.isPending}
          onClick={() => {
            if (!companyId) return;
            setError(undefined);
            create
              .mutateAsync({ companyId, enabled: true, intro: "" })
              .then(() => {
                notifySuccess(t, t("selfservice.forms.created"));
                setCompanyId(null);
              })
              .catch((err: unknown) => setError(errorMessage(err, t)));
          }}
        >
          {t("selfservice.forms.create")}
        </Button>
      </Group>
    </Paper>
  );
}

function FormCard({ form }: { form: SelfServiceForm }) {
  const { t } = useTranslation();
  const update = useUpdateForm();
  const rotate = useRotateForm();
  const remove = useDeleteForm();
  const [intro, setIntro] = useState(form.intro);
  const [error, setError] = useState<string | undefined>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  useEffect(() => setIntro(form.intro), [form.intro, form.version]);
  const url = formUrl(form.publicId);
  const fail = (err: unknown) => setError(isCode(err, Code.Aborted) ? t("selfservice.changed") : errorMessage(err, t));
  const save = (enabled: boolean, text: string) => {
    setError(undefined);
    update
      .mutateAsync({ id: form.id, version: form.version, enabled, intro: text })
      .then(() => notifySuccess(t, t("selfservice.forms.saved")))
      .catch(fail);
  };
  return (
    <Paper withBorder radius="lg" p="md" data-testid="selfservice-form" aria-label={form.companyName} component="section">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Text fw={600}>{form.companyName}</Text>
          <Switch
            label={form.enabled ? t("selfservice.forms.enabled") : t("selfservice.forms.disabled")}
            checked={form.enabled}
            disabled={update.isPending}
            onChange={(e) => save(e.currentTarget.checked, form.intro)}
          />
        </Group>
        {error && (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {error}
          </Alert>
        )}
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput label={t("selfservice.forms.url")} value={url} readOnly style={{ flex: 1 }} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton value={url}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? t("selfservice.forms.copied") : t("selfservice.forms.copy")}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Textarea
          label={t("selfservice.forms.introLabel")}
          description={t("selfservice.forms.introHint")}
          autosize
          minRows={2}
          maxLength={2000}
          value={intro}
          onChange={(e) => setIntro(e.currentTarget.value)}
        />
        <Group justify="space-between" wrap="wrap">
          <Group gap="sm">
            <Button variant="default" disabled={intro === form.intro} loading={update.isPending} onClick={() => save(form.enabled, intro)}>
              {t("common.save")}
            </Button>
            <Tooltip label={t("selfservice.forms.rotateHint")} multiline w={280}>
              <Button
                variant="subtle"
                loading={rotate.isPending}
                onClick={() => {
                  setError(undefined);
                  rotate
                    .mutateAsync({ id: form.id, version: form.version })
                    .then(() => notifySuccess(t, t("selfservice.forms.rotated")))
                    .catch(fail);
                }}
              >
                {t("selfservice.forms.rotate")}
              </Button>
            </Tooltip>
          </Group>
          <ActionIcon variant="subtle" color="red" aria-label={t("common.delete")} onClick={() => setConfirmDelete(true)}>
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      </Stack>
      <ConfirmDeleteModal
        opened={confirmDelete}
        name={t("selfservice.forms.formOf", { company: form.companyName })}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={async () => {
          await remove.mutateAsync({ id: form.id });
          setConfirmDelete(false);
        }}
      />
    </Paper>
  );
}
