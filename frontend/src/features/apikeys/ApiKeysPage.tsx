import { ActionIcon, Alert, Badge, Button, Group, Modal, Stack, Text, Tooltip } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useMatch, useNavigate } from "react-router";
import { useApiKeyList, useRevokeApiKey } from "../../api/apikeys.js";
import type { DataColumn } from "../../components/DataTable.js";
import { DataTable, isEmptyList } from "../../components/DataTable.js";
import { IconPlus } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { ApiKeyOrder, ApiKeyState, type ApiKey } from "../../gen/zeugo/v1/apikeys_pb.js";
import { SortDirection } from "../../gen/zeugo/v1/paging_pb.js";
import { hasArea } from "../../lib/access.js";
import { errorMessage } from "../../lib/errors.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { CreateApiKeyDialog } from "./CreateApiKeyDialog.js";
import { IconKey } from "../../components/icons.js";
import { scopesText, stateOf } from "./labels.js";

const base = "/api-keys";
const pageSizes = [25, 50, 100];

/**
 * ApiKeysPage lists the tenant's API keys (never a secret). Creating
 * (/api-keys/new) happens in a dialog over the list that shows the new
 * token once; revoking asks first and acts on the key's very next call.
 */
export function ApiKeysPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const principal = usePrincipal();
  const canEdit = !principal.tenantReadOnly && hasArea(principal, Area.API_KEYS);
  const list = useApiKeyList();
  const isNew = useMatch(`${base}/new`) !== null;
  const [revoking, setRevoking] = useState<ApiKey | undefined>();
  const date = (ts: ApiKey["createTime"]) => formatDateTime(ts, i18n.language);

  const columns: DataColumn<ApiKey, ApiKeyOrder>[] = [
    {
      id: "name",
      header: t("common.name"),
      cell: (k) => (
        <Text size="sm" fw={500} truncate="end">
          {k.name}
        </Text>
      ),
      sortKey: ApiKeyOrder.NAME,
      width: "18%",
    },
    {
      id: "prefix",
      header: t("apikeys.column.prefix"),
      cell: (k) => (
        <Text size="sm" ff="monospace" truncate="end">
          {`zk_…_${k.prefix}_…`}
        </Text>
      ),
    },
    {
      id: "scopes",
      header: t("apikeys.column.scopes"),
      cell: (k) => (
        <Text size="sm" truncate="end">
          {scopesText(t, k.scopes)}
        </Text>
      ),
    },
    {
      id: "createdBy",
      header: t("apikeys.column.createdBy"),
      cell: (k) => (
        <Text size="sm" truncate="end">
          {k.createdByName}
        </Text>
      ),
    },
    {
      id: "created",
      header: t("apikeys.column.created"),
      cell: (k) => (
        <Text size="sm" c="dimmed" truncate="end">
          {date(k.createTime)}
        </Text>
      ),
      sortKey: ApiKeyOrder.CREATE_TIME,
      firstDirection: SortDirection.DESCENDING,
      width: 170,
    },
    {
      id: "lastUsed",
      header: t("apikeys.column.lastUsed"),
      cell: (k) => (
        <Text size="sm" c="dimmed" truncate="end">
          {k.lastUseTime ? date(k.lastUseTime) : t("apikeys.never")}
        </Text>
      ),
      width: 170,
    },
    {
      id: "expires",
      header: t("apikeys.column.expires"),
      cell: (k) => (
        <Text size="sm" c="dimmed" truncate="end">
          {k.expireTime ? date(k.expireTime) : t("apikeys.noExpiry")}
        </Text>
      ),
      width: 170,
    },
    {
      id: "state",
      header: t("apikeys.column.state"),
      cell: (k) => {
        const s = stateOf(t, k.state);
        return (
          <Badge color={s.color} variant="light">
            {s.label}
          </Badge>
        );
      },
      width: 110,
    },
  ];

  const createButton = canEdit && (
    <Button component={Link} to={`${base}/new`} leftSection={<IconPlus size={16} />}>
      {t("apikeys.create.button")}
    </Button>
  );
  const title = t("apikeys.title");
  return (
    <>
      <PageHeader title={title} intro={t("apikeys.intro")} actions={!isEmptyList(list) && createButton} />
      <DataTable
        label={title}
        columns={columns}
        data={list}
        rowKey={(k) => k.id}
        rowActions={
          canEdit
            ? (k) =>
                k.state !== ApiKeyState.REVOKED && (
                  <Tooltip label={t("apikeys.revoke.button")} openDelay={400}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`${t("apikeys.revoke.button")}: ${k.name}`}
                      onClick={() => setRevoking(k)}
                    >
                      <IconKey size={16} />
                    </ActionIcon>
                  </Tooltip>
                )
            : undefined
        }
        search={{ label: t("apikeys.search") }}
        empty={{
          icon: <IconKey size={28} />,
          title,
          description: canEdit ? t("apikeys.empty") : t("common.emptyReadOnly"),
          action: createButton,
        }}
        pageSizes={pageSizes}
        minWidth={1100}
      />
      <RevokeModal apiKey={revoking} onDone={() => setRevoking(undefined)} />
      {isNew && canEdit && <CreateApiKeyDialog onClose={() => void navigate(base)} />}
    </>
  );
}

/** RevokeModal asks before revoking; focus starts on "Abbrechen". */
function RevokeModal({ apiKey, onDone }: { apiKey: ApiKey | undefined; onDone: () => void }) {
  const { t } = useTranslation();
  const revoke = useRevokeApiKey();
  const [error, setError] = useState<string | undefined>();
  const name = apiKey?.name ?? "";
  const close = () => {
    if (revoke.isPending) return;
    setError(undefined);
    onDone();
  };
  const confirm = async () => {
    if (!apiKey) return;
    setError(undefined);
    try {
      await revoke.mutateAsync({ id: apiKey.id });
      notifySuccess(t, t("apikeys.revoke.done", { name }));
      onDone();
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  return (
    <Modal opened={apiKey !== undefined} onClose={close} title={t("apikeys.revoke.title", { name })} centered closeButtonProps={{ "aria-label": t("common.close") }}>
      <Stack gap="md">
        <Text size="sm">{t("apikeys.revoke.text", { name })}</Text>
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
            {t("apikeys.revoke.confirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
