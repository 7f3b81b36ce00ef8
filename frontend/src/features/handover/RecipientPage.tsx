// The handover recipient's page (/h/:handoverId#<secret>, SPEC §6): no
// account, outside the signed-in shell. The secret is taken from the
// fragment and removed from the address bar at once; OpenHandover trades it
// (and the one-time code, when one is needed) for a recipient session,
// kept in memory and in sessionStorage for a reload of the tab. With it,
// the page shows HR's message and the granted sections with the SAME
// section forms as HR's editor: the certificate hooks run over the
// recipient's transport (a TransportProvider of its own), and the editor
// context says which sections may be written.
import { Alert, Anchor, Badge, Box, Button, Center, Container, Group, Loader, Modal, NativeSelect, Paper, Stack, Tabs, Text, TextInput, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { TransportProvider } from "@connectrpc/connect-query";
import { Code, type Transport } from "@connectrpc/connect";
import { QueryClientProvider } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useCertificate } from "../../api/certificates.js";
import { useDownload } from "../../api/certificate-workflow.js";
import { saveFile } from "../../api/employees.js";
import { useCompleteHandover, useMyHandover, useOpenHandover } from "../../api/handovers.js";
import { createQueryClient } from "../../api/query-client.js";
import { BrandMark, IconAlert } from "../../components/icons.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";
import { CertificateKind, CertificateStatus, type Certificate } from "../../gen/zeugo/v1/certificates_pb.js";
import { HandoverCodeChannel, OpenHandoverRequestSchema, type CodeSent, type MyHandover } from "../../gen/zeugo/v1/handover_pb.js";
import { isLanguage } from "../../i18n/index.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { formatDateTime } from "../../lib/format.js";
import { notifySuccess } from "../../lib/notify.js";
import { violationMessage, violationsFromError } from "../../lib/validation.js";
import { SectionPanel } from "../certificates/CertificateEditor.js";
import { kindName } from "../certificates/options.js";
import { EditorContext, useDirtySections, type EditorContextValue } from "../certificates/sections/SectionForm.js";
import { ResultPane } from "../certificates/text/ResultPane.js";
import { pdfFile } from "../certificates/workflow/pdf-file.js";
import { LanguageSwitch } from "../shell/LanguageSwitch.js";
import { grantSections, type GrantKey } from "./grants.js";
import { isHandoverId, recipientToken, takeHandoverSecret } from "./secret.js";
import { sectionTitle } from "./HandoverDialog.js";
import { createRecipientTransport } from "./recipient-transport.js";

/**
 * RecipientPage is the route element: the recipient's own transport and
 * query cache. createTransport is the seam for tests (a router transport).
 */
export function RecipientPage({
  createTransport = (getToken) => createRecipientTransport(window.location.origin, getToken),
}: {
  createTransport?: (getToken: () => string) => Transport;
}) {
  const { t } = useTranslation();
  const { handoverId = "" } = useParams();
  // The token lives here (memory) and in sessionStorage; the transport reads it per call.
  const token = useRef(recipientToken.get(handoverId));
  const [transport] = useState(() => createTransport(() => token.current));
  const [queryClient] = useState(() => createQueryClient((key) => t(key)));
  const setToken = useCallback(
    (next: string) => {
      token.current = next;
      recipientToken.set(handoverId, next);
      queryClient.clear();
    },
    [handoverId, queryClient],
  );
  return (
    <TransportProvider transport={transport}>
      <QueryClientProvider client={queryClient}>
        <RecipientFlow handoverId={handoverId} hasToken={() => token.current !== ""} setToken={setToken} />
      </QueryClientProvider>
    </TransportProvider>
  );
}

type Step =
  | { kind: "opening" }
  | { kind: "code"; sent: CodeSent; ended?: boolean }
  | { kind: "ready" }
  | { kind: "invalid" }
  | { kind: "expired" }
  | { kind: "done" }
  | { kind: "error"; message: string };

