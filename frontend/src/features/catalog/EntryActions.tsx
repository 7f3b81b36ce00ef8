// Hide/show and reset of a job profile or attribute, each after a
// confirmation (hiding keeps the entry for the certificates that use it).
import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CatalogEntryState, type CatalogEntryKind } from "../../gen/zeugo/v1/catalog_pb.js";
import { useHideCatalogEntry, useResetCatalogEntry } from "../../api/catalog.js";
import { errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";

type Action = "hide" | "show" | "reset";

/** EntryActions offers hide/show and, for a changed shipped entry, reset. */
export function EntryActions({
  kind,
  id,
  name,
  state,
  hidden,
  version,
}: {
  kind: CatalogEntryKind;
  id: string;
  name: string;
  state: CatalogEntryState;
  hidden: boolean;
  version: bigint;
}) {
  const { t } = useTranslation();
  const hide = useHideCatalogEntry();
  const reset = useResetCatalogEntry();
  const [action, setAction] = useState<Action | undefined>();
  const [error, setError] = useState<string | undefined>();
  const pending = hide.isPending || reset.isPending;
  const close = () => {
    if (pending) return;
    setError(undefined);
    setAction(undefined);
  };
  const confirm = async () => {
    setError(undefined);
    try {
      if (action === "reset") await reset.mutateAsync({ catalogVersion: version, kind, id });
      else await hide.mutateAsync({ catalogVersion: version, kind, id, hidden: action === "hide" });
      notifySuccess(t, t(`catalog.actions.${action}Done`));
      setAction(undefined);
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  return (
    <>
      <Button size="xs" variant="subtle" onClick={() => setAction(hidden ? "show" : "hide")}>
        {hidden ? t("catalog.actions.show") : t("catalog.actions.hide")}
      </Button>
      {state === CatalogEntryState.CHANGED && (
        <Button size="xs" variant="subtle" color="red" onClick={() => setAction("reset")}>
          {t("catalog.reset")}
        </Button>
      )}
      <Modal opened={action !== undefined} onClose={close} title={action ? t(`catalog.actions.${action}Title`, { name }) : ""} centered closeButtonProps={{ "aria-label": t("common.close") }}>
        <Stack gap="md">
          <Text size="sm">{action ? t(`catalog.actions.${action}Text`) : ""}</Text>
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} data-autofocus disabled={pending}>
              {t("common.cancel")}
            </Button>
            <Button color={action === "reset" ? "red" : undefined} onClick={() => void confirm()} loading={pending}>
              {action ? t(`catalog.actions.${action}`) : ""}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
