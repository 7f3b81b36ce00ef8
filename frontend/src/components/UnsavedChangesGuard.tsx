import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useBlocker } from "react-router";

/**
 * UnsavedChangesGuard asks before leaving a form with unsaved changes: inside
 * the app with a dialog, on reload or tab close with the browser's prompt.
 * `dirty` is read when the navigation starts, so a just-saved form passes.
 */
export function UnsavedChangesGuard({ dirty }: { dirty: () => boolean }) {
  const { t } = useTranslation();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    return currentLocation.pathname !== nextLocation.pathname && dirty();
  });

  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (dirty()) event.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);

  const blocked = blocker.state === "blocked";
  return (
    <Modal
      opened={blocked}
      onClose={() => blocker.reset?.()}
      title={t("common.unsavedTitle")}
      centered
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      <Stack gap="md">
        <Text size="sm">{t("common.unsavedText")}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
            {t("common.keepEditing")}
          </Button>
          <Button color="red" onClick={() => blocker.proceed?.()}>
            {t("common.discard")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
