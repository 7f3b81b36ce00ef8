// The login of a user whose organisation requires a second factor they do
// not have yet: a short explanation (and the choice, where the organisation
// allows both kinds), the authenticator app (QR code and first code) or a
// passkey, the recovery codes — then the session starts.
import { Alert, Anchor, Button, Stack, Text, Title } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  ConfirmLoginEnrollmentRequestSchema,
  SecondFactorMethod,
  type ConfirmLoginEnrollmentResponse,
  type SecondFactorChallenge,
  type TotpEnrollment,
} from "../../gen/zeugo/v1/auth_pb.js";
import { useConfirmLoginEnrollment, useStartLoginEnrollment } from "../../api/mfa.js";
import { IconAlert } from "../../components/icons.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { useSession } from "../../lib/session-context.js";
import { EnrollTotpForm } from "./EnrollTotpForm.js";
import { LoginPasskeyEnrollment } from "./LoginPasskeyEnrollment.js";
import { RecoveryCodes } from "./RecoveryCodes.js";

type Step =
  | { kind: "intro" }
  | { kind: "app"; enrollment: TotpEnrollment }
  | { kind: "passkey"; options: string }
  | { kind: "codes"; done: ConfirmLoginEnrollmentResponse };

type Props = {
  challenge: SecondFactorChallenge;
  /** The challenge is gone (expired, used or dead): the login starts over. */
  onRestart: () => void;
  /** Back to the password step by choice. */
  onCancel: () => void;
};

/** LoginEnrollment guides through setting up the required second factor during a login. */
export function LoginEnrollment({ challenge, onRestart, onCancel }: Props) {
  const { t } = useTranslation();
  const session = useSession();
  const start = useStartLoginEnrollment();
  const confirm = useConfirmLoginEnrollment();
  const [step, setStep] = useState<Step>({ kind: "intro" });
  const [error, setError] = useState<string | undefined>();
  const number = step.kind === "intro" ? 1 : step.kind === "codes" ? 3 : 2;
  // What the organisation lets users add (an older challenge without the list: the app).
  const methods = challenge.enrollmentMethods.length > 0 ? challenge.enrollmentMethods : [SecondFactorMethod.TOTP];
  const canApp = methods.includes(SecondFactorMethod.TOTP);
  const canPasskey = methods.includes(SecondFactorMethod.WEBAUTHN);

  useEffect(() => {
    document.title = `${t("mfa.wizard.title")} · ${t("app.name")}`;
  }, [t]);

  /** lapsed: the login's challenge is gone; anything else is shown here. */
  const lapsed = (err: unknown): boolean => {
    if (!isCode(err, Code.Unauthenticated)) return false;
    onRestart();
    return true;
  };

  const begin = async (method: SecondFactorMethod) => {
    setError(undefined);
    try {
      const res = await start.mutateAsync({ challengeToken: challenge.token, method });
      if (method === SecondFactorMethod.WEBAUTHN && res.webauthnOptions) setStep({ kind: "passkey", options: res.webauthnOptions });
      else if (res.enrollment) setStep({ kind: "app", enrollment: res.enrollment });
    } catch (err) {
      if (!lapsed(err)) setError(errorMessage(err, t));
    }
  };

  return (
    <>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={4} data-testid="wizard-step">
        {t("mfa.wizard.step", { n: String(number), of: "3" })}
      </Text>
      <Title order={1} fz="h2" mb="sm">
        {t("mfa.wizard.title")}
      </Title>
      {error && (
        <Alert color="red" variant="light" mb="md" icon={<IconAlert />} role="alert" data-testid="login-error">
          {error}
        </Alert>
      )}
      {step.kind === "intro" && (
        <Stack gap="md">
          {canApp && canPasskey ? (
            <>
              <Text size="sm">{t("passkeys.wizard.requiredChoice")}</Text>
              <Text size="sm">{t("passkeys.wizard.passkeyAbout")}</Text>
              <Text size="sm">{t("mfa.wizard.apps")}</Text>
              <Button
                size="md"
                fullWidth
                onClick={() => void begin(SecondFactorMethod.WEBAUTHN)}
                loading={start.isPending && start.variables?.method === SecondFactorMethod.WEBAUTHN}
                autoFocus
              >
                {t("passkeys.wizard.beginPasskey")}
              </Button>
              <Button
                size="md"
                fullWidth
                variant="default"
                onClick={() => void begin(SecondFactorMethod.TOTP)}
                loading={start.isPending && start.variables?.method === SecondFactorMethod.TOTP}
              >
                {t("passkeys.wizard.beginApp")}
              </Button>
            </>
          ) : canPasskey ? (
            <>
              <Text size="sm">{t("passkeys.wizard.passkeyRequired")}</Text>
              <Text size="sm">{t("passkeys.wizard.passkeyAbout")}</Text>
              <Button size="md" fullWidth onClick={() => void begin(SecondFactorMethod.WEBAUTHN)} loading={start.isPending} autoFocus>
                {t("passkeys.wizard.beginPasskey")}
              </Button>
            </>
          ) : (
            <>
              <Text size="sm">{t("mfa.wizard.required")}</Text>
              <Text size="sm">{t("mfa.wizard.apps")}</Text>
              <Button size="md" fullWidth onClick={() => void begin(SecondFactorMethod.TOTP)} loading={start.isPending} autoFocus>
                {t("mfa.wizard.begin")}
              </Button>
            </>
          )}
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onCancel}>
            {t("mfa.login.back")}
          </Anchor>
        </Stack>
      )}
      {step.kind === "app" && (
        <Stack gap="md">
          <EnrollTotpForm
            enrollment={step.enrollment}
            schema={ConfirmLoginEnrollmentRequestSchema}
            onFatal={lapsed}
            confirm={async (values) => {
              const res = await confirm.mutateAsync({ challengeToken: challenge.token, totpCode: values.totpCode, name: values.name });
              setStep({ kind: "codes", done: res });
            }}
          />
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onCancel}>
            {t("mfa.login.back")}
          </Anchor>
        </Stack>
      )}
      {step.kind === "passkey" && (
        <Stack gap="md">
          <LoginPasskeyEnrollment
            options={step.options}
            onFatal={lapsed}
            onFailed={(message) => {
              // The server used up the options: choosing again fetches new ones.
              setStep({ kind: "intro" });
              setError(message);
            }}
            confirm={async (credential, name) => {
              const res = await confirm.mutateAsync({ challengeToken: challenge.token, webauthnCredential: credential, name });
              setStep({ kind: "codes", done: res });
            }}
          />
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onCancel}>
            {t("mfa.login.back")}
          </Anchor>
        </Stack>
      )}
      {step.kind === "codes" && (
        <Stack gap="sm">
          <Title order={2} fz="h4">
            {t("mfa.recovery.title")}
          </Title>
          <RecoveryCodes
            codes={step.done.recoveryCodes}
            email={step.done.principal?.email ?? ""}
            tenant={step.done.principal?.tenantName ?? ""}
            onDone={() => session.signIn(step.done)}
          />
        </Stack>
      )}
    </>
  );
}
