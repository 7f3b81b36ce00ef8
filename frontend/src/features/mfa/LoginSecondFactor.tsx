// The second step of a login: a code of the authenticator app, or one of
// the recovery codes. On success the session starts as after a plain login.
import { Alert, Anchor, Button, Stack, Text, Title } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { SecondFactorMethod, VerifySecondFactorRequestSchema, type SecondFactorChallenge } from "../../gen/zeugo/v1/auth_pb.js";
import { useVerifySecondFactor } from "../../api/mfa.js";
import { IconAlert } from "../../components/icons.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { useSession } from "../../lib/session-context.js";
import { validateMessage, violationsFromError } from "../../lib/validation.js";
import { codeMessage, fewRecoveryCodes, recoveryCodeInput } from "./codes.js";
import { codeFieldProps, RecoveryCodeInput, TotpCodeInput } from "./CodeInput.js";

type Mode = "totp" | "recovery";
type Values = { totpCode: string; recoveryCode: string };
const fieldOf = { totp: "totpCode", recovery: "recoveryCode" } as const;

type Props = {
  challenge: SecondFactorChallenge;
  /** The challenge is gone (expired, used or dead): the login starts over. */
  onRestart: () => void;
  /** Back to the password step by choice. */
  onCancel: () => void;
};

/** LoginSecondFactor asks for the second factor of a login. */
export function LoginSecondFactor({ challenge, onRestart, onCancel }: Props) {
  const { t } = useTranslation();
  const session = useSession();
  const verify = useVerifySecondFactor();
  const hasApp = challenge.methods.length === 0 || challenge.methods.includes(SecondFactorMethod.TOTP);
  const hasRecovery = challenge.methods.length === 0 || challenge.methods.includes(SecondFactorMethod.RECOVERY_CODE);
  const [mode, setMode] = useState<Mode>(hasApp ? "totp" : "recovery");
  const [error, setError] = useState<string | undefined>();
  const form = useForm<Values>({ mode: "controlled", initialValues: { totpCode: "", recoveryCode: "" } });
  const field = fieldOf[mode];

  useEffect(() => {
    document.title = `${t("mfa.login.title")} · ${t("app.name")}`;
  }, [t]);

  const switchTo = (next: Mode) => {
    setMode(next);
    setError(undefined);
    form.clearErrors();
    // The other field appears; it takes the focus.
    requestAnimationFrame(() => form.getInputNode(fieldOf[next])?.focus());
  };

  const submit = form.onSubmit(async (values) => {
    setError(undefined);
    form.clearErrors();
    const value = mode === "totp" ? values.totpCode : recoveryCodeInput(values.recoveryCode);
    // The proto's own rules decide the format, before anything is sent.
    const early = validateMessage(VerifySecondFactorRequestSchema, { challengeToken: challenge.token, proof: { case: field, value } }).violations.find(
      (x) => x.field === field,
    );
    if (value === "" || early) {
      form.setFieldError(field, mode === "totp" ? t("mfa.codeFormat") : t("mfa.recoveryFormat"));
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
        {t("mfa.login.title")}
      </Title>
      <Text c="dimmed" size="sm" mb="lg">
        {mode === "totp" ? t("mfa.login.totpIntro") : t("mfa.login.recoveryIntro")}
      </Text>
      {error && (
        <Alert color="red" variant="light" mb="md" icon={<IconAlert />} role="alert" data-testid="login-error">
          {error}
        </Alert>
      )}
      <form onSubmit={submit} noValidate aria-label={t("mfa.login.title")}>
        <Stack gap="md">
          {mode === "totp" ? (
            <TotpCodeInput autoFocus {...codeFieldProps(form.getInputProps("totpCode"))} onChange={(v) => form.setFieldValue("totpCode", v)} />
          ) : (
            <RecoveryCodeInput autoFocus {...codeFieldProps(form.getInputProps("recoveryCode"))} onChange={(v) => form.setFieldValue("recoveryCode", v)} />
          )}
          {hasApp && hasRecovery && (
            <Anchor component="button" type="button" size="sm" ta="left" mt={-6} onClick={() => switchTo(mode === "totp" ? "recovery" : "totp")}>
              {mode === "totp" ? t("mfa.useRecovery") : t("mfa.useApp")}
            </Anchor>
          )}
          <Button type="submit" fullWidth mt="xs" size="md" loading={verify.isPending}>
            {t("mfa.login.submit")}
          </Button>
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onCancel}>
            {t("mfa.login.back")}
          </Anchor>
        </Stack>
      </form>
    </>
  );
}
