// The pieces every SMS code screen shares (login, step-up, a new number in
// "Mein Konto"): the code's field, the line that says where the code went
// and until when it counts, the resend link, and what a refused send says.
// The server sends at most a few codes per quarter hour (and per login):
// its ResourceExhausted becomes a sentence that names the way out.
import { Anchor, Text } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { errorMessage, isCode } from "../../lib/errors.js";
import { TotpCodeInput } from "./CodeInput.js";

/** smsTime shows a code's expiry as a time of day ("14:05 Uhr", "14:05"). */
export function smsTime(ts: Timestamp | undefined, language: string): string {
  if (!ts) return "";
  const time = new Intl.DateTimeFormat(language === "en" ? "en-GB" : "de-DE", { hour: "2-digit", minute: "2-digit" }).format(timestampDate(ts));
  return language === "en" ? time : `${time} Uhr`;
}

/** smsSendError is the text for a refused send: too many codes, or whatever else the server said. */
export function smsSendError(err: unknown, t: TFunction): string {
  return isCode(err, Code.ResourceExhausted) ? t("mfa.sms.rateLimited") : errorMessage(err, t);
}

type CodeProps = Omit<Parameters<typeof TotpCodeInput>[0], "label">;

/** SmsCodeInput takes the six digits an SMS carried. */
export function SmsCodeInput(props: CodeProps) {
  const { t } = useTranslation();
  return <TotpCodeInput {...props} label={t("mfa.sms.code")} data-testid="sms-code" />;
}

/** SmsSent says where the code went and until when it counts (announced to screen readers). */
export function SmsSent({ phone, expiresAt }: { phone: string; expiresAt: Timestamp | undefined }) {
  const { t, i18n } = useTranslation();
  return (
    <Text size="sm" role="status" data-testid="sms-sent">
      {t("mfa.sms.sentTo", { phone, time: smsTime(expiresAt, i18n.language) })}
    </Text>
  );
}

/** SmsResend sends another code; a refused send is shown right below it. */
export function SmsResend({ onResend, busy, error }: { onResend: () => void; busy: boolean; error: string | undefined }) {
  const { t } = useTranslation();
  return (
    <>
      <Anchor component="button" type="button" size="sm" ta="left" mt={-6} onClick={onResend} disabled={busy}>
        {t("mfa.sms.resend")}
      </Anchor>
      {error && <SmsError message={error} />}
    </>
  );
}

/** SmsError is a refused send, next to what was clicked. */
export function SmsError({ message }: { message: string }) {
  return (
    <Text size="sm" c="red.8" role="alert" data-testid="sms-error">
      {message}
    </Text>
  );
}
