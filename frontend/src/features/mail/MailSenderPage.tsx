// The tenant's sender name (area Individualisierung): the display name of
// the From address of its mails and the Sender placeholder of its
// templates. Without one, the company's name is used.
import { Button, Center, Divider, Group, Loader, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { UpdateMailSenderRequestSchema } from "../../gen/zeugo/v1/mail_pb.js";
import { useMailSender, useUpdateMailSender } from "../../api/mail.js";
import { hasArea } from "../../lib/access.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { saveCall, useEntityForm, type SaveCall } from "../../lib/use-entity-form.js";
import { PageHeader } from "../../components/PageHeader.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";

type Values = { senderName: string };
const fieldOrder = ["senderName"] as const satisfies readonly (keyof Values)[];

/** MailSenderPage edits the sender name. */
export function MailSenderPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const canEdit = !principal.tenantReadOnly && hasArea(principal, Area.BRANDING);
  const query = useMailSender();
  const update = useUpdateMailSender();
  const sender = query.data?.sender;
  const entity = useEntityForm<Values>({
    initialValues: { senderName: "" },
    fieldOrder,
    loaded: sender && { key: `${sender.custom}.${sender.senderName}`, values: { senderName: sender.senderName } },
    save: (values): SaveCall => saveCall(UpdateMailSenderRequestSchema, { fields: values }, (req) => update.mutateAsync(req)),
    onSaved: () => notifySuccess(t, t("mail.sender.saved")),
    reload: () => void query.refetch(),
  });
  const { form } = entity;
  const isDirty = useCallback(() => canEdit && form.isDirty(), [canEdit, form]);
  const title = t("mail.sender.title");
  const header = <PageHeader title={title} intro={t("mail.sender.intro")} />;

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
  return (
    <>
      {header}
      {!canEdit && (
        <Text c="dimmed" size="sm" mb="md">
          {t("common.readOnlyHint")}
        </Text>
      )}
      <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }} maw={720}>
        <form onSubmit={entity.submit} noValidate aria-label={title}>
          <Stack gap="md">
            <FormAlerts {...entity.alerts} />
            <TextInput
              label={t("mail.sender.senderName")}
              description={sender?.custom ? t("mail.sender.senderNameHint") : t("mail.sender.senderNameDefaultHint")}
              required
              readOnly={!canEdit}
              maxLength={200}
              {...form.getInputProps("senderName")}
            />
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
