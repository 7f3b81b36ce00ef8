// The step-up before a change of second factors (and of the tenant's
// second-factor settings): the server accepts such a change only within
// five minutes of proving a factor again (a user without one: the
// password). useStepUpGuard runs a change, asking for the
// proof first when none counts any more — or when the server says so.
import { Alert, Anchor, Button, getDefaultZIndex, Group, Modal, PasswordInput, Stack, Text } from "@mantine/core";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { useForm } from "@mantine/form";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { SecondFactorMethod, StepUpRequestSchema } from "../../gen/zeugo/v1/auth_pb.js";
import { useBeginStepUp, useSendStepUpSms, useStepUp } from "../../api/mfa.js";
import { IconAlert } from "../../components/icons.js";
import { errorMessage } from "../../lib/errors.js";
import { validateMessage, violationsFromError } from "../../lib/validation.js";
import { codeMessage, hasRule, recoveryCodeInput, stepUpFresh, stepUpRequiredRule } from "./codes.js";
import { codeFieldProps, RecoveryCodeInput, TotpCodeInput } from "./CodeInput.js";
import { passkeyErrorMessage, signWithPasskey } from "./passkeys.js";
import { SmsCodeInput, SmsError, SmsResend, SmsSent, smsSendError } from "./SmsCode.js";

/** StepUpCancelled is thrown by a guarded change when the user closed the step-up dialog. */
export class StepUpCancelled extends Error {
  constructor() {
    super("step-up cancelled");
    this.name = "StepUpCancelled";
  }
}

type Proof = "totp" | "sms" | "recovery" | "password" | "passkey";

type Values = { totpCode: string; smsCode: string; recoveryCode: string; password: string };

const fieldOf: Record<Exclude<Proof, "passkey">, keyof Values> = { totp: "totpCode", sms: "smsCode", recovery: "recoveryCode", password: "password" };

/** What the step-up is for: a change of one's own factors, or of the organisation's sign-in rules. */
export type StepUpReason = "factors" | "settings";

/**
 * firstProof is what the dialog asks for first: a passkey when the user has
 * one (a touch instead of typing), else the app's code, else a code by SMS,
 * else (only recovery codes left of a factor) a recovery code, else the
 * password.
 */
function firstProof(hasFactor: boolean, methods: readonly SecondFactorMethod[] | undefined): Proof {
  if (!hasFactor) return "password";
  if (methods?.includes(SecondFactorMethod.WEBAUTHN)) return "passkey";
  if (methods === undefined || methods.includes(SecondFactorMethod.TOTP)) return "totp";
  if (methods.includes(SecondFactorMethod.SMS)) return "sms";
  return "recovery";
}

/** introKey is the dialog's first sentence for a proof and a reason. */
function introKey(mode: Proof, reason: StepUpReason): string {
  if (reason === "settings") return `mfa.stepUp.settings.${mode}`;
  switch (mode) {
    case "password":
      return "mfa.stepUp.passwordIntro";
    case "passkey":
      return "passkeys.stepUp.intro";
    case "totp":
      return "mfa.stepUp.totpIntro";
    case "sms":
      return "mfa.sms.stepUpIntro";
    case "recovery":
      return "mfa.stepUp.recoveryIntro";
  }
}

