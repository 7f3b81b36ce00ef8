import { Alert, Button, Center, Loader, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Code } from "@connectrpc/connect";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useConfirmRequest, usePublicForm, useStartRequest } from "../../api/selfservice.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { IconAlert } from "../../components/icons.js";
import type { CertificateKind } from "../../gen/zeugo/v1/certificates_pb.js";
import {
  ConfirmSelfServiceRequestRequestSchema,
  StartSelfServiceRequestRequestSchema,
} from "../../gen/zeugo/v1/selfservice_pb.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { showFormErrors } from "../../lib/form.js";
import { toFormErrors, validateMessage, violationsFromError } from "../../lib/validation.js";
import { kindChoices } from "../certificates/options.js";
import { DateField } from "../employees/DateField.js";
import { PublicPage } from "../password/PublicPage.js";

type Values = {
  firstName: string;
  lastName: string;
  personnelNumber: string;
  email: string;
  kind: string;
  reason: string;
  wishedDate: string;
  language: string;
};

const order = ["firstName", "lastName", "personnelNumber", "email", "kind", "reason", "wishedDate", "language"] as const;

/**
 * PublicFormPage (/s/:formId) is the request form a tenant publishes: no
 * sign-in. It asks for the request, then for the code mailed to the given
 * address, then confirms. Nothing is stored before the code is confirmed,
 * and no answer tells whether the person is known as an employee.
 */
export function PublicFormPage() {
  const { t, i18n } = useTranslation();
  const formId = useParams().formId ?? "";
  const info = usePublicForm(formId);
  const [pending, setPending] = useState<{ token: string; email: string } | undefined>();
  const [done, setDone] = useState(false);
  const title = t("selfservice.public.title");

  if (info.isPending) {
    return (
      <PublicPage title={title}>
        <Center py="xl">
          <Loader aria-label={t("app.loading")} />
        </Center>
      </PublicPage>
    );
  }
  if (info.error || !info.data) {
    return (
      <PublicPage title={title}>
        {isCode(info.error, Code.NotFound) || isCode(info.error, Code.InvalidArgument) ? (
          <Alert color="orange" variant="light" icon={<IconAlert />} role="alert" data-testid="form-unknown">
            {t("selfservice.public.unknown")}
          </Alert>
        ) : (
          <ErrorAlert error={info.error} onRetry={() => void info.refetch()} />
        )}
      </PublicPage>
    );
  }
  const company = info.data.companyName;
  if (done) {
    return (
      <PublicPage title={title} subtitle={company}>
        <Alert color="zeugo" variant="light" role="status" data-testid="request-confirmed">
          {t("selfservice.public.confirmed")}
        </Alert>
      </PublicPage>
    );
  }
  if (pending) {
    return (
      <PublicPage title={t("selfservice.public.codeTitle")} subtitle={t("selfservice.public.codeSubtitle", { email: pending.email })}>
        <CodeStep pending={pending.token} onDone={() => setDone(true)} onRestart={() => setPending(undefined)} />
      </PublicPage>
    );
  }
  return (
    <PublicPage title={title} subtitle={company}>
      <Stack gap="md">
        {info.data.intro && (
          <Text size="sm" style={{ whiteSpace: "pre-line" }}>
            {info.data.intro}
          </Text>
        )}
        <RequestStep formId={formId} language={i18n.language === "en" ? "en" : "de"} onStarted={setPending} />
      </Stack>
    </PublicPage>
  );
}

