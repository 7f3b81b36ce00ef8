import { Alert, Anchor, Badge, Button, Center, Divider, Drawer, Group, Loader, Radio, SimpleGrid, Stack, Text, Textarea, Title } from "@mantine/core";
import { Code, ConnectError } from "@connectrpc/connect";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useConvertRequest, useDeclineRequest, useSelfServiceRequest } from "../../api/selfservice.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { IconAlert } from "../../components/icons.js";
import {
  DeclineSelfServiceRequestRequestSchema,
  SelfServiceRequestState,
  type SelfServiceCandidate,
  type SelfServiceRequest,
} from "../../gen/zeugo/v1/selfservice_pb.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { toFormErrors, validateMessage, violationsFromError } from "../../lib/validation.js";
import { kindName, languageName } from "../certificates/options.js";
import { stateColor, stateName, wishedDate } from "./labels.js";

/**
 * RequestDrawer shows one request with the employees it may be about (in
 * the caller's certificate access): HR picks one and turns the request
 * into a draft certificate (then opens it), or declines it with a message
 * that is mailed to the requester.
 */
export function RequestDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const query = useSelfServiceRequest(id);
  const req = query.data?.request;
  const name = req ? `${req.fields?.firstName ?? ""} ${req.fields?.lastName ?? ""}` : t("selfservice.request");

  let body: ReactNode;
  if (query.isPending) {
    body = (
      <Center py="xl">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  } else if (query.isError || !req) {
    const err = query.error && !isCode(query.error, Code.InvalidArgument) ? query.error : new ConnectError("", Code.NotFound);
    body = <ErrorAlert error={err} onRetry={isCode(err, Code.NotFound) ? undefined : () => void query.refetch()} />;
  } else {
    body = (
      <Stack gap="lg">
        <Details req={req} />
        <Divider />
        {req.state === SelfServiceRequestState.OPEN ? (
          <Decide req={req} candidates={query.data?.candidates ?? []} onDeclined={onClose} />
        ) : (
          <Outcome req={req} />
        )}
      </Stack>
    );
  }
  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size={720}
      title={name}
      styles={{ title: { fontSize: "var(--mantine-h3-font-size)", fontWeight: 700 } }}
      closeButtonProps={{ "aria-label": t("common.close") }}
      padding="xl"
    >
      {body}
    </Drawer>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: "anywhere" }}>
        {children}
      </Text>
    </Stack>
  );
}

function Details({ req }: { req: SelfServiceRequest }) {
  const { t, i18n } = useTranslation();
  const f = req.fields;
  return (
    <Stack gap="md">
      <Group gap="xs">
        <Badge color={stateColor(req.state)} variant="light">
          {stateName(req.state, t)}
        </Badge>
        <Text size="sm" c="dimmed">
          {t("selfservice.receivedAt", { time: formatDateTime(req.createTime, i18n.language) })}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Fact label={t("selfservice.fields.email")}>{f?.email}</Fact>
        <Fact label={t("selfservice.fields.personnelNumber")}>{f?.personnelNumber || "–"}</Fact>
        <Fact label={t("selfservice.fields.kind")}>{kindName(f?.kind ?? 0, t)}</Fact>
        <Fact label={t("selfservice.fields.language")}>{languageName(f?.language ?? "de", t)}</Fact>
        <Fact label={t("selfservice.fields.wishedDate")}>{wishedDate(f?.wishedDate ?? "")}</Fact>
        <Fact label={t("selfservice.columns.company")}>{req.companyName}</Fact>
      </SimpleGrid>
      <Fact label={t("selfservice.fields.reason")}>
        <span style={{ whiteSpace: "pre-line" }}>{f?.reason}</span>
      </Fact>
    </Stack>
  );
}

