import { Alert, Button, Stack, Text } from "@mantine/core";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { IconAlert } from "./icons.js";

/**
 * The alerts above an edit form: a concurrent change (the server answered
 * Aborted: someone else saved first, so reload before editing again) and a
 * form-level error that belongs to no single field. The Save button is
 * below the form, so a new message scrolls into view.
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
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (conflict || formError) ref.current?.scrollIntoView?.({ block: "center", behavior: "smooth" });
  }, [conflict, formError]);
  if (!conflict && !formError) return null;
  return (
    <Stack gap="sm" ref={ref}>
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
    </Stack>
  );
}
