// The change log (when the tenant's change tracking is on): one row per
// changed field with its value before and after, newest first.
import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { FieldChange } from "../../../gen/zeugo/v1/certificates_pb.js";
import { useChangeLog } from "../../../api/certificate-workflow.js";
import { DataTable, type DataColumn } from "../../../components/DataTable.js";
import { textColumn } from "../../../components/columns.js";
import { formatDateTime } from "../../../lib/format.js";
import { sectionName } from "../text/labels.js";

/** ChangesTab pages through the certificate's change log. */
export function ChangesTab({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const data = useChangeLog(id);
  const value = (v: string) => (v === "" ? t("certificateText.changes.emptyValue") : v);
  const who = (c: FieldChange) => {
    const kind = c.actorKind !== "" && c.actorKind !== "user" ? t(`certificateText.changes.actor.${c.actorKind}`, { defaultValue: c.actorKind }) : "";
    return kind !== "" ? `${c.actorName} (${kind})` : c.actorName;
  };
  const columns: DataColumn<FieldChange>[] = [
    textColumn("section", t("certificateText.changes.section"), (c) => sectionName(t, c.section)),
    textColumn("field", t("certificateText.changes.field"), (c) => c.field),
    {
      id: "change",
      header: t("certificateText.changes.change"),
      width: "40%",
      cell: (c) => (
        <Text size="sm" lineClamp={2} title={`${value(c.before)} → ${value(c.after)}`}>
          <Text span c="dimmed" size="sm">
            {value(c.before)}
          </Text>
          {" → "}
          {value(c.after)}
        </Text>
      ),
    },
    textColumn("who", t("certificateText.changes.who"), who),
    textColumn("when", t("certificateText.changes.when"), (c) => formatDateTime(c.time, i18n.language)),
  ];
  return (
    <DataTable
      label={t("certificateText.changes.title")}
      columns={columns}
      data={data}
      rowKey={(c) => `${c.time?.seconds ?? 0}:${c.time?.nanos ?? 0}:${c.section}:${c.field}`}
      empty={{ title: t("certificateText.changes.emptyTitle"), description: t("certificateText.changes.emptyText") }}
      minWidth={720}
    />
  );
}