function RecipientFlow({ handoverId, hasToken, setToken }: { handoverId: string; hasToken: () => boolean; setToken: (t: string) => void }) {
  const { t } = useTranslation();
  // Taken once per page: the fragment is gone from the address bar after this.
  const [secret] = useState(() => takeHandoverSecret());
  const open = useOpenHandover();
  const [step, setStep] = useState<Step>(() =>
    !isHandoverId(handoverId) ? { kind: "invalid" } : hasToken() ? { kind: "ready" } : secret ? { kind: "opening" } : { kind: "invalid" },
  );
  const started = useRef(false);

  const request = useCallback(
    async (attempt?: { attemptId: string; code: string }) => {
      const res = await open.mutateAsync({ handoverId, secret, attemptId: attempt?.attemptId ?? "", code: attempt?.code ?? "" });
      if (res.result.case === "session") {
        setToken(res.result.value.token);
        setStep({ kind: "ready" });
      } else if (res.result.case === "codeSent") {
        setStep({ kind: "code", sent: res.result.value });
      }
    },
    [handoverId, secret, open.mutateAsync, setToken],
  );

  const first = useCallback(async () => {
    try {
      await request();
    } catch (err) {
      setStep(isCode(err, Code.NotFound) ? { kind: "invalid" } : { kind: "error", message: errorMessage(err, t) });
    }
  }, [request, t]);

  useEffect(() => {
    // Once (StrictMode runs effects twice): every call may send a code.
    if (step.kind !== "opening" || started.current) return;
    started.current = true;
    void first();
  }, [step.kind, first]);

  // The session ended (expired, revoked, resent): open the link again if it
  // is still in memory, else the link from the mail is needed.
  const sessionEnded = useCallback(() => {
    setToken("");
    if (secret) {
      started.current = false;
      setStep({ kind: "opening" });
    } else {
      setStep({ kind: "expired" });
    }
  }, [secret, setToken]);

  switch (step.kind) {
    case "opening":
      return (
        <Frame>
          <Center py="xl">
            <Loader aria-label={t("handover.recipient.opening")} />
          </Center>
        </Frame>
      );
    case "invalid":
      return (
        <Frame title={t("handover.recipient.invalidTitle")}>
          <Text>{t("handover.recipient.invalidText")}</Text>
        </Frame>
      );
    case "expired":
      return (
        <Frame title={t("handover.recipient.sessionEndedTitle")}>
          <Text>{t("handover.recipient.sessionEndedText")}</Text>
        </Frame>
      );
    case "error":
      return (
        <Frame title={t("handover.recipient.errorTitle")}>
          <Alert color="red" variant="light" role="alert">
            {step.message}
          </Alert>
        </Frame>
      );
    case "code":
      return (
        <CodeStep
          sent={step.sent}
          ended={step.ended ?? false}
          onSubmit={(code) => request({ attemptId: step.sent.attemptId, code })}
          onEnded={() => setStep({ ...step, ended: true })}
          onResend={first}
          onInvalid={() => setStep({ kind: "invalid" })}
        />
      );
    case "done":
      return (
        <Frame title={t("handover.recipient.doneTitle")}>
          <Text>{t("handover.recipient.doneText")}</Text>
        </Frame>
      );
    case "ready":
      return (
        <Workspace
          onSessionEnded={sessionEnded}
          onInvalid={() => {
            setToken("");
            setStep({ kind: "invalid" });
          }}
          onDone={() => {
            setToken("");
            setStep({ kind: "done" });
          }}
        />
      );
  }
}

