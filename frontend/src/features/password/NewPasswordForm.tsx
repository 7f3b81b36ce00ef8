import type { DescMessage } from "@bufbuild/protobuf";
import { Alert, Button, PasswordInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { IconAlert } from "../../components/icons.js";
import { Code } from "@connectrpc/connect";
import { errorMessage, isCode } from "../../lib/errors.js";
import { toFormErrors, violationsFromError } from "../../lib/validation.js";
import { maxPasswordBytes, meetsPolicy, type Policy } from "./rules.js";
import { StrengthMeter } from "./StrengthMeter.js";

const fields = ["password", "repeat"] as const;

export type NewPasswordFormProps = {
  policy: Policy;
  /** The person's email (shown read-only, and the password manager's user name). */
  email: string;
  /** Names and email: the meter treats them as guessable. */
  userInputs: string[];
  submitLabel: string;
  /** The request schema, to read the server's violations. */
  schema: DescMessage;
  /** Sends the password; a rejection with violations on "password" shows them at the field. */
  onSubmit: (password: string) => Promise<void>;
};

/**
 * NewPasswordForm: a new password, typed twice, with the live rules and the
 * strength meter; the server's verdict (breached, contains the name) is
 * shown next to the field.
 */
export function NewPasswordForm({ policy, email, userInputs, submitLabel, schema, onSubmit }: NewPasswordFormProps) {
  const { t } = useTranslation();
  const [submitting, setSubmitting] = useState(false);
  const [formError, setFormError] = useState<string | undefined>();
  const form = useForm({
    mode: "controlled",
    initialValues: { password: "", repeat: "" },
    validate: {
      password: (v) =>
        v === ""
          ? t("validation.rule.required")
          : new TextEncoder().encode(v).length > maxPasswordBytes
            ? t("validation.rule.password.max_bytes")
            : meetsPolicy(v, policy)
              ? null
              : t("password.rules.unmet"),
      repeat: (v, values) => (v !== values.password ? t("password.mismatch") : null),
    },
  });

  const submit = form.onSubmit(
    async (values) => {
      setFormError(undefined);
      setSubmitting(true);
      try {
        await onSubmit(values.password);
      } catch (err) {
        const violations = violationsFromError(err, schema);
        const errs = toFormErrors(violations, t, { known: ["password"] });
        if (isCode(err, Code.NotFound)) {
          setFormError(t("password.link.invalid"));
        } else if (Object.keys(errs.fields).length > 0) {
          form.setErrors(errs.fields);
          form.getInputNode("password")?.focus();
        } else {
          setFormError(errorMessage(err, t));
        }
      } finally {
        setSubmitting(false);
      }
    },
    (errors) => {
      const first = fields.find((f) => f in errors);
      if (first) form.getInputNode(first)?.focus();
    },
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {formError}
          </Alert>
        )}
        {/* The account's name for password managers (they store it with the new password). */}
        <TextInput label={t("auth.email")} value={email} readOnly autoComplete="username" variant="filled" />
        <PasswordInput
          label={t("password.new")}
          autoComplete="new-password"
          required
          autoFocus
          aria-describedby="new-password-meter"
          visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
          {...form.getInputProps("password")}
        />
        <StrengthMeter id="new-password-meter" password={form.values.password} policy={policy} userInputs={userInputs} />
        <PasswordInput
          label={t("password.repeat")}
          autoComplete="new-password"
          required
          visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
          {...form.getInputProps("repeat")}
        />
        <Button type="submit" fullWidth size="md" loading={submitting}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
