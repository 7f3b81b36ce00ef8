import { Alert, Button, Group, Modal, Paper, Progress, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  exportFinished,
  useCertificateExport,
  useDownloadCertificateExport,
  useStartCertificateExport,
} from "../../../api/certificate-export.js";
import { saveFile } from "../../../api/employees.js";
import { ErrorAlert } from "../../../components/ErrorAlert.js";
import { IconDownload } from "../../../components/icons.js";
import { CertificateExportState } from "../../../gen/zeugo/v1/certificates_pb.js";
import { formatDateTime, formatNumber } from "../../../lib/format.js";

/** The most certificates one export takes (the server's limit). */
export const maxExport = 1000;

/**
 * ExportBar acts on the certificates picked in the list: it starts one
 * ZIP of their PDFs (issued ones as stored, the others as a preview of
 * their current text), shows the background job's progress and offers the
 * finished ZIP for download.
 */
export function ExportBar({ selected, onClear }: { selected: ReadonlySet<string>; onClear: () => void }) {
  const { t, i18n } = useTranslation();
  const start = useStartCertificateExport();
  const [exportId, setExportId] = useState<string>();
  const count = selected.size;
  if (count === 0 && exportId === undefined) return null;
  const tooMany = count > maxExport;
  return (
    <>
      {count > 0 && (
        <Paper withBorder radius="lg" p="sm" role="region" aria-label={t("certificates.export.region")}>
          <Group justify="space-between" gap="sm">
            <Text size="sm">
              {t("certificates.export.selected", { count, formatted: formatNumber(count, i18n.language) })}
              {tooMany && (
                <Text span c="red.8" ml="xs">
                  {t("certificates.export.tooMany", { max: formatNumber(maxExport, i18n.language) })}
                </Text>
              )}
            </Text>
            <Group gap="xs">
              <Button variant="subtle" size="xs" onClick={onClear}>
                {t("certificates.export.clear")}
              </Button>
              <Button
                size="xs"
                leftSection={<IconDownload size={14} />}
                disabled={tooMany}
                loading={start.isPending}
                onClick={() =>
                  start.mutate(
                    { ids: [...selected] },
                    {
                      onSuccess: (res) => {
                        setExportId(res.export?.id);
                        onClear();
                      },
                    },
                  )
                }
              >
                {t("certificates.export.start")}
              </Button>
            </Group>
          </Group>
          {start.error && <ErrorAlert error={start.error} />}
        </Paper>
      )}
      {exportId !== undefined && <ExportProgress id={exportId} onClose={() => setExportId(undefined)} />}
    </>
  );
}

/** ExportProgress follows one export in a dialog and downloads it when done. */
function ExportProgress({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const query = useCertificateExport(id);
  const download = useDownloadCertificateExport();
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>();
  const ex = query.data?.export;
  const total = ex?.total ?? 0;
  const done = ex?.done ?? 0;
  const state = ex?.state;
  const percent = total > 0 ? Math.round((100 * done) / total) : 0;
  return (
    <Modal opened onClose={onClose} title={t("certificates.export.title")} centered>
      <Stack gap="md">
        {query.error ? (
          <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          <>
            <Progress
              value={state === CertificateExportState.DONE ? 100 : percent}
              animated={!exportFinished(state)}
              aria-label={t("certificates.export.progress")}
            />
            <Text size="sm" role="status" aria-live="polite">
              {state === CertificateExportState.DONE
                ? t("certificates.export.done", { total: formatNumber(total, i18n.language) })
                : state === CertificateExportState.FAILED
                  ? t("certificates.export.failed")
                  : t("certificates.export.running", {
                      done: formatNumber(done, i18n.language),
                      total: formatNumber(total, i18n.language),
                    })}
            </Text>
            {state === CertificateExportState.DONE && ex?.expireTime && (
              <Text size="xs" c="dimmed">
                {t("certificates.export.expires", { time: formatDateTime(ex.expireTime, i18n.language) })}
              </Text>
            )}
            {state === CertificateExportState.FAILED && (
              <Alert color="red" variant="light">
                {t("certificates.export.failedHint")}
              </Alert>
            )}
            {downloadError !== undefined && <ErrorAlert error={downloadError} />}
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("common.close")}
          </Button>
          <Button
            leftSection={<IconDownload size={16} />}
            disabled={state !== CertificateExportState.DONE}
            loading={downloading}
            onClick={() => {
              setDownloading(true);
              setDownloadError(undefined);
              download(id)
                .then(saveFile)
                .catch(setDownloadError)
                .finally(() => setDownloading(false));
            }}
          >
            {t("certificates.export.download")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
