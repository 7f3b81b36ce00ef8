import { Alert, Anchor, Badge, Button, Center, Group, Loader, NativeSelect, Paper, Stack, Tabs, Text, Title, Tooltip } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { Code, ConnectError } from "@connectrpc/connect";
import { useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { useCertificate } from "../../api/certificates.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { IconChevronLeft, IconLock } from "../../components/icons.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { CertificateKind, CertificateStatus, type Certificate } from "../../gen/zeugo/v1/certificates_pb.js";
import { hasArea } from "../../lib/access.js";
import { usePrincipal } from "../../lib/session-context.js";
import { HandedOverTo } from "../handover/HandedOverTo.js";
import { HandoverDialog } from "../handover/HandoverDialog.js";
import { HandoversPanel } from "../handover/HandoversPanel.js";
import { isCode } from "../../lib/errors.js";
import { formatDateTime } from "../../lib/format.js";
import { CertificateStatusBadge } from "./CertificateStatusBadge.js";
import { kindName, languageName } from "./options.js";
import { AuthoritiesSectionForm } from "./sections/AuthoritiesSectionForm.js";
import { CareerSectionForm } from "./sections/CareerSectionForm.js";
import { CertificateDataSectionForm } from "./sections/CertificateDataSectionForm.js";
import { CompanySectionForm } from "./sections/CompanySectionForm.js";
import { ConductSectionForm } from "./sections/ConductSectionForm.js";
import { DataSectionForm } from "./sections/DataSectionForm.js";
import { FurtherSectionForm } from "./sections/FurtherSectionForm.js";
import { inputSections, type SectionKey } from "./sections/mapping.js";
import { PerformanceSectionForm } from "./sections/PerformanceSectionForm.js";
import { PersonalSectionForm } from "./sections/PersonalSectionForm.js";
import { QualificationsSectionForm } from "./sections/QualificationsSectionForm.js";
import { EditorContext, useDirtySections, type EditorContextValue } from "./sections/SectionForm.js";
import { SignaturesSectionForm } from "./sections/SignaturesSectionForm.js";
import { StationsSectionForm } from "./sections/StationsSectionForm.js";
import { TasksSectionForm } from "./sections/TasksSectionForm.js";
import { TextListSectionForm } from "./sections/TextListSectionForm.js";
import { TrainingsSectionForm } from "./sections/TrainingsSectionForm.js";
import { ResultPane } from "./text/ResultPane.js";
import { ChangesTab } from "./workflow/ChangesTab.js";
import { HistoryTab } from "./workflow/HistoryTab.js";
import { StatusActions } from "./workflow/StatusActions.js";

/** The tabs after the input sections. */
const extraTabs = ["result", "handovers", "history", "changes"] as const;
type TabKey = SectionKey | (typeof extraTabs)[number];

/** Sections a simple certificate does not have (it states only kind and duration of the work). */
const notForSimple: readonly SectionKey[] = ["performance", "conduct", "trainings", "successes", "qualifications"];

const isTab = (v: string | null): v is TabKey =>
  v !== null && (inputSections.some((s) => s.key === v) || (extraTabs as readonly string[]).includes(v));

/**
 * CertificateEditor (/certificates/:id) is the certificate with its
 * sections as tabs: each input section a form of its own (saved on its
 * own, with its own version), then the text, the workflow history and the
 * change log. The tab is in the address (?tab=performance), so a link
 * opens the section it names.
 */
export function CertificateEditor() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const query = useCertificate(id);
  const certificate = query.data?.certificate;

  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  }
  if (query.isError || !certificate) {
    // A malformed id is a certificate that does not exist, as for the server.
    const err = query.error && !isCode(query.error, Code.InvalidArgument) ? query.error : new ConnectError("", Code.NotFound);
    return (
      <Stack gap="md">
        <BackLink />
        <ErrorAlert error={err} onRetry={isCode(err, Code.NotFound) ? undefined : () => void query.refetch()} />
      </Stack>
    );
  }
  return <Editor key={certificate.id} certificate={certificate} reload={async () => (await query.refetch()).data?.certificate} />;
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/certificates" size="sm" style={{ display: "inline-flex", alignItems: "center", gap: 4 }}>
      <IconChevronLeft size={14} />
      {t("certificates.editor.back")}
    </Anchor>
  );
}

