// Adding a passkey or security key in "Mein Konto": behind the step-up, the
// server's creation options are fetched first; the dialog then asks for an
// optional name, and its button (a click of the person: browsers want one
// for their passkey prompt) lets the browser create the credential, whose
// answer the server verifies and stores.
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { Code } from "@connectrpc/connect";
import { useForm } from "@mantine/form";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FinishPasskeyRegistrationRequestSchema, type SecondFactor } from "../../gen/zeugo/v1/factors_pb.js";
import { useFinishPasskeyRegistration, useStartPasskeyRegistration } from "../../api/mfa.js";
import { IconAlert } from "../../components/icons.js";
import { isCode } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { violationMessage, violationsFromError } from "../../lib/validation.js";
import { createPasskey, passkeyErrorMessage } from "./passkeys.js";
import { StepUpCancelled } from "./StepUp.js";

type Registration = { registrationId: string; options: string };

type Options = {
  /** Runs a change behind the step-up (useStepUpGuard's run). */
  run: <T>(action: () => Promise<T>) => Promise<T>;
  /** The first factor's recovery codes, to show once. */
  onCodes: (codes: string[]) => void;
  /** A failure that ends the set-up, for the card. */
  onError: (message: string | undefined) => void;
};

/**
 * usePasskeyRegistration adds a passkey: start() runs the step-up and
 * fetches the options, dialog is the name-and-create dialog.
 */
export function usePasskeyRegistration({ run, onCodes, onError }: Options): { start: () => void; starting: boolean; dialog: ReactNode } {
  const { t } = useTranslation();
  const startReg = useStartPasskeyRegistration();
  const [registration, setRegistration] = useState<Registration | undefined>();

  const start = () => {
    onError(undefined);
    void (async () => {
      try {
        const res = await run(() => startReg.mutateAsync({}));
        setRegistration({ registrationId: res.registrationId, options: res.options });
      } catch (err) {
        if (err instanceof StepUpCancelled) return;
        onError(passkeyErrorMessage(err, t));
      }
    })();
  };

  const close = () => setRegistration(undefined);
  const dialog = (
    <Modal
      opened={registration !== undefined}
      onClose={close}
      title={t("passkeys.add.title")}
      centered
      closeButtonProps={{ "aria-label": t("common.close") }}
    >
      {registration && (
        <AddPasskeyForm
          registration={registration}
          run={run}
          onCancel={close}
          onAdded={(factor, codes) => {
            close();
            notifySuccess(t, t("passkeys.add.added", { name: factor?.name || t("passkeys.defaultName") }));
            if (codes.length > 0) onCodes(codes);
          }}
          onLapsed={(message) => {
            close();
            onError(message);
          }}
        />
      )}
    </Modal>
  );
  return { start, starting: startReg.isPending, dialog };
}

function AddPasskeyForm({
  registration,
  run,
  onCancel,
  onAdded,
  onLapsed,
}: {
  registration: Registration;
  run: Options["run"];
  onCancel: () => void;
  onAdded: (factor: SecondFactor | undefined, codes: string[]) => void;
  onLapsed: (message: string) => void;
}) {
  const { t } = useTranslation();
  const finish = useFinishPasskeyRegistration();
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
    try {
      const credential = await createPasskey(registration.options);
      const res = await run(() => finish.mutateAsync({ registrationId: registration.registrationId, credential, name: values.name.trim() }));
      onAdded(res.factor, res.recoveryCodes);
    } catch (err) {
      if (err instanceof StepUpCancelled) return;
      // The registration lapsed (or was used): it has to start again.
      if (isCode(err, Code.NotFound)) {
        onLapsed(t("passkeys.add.lapsed"));
        return;
      }
      const name = violationsFromError(err, FinishPasskeyRegistrationRequestSchema).find((v) => v.field === "name");
      if (name) {
        form.setFieldError("name", violationMessage(name, t));
        form.getInputNode("name")?.focus();
      } else {
        setFormError(passkeyErrorMessage(err, t));
      }
    } finally {
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={t("passkeys.add.title")}>
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
          data-autofocus
          {...form.getInputProps("name")}
        />
        <Text size="sm" c="dimmed">
          {t("passkeys.add.next")}
        </Text>
        <Group justify="space-between" gap="sm">
          <Button variant="default" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={busy}>
            {t("passkeys.add.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
