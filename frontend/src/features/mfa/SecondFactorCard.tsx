// "Zweiter Faktor" in "Mein Konto": the user's authenticator apps,
// passkeys, SMS numbers and recovery codes. Every change needs a fresh
// step-up (useStepUpGuard).
import { Alert, Badge, Button, Center, Group, Loader, Modal, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TotpEnrollment } from "../../gen/zeugo/v1/auth_pb.js";
import { ConfirmTotpEnrollmentRequestSchema, type SecondFactor } from "../../gen/zeugo/v1/factors_pb.js";
import { SecondFactorMethod } from "../../gen/zeugo/v1/auth_pb.js";
import {
  useConfirmTotpEnrollment,
  useMyFactors,
  useRegenerateRecoveryCodes,
  useRemoveFactor,
  useStartTotpEnrollment,
} from "../../api/mfa.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { IconAlert, IconKey, IconPlus, IconShield } from "../../components/icons.js";
import { AddSmsForm } from "./AddSms.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { Card } from "../account/AccountCard.js";
import { usePasskeyRegistration } from "./AddPasskey.js";
import { fewRecoveryCodes, hasRule, lastFactorRequiredRule } from "./codes.js";
import { EnrollTotpForm } from "./EnrollTotpForm.js";
import { RecoveryCodes } from "./RecoveryCodes.js";
import { StepUpCancelled, useStepUpGuard } from "./StepUp.js";

/** What the dialog of the card shows. */
type View =
  | { kind: "none" }
  | { kind: "enroll"; enrollment: TotpEnrollment }
  | { kind: "sms" }
  | { kind: "codes"; codes: string[]; title: string }
  | { kind: "remove"; factor: SecondFactor }
  | { kind: "regenerate" };

