// The delete button of a list row and the confirmation it opens — the same
// in every list, so it lives here once.
import { ActionIcon, Tooltip } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDeleteModal } from "./ConfirmDeleteModal.js";
import { IconTrash } from "./icons.js";

/**
 * useDeleteConfirmation returns a row's delete button and the dialog that
 * asks before `remove` runs; `onDeleted` gets the name (for a notification).
 */
export function useDeleteConfirmation<Row>(opts: {
  name: (row: Row) => string;
  remove: (row: Row) => Promise<unknown>;
  onDeleted: (name: string) => void;
}): { button: (row: Row) => ReactNode; modal: ReactNode } {
  const { t } = useTranslation();
  const [target, setTarget] = useState<Row | undefined>();
  const button = (row: Row) => {
    const name = opts.name(row);
    return (
      <Tooltip label={t("common.delete")} openDelay={400}>
        <ActionIcon variant="subtle" color="red" aria-label={`${t("common.delete")}: ${name}`} onClick={() => setTarget(row)}>
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    );
  };
  const modal = (
    <ConfirmDeleteModal
      opened={target !== undefined}
      name={target !== undefined ? opts.name(target) : ""}
      onCancel={() => setTarget(undefined)}
      onConfirm={async () => {
        if (target === undefined) return;
        const name = opts.name(target);
        await opts.remove(target);
        setTarget(undefined);
        opts.onDeleted(name);
      }}
    />
  );
  return { button, modal };
}
