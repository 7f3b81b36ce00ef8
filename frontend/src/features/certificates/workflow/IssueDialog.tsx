// Issuing is final: the dialog says so, and when the checker found a coded
// phrase or a grade other than the ratings' it lists the findings and asks
// for the reason the server requires (rule zeugo.confirmation), which the
// history keeps.
import { Alert, Badge, Button, Group, List, Modal, Stack, Text, Textarea } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CertificateStatus, TransitionCertificateRequestSchema, type Certificate } from "../../../gen/zeugo/v1/certificates_pb.js";
import { useTransition } from "../../../api/certificate-workflow.js";
import { errorMessage, isCode } from "../../../lib/errors.js";
import { notifySuccess } from "../../../lib/notify.js";
import { violationMessage, violationsFromError } from "../../../lib/validation.js";
import { kindColor, kindName } from "../text/labels.js";

/** IssueDialog asks before issuing the certificate. */
export function IssueDialog({ certificate, opened, onClose }: { certificate: Certificate; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const transition = useTransition();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const findings = certificate.check?.findings ?? [];
  // The server reads the text again when issuing; should it find what the
  // stored reading did not (ratings changed since), it asks for the reason.
  const [asked, setAsked] = useState(false);
  const needsReason = (certificate.check?.needsConfirmation ?? false) || asked;

  const close = () => {
    if (transition.isPending) return;
    setReason("");
    setAsked(false);
    setReasonError(undefined);
    setError(undefined);
    onClose();
  };

  const issue = async () => {
    setReasonError(undefined);
    setError(undefined);
    const text = reason.trim();
    if (needsReason && text === "") {
      setReasonError(t("certificateText.issue.reasonRequired"));
      return;
    }
    try {
      await transition.mutateAsync({
        id: certificate.id,
        version: certificate.version,
        status: CertificateStatus.ISSUED,
        confirmationReason: text,
      });
      notifySuccess(t, t("certificateText.actions.moved", { status: t("certificateText.status.5") }));
      close();
    } catch (err) {
      const violations = violationsFromError(err, TransitionCertificateRequestSchema);
      const atReason = violations.find((v) => v.field === "confirmationReason");
      if (atReason) {
        if (atReason.ruleId === "zeugo.confirmation") setAsked(true);
        setReasonError(atReason.ruleId === "zeugo.confirmation" ? t("certificateText.issue.reasonRequired") : violationMessage(atReason, t));
      } else if (violations.length > 0 && !isCode(err, Code.Aborted)) {
        setError(violations.map((v) => violationMessage(v, t)).join(" "));
      } else {
        setError(errorMessage(err, t));
      }
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t("certificateText.issue.title")} centered size="lg" closeButtonProps={{ "aria-label": t("common.close") }}>
      <Stack gap="md">
        <Text size="sm">{needsReason ? t("certificateText.issue.intro") : t("certificateText.issue.plainIntro")}</Text>
        {needsReason && findings.length > 0 && (
          <List size="sm" spacing={4}>
            {findings.map((f, i) => (
              <List.Item key={i}>
                <Group gap={6} wrap="nowrap" align="flex-start">
                  <Badge size="xs" color={kindColor(f.kind)} style={{ flexShrink: 0 }}>
                    {kindName(t, f.kind)}
                  </Badge>
                  <Text size="sm" title={f.messageEn}>
                    {f.messageDe}
                    {f.fragment !== "" && <> („{f.fragment}“)</>}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
        {needsReason && (
          <Textarea
            label={t("certificateText.issue.reason")}
            description={t("certificateText.issue.reasonHint")}
            required
            autosize
            minRows={2}
            maxLength={1000}
            value={reason}
            error={reasonError}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-autofocus
          />
        )}
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={transition.isPending} data-autofocus={needsReason ? undefined : true}>
            {t("common.cancel")}
          </Button>
          <Button color={needsReason ? "orange" : undefined} onClick={() => void issue()} loading={transition.isPending}>
            {needsReason ? t("certificateText.issue.confirm") : t("certificateText.issue.plainConfirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
