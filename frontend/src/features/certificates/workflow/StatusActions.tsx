// The editor header's actions: the workflow moves the server offers now,
// issuing with its confirmation, the private flag, PDF preview and
// download, a correction of an issued certificate and deletion.
import { Alert, Button, Group, Stack, Switch, Text } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { Area } from "../../../gen/zeugo/v1/access_pb.js";
import { CertificateStatus, TransitionCertificateRequestSchema, type Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { useCorrect, useDownload, useSetPrivate, useTransition } from "../../../api/certificate-workflow.js";
import { useDeleteCertificate } from "../../../api/certificates.js";
import { saveFile } from "../../../api/employees.js";
import { ConfirmDeleteModal } from "../../../components/ConfirmDeleteModal.js";
import { errorMessage, isCode } from "../../../lib/errors.js";
import { notifySuccess } from "../../../lib/notify.js";
import { usePrincipal } from "../../../lib/session-context.js";
import { violationMessage, violationsFromError } from "../../../lib/validation.js";
import { IssueDialog } from "./IssueDialog.js";
import { pdfFile } from "./pdf-file.js";
import { PdfPreview } from "./PdfPreview.js";
import { statusLabelKey, transitionLabelKey, isBack } from "./transitions.js";

/** StatusActions shows what can be done with the certificate now. */
export function StatusActions({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const principal = usePrincipal();
  const transition = useTransition();
  const setPrivate = useSetPrivate();
  const correct = useCorrect();
  const remove = useDeleteCertificate();
  const download = useDownload();
  const [issuing, setIssuing] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const issued = certificate.status === CertificateStatus.ISSUED;
  const readOnlyTenant = principal.tenantReadOnly;
  const mayTogglePrivate = !readOnlyTenant && (certificate.createdByCaller || principal.areas.includes(Area.ADMINISTRATOR));

  const failed = (err: unknown) => {
    const violations = isCode(err, Code.Aborted) ? [] : violationsFromError(err, TransitionCertificateRequestSchema);
    setError(violations.length > 0 ? violations.map((v) => violationMessage(v, t)).join(" ") : errorMessage(err, t));
  };

  const move = async (to: CertificateStatus) => {
    setError(undefined);
    if (to === CertificateStatus.ISSUED) {
      setIssuing(true);
      return;
    }
    try {
      await transition.mutateAsync({ id: certificate.id, version: certificate.version, status: to });
      notifySuccess(t, t("certificateText.actions.moved", { status: t(statusLabelKey(to)) }));
    } catch (err) {
      failed(err);
    }
  };

  const togglePrivate = async (value: boolean) => {
    setError(undefined);
    try {
      await setPrivate.mutateAsync({ id: certificate.id, version: certificate.version, private: value });
      notifySuccess(t, value ? t("certificateText.actions.privateOn") : t("certificateText.actions.privateOff"));
    } catch (err) {
      failed(err);
    }
  };

  const onDownload = async () => {
    setError(undefined);
    try {
      saveFile(pdfFile(await download.mutateAsync({ id: certificate.id })));
    } catch (err) {
      failed(err);
    }
  };

  const onCorrect = async () => {
    setError(undefined);
    try {
      const res = await correct.mutateAsync({ id: certificate.id });
      notifySuccess(t, t("certificateText.actions.corrected"));
      if (res.certificate) void navigate(`/certificates/${res.certificate.id}`);
    } catch (err) {
      failed(err);
    }
  };

  const deleteName = t("certificateText.actions.deleteName", { name: certificate.employeeName });

  return (
    <Stack gap="xs" align="flex-start">
      <Group gap="xs" role="group" aria-label={t("certificateText.actions.label")}>
        {!readOnlyTenant &&
          certificate.nextStatuses.map((to) => (
            <Button
              key={to}
              size="sm"
              variant={isBack(certificate.status, to) ? "default" : "filled"}
              color={to === CertificateStatus.ISSUED ? "teal" : undefined}
              loading={transition.isPending && transition.variables?.status === to}
              onClick={() => void move(to)}
            >
              {t(transitionLabelKey(certificate.status, to))}
            </Button>
          ))}
        <Button size="sm" variant="default" onClick={() => setPreviewing(true)}>
          {t("certificateText.actions.preview")}
        </Button>
        <Button size="sm" variant="default" loading={download.isPending} onClick={() => void onDownload()}>
          {t("certificateText.actions.download")}
        </Button>
        {issued && !readOnlyTenant && (
          <Button size="sm" variant="default" loading={correct.isPending} onClick={() => void onCorrect()}>
            {t("certificateText.actions.correct")}
          </Button>
        )}
        {!readOnlyTenant && (
          <Button size="sm" variant="subtle" color="red" onClick={() => setDeleting(true)}>
            {t("certificateText.actions.delete")}
          </Button>
        )}
      </Group>
      {mayTogglePrivate && (
        <Switch
          size="sm"
          label={t("certificateText.actions.private")}
          description={t("certificateText.actions.privateHint")}
          checked={certificate.private}
          disabled={setPrivate.isPending}
          onChange={(e) => void togglePrivate(e.currentTarget.checked)}
          maw={420}
        />
      )}
      {issued && certificate.documentSha256 !== "" && (
        <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: "break-all" }} maw={520}>
          {t("certificateText.actions.sha", { sha: certificate.documentSha256 })}
        </Text>
      )}
      {error && (
        <Alert color="red" variant="light" role="alert" maw={520}>
          {error}
        </Alert>
      )}
      <IssueDialog certificate={certificate} opened={issuing} onClose={() => setIssuing(false)} />
      <PdfPreview certificate={certificate} opened={previewing} onClose={() => setPreviewing(false)} />
      <ConfirmDeleteModal
        opened={deleting}
        name={deleteName}
        onCancel={() => setDeleting(false)}
        onConfirm={async () => {
          await remove.mutateAsync({ id: certificate.id });
          setDeleting(false);
          notifySuccess(t, t("certificateText.actions.deleted"));
          void navigate("/certificates");
        }}
      />
    </Stack>
  );
}
