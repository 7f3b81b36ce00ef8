// "Mit Passkey anmelden" on the login page: a sign-in with a passkey alone,
// where the user's organisation allows it. The page knows no tenant, so the
// button is always there (in a browser with WebAuthn); the server decides,
// and every refusal — no such passkey, not allowed, not verified — reads the
// same.
import { Button, Divider } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBeginPasskeyLogin, useFinishPasskeyLogin } from "../../api/mfa.js";
import { IconKey } from "../../components/icons.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { useSession } from "../../lib/session-context.js";
import { passkeysSupported, signWithPasskey } from "./passkeys.js";

type Props = {
  /** Shows a failure on the login page (undefined clears it). */
  onError: (message: string | undefined) => void;
  /** While the password form is being sent, this button waits. */
  disabled?: boolean;
};

/** PasskeyLogin signs in with a passkey instead of email and password. */
export function PasskeyLogin({ onError, disabled }: Props) {
  const { t } = useTranslation();
  const session = useSession();
  const begin = useBeginPasskeyLogin();
  const finish = useFinishPasskeyLogin();
  const [busy, setBusy] = useState(false);
  if (!passkeysSupported()) return null;

  const signIn = async () => {
    onError(undefined);
    setBusy(true);
    try {
      const begun = await begin.mutateAsync({});
      const assertion = await signWithPasskey(begun.webauthnOptions);
      const res = await finish.mutateAsync({ ceremonyId: begun.ceremonyId, assertion });
      session.signIn(res);
    } catch (err) {
      // Too many attempts and an unreachable server say so; anything else is the one neutral answer.
      const specific = isCode(err, Code.ResourceExhausted) || isCode(err, Code.Unavailable);
      onError(specific ? errorMessage(err, t) : t("passkeys.passwordless.failed"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Divider label={t("passkeys.passwordless.or")} labelPosition="center" my="md" />
      <Button variant="default" fullWidth size="md" leftSection={<IconKey size={18} />} loading={busy} disabled={disabled} onClick={() => void signIn()}>
        {t("passkeys.passwordless.button")}
      </Button>
    </>
  );
}
