import { Alert, Button, Card, Group, Loader, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useChangePassword, usePasswordPolicy } from "../../api/password.js";
import { IconAlert } from "../../components/icons.js";
import { ChangePasswordRequestSchema } from "../../gen/zeugo/v1/auth_pb.js";
import { errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { toFormErrors, violationsFromError } from "../../lib/validation.js";
import { maxPasswordBytes, meetsPolicy } from "../password/rules.js";
import { StrengthMeter } from "../password/StrengthMeter.js";

const fields = ["currentPassword", "newPassword", "repeat"] as const;

/**
 * ChangePasswordCard lets the signed-in user replace their password: the
 * current one, the new one twice, the tenant's rules and the strength meter.
 * Every other session of the user ends; this one stays. Self-contained, for
 * the "Mein Konto" page.
 */
export function ChangePasswordCard() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const policyQuery = usePasswordPolicy();
  const change = useChangePassword();
  const [formError, setFormError] = useState<string | undefined>();
  const policy = {
    minLength: policyQuery.data?.policy?.minLength ?? 8,
    composition: policyQuery.data?.policy?.composition ?? true,
  };
  const form = useForm({
    mode: "controlled",
    initialValues: { currentPassword: "", newPassword: "", repeat: "" },
    validate: {
      currentPassword: (v) => (v === "" ? t("validation.rule.required") : null),
      newPassword: (v) =>
        v === ""
          ? t("validation.rule.required")
          : new TextEncoder().encode(v).length > maxPasswordBytes
            ? t("validation.rule.password.max_bytes")
            : meetsPolicy(v, policy)
              ? null
              : t("password.rules.unmet"),
      repeat: (v, values) => (v !== values.newPassword ? t("password.mismatch") : null),
    },
  });

  const submit = form.onSubmit(
    async (values) => {
      setFormError(undefined);
      try {
        await change.mutateAsync({ currentPassword: values.currentPassword, newPassword: values.newPassword });
        form.reset();
        notifySuccess(t, t("password.change.done"));
      } catch (err) {
        const errs = toFormErrors(violationsFromError(err, ChangePasswordRequestSchema), t, { known: fields });
        const first = fields.find((f) => f in errs.fields);
        if (first) {
          form.setErrors(errs.fields);
          if (first === "currentPassword") form.setFieldValue("currentPassword", "");
          form.getInputNode(first)?.focus();
        } else {
          setFormError(errorMessage(err, t));
        }
      }
    },
    (errors) => {
      const first = fields.find((f) => f in errors);
      if (first) form.getInputNode(first)?.focus();
    },
  );

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="change-password-title">
      <Title order={2} fz="h4" id="change-password-title" mb={4}>
        {t("password.change.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t("password.change.subtitle")}
      </Text>
      {policyQuery.isPending ? (
        <Group justify="center" py="md">
          <Loader size="sm" aria-label={t("app.loading")} />
        </Group>
      ) : (
        <form onSubmit={submit} noValidate aria-label={t("password.change.title")}>
          <Stack gap="md" maw={460}>
            {formError && (
              <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
                {formError}
              </Alert>
            )}
            <input type="hidden" name="username" autoComplete="username" value={principal.email} readOnly />
            <PasswordInput
              label={t("password.change.current")}
              autoComplete="current-password"
              required
              visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
              {...form.getInputProps("currentPassword")}
            />
            <PasswordInput
              label={t("password.new")}
              autoComplete="new-password"
              required
              aria-describedby="change-password-meter"
              visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
              {...form.getInputProps("newPassword")}
            />
            <StrengthMeter
              id="change-password-meter"
              password={form.values.newPassword}
              policy={policy}
              userInputs={[principal.firstName, principal.lastName, principal.email, principal.tenantName]}
            />
            <PasswordInput
              label={t("password.repeat")}
              autoComplete="new-password"
              required
              visibilityToggleButtonProps={{ "aria-label": t("auth.showPassword") }}
              {...form.getInputProps("repeat")}
            />
            <Group>
              <Button type="submit" loading={change.isPending}>
                {t("password.change.submit")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