/** StepUpDialog asks for a passkey, a code of the app or by SMS, a recovery code, or (without a factor) the password. */
export function StepUpDialog({
  opened,
  hasFactor,
  methods,
  email,
  reason = "factors",
  onCancel,
  onDone,
}: {
  opened: boolean;
  hasFactor: boolean;
  /** The kinds of the user's factors (undefined: an authenticator app is assumed). */
  methods?: readonly SecondFactorMethod[];
  email: string;
  reason?: StepUpReason;
  onCancel: () => void;
  onDone: (validUntil: Timestamp | undefined) => void;
}) {
  const { t } = useTranslation();
  const stepUp = useStepUp();
  const beginStepUp = useBeginStepUp();
  const sendSms = useSendStepUpSms();
  const first = firstProof(hasFactor, methods);
  const hasApp = methods === undefined || methods.includes(SecondFactorMethod.TOTP);
  const hasPasskey = methods?.includes(SecondFactorMethod.WEBAUTHN) ?? false;
  const hasSms = methods?.includes(SecondFactorMethod.SMS) ?? false;
  // The SMS code is sent only on request; the answer names the number's end.
  const [smsSent, setSmsSent] = useState<{ phone: string; expiresAt: Timestamp | undefined } | null>(null);
  const [smsError, setSmsError] = useState<string | undefined>();
  const [proof, setProof] = useState<Proof>(first);
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const [formError, setFormError] = useState<string | undefined>();
  const form = useForm<Values>({ mode: "controlled", initialValues: { totpCode: "", smsCode: "", recoveryCode: "", password: "" } });
  // When a code has been sent the code field takes the focus, once React
  // has put it on the page (each send: a resend too).
  const formRef = useRef(form);
  formRef.current = form;
  useEffect(() => {
    if (smsSent) formRef.current.getInputNode("smsCode")?.focus();
  }, [smsSent]);
  const mode: Proof = hasFactor ? (proof === "password" ? first : proof) : "password";
  const field = fieldOf[mode === "passkey" ? "totp" : mode];

  const reset = () => {
    form.reset();
    setFormError(undefined);
    setProof(first);
    setSmsSent(null);
    setSmsError(undefined);
  };

  /** sendCode asks the server to text a code; a refused send is shown next to the button. */
  const sendCode = async () => {
    setSmsError(undefined);
    setFormError(undefined);
    try {
      const res = await sendSms.mutateAsync({});
      setSmsSent({ phone: res.phoneHint, expiresAt: res.expiresAt });
      form.setFieldValue("smsCode", "");
      form.clearErrors();
    } catch (err) {
      setSmsError(smsSendError(err, t));
    }
  };

  /** withPasskey: the server's request options, the browser's passkey prompt, the answer as the proof. */
  const withPasskey = async () => {
    setPasskeyBusy(true);
    try {
      const begun = await beginStepUp.mutateAsync({});
      const assertion = await signWithPasskey(begun.webauthnOptions);
      const res = await stepUp.mutateAsync({ proof: { case: "webauthn", value: { ceremonyId: begun.ceremonyId, assertion } } });
      reset();
      onDone(res.validUntil);
    } catch (err) {
      setFormError(passkeyErrorMessage(err, t));
    } finally {
      setPasskeyBusy(false);
    }
  };

  const submit = form.onSubmit(async (values) => {
    setFormError(undefined);
    form.clearErrors();
    if (mode === "passkey") {
      await withPasskey();
      return;
    }
    if (mode === "sms" && !smsSent) {
      await sendCode();
      return;
    }
    const value = mode === "recovery" ? recoveryCodeInput(values.recoveryCode) : values[field];
    // The proto's own rules decide the format, before anything is sent.
    const early = validateMessage(StepUpRequestSchema, { proof: { case: field, value } }).violations.find((x) => x.field === field);
    if (value === "" || early) {
      form.setFieldError(
        field,
        mode === "password" ? t("validation.rule.required") : mode === "totp" ? t("mfa.codeFormat") : mode === "sms" ? t("mfa.sms.codeFormat") : t("mfa.recoveryFormat"),
      );
      form.getInputNode(field)?.focus();
      return;
    }
    try {
      const res = await stepUp.mutateAsync({ proof: { case: field, value } });
      reset();
      onDone(res.validUntil);
    } catch (err) {
      const v = violationsFromError(err, StepUpRequestSchema).find((x) => x.field === field);
      if (v) {
        // Clearing the field first: a change clears the field's error.
        form.setFieldValue(field, "");
        form.setFieldError(field, codeMessage(v, t));
        form.getInputNode(field)?.focus();
      } else {
        setFormError(errorMessage(err, t));
      }
    }
  });

  const switchTo = (next: Proof) => {
    setProof(next);
    form.clearErrors();
    setFormError(undefined);
  };

  return (
    <Modal
      opened={opened}
      onClose={() => {
        reset();
        onCancel();
      }}
      title={t("mfa.stepUp.title")}
      centered
      // Above a dialog that asked for it (e.g. an enrollment whose step-up lapsed).
      zIndex={getDefaultZIndex("modal") + 10}
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      <form onSubmit={submit} noValidate aria-label={t("mfa.stepUp.title")}>
        <Stack gap="md">
          <Text size="sm">{t(introKey(mode, reason))}</Text>
          {formError && (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {formError}
            </Alert>
          )}
          {mode === "totp" && (
            <TotpCodeInput data-autofocus {...codeFieldProps(form.getInputProps("totpCode"))} onChange={(v) => form.setFieldValue("totpCode", v)} />
          )}
          {mode === "sms" && !smsSent && smsError && <SmsError message={smsError} />}
          {mode === "sms" && smsSent && (
            <>
              <SmsSent phone={smsSent.phone} expiresAt={smsSent.expiresAt} />
              <SmsCodeInput data-autofocus {...codeFieldProps(form.getInputProps("smsCode"))} onChange={(v) => form.setFieldValue("smsCode", v)} />
              <SmsResend onResend={() => void sendCode()} busy={sendSms.isPending} error={smsError} />
            </>
          )}
          {mode === "recovery" && (
            <RecoveryCodeInput
              data-autofocus
              {...codeFieldProps(form.getInputProps("recoveryCode"))}
              onChange={(v) => form.setFieldValue("recoveryCode", v)}
            />
          )}
          {mode === "password" && (
            <>
              <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
              <PasswordInput
                label={t("auth.password")}
                autoComplete="current-password"
                required
                data-autofocus
                visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
                {...form.getInputProps("password")}
              />
            </>
          )}
          {hasFactor &&
            alternatives(mode, hasPasskey, hasApp, hasSms).map((p) => (
              <Anchor key={p} component="button" type="button" size="sm" ta="left" onClick={() => switchTo(p)}>
                {p === "passkey" ? t("passkeys.login.use") : p === "totp" ? t("mfa.useApp") : p === "sms" ? t("mfa.sms.use") : t("mfa.useRecovery")}
              </Anchor>
            ))}
          <Group justify="flex-end" gap="sm">
            <Button
              variant="default"
              onClick={() => {
                reset();
                onCancel();
              }}
            >
              {t("common.cancel")}
            </Button>
            <Button
              type="submit"
              loading={stepUp.isPending || passkeyBusy || (mode === "sms" && !smsSent && sendSms.isPending)}
              data-autofocus={mode === "passkey" || (mode === "sms" && !smsSent) || undefined}
            >
              {mode === "passkey" ? t("passkeys.stepUp.confirm") : mode === "sms" && !smsSent ? t("mfa.sms.send") : t("mfa.stepUp.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** alternatives are the other proofs the user can switch to. */
function alternatives(mode: Proof, hasPasskey: boolean, hasApp: boolean, hasSms: boolean): Proof[] {
  const all: Proof[] = [
    ...(hasPasskey ? (["passkey"] as const) : []),
    ...(hasApp ? (["totp"] as const) : []),
    ...(hasSms ? (["sms"] as const) : []),
    "recovery",
  ];
  return all.filter((p) => p !== mode);
}

type Waiting = { resolve: () => void; reject: (err: unknown) => void };

/**
 * useStepUpGuard wraps changes of second factors. run(action) asks for a
 * step-up first when the last one no longer counts, runs the action, and
 * asks once more (then repeats the action) when the server still wants a
 * fresh one. A closed dialog rejects with StepUpCancelled.
 */
export function useStepUpGuard({
  validUntil,
  hasFactor,
  methods,
  email,
  reason,
}: {
  validUntil: Timestamp | undefined;
  hasFactor: boolean;
  /** The kinds of the user's factors (a passkey is offered first). */
  methods?: readonly SecondFactorMethod[];
  email: string;
  reason?: StepUpReason;
}): {
  run: <T>(action: () => Promise<T>) => Promise<T>;
  dialog: ReactNode;
} {
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  // The newest proof: the server's (from the factor list) or our own step-up's.
  const own = useRef<Timestamp | undefined>(undefined);
  const serverUntil = useRef(validUntil);
  serverUntil.current = validUntil;

  const fresh = () => {
    const now = Date.now();
    return stepUpFresh(serverUntil.current, now) || stepUpFresh(own.current, now);
  };
  const ask = () => new Promise<void>((resolve, reject) => setWaiting({ resolve, reject }));

  const run = async <T,>(action: () => Promise<T>): Promise<T> => {
    if (!fresh()) await ask();
    try {
      return await action();
    } catch (err) {
      if (!hasRule(err, stepUpRequiredRule)) throw err;
      own.current = undefined;
      await ask();
      return action();
    }
  };

  const dialog = (
    <StepUpDialog
      opened={waiting !== null}
      hasFactor={hasFactor}
      methods={methods}
      email={email}
      reason={reason}
      onCancel={() => {
        waiting?.reject(new StepUpCancelled());
        setWaiting(null);
      }}
      onDone={(until) => {
        own.current = until;
        waiting?.resolve();
        setWaiting(null);
      }}
    />
  );
  return { run, dialog };
}