/** Frame is the page around every step: brand, language switch, a card. */
function Frame({ title, wide, children }: { title?: string; wide?: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title ?? t("handover.recipient.title")} · ${t("app.name")}`;
  }, [title, t]);
  return (
    <Box className="login-background" mih="100vh">
      <Group justify="space-between" p="md" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <BrandMark size={28} />
          <Text fz="lg" fw={700} c="zeugo.8">
            {t("app.name")}
          </Text>
        </Group>
        <LanguageSwitch />
      </Group>
      <Container size={wide ? "xl" : 520} px={{ base: "xs", sm: "md" }} pb="xl">
        <Paper withBorder shadow="sm" radius="lg" p={{ base: "md", sm: "xl" }} component="main">
          {title && (
            <Title order={1} fz="h2" mb="md">
              {title}
            </Title>
          )}
          {children}
        </Paper>
      </Container>
    </Box>
  );
}

/** CodeStep asks for the one-time code. */
function CodeStep({
  sent,
  ended,
  onSubmit,
  onEnded,
  onResend,
  onInvalid,
}: {
  sent: CodeSent;
  ended: boolean;
  onSubmit: (code: string) => Promise<void>;
  onEnded: () => void;
  onResend: () => Promise<void>;
  onInvalid: () => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [resending, setResending] = useState(false);

  const submit = async () => {
    setError(undefined);
    const value = code.replace(/\s/g, "");
    if (!/^[0-9]{6}$/.test(value)) {
      setError(t("handover.recipient.codeFormat"));
      return;
    }
    setBusy(true);
    try {
      await onSubmit(value);
    } catch (err) {
      const v = violationsFromError(err, OpenHandoverRequestSchema).find((x) => x.field === "code");
      if (v?.ruleId === "zeugo.handover.attempt_ended") onEnded();
      else if (v) setError(violationMessage(v, t));
      else if (isCode(err, Code.NotFound)) onInvalid();
      else setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const resend = async () => {
    setError(undefined);
    setCode("");
    setResending(true);
    try {
      await onResend();
      notifySuccess(t, t("handover.recipient.codeResent"));
    } finally {
      setResending(false);
    }
  };

  const where = sent.channel === HandoverCodeChannel.SMS ? t("handover.recipient.codeBySms", { to: sent.destination }) : t("handover.recipient.codeByEmail", { to: sent.destination });
  return (
    <Frame title={t("handover.recipient.codeTitle")}>
      {ended ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" role="alert" icon={<IconAlert />}>
            {t("handover.recipient.codeEnded")}
          </Alert>
          <Button onClick={() => void resend()} loading={resending}>
            {t("handover.recipient.codeRequestNew")}
          </Button>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Stack gap="md">
            <Text size="sm">{where}</Text>
            <TextInput
              label={t("handover.recipient.code")}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={error}
              data-autofocus
              autoFocus
              styles={{ input: { letterSpacing: "0.3em", fontSize: 22, fontFamily: "monospace" } }}
            />
            <Button type="submit" loading={busy} fullWidth>
              {t("handover.recipient.codeSubmit")}
            </Button>
            <Text size="sm" ta="center">
              <Anchor component="button" type="button" onClick={() => void resend()} disabled={resending}>
                {t("handover.recipient.codeResend")}
              </Anchor>
            </Text>
          </Stack>
        </form>
      )}
    </Frame>
  );
}

/** Workspace is the handover once opened: HR's message, the sections, finishing. */
function Workspace({ onSessionEnded, onInvalid, onDone }: { onSessionEnded: () => void; onInvalid: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const my = useMyHandover(true);
  const handover = my.data?.handover;
  const cert = useCertificate(handover?.certificateId);
  const error = my.error ?? cert.error;

  useEffect(() => {
    if (!error) return;
    if (isCode(error, Code.Unauthenticated)) onSessionEnded();
    else if (isCode(error, Code.NotFound)) onInvalid();
  }, [error, onSessionEnded, onInvalid]);

  if (error && !isCode(error, Code.Unauthenticated) && !isCode(error, Code.NotFound)) {
    return (
      <Frame title={t("handover.recipient.errorTitle")}>
        <Alert color="red" variant="light" role="alert">
          {errorMessage(error, t)}
        </Alert>
      </Frame>
    );
  }
  const certificate = cert.data?.certificate;
  if (!handover || !certificate) {
    return (
      <Frame>
        <Center py="xl">
          <Loader aria-label={t("app.loading")} />
        </Center>
      </Frame>
    );
  }
  return <Granted handover={handover} certificate={certificate} reload={async () => (await cert.refetch()).data?.certificate} onDone={onDone} />;
}

function Granted({
  handover,
  certificate,
  reload,
  onDone,
}: {
  handover: MyHandover;
  certificate: Certificate;
  reload: () => Promise<Certificate | undefined>;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const wide = useMediaQuery("(min-width: 62em)", true);
  // HR's language is where the page starts; the switch is the recipient's.
  const languageSet = useRef(false);
  useEffect(() => {
    if (languageSet.current) return;
    languageSet.current = true;
    if (isLanguage(handover.language) && i18n.language !== handover.language) void i18n.changeLanguage(handover.language);
  }, [handover.language, i18n]);

  const inProgress = certificate.status === CertificateStatus.IN_PROGRESS;
  // The handover names them; the certificate, as the recipient may read it, too.
  const employee = certificate.employeeName;
  const kind = certificate.kind;
  const granted = useMemo(() => {
    const bySection = new Map(handover.grants.map((g) => [g.section, g]));
    const readable = new Set(certificate.sections.map((s) => s.section));
    return grantSections.filter(({ section }) => {
      const g = bySection.get(section);
      return g !== undefined && (g.read || g.write) && readable.has(section);
    }).map(({ key, section }) => ({ key, write: bySection.get(section)?.write ?? false }));
  }, [handover.grants, certificate.sections]);
  const writableKeys = useMemo(() => new Set(granted.filter((g) => g.write).map((g) => g.key)), [granted]);

  const { dirty, reportDirty, anyDirty } = useDirtySections();
  const writable = useCallback((key: GrantKey) => inProgress && writableKeys.has(key), [inProgress, writableKeys]);
  const context = useMemo<EditorContextValue>(() => ({ reportDirty, reload, writable, recipient: true }), [reportDirty, reload, writable]);

  const [tab, setTab] = useState<GrantKey | undefined>(() => granted.find((g) => g.write)?.key ?? granted[0]?.key);
  const label = (key: GrantKey) => {
    const text = sectionTitle(key, t);
    return dirty.has(key) ? `${text} •` : text;
  };

  return (
    <EditorContext.Provider value={context}>
      <Frame wide>
        <Stack gap="lg">
          <Stack gap={6}>
            <Title order={1} fz="h2">
              {employee ? t("handover.recipient.heading", { name: employee }) : t("handover.recipient.title")}
            </Title>
            <Group gap="xs">
              {kind !== CertificateKind.UNSPECIFIED && (
                <Badge variant="outline" color="gray">
                  {kindName(kind, t)}
                </Badge>
              )}
              {!inProgress && (
                <Badge color="gray" variant="light">
                  {t("handover.recipient.readOnlyNow")}
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {t("handover.recipient.from", { name: handover.fromName, time: formatDateTime(handover.expireTime, i18n.language) })}
            </Text>
          </Stack>
          {handover.message && (
            <Alert color="blue" variant="light" title={t("handover.recipient.message")}>
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                {handover.message}
              </Text>
            </Alert>
          )}
          <Text size="sm">{t("handover.recipient.intro")}</Text>
          {granted.length === 0 ? (
            <Text c="dimmed">{t("handover.recipient.nothing")}</Text>
          ) : (
            <Tabs
              value={tab ?? null}
              onChange={(v) => v && setTab(v as GrantKey)}
              orientation={wide ? "vertical" : "horizontal"}
              variant={wide ? "pills" : "default"}
              keepMounted
              styles={wide ? { tab: { justifyContent: "flex-start" }, tabLabel: { flex: "none", textAlign: "left" } } : undefined}
              activateTabWithKeyboard
            >
              {!wide && (
                <NativeSelect
                  label={t("certificates.editor.chooseSection")}
                  value={tab}
                  onChange={(e) => setTab(e.currentTarget.value as GrantKey)}
                  data={granted.map((g) => ({ value: g.key, label: label(g.key) }))}
                  mb="md"
                />
              )}
              <Tabs.List aria-label={t("certificates.editor.sections")} style={wide ? { minWidth: 220, flexWrap: "nowrap" } : { display: "none" }}>
                {granted.map((g) => (
                  <Tabs.Tab key={g.key} value={g.key}>
                    {label(g.key)}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {granted.map((g) => (
                <Tabs.Panel key={g.key} value={g.key} pl={wide ? "xl" : 0}>
                  {g.key === "result" ? (
                    <ResultPane certificate={certificate} />
                  ) : (
                    <Paper withBorder radius="lg" p={{ base: "sm", sm: "xl" }}>
                      <SectionPanel certificate={certificate} sectionKey={g.key} />
                    </Paper>
                  )}
                </Tabs.Panel>
              ))}
            </Tabs>
          )}
          <Finish handover={handover} certificate={certificate} inProgress={inProgress} dirty={dirty.size > 0} onDone={onDone} />
        </Stack>
      </Frame>
      <UnsavedChangesGuard dirty={anyDirty} />
    </EditorContext.Provider>
  );
}

/** Finish: the PDF (when allowed) and "Bearbeitung abschließen". */
function Finish({ handover, certificate, inProgress, dirty, onDone }: { handover: MyHandover; certificate: Certificate; inProgress: boolean; dirty: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const download = useDownload();
  const complete = useCompleteHandover();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();

  const onDownload = async () => {
    setError(undefined);
    try {
      saveFile(pdfFile(await download.mutateAsync({ id: certificate.id })));
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };
  const onComplete = async () => {
    setError(undefined);
    try {
      await complete.mutateAsync({});
      setConfirming(false);
      onDone();
    } catch (err) {
      setConfirming(false);
      setError(errorMessage(err, t));
    }
  };

  return (
    <Stack gap="sm">
      {error && (
        <Alert color="red" variant="light" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="space-between" gap="sm">
        {handover.download ? (
          <Button variant="default" onClick={() => void onDownload()} loading={download.isPending}>
            {t("handover.recipient.download")}
          </Button>
        ) : (
          <span />
        )}
        <Button onClick={() => setConfirming(true)} disabled={!inProgress}>
          {t("handover.recipient.complete")}
        </Button>
      </Group>
      <Modal opened={confirming} onClose={() => !complete.isPending && setConfirming(false)} title={t("handover.recipient.completeTitle")} centered closeButtonProps={{ "aria-label": t("common.close") }}>
        <Stack gap="md">
          <Text size="sm">{t("handover.recipient.completeText")}</Text>
          {dirty && (
            <Alert color="orange" variant="light" icon={<IconAlert />}>
              {t("handover.recipient.completeUnsaved")}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirming(false)} disabled={complete.isPending} data-autofocus>
              {t("common.cancel")}
            </Button>
            <Button onClick={() => void onComplete()} loading={complete.isPending}>
              {t("handover.recipient.completeConfirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
