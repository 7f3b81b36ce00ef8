import { Alert, Button, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { IconAlert } from "./icons.js";

/**
 * The alerts above an edit form: a concurrent change (the server answered
 * Aborted: someone else saved first, so reload before editing again) and a
 * form-level error that belongs to no single field.
 */
export function FormAlerts({
  conflict,
  formError,
  onReload,
}: {
  conflict: boolean;
  formError: string | null | undefined;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      {conflict && (
        <Alert color="orange" variant="light" icon={<IconAlert />} role="alert">
          <Stack gap="sm" align="flex-start">
            <Text size="sm">{t("errors.conflict")}</Text>
            <Button size="xs" variant="default" onClick={onReload}>
              {t("app.reload")}
            </Button>
          </Stack>
        </Alert>
      )}
      {formError && (
        <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
          {formError}
        </Alert>
      )}
    </>
  );
}