/** SecondFactorCard lists the caller's second factors and changes them. */
export function SecondFactorCard() {
  const { t, i18n } = useTranslation();
  const principal = usePrincipal();
  const query = useMyFactors();
  const start = useStartTotpEnrollment();
  const confirm = useConfirmTotpEnrollment();
  const remove = useRemoveFactor();
  const regenerate = useRegenerateRecoveryCodes();
  const [view, setView] = useState<View>({ kind: "none" });
  const [actionError, setActionError] = useState<string | undefined>();
  const data = query.data;
  const factors = data?.factors ?? [];
  const guard = useStepUpGuard({ validUntil: data?.stepUpValidUntil, hasFactor: factors.length > 0, methods: factors.map((f) => f.method), email: principal.email });
  // The kinds the tenant lets users add (an older answer without them: the app).
  const allowed = data && data.allowedMethods.length > 0 ? data.allowedMethods : [SecondFactorMethod.TOTP];
  const passkey = usePasskeyRegistration({
    run: guard.run,
    onCodes: (codes) => setView({ kind: "codes", codes, title: t("mfa.recovery.title") }),
    onError: setActionError,
  });
  const close = () => setView({ kind: "none" });

  /** guarded runs a change behind the step-up; a cancelled step-up is no error. */
  const guarded = async (action: () => Promise<void>, failure: (err: unknown) => string = (err) => errorMessage(err, t)) => {
    setActionError(undefined);
    try {
      await guard.run(action);
    } catch (err) {
      if (err instanceof StepUpCancelled) return;
      setActionError(failure(err));
      close();
    }
  };

  const onAdd = () =>
    void guarded(async () => {
      const res = await start.mutateAsync({});
      if (res.enrollment) setView({ kind: "enroll", enrollment: res.enrollment });
    });

  // The step-up comes before the dialog (it needs the number before it can send).
  const onAddSms = () => void guarded(async () => setView({ kind: "sms" }));

  const onConfirm = (enrollment: TotpEnrollment) => async (values: { totpCode: string; name: string }) => {
    // Field errors (a wrong code) stay in the form; a lapsed step-up asks again.
    const res = await guard.run(() => confirm.mutateAsync({ enrollmentId: enrollment.enrollmentId, totpCode: values.totpCode, name: values.name }));
    notifySuccess(t, t("mfa.account.added", { name: res.factor?.name || t("mfa.defaultName") }));
    if (res.recoveryCodes.length > 0) setView({ kind: "codes", codes: res.recoveryCodes, title: t("mfa.recovery.title") });
    else close();
  };

  // The confirmation closes first, so that a step-up dialog is never stacked on it.
  const onRemove = (factor: SecondFactor) => {
    close();
    void guarded(
      async () => {
        await remove.mutateAsync({ id: factor.id });
        notifySuccess(t, t("mfa.account.removed", { name: factor.name || t("mfa.defaultName") }));
      },
      (err) => (hasRule(err, lastFactorRequiredRule) ? t("mfa.account.lastRequired") : errorMessage(err, t)),
    );
  };

  const onRegenerate = () => {
    close();
    void guarded(async () => {
      const res = await regenerate.mutateAsync({});
      setView({ kind: "codes", codes: res.recoveryCodes, title: t("mfa.recovery.newTitle") });
    });
  };

  const left = data?.recoveryCodesLeft ?? 0;

  return (
    <Card
      title={t("mfa.account.title")}
      hint={t("mfa.account.hint")}
      actions={
        data && (
          <Group gap="sm">
            {allowed.includes(SecondFactorMethod.WEBAUTHN) && (
              <Button leftSection={<IconKey size={16} />} variant="light" onClick={passkey.start} loading={passkey.starting}>
                {t("passkeys.add.button")}
              </Button>
            )}
            {allowed.includes(SecondFactorMethod.TOTP) && (
              <Button leftSection={<IconPlus size={16} />} variant="light" onClick={onAdd} loading={start.isPending}>
                {t("mfa.account.add")}
              </Button>
            )}
            {allowed.includes(SecondFactorMethod.SMS) && (
              <Button leftSection={<IconPlus size={16} />} variant="light" onClick={onAddSms}>
                {t("mfa.sms.add.button")}
              </Button>
            )}
          </Group>
        )
      }
    >
      {query.isPending ? (
        <Center py="lg">
          <Loader aria-label={t("app.loading")} />
        </Center>
      ) : query.isError ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Stack gap="md" data-testid="second-factor-section">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text c={data?.required ? "zeugo.8" : "dimmed"} mt={2} aria-hidden>
              <IconShield size={18} />
            </Text>
            <Text size="sm">{data?.required ? t("mfa.account.required") : t("mfa.account.optional")}</Text>
          </Group>
          {actionError && (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert" withCloseButton onClose={() => setActionError(undefined)} closeButtonLabel={t("common.close")}>
              {actionError}
            </Alert>
          )}
          {factors.length === 0 ? (
            <Text size="sm" c="dimmed">
              {data?.required ? t("mfa.account.noneRequired") : t("mfa.account.none")}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="sm" aria-label={t("mfa.account.table")}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("common.name")}</Table.Th>
                    <Table.Th>{t("mfa.account.method")}</Table.Th>
                    <Table.Th>{t("mfa.account.addedOn")}</Table.Th>
                    <Table.Th>{t("mfa.account.lastUsed")}</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>{t("common.actions")}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {factors.map((f) => {
                    const name = f.name || t("mfa.defaultName");
                    return (
                      <Table.Tr key={f.id} data-testid="factor-row">
                        <Table.Td>
                          <Text size="sm" fw={500}>
                            {name}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{methodLabel(f.method, t)}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{formatDateTime(f.createdAt, i18n.language)}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{f.lastUsedAt ? formatDateTime(f.lastUsedAt, i18n.language) : t("mfa.account.neverUsed")}</Text>
                        </Table.Td>
                        <Table.Td ta="right">
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={t("mfa.account.removeLabel", { name })}
                            loading={remove.isPending && remove.variables?.id === f.id}
                            onClick={() => setView({ kind: "remove", factor: f })}
                          >
                            {t("mfa.account.remove")}
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {factors.length > 0 && (
            <Group justify="space-between" gap="sm" wrap="wrap">
              <Group gap="xs">
                <Text size="sm" fw={500} data-testid="recovery-left">
                  {t("mfa.account.codesLeft", { count: left })}
                </Text>
                {left <= fewRecoveryCodes && (
                  <Badge color="yellow" variant="light" size="sm">
                    {t("mfa.account.codesFew")}
                  </Badge>
                )}
              </Group>
              <Button size="xs" variant="default" loading={regenerate.isPending} onClick={() => setView({ kind: "regenerate" })}>
                {t("mfa.account.regenerate")}
              </Button>
            </Group>
          )}
        </Stack>
      )}
      <Modal
        opened={view.kind !== "none"}
        onClose={close}
        title={dialogTitle(view, t)}
        centered
        size={view.kind === "enroll" || view.kind === "codes" || view.kind === "sms" ? "md" : "sm"}
        closeOnClickOutside={view.kind !== "codes"}
        withCloseButton={view.kind !== "codes"}
        closeOnEscape={view.kind !== "codes"}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        {view.kind === "enroll" && (
          <EnrollTotpForm enrollment={view.enrollment} schema={ConfirmTotpEnrollmentRequestSchema} confirm={onConfirm(view.enrollment)} onFatal={(err) => isFatal(err, close, setActionError, t)} onCancel={close} />
        )}
        {view.kind === "sms" && (
          <AddSmsForm
            run={guard.run}
            onCancel={close}
            onAdded={(res) => {
              notifySuccess(t, t("mfa.account.added", { name: res.factor?.name || t("mfa.sms.defaultName") }));
              if (res.recoveryCodes.length > 0) setView({ kind: "codes", codes: res.recoveryCodes, title: t("mfa.recovery.title") });
              else close();
            }}
          />
        )}
        {view.kind === "codes" && <RecoveryCodes codes={view.codes} email={principal.email} tenant={principal.tenantName} onDone={close} doneLabel={t("mfa.recovery.done")} />}
        {view.kind === "remove" && (
          <Stack gap="md">
            <Text size="sm">
              {factors.length === 1 ? t("mfa.account.removeLastText", { name: view.factor.name || t("mfa.defaultName") }) : t("mfa.account.removeText", { name: view.factor.name || t("mfa.defaultName") })}
            </Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} data-autofocus>
                {t("common.cancel")}
              </Button>
              <Button color="red" onClick={() => onRemove(view.factor)}>
                {t("mfa.account.remove")}
              </Button>
            </Group>
          </Stack>
        )}
        {view.kind === "regenerate" && (
          <Stack gap="md">
            <Text size="sm">{t("mfa.account.regenerateText")}</Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} data-autofocus>
                {t("common.cancel")}
              </Button>
              <Button onClick={onRegenerate}>
                {t("mfa.account.regenerateConfirm")}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      {passkey.dialog}
      {guard.dialog}
    </Card>
  );
}

function methodLabel(method: SecondFactorMethod, t: (key: string) => string): string {
  switch (method) {
    case SecondFactorMethod.TOTP:
      return t("mfa.method.totp");
    case SecondFactorMethod.WEBAUTHN:
      return t("mfa.method.webauthn");
    case SecondFactorMethod.SMS:
      return t("mfa.method.sms");
    default:
      return t("mfa.method.other");
  }
}

function dialogTitle(view: View, t: (key: string, p?: Record<string, string>) => string): string {
  switch (view.kind) {
    case "enroll":
      return t("mfa.enroll.title");
    case "sms":
      return t("mfa.sms.add.title");
    case "codes":
      return view.title;
    case "remove":
      return t("mfa.account.removeTitle", { name: view.factor.name || t("mfa.defaultName") });
    case "regenerate":
      return t("mfa.account.regenerateTitle");
    case "none":
      return "";
  }
}

/**
 * isFatal ends the enrollment dialog for errors the form cannot help with:
 * a cancelled step-up keeps the form open; an enrollment that lapsed
 * (NotFound) or any other refusal closes it with the message on the card.
 */
function isFatal(err: unknown, close: () => void, setError: (m: string) => void, t: Parameters<typeof errorMessage>[1]): boolean {
  if (err instanceof StepUpCancelled) return true;
  if (isCode(err, Code.NotFound) || isCode(err, Code.FailedPrecondition)) {
    setError(isCode(err, Code.NotFound) ? t("mfa.account.enrollLapsed") : errorMessage(err, t));
    close();
    return true;
  }
  return false;
}
