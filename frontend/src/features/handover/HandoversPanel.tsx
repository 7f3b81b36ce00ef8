// The "Übergaben" tab of the certificate editor: the certificate's
// handovers, newest first, with their state, expiry and what was granted;
// an open one can be revoked, sent again or extended, an expired one
// extended. Every action sends the version as read (a concurrent change
// is refused and the list reloads).
import { Alert, Badge, Button, Group, Loader, Modal, NumberInput, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useExtendHandover, useHandovers, useResendHandover, useRevokeHandover } from "../../api/handovers.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import type { Certificate } from "../../gen/zeugo/v1/certificates_pb.js";
import type { Handover } from "../../gen/zeugo/v1/handover_pb.js";
import { errorMessage } from "../../lib/errors.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { keyOf } from "./grants.js";
import { defaultExpiryDays, HandoverDialog, sectionTitle } from "./HandoverDialog.js";
import { canExtend, isOpen, stateColor } from "./state.js";

/** grantSummary lists the granted sections: "Bewertung Leistung (Bearbeiten), Daten". */
export function grantSummary(h: Pick<Handover, "grants">, t: (k: string, o?: Record<string, string>) => string): string {
  return h.grants
    .map((g) => {
      const key = keyOf(g.section);
      if (!key) return "";
      const title = sectionTitle(key, t);
      return g.write ? t("handover.list.writes", { section: title }) : title;
    })
    .filter((s) => s !== "")
    .join(", ");
}

type Pending = { kind: "revoke" | "extend"; handover: Handover };

/** HandoversPanel lists and manages the handovers of one certificate. */
export function HandoversPanel({ certificate, canWrite }: { certificate: Certificate; canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const query = useHandovers(certificate.id);
  const resend = useResendHandover();
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending>();
  const [error, setError] = useState<string>();

  const onResend = async (h: Handover) => {
    setError(undefined);
    try {
      await resend.mutateAsync({ id: h.id, version: h.version });
      notifySuccess(t, t("handover.list.resent", { name: h.recipient?.name ?? "" }));
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };

  const handovers = query.data?.handovers ?? [];
  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={2} fz="h3">
          {t("handover.list.title")}
        </Title>
        {canWrite && <Button onClick={() => setCreating(true)}>{t("handover.create.open")}</Button>}
      </Group>
      <Text size="sm" c="dimmed">
        {t("handover.list.intro")}
      </Text>
      {error && (
        <Alert color="red" variant="light" role="alert">
          {error}
        </Alert>
      )}
      {query.isPending && <Loader aria-label={t("app.loading")} />}
      {query.isError && <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && handovers.length === 0 && <Text c="dimmed">{t("handover.list.empty")}</Text>}
      {handovers.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label={t("handover.list.title")} verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("handover.list.recipient")}</Table.Th>
                <Table.Th>{t("handover.list.state")}</Table.Th>
                <Table.Th>{t("handover.list.expires")}</Table.Th>
                <Table.Th>{t("handover.list.sections")}</Table.Th>
                {canWrite && <Table.Th>{t("handover.list.actions")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {handovers.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {h.recipient?.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {h.recipient?.email}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t("handover.list.by", { name: h.createdByName || t("certificates.editor.someone"), time: formatDateTime(h.createTime, i18n.language) })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={stateColor[h.state]} variant="light">
                      {t(`handover.state.${h.state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(h.expireTime, i18n.language)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{grantSummary(h, t)}</Text>
                    {h.download && (
                      <Text size="xs" c="dimmed">
                        {t("handover.list.download")}
                      </Text>
                    )}
                  </Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {isOpen(h) && (
                          <Button size="xs" variant="default" onClick={() => void onResend(h)} loading={resend.isPending && resend.variables?.id === h.id}>
                            {t("handover.list.resend")}
                          </Button>
                        )}
                        {canExtend(h) && (
                          <Button size="xs" variant="default" onClick={() => setPending({ kind: "extend", handover: h })}>
                            {t("handover.list.extend")}
                          </Button>
                        )}
                        {isOpen(h) && (
                          <Button size="xs" variant="subtle" color="red" onClick={() => setPending({ kind: "revoke", handover: h })}>
                            {t("handover.list.revoke")}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <HandoverDialog certificate={certificate} opened={creating} onClose={() => setCreating(false)} />
      <RevokeModal pending={pending?.kind === "revoke" ? pending.handover : undefined} onClose={() => setPending(undefined)} />
      <ExtendModal pending={pending?.kind === "extend" ? pending.handover : undefined} onClose={() => setPending(undefined)} />
    </Stack>
  );
}

function RevokeModal({ pending, onClose }: { pending: Handover | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const revoke = useRevokeHandover();
  const [error, setError] = useState<string>();
  const close = () => {
    if (revoke.isPending) return;
    setError(undefined);
    onClose();
  };
  const confirm = async () => {
    if (!pending) return;
    setError(undefined);
    try {
      await revoke.mutateAsync({ id: pending.id, version: pending.version });
      notifySuccess(t, t("handover.revoke.done", { name: pending.recipient?.name ?? "" }));
      close();
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  return (
    <Modal opened={pending !== undefined} onClose={close} title={t("handover.revoke.title")} centered closeButtonProps={{ "aria-label": t("common.close") }}>
      <Stack gap="md">
        <Text size="sm">{t("handover.revoke.text", { name: pending?.recipient?.name ?? "" })}</Text>
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} data-autofocus disabled={revoke.isPending}>
            {t("common.cancel")}
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={revoke.isPending}>
            {t("handover.revoke.confirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ExtendModal({ pending, onClose }: { pending: Handover | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const extend = useExtendHandover();
  const [days, setDays] = useState<number | string>(defaultExpiryDays);
  const [error, setError] = useState<string>();
  const close = () => {
    if (extend.isPending) return;
    setError(undefined);
    setDays(defaultExpiryDays);
    onClose();
  };
  const confirm = async () => {
    if (!pending) return;
    setError(undefined);
    try {
      await extend.mutateAsync({ id: pending.id, version: pending.version, expiresInDays: Number(days) || defaultExpiryDays });
      notifySuccess(t, t("handover.extend.done", { name: pending.recipient?.name ?? "" }));
      close();
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  return (
    <Modal opened={pending !== undefined} onClose={close} title={t("handover.extend.title")} centered closeButtonProps={{ "aria-label": t("common.close") }}>
      <Stack gap="md">
        <NumberInput label={t("handover.extend.days")} min={1} max={365} allowDecimal={false} value={days} onChange={setDays} error={error} data-autofocus />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={extend.isPending}>
            {t("common.cancel")}
          </Button>
          <Button onClick={() => void confirm()} loading={extend.isPending}>
            {t("handover.extend.confirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
