import { Button, SegmentedControl, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useMatch, useNavigate } from "react-router";
import { useUserList } from "../../api/users.js";
import { linkColumn, textColumn } from "../../components/columns.js";
import { DataTable, type DataColumn } from "../../components/DataTable.js";
import { IconPlus, IconUsersGroup } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import type { Principal } from "../../gen/zeugo/v1/auth_pb.js";
import { UserOrder, UserState, type User } from "../../gen/zeugo/v1/users_pb.js";
import { hasArea } from "../../lib/access.js";
import { formatDateTime } from "../../lib/format.js";
import { usePrincipal } from "../../lib/session-context.js";
import { StateBadge } from "./StateBadge.js";
import { userStates } from "./states.js";
import { UserDialog } from "./UserDialog.js";

/** canEditUsers: invite, change, deactivate and unlock users (area Benutzer). */
export function canEditUsers(principal: Principal): boolean {
  return !principal.tenantReadOnly && hasArea(principal, Area.USERS);
}

const base = "/users";
const pageSizes = [25, 50, 100];

/**
 * UsersPage lists the tenant's users with their state; a filter picks one
 * state, the search finds an exact email or a part of a name. Inviting
 * (/users/new) and the detail (/users/:id) open a dialog over the list.
 */
export function UsersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const principal = usePrincipal();
  const canEdit = canEditUsers(principal);
  const [state, setState] = useState<UserState>(UserState.UNSPECIFIED);
  const isNewRoute = useMatch(`${base}/new`) !== null;
  const idMatch = useMatch(`${base}/:id`);
  const id = isNewRoute ? undefined : idMatch?.params.id;
  const invite = canEdit && (
    <Button component={Link} to={`${base}/new`} leftSection={<IconPlus size={16} />}>
      {t("users.invite")}
    </Button>
  );

  return (
    <>
      <PageHeader title={t("users.title")} intro={t("users.intro")} actions={invite} />
      <Stack gap="md">
        <SegmentedControl
          aria-label={t("users.filter")}
          value={String(state)}
          onChange={(v) => setState(Number(v) as UserState)}
          data={[
            { value: String(UserState.UNSPECIFIED), label: t("users.states.all") },
            ...userStates.map((s) => ({ value: String(s.state), label: t(`users.states.${s.key}`) })),
          ]}
          style={{ alignSelf: "flex-start" }}
        />
        {/* A page token belongs to its filter: each state starts its own list at page one. */}
        <UsersTable key={state} state={state} />
      </Stack>
      {(id !== undefined || (isNewRoute && canEdit)) && (
        <UserDialog key={id ?? "new"} id={id} canEdit={canEdit} self={principal.userId} onClose={() => void navigate(base)} />
      )}
    </>
  );
}

function UsersTable({ state }: { state: UserState }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const list = useUserList(state);
  const columns: DataColumn<User, UserOrder>[] = [
    linkColumn({
      header: t("common.name"),
      text: (u) => `${u.fields?.firstName ?? ""} ${u.fields?.lastName ?? ""}`.trim(),
      to: (u) => `${base}/${u.id}`,
      width: "24%",
    }),
    textColumn("email", t("users.fields.email"), (u) => u.email),
    textColumn("role", t("users.fields.role"), (u) => u.roleName),
    { id: "state", header: t("users.fields.state"), cell: (u) => <StateBadge state={u.state} />, width: 140 },
    {
      id: "lastLogin",
      header: t("users.lastLogin"),
      cell: (u) => (
        <Text size="sm" c="dimmed" truncate="end">
          {u.lastLoginTime ? formatDateTime(u.lastLoginTime, i18n.language) : "–"}
        </Text>
      ),
    },
  ];
  return (
    <DataTable
      label={t("users.title")}
      columns={columns}
      data={list}
      rowKey={(u) => u.id}
      onOpenRow={(u) => void navigate(`${base}/${u.id}`)}
      search={{ label: t("users.search"), placeholder: t("users.searchPlaceholder") }}
      empty={{
        icon: <IconUsersGroup size={28} />,
        title: t("users.title"),
        description: state === UserState.UNSPECIFIED ? t("users.empty") : t("users.emptyState"),
      }}
      pageSizes={pageSizes}
      minWidth={760}
    />
  );
}
