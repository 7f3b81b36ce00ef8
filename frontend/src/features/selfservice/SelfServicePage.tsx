import { Badge, Button, Group, SegmentedControl, Stack, Tabs, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMatch, useNavigate } from "react-router";
import { useSelfServiceInbox } from "../../api/selfservice.js";
import { DataTable, RowLink, type DataColumn } from "../../components/DataTable.js";
import { IconCertificate } from "../../components/icons.js";
import { PageHeader } from "../../components/PageHeader.js";
import {
  SelfServiceRequestOrder,
  SelfServiceRequestState,
  type SelfServiceRequest,
} from "../../gen/zeugo/v1/selfservice_pb.js";
import { formatDateTime } from "../../lib/format.js";
import { kindName } from "../certificates/options.js";
import { FormsPanel } from "./FormsPanel.js";
import { stateColor, stateName, states, wishedDate } from "./labels.js";
import { RequestDrawer } from "./RequestDrawer.js";

const base = "/self-service";

/**
 * SelfServicePage (/self-service) is HR's inbox of the requests employees
 * sent through the published forms, and (/self-service/forms) the forms per
 * company. /self-service/:id opens a request in a drawer over the inbox.
 */
export function SelfServicePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const onForms = useMatch(`${base}/forms`) !== null;
  const id = useMatch(`${base}/:id`)?.params.id;
  return (
    <>
      <PageHeader title={t("selfservice.title")} intro={t("selfservice.intro")} />
      <Tabs value={onForms ? "forms" : "inbox"} onChange={(v) => void navigate(v === "forms" ? `${base}/forms` : base)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="inbox">{t("selfservice.tabs.inbox")}</Tabs.Tab>
          <Tabs.Tab value="forms">{t("selfservice.tabs.forms")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="inbox">
          <Inbox />
        </Tabs.Panel>
        <Tabs.Panel value="forms">
          <FormsPanel />
        </Tabs.Panel>
      </Tabs>
      {id && !onForms && <RequestDrawer id={id} onClose={() => void navigate(base)} />}
    </>
  );
}

function Inbox() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [state, setState] = useState<SelfServiceRequestState>(SelfServiceRequestState.OPEN);
  const list = useSelfServiceInbox(state);
  const columns: DataColumn<SelfServiceRequest, SelfServiceRequestOrder>[] = [
    {
      id: "name",
      header: t("selfservice.columns.name"),
      cell: (r) => (
        <Stack gap={0} style={{ minWidth: 0 }}>
          <RowLink to={`${base}/${r.id}`}>{`${r.fields?.firstName ?? ""} ${r.fields?.lastName ?? ""}`}</RowLink>
          <Text size="xs" c="dimmed" truncate="end">
            {r.fields?.email}
          </Text>
        </Stack>
      ),
      width: "28%",
    },
    { id: "kind", header: t("selfservice.columns.kind"), cell: (r) => <Text size="sm">{kindName(r.fields?.kind ?? 0, t)}</Text>, width: 170 },
    {
      id: "company",
      header: t("selfservice.columns.company"),
      cell: (r) => (
        <Text size="sm" truncate="end">
          {r.companyName}
        </Text>
      ),
    },
    { id: "wished", header: t("selfservice.columns.wishedDate"), cell: (r) => <Text size="sm">{wishedDate(r.fields?.wishedDate ?? "")}</Text>, width: 120 },
    {
      id: "state",
      header: t("selfservice.columns.state"),
      cell: (r) => (
        <Badge color={stateColor(r.state)} variant="light">
          {stateName(r.state, t)}
        </Badge>
      ),
      width: 140,
    },
    {
      id: "received",
      header: t("selfservice.columns.received"),
      cell: (r) => (
        <Text size="sm" c="dimmed">
          {formatDateTime(r.createTime, i18n.language)}
        </Text>
      ),
      sortKey: SelfServiceRequestOrder.CREATE_TIME,
      width: 170,
    },
  ];
  return (
    <Stack gap="md">
      <Group>
        <SegmentedControl
          aria-label={t("selfservice.filter")}
          value={String(state)}
          onChange={(v) => setState(Number(v) as SelfServiceRequestState)}
          data={[
            ...states.map(([s, key]) => ({ value: String(s), label: t(`selfservice.states.${key}`) })),
            { value: String(SelfServiceRequestState.UNSPECIFIED), label: t("selfservice.states.all") },
          ]}
        />
      </Group>
      <DataTable
        label={t("selfservice.tabs.inbox")}
        columns={columns}
        data={list}
        rowKey={(r) => r.id}
        onOpenRow={(r) => void navigate(`${base}/${r.id}`)}
        empty={{
          icon: <IconCertificate size={28} />,
          title: t("selfservice.emptyTitle"),
          description: t("selfservice.empty"),
          action: (
            <Button variant="default" onClick={() => void navigate(`${base}/forms`)}>
              {t("selfservice.tabs.forms")}
            </Button>
          ),
        }}
        minWidth={820}
      />
    </Stack>
  );
}
