// "Zweiten Faktor zurücksetzen" in the user management: an administrator
// removes every factor and recovery code of a colleague who lost them (the
// colleague's sessions end; the server mails them). It is a change of
// second factors like one's own, so the administrator steps up first.
import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { User } from "../../gen/zeugo/v1/users_pb.js";
import { useMyFactors, useResetUserSecondFactors } from "../../api/mfa.js";
import { IconAlert } from "../../components/icons.js";
import { errorMessage } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { hasRule } from "./codes.js";
import { StepUpCancelled, useStepUpGuard } from "./StepUp.js";

/** The rule of FailedPrecondition when an administrator resets their own factors. */
export const resetSelfRule = "zeugo.mfa.reset_self";

/** ResetSecondFactors is the button, its confirmation and the step-up before the reset. */
export function ResetSecondFactors({ user }: { user: User }) {
  const { t } = useTranslation();
  const principal = usePrincipal();
  // The administrator's own factors decide how the step-up is proven.
  const mine = useMyFactors();
  const factors = mine.data?.factors ?? [];
  const guard = useStepUpGuard({
    validUntil: mine.data?.stepUpValidUntil,
    hasFactor: factors.length > 0,
    methods: factors.map((f) => f.method),
    email: principal.email,
  });
  const reset = useResetUserSecondFactors();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const name = `${user.fields?.firstName ?? ""} ${user.fields?.lastName ?? ""}`.trim() || user.email;

  // The confirmation closes first: the step-up dialog never opens beneath it.
  const run = async () => {
    setConfirming(false);
    setError(undefined);
    try {
      await guard.run(() => reset.mutateAsync({ userId: user.id }));
      notifySuccess(t, t("passkeys.reset.done", { name }));
    } catch (err) {
      if (err instanceof StepUpCancelled) return;
      setError(hasRule(err, resetSelfRule) ? t("passkeys.reset.self") : errorMessage(err, t));
    }
  };

  return (
    <>
      <Group gap="sm">
        <Button variant="default" onClick={() => setConfirming(true)} loading={reset.isPending} disabled={mine.isPending}>
          {t("passkeys.reset.button")}
        </Button>
      </Group>
      {error && (
        <Alert color="red" variant="light" icon={<IconAlert />} role="alert" withCloseButton onClose={() => setError(undefined)} closeButtonLabel={t("common.close")}>
          {error}
        </Alert>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t("passkeys.reset.title", { name })} centered closeButtonProps={{ "aria-label": t("common.close") }}>
        <Stack gap="md">
          <Text size="sm">{t("passkeys.reset.text", { name })}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)} data-autofocus>
              {t("common.cancel")}
            </Button>
            <Button color="red" onClick={() => void run()}>
              {t("passkeys.reset.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {guard.dialog}
    </>
  );
}
