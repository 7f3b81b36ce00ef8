// The second step of a login: a passkey or security key, a code of the
// authenticator app, a code sent by SMS (on request: the number's end and
// the code's expiry are shown, a resend is possible within the server's
// limits), or one of the recovery codes. On success the session starts as
// after a plain login.
import { Alert, Anchor, Button, Stack, Text, Title } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { SecondFactorMethod, VerifySecondFactorRequestSchema, type SecondFactorChallenge } from "../../gen/zeugo/v1/auth_pb.js";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { useSendLoginSms, useVerifySecondFactor } from "../../api/mfa.js";
import { IconAlert, IconKey } from "../../components/icons.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { useSession } from "../../lib/session-context.js";
import { validateMessage, violationsFromError } from "../../lib/validation.js";
import { codeMessage, fewRecoveryCodes, recoveryCodeInput } from "./codes.js";
import { codeFieldProps, RecoveryCodeInput, TotpCodeInput } from "./CodeInput.js";
import { browserFailure, passkeyErrorMessage, signWithPasskey } from "./passkeys.js";
import { SmsCodeInput, SmsError, SmsResend, SmsSent, smsSendError } from "./SmsCode.js";

type Mode = "passkey" | "totp" | "sms" | "recovery";
type Values = { totpCode: string; recoveryCode: string; smsCode: string };
const fieldOf = { passkey: "totpCode", totp: "totpCode", sms: "smsCode", recovery: "recoveryCode" } as const;

type Props = {
  challenge: SecondFactorChallenge;
  /** The challenge is gone (expired, used or dead): the login starts over, with a message of its own if given. */
  onRestart: (message?: string) => void;
  /** Back to the password step by choice. */
  onCancel: () => void;
};

