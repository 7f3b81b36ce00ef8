import { Alert, Button, Group, List, Modal, Paper, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { Code, ConnectError } from "@connectrpc/connect";
import type { TFunction } from "i18next";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { saveFile, safeFileName, useEraseEmployee, useExportEmployeeData, useSetLegalHold } from "../../api/employees.js";
import { IconAlert, IconLock, IconTrash } from "../../components/icons.js";
import type { Employee } from "../../gen/zeugo/v1/employees_pb.js";
import { errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { violationMessage, violationsFromError } from "../../lib/validation.js";
import { displayName } from "./form.js";

/** Rule ids of the server's refusals to delete or erase (a violation on "id"). */
export const ruleLegalHold = "zeugo.legal_hold";
export const ruleReferenced = "zeugo.employee_referenced";
export const ruleConfirmation = "zeugo.confirmation";

/** references names what refers to the employee, from violation messages "<kind>: <count>". */
function references(messages: string[], t: TFunction): string {
  return messages
    .map((m) => {
      const match = /^([a-z_]+):\s*(\d+)$/.exec(m.trim());
      if (!match) return "";
      const [, kind, count] = match;
      return t(`employees.privacy.references.${kind}`, { count: Number(count), defaultValue: "" });
    })
    .filter((s) => s !== "")
    .join(", ");
}

/**
 * refusalMessage says why the server refused to delete or erase an
 * employee, so that the person knows what to do: a legal hold stands, or
 * certificates refer to the employee (and how many). Other errors read as
 * usual.
 */
export function refusalMessage(err: unknown, employee: Employee | undefined, t: TFunction): string {
  const violations = violationsFromError(err);
  if (violations.some((v) => v.ruleId === ruleLegalHold)) return t("employees.privacy.refusedHold");
  const refs = violations.filter((v) => v.ruleId === ruleReferenced);
  if (refs.length > 0) {
    const which = references(refs.map((v) => v.message), t);
    return which ? t("employees.privacy.refusedReferencedWhich", { which }) : t("employees.privacy.refusedReferenced");
  }
  if (violations.some((v) => v.ruleId === ruleConfirmation)) return t("employees.privacy.eraseMismatch");
  if (err instanceof ConnectError && err.code === Code.FailedPrecondition) {
    // A server without the rule ids: its message, or what the employee shows.
    const raw = err.rawMessage.toLowerCase();
    if (raw.includes("referenc")) return t("employees.privacy.refusedReferenced");
    if (raw.includes("legal hold") || employee?.legalHold) return t("employees.privacy.refusedHold");
    return t("employees.privacy.refused", { reason: errorMessage(err, t) });
  }
  const [first] = violations;
  return first ? violationMessage(first, t) : errorMessage(err, t);
}

/**
 * ActionModal confirms one action. Focus starts on "Abbrechen", the safe
 * choice; a refusal stays in the modal, in words the person can act on.
 */
export function ActionModal({
  opened,
  title,
  confirmLabel,
  danger,
  canConfirm = true,
  employee,
  onCancel,
  onConfirm,
  children,
}: {
  opened: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  canConfirm?: boolean;
  employee: Employee;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const close = () => {
    if (busy) return;
    setError(undefined);
    onCancel();
  };
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (err) {
      setError(refusalMessage(err, employee, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered size="lg" closeButtonProps={{ "aria-label": t("common.close") }}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (canConfirm && !busy) void confirm();
        }}
        noValidate
      >
        <Stack gap="md">
          {children}
          {error && (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} data-autofocus disabled={busy}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" color={danger ? "red" : undefined} loading={busy} disabled={!canConfirm}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type Pending = "hold" | "lift" | "erase" | undefined;

/**
 * PrivacyActions are the data subject's rights and the legal hold, for the
 * Datenschutz area: export everything stored (GDPR Art. 15/20), set or
 * lift a legal hold, and erase the employee for good (Art. 17).
 */
export function PrivacyActions({ employee, onGone }: { employee: Employee; onGone: () => void }) {
  const { t } = useTranslation();
  const exportData = useExportEmployeeData();
  const setHold = useSetLegalHold();
  const erase = useEraseEmployee();
  const [pending, setPending] = useState<Pending>();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [typed, setTyped] = useState("");
  const [exportError, setExportError] = useState<string | undefined>();
  const name = displayName(employee.fields);
  const number = employee.fields?.personnelNumber ?? "";
  const held = employee.legalHold !== undefined;

  const runExport = async () => {
    setExportError(undefined);
    try {
      const res = await exportData.mutateAsync({ id: employee.id });
      // One ZIP from the server: the JSON document and the certificates'
      // PDFs. A server without the archive answers with the document alone.
      const archive = res.archive.length > 0;
      const fileName = archive
        ? safeFileName(res.archiveFileName) || `auskunft-${number}.zip`
        : safeFileName(res.fileName) || `auskunft-${number}.json`;
      const blob = archive
        ? new Blob([new Uint8Array(res.archive)], { type: "application/zip" })
        : new Blob([new Uint8Array(res.document)], { type: "application/json" });
      saveFile({ blob, fileName });
      notifySuccess(t, t("employees.privacy.exported", { name: fileName }));
    } catch (err) {
      setExportError(refusalMessage(err, employee, t));
    }
  };
  const open = (p: Pending) => {
    setReason("");
    setReasonError(undefined);
    setTyped("");
    setPending(p);
  };

  return (
    <Paper withBorder radius="lg" p="lg" bg="var(--mantine-color-gray-0)">
      <Stack gap="sm">
        <Title order={3} fz="h5" c="zeugo.9">
          {t("employees.sections.privacy")}
        </Title>
        <Text size="sm" c="dimmed">
          {t("employees.privacy.intro")}
        </Text>
        {exportError && (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {exportError}
          </Alert>
        )}
        <Group gap="sm">
          <Button variant="default" loading={exportData.isPending} onClick={() => void runExport()} title={t("employees.privacy.exportHint")}>
            {t("employees.privacy.export")}
          </Button>
          <Button variant="default" leftSection={<IconLock size={16} />} onClick={() => open(held ? "lift" : "hold")}>
            {held ? t("employees.privacy.liftHold") : t("employees.privacy.setHold")}
          </Button>
          <Button color="red" variant="light" leftSection={<IconTrash size={16} />} onClick={() => open("erase")}>
            {t("employees.privacy.erase")}
          </Button>
        </Group>
      </Stack>

      <ActionModal
        opened={pending === "hold"}
        title={t("employees.privacy.holdTitle", { name })}
        confirmLabel={t("employees.privacy.setHold")}
        employee={employee}
        onCancel={() => setPending(undefined)}
        onConfirm={async () => {
          if (reason.trim() === "") {
            setReasonError(t("validation.rule.required"));
            return;
          }
          try {
            await setHold.mutateAsync({ id: employee.id, hold: true, reason: reason.trim() });
          } catch (err) {
            const [first] = violationsFromError(err);
            if (first?.field === "reason") {
              setReasonError(violationMessage(first, t));
              return;
            }
            throw err;
          }
          setPending(undefined);
          notifySuccess(t, t("employees.privacy.holdSet", { name }));
        }}
      >
        <Text size="sm">{t("employees.privacy.holdText")}</Text>
        <Textarea
          label={t("employees.privacy.holdReason")}
          description={t("employees.privacy.holdReasonHint")}
          required
          autosize
          minRows={2}
          maxLength={500}
          value={reason}
          error={reasonError}
          onChange={(e) => {
            setReason(e.currentTarget.value);
            setReasonError(undefined);
          }}
        />
      </ActionModal>

      <ActionModal
        opened={pending === "lift"}
        title={t("employees.privacy.liftTitle", { name })}
        confirmLabel={t("employees.privacy.liftHold")}
        employee={employee}
        onCancel={() => setPending(undefined)}
        onConfirm={async () => {
          await setHold.mutateAsync({ id: employee.id, hold: false, reason: "" });
          setPending(undefined);
          notifySuccess(t, t("employees.privacy.holdLifted", { name }));
        }}
      >
        <Text size="sm">{t("employees.privacy.liftText")}</Text>
      </ActionModal>

      <ActionModal
        opened={pending === "erase"}
        title={t("employees.privacy.eraseTitle", { name })}
        confirmLabel={t("employees.privacy.erase")}
        danger
        canConfirm={typed.trim() === number}
        employee={employee}
        onCancel={() => setPending(undefined)}
        onConfirm={async () => {
          await erase.mutateAsync({ id: employee.id, confirmPersonnelNumber: typed.trim() });
          setPending(undefined);
          notifySuccess(t, t("employees.privacy.erased", { name }));
          onGone();
        }}
      >
        <Text size="sm">{t("employees.privacy.eraseIntro")}</Text>
        <List size="sm" spacing={4}>
          <List.Item>{t("employees.privacy.eraseItems.master")}</List.Item>
          <List.Item>{t("employees.privacy.eraseItems.lists")}</List.Item>
          <List.Item>{t("employees.privacy.eraseItems.index")}</List.Item>
        </List>
        <Text size="sm" fw={500}>
          {t("employees.privacy.eraseAudit")}
        </Text>
        <TextInput
          label={t("employees.privacy.eraseConfirm")}
          description={t("employees.privacy.eraseConfirmHint", { number })}
          autoComplete="off"
          maxLength={40}
          value={typed}
          error={typed.trim() !== "" && !number.startsWith(typed.trim()) ? t("employees.privacy.eraseMismatch") : undefined}
          onChange={(e) => setTyped(e.currentTarget.value)}
        />
      </ActionModal>
    </Paper>
  );
}
