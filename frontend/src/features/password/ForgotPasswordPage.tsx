import { Alert, Anchor, Button, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useRequestPasswordReset } from "../../api/password.js";
import { IconAlert } from "../../components/icons.js";
import { RequestPasswordResetRequestSchema } from "../../gen/zeugo/v1/auth_pb.js";
import { errorMessage } from "../../lib/errors.js";
import { toFormErrors, validateMessage } from "../../lib/validation.js";
import { PublicPage } from "./PublicPage.js";

/**
 * ForgotPasswordPage asks for the email address and then always shows the
 * same confirmation: the answer never tells whether an account exists.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const request = useRequestPasswordReset();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const form = useForm({ mode: "controlled", initialValues: { email: "" } });

  const submit = form.onSubmit(async (values) => {
    setError(undefined);
    const email = values.email.trim();
    const { violations } = validateMessage(RequestPasswordResetRequestSchema, { email });
    if (violations.length > 0) {
      form.setErrors(toFormErrors(violations, t, { known: ["email"] }).fields);
      form.getInputNode("email")?.focus();
      return;
    }
    try {
      await request.mutateAsync({ email });
      setSent(true);
    } catch (err) {
      setError(errorMessage(err, t));
    }
  });

  const title = t("password.forgot.title");
  if (sent) {
    return (
      <PublicPage title={title}>
        <Stack gap="md">
          <Alert color="zeugo" variant="light" role="status" data-testid="reset-requested">
            {t("password.forgot.sent")}
          </Alert>
          <Anchor component={Link} to="/" size="sm">
            {t("password.toLogin")}
          </Anchor>
        </Stack>
      </PublicPage>
    );
  }
  return (
    <PublicPage title={title} subtitle={t("password.forgot.subtitle")}>
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="md">
          {error && (
            <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={t("auth.email")}
            type="email"
            autoComplete="username"
            inputMode="email"
            required
            autoFocus
            {...form.getInputProps("email")}
          />
          <Button type="submit" fullWidth size="md" loading={request.isPending}>
            {t("password.forgot.submit")}
          </Button>
          <Text size="sm" ta="center">
            <Anchor component={Link} to="/">
              {t("password.toLogin")}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </PublicPage>
  );
}
