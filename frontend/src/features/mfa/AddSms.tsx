// Adding an SMS number in "Mein Konto": behind the step-up (asked before
// the dialog opens), the dialog first states SMS's risk and asks for the
// number; the server texts a code to it, and the number becomes a factor
// once that code comes back. SMS is the weakest kind (a number can be moved
// to another SIM card, texts intercepted), so the tenant allows it only
// beside an app or passkeys and this dialog says so before anything is sent.
import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { useForm } from "@mantine/form";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  ConfirmSmsEnrollmentRequestSchema,
  StartSmsEnrollmentRequestSchema,
  type ConfirmSmsEnrollmentResponse,
} from "../../gen/zeugo/v1/factors_pb.js";
import { useConfirmSmsEnrollment, useStartSmsEnrollment } from "../../api/mfa.js";
import { IconAlert } from "../../components/icons.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { validateMessage, violationMessage, violationsFromError } from "../../lib/validation.js";
import { hasRule } from "./codes.js";
import { codeFieldProps } from "./CodeInput.js";
import { SmsCodeInput, SmsResend, SmsSent, smsSendError } from "./SmsCode.js";
import { StepUpCancelled } from "./StepUp.js";

/**
 * phoneInput tidies a typed number for sending: spaces, dashes, dots,
 * slashes and brackets go, a leading 00 becomes +. Anything else (a
 * national 0151…) is left for the proto's pattern to refuse at the field.
 */
export function phoneInput(value: string): string {
  const v = value.replace(/[\s\-./()]/g, "");
  return v.startsWith("00") ? `+${v.slice(2)}` : v;
}

type Values = { phone: string; code: string; name: string };

type Props = {
  /** Runs a change behind the step-up (useStepUpGuard's run). */
  run: <T>(action: () => Promise<T>) => Promise<T>;
  onAdded: (res: ConfirmSmsEnrollmentResponse) => void;
  onCancel: () => void;
};

