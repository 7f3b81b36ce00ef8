// The PDF in the browser before it is issued (and the stored one after):
// the bytes come from DownloadCertificate (an audited access), become a
// same-origin blob URL shown in a frame (the CSP allows `frame-src blob:`
// and nothing more), and the URL is revoked when the preview closes.
import { Alert, Button, Center, Group, Loader, Modal, Stack, Text } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { useDownload } from "../../../api/certificate-workflow.js";
import { errorMessage } from "../../../lib/errors.js";
import { pdfFile } from "./pdf-file.js";
import { saveFile } from "../../../api/employees.js";

/** PdfPreview shows the certificate's PDF in a modal while `opened`. */
export function PdfPreview({ certificate, opened, onClose }: { certificate: Certificate; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const download = useDownload();
  const [file, setFile] = useState<{ url: string; blob: Blob; fileName: string; issued: boolean } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const { mutateAsync } = download;
  const id = certificate.id;

  useEffect(() => {
    if (!opened) return;
    let url: string | undefined;
    let gone = false;
    setError(undefined);
    mutateAsync({ id })
      .then((res) => {
        if (gone) return;
        const f = pdfFile(res);
        url = URL.createObjectURL(f.blob);
        setFile({ ...f, url, issued: res.issued });
      })
      .catch((err: unknown) => {
        if (!gone) setError(errorMessage(err, t));
      });
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
      setFile(undefined);
    };
  }, [opened, id, mutateAsync, t]);

  return (
    <Modal opened={opened} onClose={onClose} title={t("certificateText.preview.title")} size="xl" centered closeButtonProps={{ "aria-label": t("common.close") }}>
      <Stack gap="sm">
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        {!file && !error && (
          <Center py="xl">
            <Loader aria-label={t("certificateText.preview.loading")} />
          </Center>
        )}
        {file && (
          <>
            {!file.issued && (
              <Text size="xs" c="dimmed">
                {t("certificateText.preview.notIssued")}
              </Text>
            )}
            <iframe
              src={file.url}
              title={t("certificateText.preview.frame")}
              style={{ width: "100%", height: "70vh", border: "1px solid var(--mantine-color-gray-3)", borderRadius: 6 }}
            />
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                {t("certificateText.preview.fallback")}
              </Text>
              <Button variant="default" size="xs" onClick={() => saveFile(file)}>
                {t("certificateText.actions.download")}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Modal>
  );
}
