// "Mit Single Sign-On anmelden" on the login page: an email address finds
// the organisation's identity provider (by its domain); the browser then
// goes there and comes back through /auth/sso/callback. The page also
// shows the outcome the callback left in the URL fragment. A login that
// needs Zeugo's second factor is handed to onChallenge: the login page's
// second-factor step takes the challenge like one from Login.
import { Alert, Button, Divider, Stack, TextInput } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Code, ConnectError } from "@connectrpc/connect";
import { useStartSso } from "../../api/sso.js";
import { errorMessage } from "../../lib/errors.js";
import { IconAlert } from "../../components/icons.js";
import type { SecondFactorChallenge } from "../../gen/zeugo/v1/auth_pb.js";
import { takeSsoOutcome, type SsoOutcome } from "./fragment.js";

export function SsoSignIn({
  onChallenge,
  navigate = (url) => window.location.assign(url),
}: {
  /** Continues a login that needs the second factor. */
  onChallenge?: (c: SecondFactorChallenge) => void;
  /** Where the browser goes (tests replace it). */
  navigate?: (url: string) => void;
}) {
  const { t } = useTranslation();
  const start = useStartSso();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<SsoOutcome | undefined>();

  useEffect(() => {
    const o = takeSsoOutcome();
    if (!o) return;
    if (o.kind === "challenge" && onChallenge) onChallenge(o.challenge);
    else setOutcome(o);
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const value = email.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
      setError(t("sso.login.emailInvalid"));
      return;
    }
    try {
      const res = await start.mutateAsync({ target: { case: "email", value } });
      navigate(res.authorizationUrl);
    } catch (err) {
      setError(err instanceof ConnectError && err.code === Code.NotFound ? t("sso.login.notAvailable") : errorMessage(err, t));
    }
  };

  const outcomeText =
    outcome?.kind === "error"
      ? t(`sso.login.error.${outcome.code}`)
      : outcome?.kind === "challenge"
        ? t("sso.login.secondFactor")
        : undefined;

  return (
    <Stack gap="sm" mt="lg">
      <Divider label={t("sso.login.or")} labelPosition="center" />
      {outcomeText && (
        <Alert color={outcome?.kind === "error" ? "red" : "zeugo"} variant="light" icon={<IconAlert />} role="alert" data-testid="sso-outcome">
          {outcomeText}
        </Alert>
      )}
      {!open ? (
        <Button variant="default" fullWidth onClick={() => setOpen(true)}>
          {t("sso.login.button")}
        </Button>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate aria-label={t("sso.login.button")}>
          <Stack gap="sm">
            <TextInput
              label={t("sso.login.email")}
              description={t("sso.login.emailHint")}
              type="email"
              autoComplete="username"
              inputMode="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={error}
              autoFocus
            />
            <Button type="submit" variant="light" fullWidth loading={start.isPending}>
              {t("sso.login.continue")}
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
