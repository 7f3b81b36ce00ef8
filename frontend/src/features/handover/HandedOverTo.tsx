import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useHandovers } from "../../api/handovers.js";
import { formatDateTime } from "../../lib/format.js";
import { isOpen } from "./state.js";

/**
 * HandedOverTo is the editor header's line "Übergeben an …" while a
 * handover is open: HR sees at once that someone else is working on it.
 * Nothing when none is open or the list is not readable.
 */
export function HandedOverTo({ certificateId }: { certificateId: string }) {
  const { t, i18n } = useTranslation();
  const query = useHandovers(certificateId);
  const open = (query.data?.handovers ?? []).filter(isOpen);
  if (open.length === 0) return null;
  return (
    <Text size="sm" c="blue.8" fw={500}>
      {t("handover.header.handedOverTo", {
        names: open.map((h) => h.recipient?.name ?? "").join(", "),
        time: formatDateTime(open[0]?.expireTime, i18n.language),
      })}
    </Text>
  );
}