function RequestStep({
  formId,
  language,
  onStarted,
}: {
  formId: string;
  language: string;
  onStarted: (p: { token: string; email: string }) => void;
}) {
  const { t } = useTranslation();
  const start = useStartRequest();
  const [error, setError] = useState<string | undefined>();
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: { firstName: "", lastName: "", personnelNumber: "", email: "", kind: "", reason: "", wishedDate: "", language },
  });

  const submit = form.onSubmit(async (v) => {
    setError(undefined);
    const fields = {
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
      personnelNumber: v.personnelNumber.trim(),
      email: v.email.trim(),
      kind: Number(v.kind || 0) as CertificateKind,
      reason: v.reason.trim(),
      wishedDate: v.wishedDate,
      language: v.language,
    };
    const req = { formId, fields };
    const { violations } = validateMessage(StartSelfServiceRequestRequestSchema, req);
    if (violations.length > 0) {
      const errors = toFormErrors(violations, t, { prefix: "fields.", known: order });
      if (!showFormErrors(form, errors, order)) setError(errors.other.join(" "));
      return;
    }
    try {
      const res = await start.mutateAsync(req);
      onStarted({ token: res.pending, email: fields.email });
    } catch (err) {
      const server = violationsFromError(err, StartSelfServiceRequestRequestSchema);
      const errors = toFormErrors(server, t, { prefix: "fields.", known: order });
      if (server.length > 0 && showFormErrors(form, errors, order) && errors.other.length === 0) return;
      setError(isCode(err, Code.NotFound) ? t("selfservice.public.unknown") : errors.other.join(" ") || errorMessage(err, t));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t("selfservice.public.title")}>
      <Stack gap="md">
        {error && (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {error}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <TextInput label={t("selfservice.fields.firstName")} autoComplete="given-name" required {...form.getInputProps("firstName")} />
          <TextInput label={t("selfservice.fields.lastName")} autoComplete="family-name" required {...form.getInputProps("lastName")} />
        </SimpleGrid>
        <TextInput
          label={t("selfservice.fields.personnelNumber")}
          description={t("selfservice.public.personnelNumberHint")}
          autoComplete="off"
          {...form.getInputProps("personnelNumber")}
        />
        <TextInput
          label={t("selfservice.fields.email")}
          description={t("selfservice.public.emailHint")}
          type="email"
          inputMode="email"
          autoComplete="email"
          required
          {...form.getInputProps("email")}
        />
        <Select
          label={t("selfservice.fields.kind")}
          placeholder={t("selfservice.public.choose")}
          data={kindChoices(t)}
          required
          allowDeselect={false}
          {...form.getInputProps("kind")}
        />
        <Textarea
          label={t("selfservice.fields.reason")}
          description={t("selfservice.public.reasonHint")}
          autosize
          minRows={3}
          maxLength={1000}
          required
          {...form.getInputProps("reason")}
        />
        <DateField label={t("selfservice.fields.wishedDate")} {...form.getInputProps("wishedDate")} />
        <Stack gap={4}>
          <Text size="sm" fw={700} id="ss-language">
            {t("selfservice.fields.language")}
          </Text>
          <SegmentedControl
            aria-labelledby="ss-language"
            data={[
              { value: "de", label: t("certificates.languages.de") },
              { value: "en", label: t("certificates.languages.en") },
            ]}
            {...form.getInputProps("language")}
          />
        </Stack>
        <Button type="submit" fullWidth size="md" loading={start.isPending}>
          {t("selfservice.public.submit")}
        </Button>
      </Stack>
    </form>
  );
}

function CodeStep({ pending, onDone, onRestart }: { pending: string; onDone: () => void; onRestart: () => void }) {
  const { t } = useTranslation();
  const confirm = useConfirmRequest();
  const [dead, setDead] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const form = useForm({ mode: "controlled", initialValues: { code: "" } });

  const submit = form.onSubmit(async (v) => {
    setError(undefined);
    const req = { pending, code: v.code.replace(/\s/g, "") };
    const { violations } = validateMessage(ConfirmSelfServiceRequestRequestSchema, req);
    if (violations.some((x) => x.field === "code")) {
      form.setErrors({ code: t("selfservice.public.codeFormat") });
      form.getInputNode("code")?.focus();
      return;
    }
    try {
      await confirm.mutateAsync(req);
      onDone();
    } catch (err) {
      const server = violationsFromError(err, ConfirmSelfServiceRequestRequestSchema);
      if (server.some((x) => x.field === "code")) {
        form.setErrors({ code: t("selfservice.public.codeWrong") });
        form.getInputNode("code")?.focus();
      } else if (isCode(err, Code.NotFound)) {
        setDead(true);
      } else {
        setError(errorMessage(err, t));
      }
    }
  });

  if (dead) {
    return (
      <Stack gap="md">
        <Alert color="orange" variant="light" icon={<IconAlert />} role="alert">
          {t("selfservice.public.expired")}
        </Alert>
        <Button variant="default" onClick={onRestart}>
          {t("selfservice.public.restart")}
        </Button>
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-label={t("selfservice.public.codeTitle")}>
      <Stack gap="md">
        {error && (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {error}
          </Alert>
        )}
        <TextInput
          label={t("selfservice.public.code")}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          required
          autoFocus
          styles={{ input: { letterSpacing: "0.3em", fontSize: "1.25rem" } }}
          {...form.getInputProps("code")}
        />
        <Button type="submit" fullWidth size="md" loading={confirm.isPending}>
          {t("selfservice.public.confirm")}
        </Button>
        <Button variant="subtle" onClick={onRestart}>
          {t("selfservice.public.restart")}
        </Button>
      </Stack>
    </form>
  );
}
