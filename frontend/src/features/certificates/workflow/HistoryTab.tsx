// The workflow history: creation and every status change, who and when,
// and the reason given when a text with findings was issued.
import { Center, Loader, Text, Timeline } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { CertificateStatus } from "../../../gen/zeugo/v1/certificates_pb.js";
import { useHistory } from "../../../api/certificate-workflow.js";
import { ErrorAlert } from "../../../components/ErrorAlert.js";
import { formatDateTime } from "../../../lib/format.js";
import { statusLabelKey } from "./transitions.js";

/** HistoryTab shows the certificate's workflow history, oldest first. */
export function HistoryTab({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const query = useHistory(id);
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  }
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const entries = query.data.entries;
  if (entries.length === 0) return <Text c="dimmed">{t("certificateText.history.empty")}</Text>;
  return (
    <Timeline active={entries.length - 1} bulletSize={14} lineWidth={2} aria-label={t("certificateText.history.title")}>
      {entries.map((e, i) => {
        const created = e.previousStatus === CertificateStatus.UNSPECIFIED;
        const title = created
          ? t("certificateText.history.created")
          : t("certificateText.history.moved", { from: t(statusLabelKey(e.previousStatus)), to: t(statusLabelKey(e.status)) });
        return (
          <Timeline.Item key={i} title={title} color={e.status === CertificateStatus.ISSUED ? "teal" : undefined}>
            <Text size="sm" c="dimmed">
              {formatDateTime(e.time, i18n.language)}
              {e.actorName !== "" && ` · ${t("certificateText.history.by", { name: e.actorName })}`}
            </Text>
            {e.reason !== "" && (
              <Text size="sm" mt={4}>
                {t("certificateText.history.reason", { reason: e.reason })}
              </Text>
            )}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