function Editor({ certificate, reload }: { certificate: Certificate; reload: () => Promise<Certificate | undefined> }) {
  const { t } = useTranslation();
  const wide = useMediaQuery("(min-width: 62em)", true);
  const [params, setParams] = useSearchParams();
  const requested = params.get("tab");
  const tab: TabKey = isTab(requested) ? requested : "data";
  const setTab = (next: string | null) => {
    if (!isTab(next)) return;
    setParams(
      (p) => {
        const out = new URLSearchParams(p);
        out.set("tab", next);
        return out;
      },
      { replace: true },
    );
  };

  // Which forms have unsaved changes: a mark on their tab, and the leave guard.
  const { dirty, reportDirty, anyDirty } = useDirtySections();
  const context = useMemo<EditorContextValue>(() => ({ reportDirty, reload }), [reportDirty, reload]);

  const label = (key: TabKey) => {
    const text = key === "handovers" ? t("handover.list.title") : key === "result" || key === "history" || key === "changes" ? t(`certificates.tabs.${key}`) : t(`certificates.sections.${key}.title`);
    return dirty.has(key) ? `${text} •` : text;
  };
  const tabKeys: TabKey[] = [...inputSections.map((s) => s.key), ...extraTabs];
  const mayHandOver = useMayHandOver(certificate);
  const [handingOver, setHandingOver] = useState(false);

  return (
    <EditorContext.Provider value={context}>
      <Stack gap="lg">
        <Header certificate={certificate} onHandOver={mayHandOver ? () => setHandingOver(true) : undefined} />
        <Tabs
          value={tab}
          onChange={setTab}
          orientation={wide ? "vertical" : "horizontal"}
          variant={wide ? "pills" : "default"}
          keepMounted
          styles={wide ? { tab: { justifyContent: "flex-start" }, tabLabel: { flex: "none", textAlign: "left" } } : undefined}
          // Keyboard: arrow keys move between the tabs, activating them.
          activateTabWithKeyboard
        >
          {!wide && (
            <NativeSelect
              label={t("certificates.editor.chooseSection")}
              value={tab}
              onChange={(e) => setTab(e.currentTarget.value)}
              data={tabKeys.map((k) => ({ value: k, label: label(k) }))}
              mb="md"
            />
          )}
          <Tabs.List
            aria-label={t("certificates.editor.sections")}
            style={wide ? { minWidth: 220, flexWrap: "nowrap" } : { display: "none" }}
          >
            {tabKeys.map((k) => (
              <Tabs.Tab key={k} value={k} mt={k === "result" ? "md" : undefined} aria-label={dirty.has(k) ? `${label(k)} ${t("certificates.editor.unsavedMark")}` : undefined}>
                {label(k)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {inputSections.map(({ key }) => (
            <Tabs.Panel key={key} value={key} pl={wide ? "xl" : 0}>
              <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }}>
                <SectionPanel certificate={certificate} sectionKey={key} />
              </Paper>
            </Tabs.Panel>
          ))}
          <Tabs.Panel value="result" pl={wide ? "xl" : 0}>
            <ResultPane certificate={certificate} />
          </Tabs.Panel>
          <Tabs.Panel value="handovers" pl={wide ? "xl" : 0}>
            {tab === "handovers" && (
              <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }}>
                <HandoversPanel certificate={certificate} canWrite={mayHandOver} />
              </Paper>
            )}
          </Tabs.Panel>
          <Tabs.Panel value="history" pl={wide ? "xl" : 0}>
            {tab === "history" && <HistoryTab id={certificate.id} />}
          </Tabs.Panel>
          <Tabs.Panel value="changes" pl={wide ? "xl" : 0}>
            {tab === "changes" && <ChangesTab id={certificate.id} />}
          </Tabs.Panel>
        </Tabs>
      </Stack>
      <UnsavedChangesGuard dirty={anyDirty} />
      <HandoverDialog certificate={certificate} opened={handingOver} onClose={() => setHandingOver(false)} />
    </EditorContext.Provider>
  );
}