function Outcome({ req }: { req: SelfServiceRequest }) {
  const { t, i18n } = useTranslation();
  const when = formatDateTime(req.decideTime, i18n.language);
  if (req.state === SelfServiceRequestState.CONVERTED) {
    return (
      <Alert color="green" variant="light" role="status">
        <Stack gap="xs">
          <Text size="sm">{t("selfservice.convertedAt", { time: when })}</Text>
          {req.certificateId && (
            <Anchor component={Link} to={`/certificates/${req.certificateId}`} size="sm">
              {t("selfservice.openCertificate")}
            </Anchor>
          )}
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="gray" variant="light" role="status">
      <Stack gap="xs">
        <Text size="sm">{t("selfservice.declinedAt", { time: when })}</Text>
        <Text size="sm" style={{ whiteSpace: "pre-line" }}>
          {req.declineMessage}
        </Text>
      </Stack>
    </Alert>
  );
}

function Decide({ req, candidates, onDeclined }: { req: SelfServiceRequest; candidates: SelfServiceCandidate[]; onDeclined: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const convert = useConvertRequest();
  const decline = useDeclineRequest();
  const [employeeId, setEmployeeId] = useState<string>(candidates[0]?.employeeId ?? "");
  const [message, setMessage] = useState("");
  const [messageError, setMessageError] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();

  const doConvert = async () => {
    setError(undefined);
    try {
      const res = await convert.mutateAsync({ id: req.id, version: req.version, employeeId });
      notifySuccess(t, t("selfservice.converted"));
      void navigate(`/certificates/${res.certificateId}`);
    } catch (err) {
      setError(isCode(err, Code.Aborted) ? t("selfservice.changed") : errorMessage(err, t));
    }
  };
  const doDecline = async () => {
    setError(undefined);
    setMessageError(undefined);
    const input = { id: req.id, version: req.version, message: message.trim() };
    const { violations } = validateMessage(DeclineSelfServiceRequestRequestSchema, input);
    const local = toFormErrors(violations, t, { known: ["message"] });
    if (local.fields.message) {
      setMessageError(local.fields.message);
      return;
    }
    try {
      await decline.mutateAsync(input);
      notifySuccess(t, t("selfservice.declined"));
      onDeclined();
    } catch (err) {
      const server = toFormErrors(violationsFromError(err, DeclineSelfServiceRequestRequestSchema), t, { known: ["message"] });
      if (server.fields.message) setMessageError(server.fields.message);
      else setError(isCode(err, Code.Aborted) ? t("selfservice.changed") : errorMessage(err, t));
    }
  };

  return (
    <Stack gap="xl">
      {error && (
        <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
          {error}
        </Alert>
      )}
      <Stack gap="sm">
        <Title order={2} fz="h4">
          {t("selfservice.convertTitle")}
        </Title>
        {candidates.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="no-candidates">
            {t("selfservice.noCandidates")}
          </Text>
        ) : (
          <Radio.Group value={employeeId} onChange={setEmployeeId} label={t("selfservice.candidates")} description={t("selfservice.candidatesHint")}>
            <Stack gap="xs" mt="xs">
              {candidates.map((c) => (
                <Radio
                  key={c.employeeId}
                  value={c.employeeId}
                  label={`${c.firstName} ${c.lastName}${c.personnelNumber ? ` · ${c.personnelNumber}` : ""}`}
                  description={c.byPersonnelNumber ? t("selfservice.byPersonnelNumber") : t("selfservice.byName")}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        <Group>
          <Button onClick={() => void doConvert()} disabled={employeeId === ""} loading={convert.isPending}>
            {t("selfservice.convert")}
          </Button>
        </Group>
      </Stack>
      <Stack gap="sm">
        <Title order={2} fz="h4">
          {t("selfservice.declineTitle")}
        </Title>
        <Textarea
          label={t("selfservice.declineMessage")}
          description={t("selfservice.declineHint")}
          autosize
          minRows={3}
          maxLength={2000}
          value={message}
          error={messageError}
          onChange={(e) => setMessage(e.currentTarget.value)}
        />
        <Group>
          <Button color="red" variant="light" onClick={() => void doDecline()} loading={decline.isPending}>
            {t("selfservice.decline")}
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}