/** LoginSecondFactor asks for the second factor of a login. */
export function LoginSecondFactor({ challenge, onRestart, onCancel }: Props) {
  const { t } = useTranslation();
  const session = useSession();
  const verify = useVerifySecondFactor();
  const sendSms = useSendLoginSms();
  const hasApp = challenge.methods.length === 0 || challenge.methods.includes(SecondFactorMethod.TOTP);
  const hasRecovery = challenge.methods.length === 0 || challenge.methods.includes(SecondFactorMethod.RECOVERY_CODE);
  // A passkey needs the challenge's request options; it comes first (a touch instead of typing).
  const hasPasskey = challenge.webauthnOptions !== "" && challenge.methods.includes(SecondFactorMethod.WEBAUTHN);
  const hasSms = challenge.methods.includes(SecondFactorMethod.SMS);
  const [mode, setMode] = useState<Mode>(hasPasskey ? "passkey" : hasApp ? "totp" : hasSms ? "sms" : "recovery");
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // The SMS code is sent only on request; then its expiry is shown.
  const [smsSent, setSmsSent] = useState<{ expiresAt: Timestamp | undefined } | null>(null);
  const [smsError, setSmsError] = useState<string | undefined>();
  const form = useForm<Values>({ mode: "controlled", initialValues: { totpCode: "", recoveryCode: "", smsCode: "" } });
  // When a code has been sent the code field takes the focus, once React
  // has put it on the page (each send: a resend too).
  const formRef = useRef(form);
  formRef.current = form;
  useEffect(() => {
    if (smsSent) formRef.current.getInputNode("smsCode")?.focus();
  }, [smsSent]);
  const field = fieldOf[mode];

  // A passkey confirms the sign-in; the code modes ask for a code.
  const title = mode === "passkey" ? t("passkeys.login.title") : t("mfa.login.title");
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [t, title]);

  const switchTo = (next: Mode) => {
    setMode(next);
    setError(undefined);
    form.clearErrors();
    // The other field appears; it takes the focus.
    if (next !== "passkey") requestAnimationFrame(() => form.getInputNode(fieldOf[next])?.focus());
  };

  /** sendCode asks the server to text a code; a refused send is shown next to the button. */
  const sendCode = async () => {
    setSmsError(undefined);
    setError(undefined);
    try {
      const res = await sendSms.mutateAsync({ challengeToken: challenge.token });
      setSmsSent({ expiresAt: res.expiresAt });
      form.setFieldValue("smsCode", "");
      form.clearErrors();
    } catch (err) {
      if (isCode(err, Code.Unauthenticated)) onRestart();
      else setSmsError(smsSendError(err, t));
    }
  };

  /** withPasskey answers the challenge's request options with a passkey. */
  const withPasskey = async () => {
    setPasskeyBusy(true);
    try {
      const assertion = await signWithPasskey(challenge.webauthnOptions);
      const res = await verify.mutateAsync({ challengeToken: challenge.token, proof: { case: "webauthnAssertion", value: assertion } });
      session.signIn(res);
    } catch (err) {
      if (isCode(err, Code.Unauthenticated)) {
        onRestart();
      } else if (browserFailure(err) === undefined && violationsFromError(err, VerifySecondFactorRequestSchema).some((v) => v.field === "webauthnAssertion")) {
        // The server used up the challenge's passkey ceremony: a new login brings new options.
        onRestart(t("passkeys.login.failed"));
      } else {
        setError(passkeyErrorMessage(err, t));
      }
    } finally {
      setPasskeyBusy(false);
    }
  };

  const submit = form.onSubmit(async (values) => {
    setError(undefined);
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
    const early = validateMessage(VerifySecondFactorRequestSchema, { challengeToken: challenge.token, proof: { case: field, value } }).violations.find(
      (x) => x.field === field,
    );
    if (value === "" || early) {
      form.setFieldError(field, mode === "totp" ? t("mfa.codeFormat") : mode === "sms" ? t("mfa.sms.codeFormat") : t("mfa.recoveryFormat"));
      form.getInputNode(field)?.focus();
      return;
    }
    try {
      const res = await verify.mutateAsync({ challengeToken: challenge.token, proof: { case: field, value } });
      if (mode === "recovery" && res.recoveryCodesLeft <= fewRecoveryCodes) {
        notifications.show({
          color: "yellow",
          title: t("mfa.login.fewCodesTitle"),
          message: t("mfa.login.fewCodes", { count: res.recoveryCodesLeft }),
          autoClose: false,
          closeButtonProps: { "aria-label": t("common.close") },
        });
      }
      session.signIn(res);
    } catch (err) {
      if (isCode(err, Code.Unauthenticated)) {
        onRestart();
        return;
      }
      const v = violationsFromError(err, VerifySecondFactorRequestSchema).find((x) => x.field === field);
      if (v) {
        // Clearing the field first: a change clears the field's error.
        form.setFieldValue(field, "");
        form.setFieldError(field, codeMessage(v, t));
        form.getInputNode(field)?.focus();
      } else {
        setError(errorMessage(err, t));
      }
    }
  });

  return (
    <>
      <Title order={1} fz="h2" mb={4}>
        {title}
      </Title>
      <Text c="dimmed" size="sm" mb="lg">
        {mode === "passkey"
          ? t("passkeys.login.intro")
          : mode === "totp"
            ? t("mfa.login.totpIntro")
            : mode === "sms"
              ? challenge.smsPhoneHint
                ? t("mfa.sms.loginIntro", { phone: challenge.smsPhoneHint })
                : t("mfa.sms.loginIntroNoHint")
              : t("mfa.login.recoveryIntro")}
      </Text>
      {error && (
        <Alert color="red" variant="light" mb="md" icon={<IconAlert />} role="alert" data-testid="login-error">
          {error}
        </Alert>
      )}
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="md">
          {mode === "totp" && (
            <TotpCodeInput autoFocus {...codeFieldProps(form.getInputProps("totpCode"))} onChange={(v) => form.setFieldValue("totpCode", v)} />
          )}
          {mode === "recovery" && (
            <RecoveryCodeInput autoFocus {...codeFieldProps(form.getInputProps("recoveryCode"))} onChange={(v) => form.setFieldValue("recoveryCode", v)} />
          )}
          {mode === "sms" && !smsSent && (
            <>
              <Button type="submit" fullWidth size="md" loading={sendSms.isPending} autoFocus>
                {t("mfa.sms.send")}
              </Button>
              {smsError && <SmsError message={smsError} />}
            </>
          )}
          {mode === "sms" && smsSent && (
            <>
              <SmsSent phone={challenge.smsPhoneHint} expiresAt={smsSent.expiresAt} />
              <SmsCodeInput autoFocus {...codeFieldProps(form.getInputProps("smsCode"))} onChange={(v) => form.setFieldValue("smsCode", v)} />
              <SmsResend onResend={() => void sendCode()} busy={sendSms.isPending} error={smsError} />
            </>
          )}
          {mode === "passkey" && (
            <Button type="submit" fullWidth size="md" leftSection={<IconKey size={18} />} loading={passkeyBusy} autoFocus>
              {t("passkeys.login.confirm")}
            </Button>
          )}
          {otherModes(mode, { passkey: hasPasskey, totp: hasApp, sms: hasSms, recovery: hasRecovery }).map((m) => (
            <Anchor key={m} component="button" type="button" size="sm" ta="left" mt={-6} onClick={() => switchTo(m)}>
              {m === "passkey" ? t("passkeys.login.use") : m === "totp" ? t("mfa.useApp") : m === "sms" ? t("mfa.sms.use") : t("mfa.useRecovery")}
            </Anchor>
          ))}
          {mode !== "passkey" && !(mode === "sms" && !smsSent) && (
            <Button type="submit" fullWidth mt="xs" size="md" loading={verify.isPending}>
              {t("mfa.login.submit")}
            </Button>
          )}
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onCancel}>
            {t("mfa.login.back")}
          </Anchor>
        </Stack>
      </form>
    </>
  );
}

/** otherModes are the ways of answering the user can switch to. */
function otherModes(mode: Mode, available: Record<Mode, boolean>): Mode[] {
  return (["passkey", "totp", "sms", "recovery"] as const).filter((m) => m !== mode && available[m]);
}
