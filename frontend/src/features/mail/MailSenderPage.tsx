// The tenant's sender name (area Individualisierung): the display name of
// the From address of its mails and the Sender placeholder of its
// templates. Without one, the company's name is used. It is one section of
// the page Individualisierung (features/branding/BrandingPage).
import { Button, Center, Divider, Group, Loader, Paper, Stack, TextInput, Title } from "@mantine/core";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { UpdateMailSenderRequestSchema } from "../../gen/zeugo/v1/mail_pb.js";
import { useMailSender, useUpdateMailSender } from "../../api/mail.js";
import { notifySuccess } from "../../lib/notify.js";
import { saveCall, useEntityForm, type SaveCall } from "../../lib/use-entity-form.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";

type Values = { senderName: string };
const fieldOrder = ["senderName"] as const satisfies readonly (keyof Values)[];

/** SenderNameForm edits the sender name. */
export function SenderNameForm({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
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

  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  }
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }} component="section" aria-labelledby="branding-sender">
      <form onSubmit={entity.submit} noValidate aria-label={title}>
        <Stack gap="md">
          <Title order={2} size="h4" id="branding-sender">
            {title}
          </Title>
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
      <UnsavedChangesGuard dirty={isDirty} />
    </Paper>
  );
}
