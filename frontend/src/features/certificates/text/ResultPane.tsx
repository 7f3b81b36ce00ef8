// The "Text" tab of the certificate editor: generate the text from the
// sections, edit it paragraph by paragraph, and read the checker's findings
// live beside it while typing (nothing is stored until "Speichern"). A save
// based on an old version is refused by the server (Aborted); the pane then
// names who saved in between and offers to load their text.
import { Alert, Button, Grid, Group, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { Code } from "@connectrpc/connect";
import { useContext, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  CertificateStatus,
  UpdateCertificateSectionRequestSchema,
  type Certificate,
  type GenerationProblem,
  type ResultParagraph,
} from "../../../gen/zeugo/v1/certificates_pb.js";
import { useGenerateText, useSaveResult, useTextCheck } from "../../../api/certificate-workflow.js";
import { errorMessage, isCode } from "../../../lib/errors.js";
import { notifySuccess } from "../../../lib/notify.js";
import { violationMessage, violationsFromError } from "../../../lib/validation.js";
import { IconAlert } from "../../../components/icons.js";
import { EditorContext, useSectionWritable } from "../sections/SectionForm.js";
import { draftOf, paragraphsOf, resultInfo, sameText, type DraftParagraph } from "./draft.js";
import { GenerationProblems } from "./GenerationProblems.js";
import { LivePane } from "./LivePane.js";
import { ParagraphEditor } from "./ParagraphEditor.js";
import { ConflictAlert } from "./ConflictAlert.js";

/** How long typing pauses before the live pane checks the text. */
export const checkDelayMs = 600;

/** Base is the saved text the draft started from, and its section version. */
type Base = { version: bigint; paragraphs: ResultParagraph[] };

function baseOf(certificate: Certificate): Base {
  return { version: resultInfo(certificate)?.version ?? 0n, paragraphs: certificate.content?.result?.paragraphs ?? [] };
}

/** ResultPane edits and checks the certificate's text. */
export function ResultPane({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const [base, setBase] = useState<Base>(() => baseOf(certificate));
  const [draft, setDraft] = useState<DraftParagraph[]>(() => draftOf(base.paragraphs));
  const [problems, setProblems] = useState<{ list: GenerationProblem[]; warnings: boolean } | undefined>();
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const generate = useGenerateText();
  const saveResult = useSaveResult();

  const dirty = !sameText(draft, base.paragraphs);
  const writable = useSectionWritable("result");
  const issued = certificate.status === CertificateStatus.ISSUED;
  const readOnly = issued || !writable;
  const info = resultInfo(certificate);

  // A newer text on the server (another tab, a colleague) replaces the
  // draft while nothing is changed here; changes here wait for a save,
  // which then meets the conflict.
  const serverVersion = info?.version ?? 0n;
  if (serverVersion !== base.version && !dirty && !conflict) {
    const next = baseOf(certificate);
    setBase(next);
    setDraft(draftOf(next.paragraphs));
  }

  const adopt = (c: Certificate | undefined) => {
    if (!c) return;
    const next = baseOf(c);
    setBase(next);
    setDraft(draftOf(next.paragraphs));
    setConflict(false);
  };

  const currentKey = JSON.stringify(paragraphsOf(draft));
  const savedKey = JSON.stringify(paragraphsOf(draftOf(base.paragraphs)));
  const [debouncedKey] = useDebouncedValue(currentKey, checkDelayMs);
  const live = debouncedKey !== savedKey && draft.length > 0;
  const query = useTextCheck(certificate.id, live ? (JSON.parse(debouncedKey) as ReturnType<typeof paragraphsOf>) : [], live);
  const check = live ? query.data?.check : certificate.check;
  const checking = (live && query.isFetching) || currentKey !== debouncedKey;

  const failed = (err: unknown) => {
    if (isCode(err, Code.Aborted)) {
      setConflict(true);
      void saveResult.refresh();
      return;
    }
    const violations = violationsFromError(err, UpdateCertificateSectionRequestSchema);
    setError(violations.length > 0 ? violations.map((v) => violationMessage(v, t)).join(" ") : errorMessage(err, t));
  };

  const onGenerate = async () => {
    setError(undefined);
    setProblems(undefined);
    try {
      const res = await generate.mutateAsync({ id: certificate.id, version: base.version });
      const blocking = res.problems.filter((p) => !p.warning);
      if (blocking.length > 0) {
        setProblems({ list: blocking, warnings: false });
        return;
      }
      if (res.problems.length > 0) setProblems({ list: res.problems, warnings: true });
      adopt(res.certificate);
      notifySuccess(t, t("certificateText.text.generated"));
    } catch (err) {
      failed(err);
    }
  };

  const onSave = async () => {
    setError(undefined);
    try {
      const res = await saveResult.save(certificate.id, base.version, paragraphsOf(draft));
      adopt(res.certificate);
      notifySuccess(t, t("certificateText.text.saved"));
    } catch (err) {
      failed(err);
    }
  };

  // The editor's one leave guard asks before unsaved text is lost (React
  // Router honours a single blocker), and the tab shows the mark.
  const { reportDirty } = useContext(EditorContext);
  const pending = dirty && !readOnly;
  useEffect(() => reportDirty("result", pending), [pending, reportDirty]);
  useEffect(() => () => reportDirty("result", false), [reportDirty]);

  if (!info) {
    return <Text c="dimmed">{t("certificateText.text.noAccess")}</Text>;
  }

  return (
    <Stack gap="md">
      {readOnly && (
        <Alert color="blue" variant="light">
          {t(issued ? "certificateText.text.readOnly" : "certificates.editor.readOnlyGrant")}
        </Alert>
      )}
      {!readOnly && (
        <Group justify="space-between" align="center">
          <Group gap="sm">
            <Button onClick={() => void onGenerate()} loading={generate.isPending} disabled={dirty} variant={draft.length > 0 ? "default" : "filled"}>
              {draft.length > 0 ? t("certificateText.text.regenerate") : t("certificateText.text.generate")}
            </Button>
            <Text size="xs" c="dimmed" maw={360}>
              {dirty ? t("certificateText.text.dirtyHint") : t("certificateText.text.generateHint")}
            </Text>
          </Group>
          <Group gap="sm">
            <Button variant="default" disabled={!dirty || saveResult.isPending} onClick={() => setDraft(draftOf(base.paragraphs))}>
              {t("certificateText.text.discard")}
            </Button>
            <Button onClick={() => void onSave()} loading={saveResult.isPending} disabled={!dirty}>
              {t("certificateText.text.save")}
            </Button>
          </Group>
        </Group>
      )}
      {conflict && <ConflictAlert info={info} baseVersion={base.version} onReload={() => adopt(certificate)} />}
      {error && (
        <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
          {error}
        </Alert>
      )}
      {problems && <GenerationProblems problems={problems.list} warnings={problems.warnings} />}
      {draft.length === 0 ? (
        <Text c="dimmed">{t("certificateText.text.empty")}</Text>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="sm">
              {draft.map((p, i) => (
                <ParagraphEditor
                  key={i}
                  paragraph={p}
                  saved={base.paragraphs[i]}
                  readOnly={readOnly}
                  onChange={(next) => setDraft((d) => d.map((x, j) => (j === i ? next : x)))}
                />
              ))}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <LivePane draft={draft} check={check} checking={checking} failed={live && query.isError} />
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
