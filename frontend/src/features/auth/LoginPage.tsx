import { Alert, Anchor, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { LoginRequestSchema, type SecondFactorChallenge } from "../../gen/zeugo/v1/auth_pb.js";
import { errorMessage } from "../../lib/errors.js";
import type { AnonymousReason } from "../../lib/session.js";
import { useSession } from "../../lib/session-context.js";
import { toFormErrors, validateMessage } from "../../lib/validation.js";
import { BrandMark, IconAlert } from "../../components/icons.js";
import { LanguageSwitch } from "../shell/LanguageSwitch.js";
import type { LoginNoticeState } from "../password/LinkPage.js";
import { LoginEnrollment } from "../mfa/LoginEnrollment.js";
import { LoginSecondFactor } from "../mfa/LoginSecondFactor.js";
import { PasskeyLogin } from "../mfa/PasskeyLogin.js";
import { SsoSignIn } from "../sso/SsoSignIn.js";

const fieldNames = ["email", "password"] as const;

/**
 * LoginPage: email and password. The answer never says which of them was
 * wrong. When the login needs a second factor, the page continues with its
 * code (or, where the organisation requires one the user lacks, with its
 * enrollment) and comes back to the password with a message when that
 * second step lapses.
 */
export function LoginPage({ reason }: { reason: AnonymousReason }) {
  const { t } = useTranslation();
  const session = useSession();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [challenge, setChallenge] = useState<SecondFactorChallenge | undefined>();
  const form = useForm({
    mode: "controlled",
    initialValues: { email: "", password: "" },
    validateInputOnBlur: false,
  });

  useEffect(() => {
    if (!challenge) document.title = `${t("auth.title")} · ${t("app.name")}`;
  }, [t, challenge]);

  // After a failed attempt the (cleared) password field gets focus; the
  // alert is announced by its role.
  useEffect(() => {
    if (error) form.getInputNode("password")?.focus();
  }, [error]);

  // After registration or a reset, the page that set the password says so.
  const flash = (useLocation().state as LoginNoticeState | null)?.notice;
  const notice = flash
    ? t(`password.notice.${flash}`)
    : reason === "expired"
      ? t("auth.sessionExpired")
      : reason === "loggedOut"
        ? t("auth.loggedOut")
        : reason === "unavailable"
          ? t("errors.unavailable")
          : undefined;

  const submit = form.onSubmit(async (values) => {
    setError(undefined);
    const email = values.email.trim();
    const { violations } = validateMessage(LoginRequestSchema, { email, password: values.password });
    if (violations.length > 0) {
      const errs = toFormErrors(violations, t, { known: fieldNames });
      form.setErrors(errs.fields);
      const first = fieldNames.find((f) => f in errs.fields);
      if (first) form.getInputNode(first)?.focus();
      return;
    }
    setSubmitting(true);
    try {
      const next = await session.login(email, values.password);
      if (next) {
        form.setFieldValue("password", "");
        setChallenge(next);
      }
    } catch (err) {
      form.setFieldValue("password", "");
      setError(errorMessage(err, t, "login"));
    } finally {
      setSubmitting(false);
    }
  });

  // The second step lapsed: back to the password, with the reason.
  const restart = (message?: string) => {
    setChallenge(undefined);
    setError(message ?? t("mfa.login.expired"));
  };
  const cancel = () => {
    setChallenge(undefined);
    requestAnimationFrame(() => form.getInputNode("password")?.focus());
  };

  return (
    <Box className="login-background">
      <Group justify="flex-end" p="md">
        <LanguageSwitch />
      </Group>
      <Center px="md" pb="xl" className="login-center">
        <Stack w="100%" maw={challenge?.enrollmentRequired ? 480 : 420} gap="lg">
          <Group gap="sm" justify="center">
            <BrandMark size={40} />
            <Text fz={28} fw={700} c="zeugo.8">
              {t("app.name")}
            </Text>
          </Group>
          <Paper withBorder shadow="sm" radius="lg" p={{ base: "lg", xs: "xl" }} component="main">
            {challenge?.enrollmentRequired ? (
              <LoginEnrollment challenge={challenge} onRestart={restart} onCancel={cancel} />
            ) : challenge ? (
              <LoginSecondFactor challenge={challenge} onRestart={restart} onCancel={cancel} />
            ) : (
              <>
                <Title order={1} fz="h2" mb={4}>
                  {t("auth.title")}
                </Title>
                <Text c="dimmed" size="sm" mb="lg">
                  {t("auth.subtitle")}
                </Text>
                {notice && !error && (
                  <Alert color="zeugo" variant="light" mb="md" role="status">
                    {notice}
                  </Alert>
                )}
                {error && (
                  <Alert
                    color="red"
                    variant="light"
                    mb="md"
                    icon={<IconAlert />}
                    role="alert"
                    data-testid="login-error"
                  >
                    {error}
                  </Alert>
                )}
                <form onSubmit={submit} noValidate aria-label={t("auth.title")}>
                  <Stack gap="md">
                    <TextInput
                      label={t("auth.email")}
                      type="email"
                      autoComplete="username"
                      inputMode="email"
                      required
                      autoFocus
                      {...form.getInputProps("email")}
                    />
                    <PasswordInput
                      label={t("auth.password")}
                      autoComplete="current-password"
                      required
                      visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
                      {...form.getInputProps("password")}
                    />
                    <Anchor component={Link} to="/forgot-password" size="sm" mt={-8} ta="right">
                      {t("password.forgot.link")}
                    </Anchor>
                    <Button type="submit" fullWidth mt="xs" size="md" loading={submitting}>
                      {t("auth.submit")}
                    </Button>
                  </Stack>
                </form>
                <PasskeyLogin onError={setError} disabled={submitting} />
                <SsoSignIn onChallenge={setChallenge} />
              </>
            )}
          </Paper>
          <Text ta="center" size="xs" c="dimmed">
            {t("app.tagline")}
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
