// The input fields of a second factor: the six digits of an authenticator
// app and a recovery code. Both are plain text fields (pasting and the
// browser's one-time-code autofill work; nothing is split into boxes).
import { TextInput, type TextInputProps } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { totpDigits } from "./codes.js";

type FieldProps = Omit<TextInputProps, "onChange" | "value"> & {
  value: string;
  onChange: (value: string) => void;
};

/** TotpCodeInput takes the six-digit code of an authenticator app. */
export function TotpCodeInput({ value, onChange, label, ...rest }: FieldProps) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={label ?? t("mfa.code")}
      autoComplete="one-time-code"
      inputMode="numeric"
      pattern="[0-9]*"
      maxLength={7}
      spellCheck={false}
      required
      data-testid="totp-code"
      styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", letterSpacing: "0.2em", fontSize: "1.15rem" } }}
      {...rest}
      value={value}
      onChange={(e) => onChange(totpDigits(e.currentTarget.value))}
    />
  );
}

/** RecoveryCodeInput takes one recovery code (groups of four, XXXX-XXXX-…; case, spaces and dashes do not matter). */
export function RecoveryCodeInput({ value, onChange, label, ...rest }: FieldProps) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={label ?? t("mfa.recoveryCode")}
      description={t("mfa.recoveryCodeHint")}
      placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
      autoComplete="off"
      autoCapitalize="characters"
      spellCheck={false}
      maxLength={48}
      required
      data-testid="recovery-code"
      styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", letterSpacing: "0.05em" } }}
      {...rest}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

/** codeFieldProps adapts a Mantine form field's props to the code inputs, which report plain strings. */
export function codeFieldProps<P extends { value?: unknown; onChange?: unknown }>(props: P): Omit<P, "value" | "onChange"> & { value: string } {
  const { onChange: _onChange, value, ...rest } = props;
  return { ...rest, value: typeof value === "string" ? value : "" };
}