/** useMayHandOver: handing over is a write in the employees area, and an issued certificate is final. */
function useMayHandOver(certificate: Certificate): boolean {
  const principal = usePrincipal();
  return !principal.tenantReadOnly && hasArea(principal, Area.EMPLOYEES) && certificate.status !== CertificateStatus.ISSUED;
}

function Header({ certificate, onHandOver }: { certificate: Certificate; onHandOver?: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="xs">
      <BackLink />
      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={6}>
          <Group gap="sm" align="center">
            <Title order={1} fz="h2">
              {certificate.employeeName}
            </Title>
            {certificate.private && (
              <Tooltip label={t("certificates.privateHint")}>
                <Text component="span" c="orange.9" lh={0} role="img" aria-label={t("certificates.private")}>
                  <IconLock size={20} />
                </Text>
              </Tooltip>
            )}
          </Group>
          <Group gap="xs">
            <Badge variant="outline" color="gray">
              {kindName(certificate.kind, t)}
            </Badge>
            <CertificateStatusBadge status={certificate.status} />
            <Badge variant="outline" color="gray">
              {languageName(certificate.language, t)}
            </Badge>
            {certificate.personnelNumber && (
              <Text size="sm" c="dimmed" ff="monospace">
                {certificate.personnelNumber}
              </Text>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t("certificates.editor.createdBy", {
              name: certificate.createdByName || t("certificates.editor.someone"),
              time: formatDateTime(certificate.createTime, i18n.language),
            })}
          </Text>
          <HandedOverTo certificateId={certificate.id} />
          {certificate.correctsId && (
            <Anchor component={Link} to={`/certificates/${certificate.correctsId}`} size="sm">
              {t("certificates.editor.corrects")}
            </Anchor>
          )}
        </Stack>
        <Stack gap="xs" align="flex-end">
          <StatusActions certificate={certificate} />
          {onHandOver && (
            <Button variant="default" onClick={onHandOver}>
              {t("handover.create.open")}
            </Button>
          )}
        </Stack>
      </Group>
    </Stack>
  );
}

/**
 * SectionPanel is the form of one input section, or why the kind has none
 * (also the handover recipient's page: the same forms, under its context).
 */
export function SectionPanel({ certificate, sectionKey }: { certificate: Certificate; sectionKey: SectionKey }) {
  const { t } = useTranslation();
  if (certificate.kind === CertificateKind.SIMPLE && notForSimple.includes(sectionKey)) {
    return (
      <Stack gap="sm">
        <Title order={2} fz="h3">
          {t(`certificates.sections.${sectionKey}.title`)}
        </Title>
        <Alert color="blue" variant="light">
          {t("certificates.editor.notForSimple")}
        </Alert>
      </Stack>
    );
  }
  const forms: Record<SectionKey, ReactNode> = {
    data: <DataSectionForm certificate={certificate} />,
    personal: <PersonalSectionForm certificate={certificate} />,
    company: <CompanySectionForm certificate={certificate} />,
    certificateData: <CertificateDataSectionForm certificate={certificate} />,
    further: <FurtherSectionForm certificate={certificate} />,
    signatures: <SignaturesSectionForm certificate={certificate} />,
    career: <CareerSectionForm certificate={certificate} />,
    stations: <StationsSectionForm certificate={certificate} />,
    tasks: <TasksSectionForm certificate={certificate} />,
    additionalTasks: <TextListSectionForm certificate={certificate} sectionKey="additionalTasks" />,
    trainings: <TrainingsSectionForm certificate={certificate} />,
    authorities: <AuthoritiesSectionForm certificate={certificate} />,
    performance: <PerformanceSectionForm certificate={certificate} />,
    conduct: <ConductSectionForm certificate={certificate} />,
    qualifications: <QualificationsSectionForm certificate={certificate} />,
    successes: <TextListSectionForm certificate={certificate} sectionKey="successes" />,
  };
  return forms[sectionKey];
}
