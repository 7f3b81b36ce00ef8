// Connecting an authenticator app: the secret (QR code and text), then the
// app's first code and an optional name. Used by the login's enrollment
// wizard and by "Mein Konto"; the caller sends the confirmation.
import { Alert, Button, Group, List, Stack, TextInput } from "@mantine/core";
import type { DescMessage } from "@bufbuild/protobuf";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TotpEnrollment } from "../../gen/zeugo/v1/auth_pb.js";
import { IconAlert } from "../../components/icons.js";
import { errorMessage } from "../../lib/errors.js";
import { violationMessage, violationsFromError } from "../../lib/validation.js";
import { codeMessage } from "./codes.js";
import { codeFieldProps, TotpCodeInput } from "./CodeInput.js";
import { TotpSecret } from "./TotpSecret.js";

export type EnrollValues = { totpCode: string; name: string };

type Props = {
  enrollment: TotpEnrollment;
  /** The request message the confirmation sends, to place the server's violations. */
  schema: DescMessage;
  /** Sends the confirmation; throws the server's error. */
  confirm: (values: EnrollValues) => Promise<void>;
  /** Handles an error the form cannot show (e.g. a lapsed login); returns whether it did. */
  onFatal?: (err: unknown) => boolean;
  submitLabel?: string;
  onCancel?: () => void;
};

/** EnrollTotpForm shows the new secret and asks for the app's first code. */
export function EnrollTotpForm({ enrollment, schema, confirm, onFatal, submitLabel, onCancel }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | undefined>();
  const form = useForm<EnrollValues>({
    mode: "controlled",
    initialValues: { totpCode: "", name: "" },
    validate: {
      totpCode: (v) => (/^\d{6}$/.test(v) ? null : t("mfa.codeFormat")),
      name: (v) => (v.trim().length > 60 ? t("validation.rule.string.max_len", { limit: "60" }) : null),
    },
  });

  const submit = form.onSubmit(
    async (values) => {
      setFormError(undefined);
      setBusy(true);
      try {
        await confirm({ totpCode: values.totpCode, name: values.name.trim() });
      } catch (err) {
        if (onFatal?.(err)) return;
        const violations = violationsFromError(err, schema);
        const code = violations.find((v) => v.field === "totpCode");
        const name = violations.find((v) => v.field === "name");
        if (code || name) {
          // Clearing the code first: a change clears the field's error.
          if (code) form.setFieldValue("totpCode", "");
          form.setErrors({
            ...(code ? { totpCode: codeMessage(code, t) } : {}),
            ...(name ? { name: violationMessage(name, t) } : {}),
          });
          form.getInputNode(code ? "totpCode" : "name")?.focus();
        } else {
          setFormError(errorMessage(err, t));
        }
      } finally {
        setBusy(false);
      }
    },
    (errors) => form.getInputNode("totpCode" in errors ? "totpCode" : "name")?.focus(),
  );

  return (
    <Stack gap="md">
      <List type="ordered" size="sm" spacing={4}>
        <List.Item>{t("mfa.enroll.step1")}</List.Item>
        <List.Item>{t("mfa.enroll.step2")}</List.Item>
        <List.Item>{t("mfa.enroll.step3")}</List.Item>
      </List>
      <TotpSecret enrollment={enrollment} />
      <form onSubmit={submit} noValidate aria-label={t("mfa.enroll.formLabel")}>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {formError}
            </Alert>
          )}
          <TotpCodeInput
            label={t("mfa.enroll.code")}
            description={t("mfa.enroll.codeHint")}
            {...codeFieldProps(form.getInputProps("totpCode"))}
            onChange={(v) => form.setFieldValue("totpCode", v)}
          />
          <TextInput
            label={t("mfa.enroll.name")}
            description={t("mfa.enroll.nameHint")}
            placeholder={t("mfa.defaultName")}
            maxLength={60}
            autoComplete="off"
            {...form.getInputProps("name")}
          />
          <Group justify={onCancel ? "space-between" : "flex-end"} gap="sm">
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t("common.cancel")}
              </Button>
            )}
            <Button type="submit" loading={busy} fullWidth={!onCancel}>
              {submitLabel ?? t("mfa.enroll.confirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