/** AddSmsForm is the dialog's content: the risk and the number, then the code. */
export function AddSmsForm({ run, onAdded, onCancel }: Props) {
  const { t } = useTranslation();
  const start = useStartSmsEnrollment();
  const confirm = useConfirmSmsEnrollment();
  const [sent, setSent] = useState<{ id: string; phone: string; expiresAt: Timestamp | undefined } | null>(null);
  const [resendError, setResendError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();
  const form = useForm<Values>({ mode: "controlled", initialValues: { phone: "", code: "", name: "" } });
  // Once a code is on its way the code field takes the focus, after React has
  // put it on the page (a new send — a resend or another number — too).
  // Only a new enrollment moves the focus, not every render.
  const sentId = sent?.id;
  const formRef = useRef(form);
  formRef.current = form;
  useEffect(() => {
    if (sentId) formRef.current.getInputNode("code")?.focus();
  }, [sentId]);

  /** send starts (or restarts) the enrollment; errors go to the number's field, or below the resend link. */
  const send = async (phone: string, resend: boolean): Promise<void> => {
    setFormError(undefined);
    setResendError(undefined);
    const fieldError = (message: string) => {
      if (resend) {
        setResendError(message);
      } else {
        form.setFieldError("phone", message);
        form.getInputNode("phone")?.focus();
      }
    };
    if (validateMessage(StartSmsEnrollmentRequestSchema, { phone }).violations.length > 0 || phone === "") {
      fieldError(t("mfa.sms.add.phoneFormat"));
      return;
    }
    try {
      const res = await run(() => start.mutateAsync({ phone }));
      setSent({ id: res.enrollmentId, phone, expiresAt: res.expiresAt });
      form.setFieldValue("code", "");
      form.clearErrors();
    } catch (err) {
      if (err instanceof StepUpCancelled) return;
      if (violationsFromError(err, StartSmsEnrollmentRequestSchema).some((v) => v.field === "phone")) fieldError(t("mfa.sms.add.phoneFormat"));
      else if (isCode(err, Code.ResourceExhausted)) fieldError(smsSendError(err, t));
      else if (hasRule(err, "zeugo.mfa.method_not_allowed")) setFormError(t("passkeys.error.notAllowed"));
      else setFormError(errorMessage(err, t));
    }
  };

  const submit = form.onSubmit(async (values) => {
    form.clearErrors();
    if (!sent) {
      await send(phoneInput(values.phone), false);
      return;
    }
    setFormError(undefined);
    const req = { enrollmentId: sent.id, code: values.code, name: values.name.trim() };
    const early = validateMessage(ConfirmSmsEnrollmentRequestSchema, req).violations;
    if (early.some((v) => v.field === "code")) {
      form.setFieldError("code", t("mfa.sms.codeFormat"));
      form.getInputNode("code")?.focus();
      return;
    }
    const earlyName = early.find((v) => v.field === "name");
    if (earlyName) {
      form.setFieldError("name", violationMessage(earlyName, t));
      form.getInputNode("name")?.focus();
      return;
    }
    try {
      onAdded(await run(() => confirm.mutateAsync(req)));
    } catch (err) {
      if (err instanceof StepUpCancelled) return;
      if (isCode(err, Code.NotFound)) {
        // Lapsed, or ended after too many wrong codes: back to the number.
        setSent(null);
        setFormError(t("mfa.sms.add.lapsed"));
        return;
      }
      const violations = violationsFromError(err, ConfirmSmsEnrollmentRequestSchema);
      const code = violations.find((v) => v.field === "code");
      const name = violations.find((v) => v.field === "name");
      if (code) {
        // Clearing the code first: a change clears the field's error.
        form.setFieldValue("code", "");
        const format = code.ruleId === "string.pattern";
        form.setFieldError("code", format ? t("mfa.sms.codeFormat") : t("mfa.sms.codeWrong"));
        form.getInputNode("code")?.focus();
      } else if (name) {
        form.setFieldError("name", violationMessage(name, t));
        form.getInputNode("name")?.focus();
      } else {
        setFormError(errorMessage(err, t));
      }
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t("mfa.sms.add.formLabel")}>
      <Stack gap="md">
        <Alert color="yellow" variant="light" icon={<IconAlert />} data-testid="sms-risk">
          <Text size="sm" fw={700} mb={4}>
            {t("mfa.sms.add.riskTitle")}
          </Text>
          <Text size="sm">{t("mfa.sms.add.risk")}</Text>
        </Alert>
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {formError}
          </Alert>
        )}
        {!sent ? (
          <TextInput
            label={t("mfa.sms.add.phone")}
            description={t("mfa.sms.add.phoneHint")}
            placeholder="+49 151 23456789"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            maxLength={24}
            required
            data-autofocus
            {...form.getInputProps("phone")}
          />
        ) : (
          <>
            <SmsSent phone={sent.phone} expiresAt={sent.expiresAt} />
            <SmsCodeInput {...codeFieldProps(form.getInputProps("code"))} onChange={(v) => form.setFieldValue("code", v)} />
            <SmsResend onResend={() => void send(sent.phone, true)} busy={start.isPending} error={resendError} />
            <Anchor
              component="button"
              type="button"
              size="sm"
              ta="left"
              mt={-6}
              onClick={() => {
                setSent(null);
                setResendError(undefined);
                form.clearErrors();
                requestAnimationFrame(() => form.getInputNode("phone")?.focus());
              }}
            >
              {t("mfa.sms.add.otherNumber")}
            </Anchor>
            <TextInput
              label={t("mfa.sms.add.name")}
              description={t("mfa.sms.add.nameHint")}
              placeholder={t("mfa.sms.defaultName")}
              maxLength={60}
              autoComplete="off"
              {...form.getInputProps("name")}
            />
          </>
        )}
        <Group justify="space-between" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={sent ? confirm.isPending : start.isPending}>
            {sent ? t("mfa.sms.add.confirm") : t("mfa.sms.add.sendCode")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
