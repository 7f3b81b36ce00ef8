// A passkey as the second factor a login must enroll: an optional name,
// then the button whose click lets the browser create the passkey for the
// options StartLoginEnrollment returned. The caller confirms the answer.
import { Alert, Button, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmLoginEnrollmentRequestSchema } from "../../gen/zeugo/v1/auth_pb.js";
import { IconAlert, IconKey } from "../../components/icons.js";
import { violationMessage, violationsFromError } from "../../lib/validation.js";
import { browserFailure, createPasskey, passkeyErrorMessage } from "./passkeys.js";

type Props = {
  /** PublicKeyCredentialCreationOptionsJSON of StartLoginEnrollment. */
  options: string;
  /** Sends the browser's answer and the name; throws the server's error. */
  confirm: (credential: string, name: string) => Promise<void>;
  /** Handles an error that ends the login (a lapsed challenge); returns whether it did. */
  onFatal: (err: unknown) => boolean;
  /** The server refused the answer: the options are used up, the user chooses again. */
  onFailed: (message: string) => void;
};

/** LoginPasskeyEnrollment creates the passkey of a login's enrollment. */
export function LoginPasskeyEnrollment({ options, confirm, onFatal, onFailed }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | undefined>();
  const form = useForm({
    mode: "controlled",
    initialValues: { name: "" },
    validate: { name: (v) => (v.trim().length > 60 ? t("validation.rule.string.max_len", { limit: "60" }) : null) },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(undefined);
    setBusy(true);
    let credential: string;
    try {
      credential = await createPasskey(options);
    } catch (err) {
      // Nothing reached the server: the same options can be tried again.
      setFormError(passkeyErrorMessage(err, t));
      setBusy(false);
      return;
    }
    try {
      await confirm(credential, values.name.trim());
    } catch (err) {
      if (onFatal(err)) return;
      const name = violationsFromError(err, ConfirmLoginEnrollmentRequestSchema).find((v) => v.field === "name");
      if (name) form.setFieldError("name", violationMessage(name, t));
      else if (browserFailure(err) === undefined) onFailed(passkeyErrorMessage(err, t));
      else setFormError(passkeyErrorMessage(err, t));
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t("passkeys.wizard.passkeyTitle")}>
      <Stack gap="md">
        <Text size="sm">{t("passkeys.add.intro")}</Text>
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {formError}
          </Alert>
        )}
        <TextInput
          label={t("passkeys.add.name")}
          description={t("passkeys.add.nameHint")}
          placeholder={t("passkeys.defaultName")}
          maxLength={60}
          autoComplete="off"
          {...form.getInputProps("name")}
        />
        <Text size="sm" c="dimmed">
          {t("passkeys.add.next")}
        </Text>
        <Button type="submit" size="md" fullWidth leftSection={<IconKey size={18} />} loading={busy}>
          {t("passkeys.add.create")}
        </Button>
      </Stack>
    </form>
  );
}
