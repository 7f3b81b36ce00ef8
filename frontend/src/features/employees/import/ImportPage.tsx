// The employee import wizard (/employees/import): upload a file, map its
// columns, see every problem by line and column, then store all rows at
// once with the server's progress. Nothing is stored before the last step,
// and the server checks the file again there.
import {
  Alert,
  Badge,
  Button,
  Center,
  FileButton,
  Group,
  Loader,
  Paper,
  Progress,
  ScrollArea,
  Select,
  Stack,
  Stepper,
  Switch,
  Table,
  Text,
  ThemeIcon,
  Title,
} from "@mantine/core";
import { useRef, useState, type DragEvent } from "react";
import "./import.css";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  ImportField,
  type EmployeeFields,
  type ImportResult,
  type PreviewEmployeeImportResponse,
} from "../../../gen/zeugo/v1/employees_pb.js";
import { useCommitImport, usePreviewImport, type CommitProgress } from "../../../api/employee-import.js";
import { PageHeader } from "../../../components/PageHeader.js";
import { ErrorAlert } from "../../../components/ErrorAlert.js";
import { IconAlert, IconPlus } from "../../../components/icons.js";
import { usePrincipal } from "../../../lib/session-context.js";
import {
  acceptAttribute,
  assign,
  fieldKey,
  formatDate,
  importFields,
  mappingOf,
  missingRequired,
  percent,
  problemText,
  refuseFile,
  requiredFields,
  type Mapping,
} from "./logic.js";

type Upload = { name: string; content: Uint8Array };

const steps = { upload: 0, mapping: 1, preview: 2, commit: 3 } as const;

export function ImportPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const title = t("employeeImport.title");
  const header = (
    <PageHeader title={title} intro={t("employeeImport.intro")} back={{ to: "/employees", label: t("employeeImport.back") }} />
  );
  // Without the Mitarbeiter area the route guard (navigation.ts) answers
  // "Kein Zugriff" before this page renders.
  if (principal.tenantReadOnly) {
    return (
      <>
        {header}
        <Alert color="yellow" variant="light" icon={<IconAlert />}>
          {t("employeeImport.readOnly")}
        </Alert>
      </>
    );
  }
  return (
    <>
      {header}
      <Wizard />
    </>
  );
}

function Wizard() {
  const { t } = useTranslation();
  const preview = usePreviewImport();
  const commit = useCommitImport();
  const [step, setStep] = useState<number>(steps.upload);
  const [file, setFile] = useState<Upload>();
  const [checked, setChecked] = useState<PreviewEmployeeImportResponse>();
  const [mapping, setMapping] = useState<Mapping>([]);
  const [createMissing, setCreateMissing] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const [progress, setProgress] = useState<CommitProgress>();
  const [result, setResult] = useState<ImportResult>();
  const [commitError, setCommitError] = useState<unknown>();

  const check = async (upload: Upload, columns: Mapping | undefined, create: boolean) => {
    const res = await preview.mutateAsync({
      file: { name: upload.name, content: upload.content },
      options: { columns: columns ?? [], createMissing: create },
    });
    setChecked(res);
    setMapping(mappingOf(res.columns));
    return res;
  };

  const choose = async (f: File | null) => {
    if (!f) return;
    setRefusal(undefined);
    preview.reset();
    const why = refuseFile(f);
    if (why) {
      setRefusal(t(`employeeImport.upload.${why}`, { name: f.name }));
      return;
    }
    const upload = { name: f.name, content: new Uint8Array(await f.arrayBuffer()) };
    setFile(upload);
    setCreateMissing(false);
    try {
      const res = await check(upload, undefined, false);
      // A file that cannot be read has no columns to map: straight to its problems.
      setStep(res.columns.length === 0 ? steps.preview : steps.mapping);
    } catch {
      // shown from preview.error
    }
  };

  const runCommit = async () => {
    if (!file) return;
    setStep(steps.commit);
    setProgress({ done: 0, total: checked?.rows ?? 0 });
    setResult(undefined);
    setCommitError(undefined);
    try {
      setResult(
        await commit({ file: { name: file.name, content: file.content }, options: { columns: mapping, createMissing } }, setProgress),
      );
    } catch (err) {
      setCommitError(err);
    }
  };

  const restart = () => {
    setStep(steps.upload);
    setFile(undefined);
    setChecked(undefined);
    setMapping([]);
    setResult(undefined);
    setCommitError(undefined);
    preview.reset();
  };

  const committing = step === steps.commit && !result && !commitError;
  const commitStep = (
    <CommitStep
      progress={progress}
      result={result}
      error={commitError}
      onBack={() => {
        // Check again: what refused the import (a personnel number stored
        // meanwhile) shows as a problem of its line.
        if (file) void check(file, mapping, createMissing).catch(() => undefined);
        setStep(steps.preview);
      }}
      onAgain={restart}
    />
  );
  return (
    <Stepper
      active={result ? 4 : step}
      onStepClick={(s) => {
        if (!committing && !result && s < step) setStep(s);
      }}
      allowNextStepsSelect={false}
      size="sm"
      mb="xl"
    >
      <Stepper.Step label={t("employeeImport.steps.upload")} description={t("employeeImport.steps.uploadHint")}>
        <UploadStep onFile={(f) => void choose(f)} busy={preview.isPending} name={file?.name} refusal={refusal} error={preview.error} />
      </Stepper.Step>
      <Stepper.Step label={t("employeeImport.steps.mapping")} description={t("employeeImport.steps.mappingHint")}>
        {checked && file && (
          <MappingStep
            file={file}
            checked={checked}
            mapping={mapping}
            onChange={setMapping}
            busy={preview.isPending}
            error={preview.error}
            onAnother={restart}
            onNext={() => {
              void check(file, mapping, createMissing).then(() => setStep(steps.preview), () => undefined);
            }}
          />
        )}
      </Stepper.Step>
      <Stepper.Step label={t("employeeImport.steps.preview")} description={t("employeeImport.steps.previewHint")}>
        {checked && file && (
          <PreviewStep
            file={file}
            checked={checked}
            createMissing={createMissing}
            busy={preview.isPending}
            error={preview.error}
            onCreateMissing={(v) => {
              setCreateMissing(v);
              void check(file, mapping, v).catch(() => undefined);
            }}
            onBack={() => setStep(steps.mapping)}
            onAnother={restart}
            onImport={() => void runCommit()}
          />
        )}
      </Stepper.Step>
      <Stepper.Step label={t("employeeImport.steps.commit")} description={t("employeeImport.steps.commitHint")}>
        {commitStep}
      </Stepper.Step>
      {/* Once stored, every step shows as done and the result stays. */}
      <Stepper.Completed>{commitStep}</Stepper.Completed>
    </Stepper>
  );
}

function UploadStep({
  onFile,
  busy,
  name,
  refusal,
  error,
}: {
  onFile: (f: File | null) => void;
  busy: boolean;
  name?: string;
  refusal?: string;
  error: unknown;
}) {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const resetRef = useRef<() => void>(null);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    onFile(e.dataTransfer.files.item(0));
  };
  return (
    <Stack gap="md" mt="lg">
      <Paper
        withBorder
        radius="md"
        p="xl"
        className="import-drop"
        data-over={over || undefined}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <Stack align="center" gap="sm">
          <ThemeIcon size={48} radius="xl" variant="light">
            <IconPlus size={26} />
          </ThemeIcon>
          <Text fw={600}>{t("employeeImport.upload.drop")}</Text>
          <FileButton
            resetRef={resetRef}
            accept={acceptAttribute}
            onChange={(f) => {
              onFile(f);
              resetRef.current?.();
            }}
          >
            {(props) => (
              <Button {...props} loading={busy}>
                {t("employeeImport.upload.choose")}
              </Button>
            )}
          </FileButton>
          <Text size="sm" c="dimmed" ta="center" maw={560}>
            {t("employeeImport.upload.formats")}
          </Text>
        </Stack>
      </Paper>
      {busy && name && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">{t("employeeImport.upload.reading", { name })}</Text>
        </Group>
      )}
      {refusal && (
        <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
          {refusal}
        </Alert>
      )}
      {error != null && !busy && <ErrorAlert error={error} />}
    </Stack>
  );
}

function FileSummary({ file, checked, onAnother }: { file: Upload; checked: PreviewEmployeeImportResponse; onAnother: () => void }) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" align="center">
      <Group gap="xs">
        <Text fw={600}>{t("employeeImport.file.summary", { name: file.name, rows: checked.rows })}</Text>
        {checked.encoding && <Badge variant="light" tt="none">{t("employeeImport.file.read", { encoding: checked.encoding })}</Badge>}
        {checked.delimiter && (
          <Badge variant="light" color="gray" tt="none">
            {t("employeeImport.file.delimiter", { delimiter: checked.delimiter === "\t" ? "Tab" : checked.delimiter })}
          </Badge>
        )}
      </Group>
      <Button variant="default" size="xs" onClick={onAnother}>
        {t("employeeImport.file.another")}
      </Button>
    </Group>
  );
}

function MappingStep({
  file,
  checked,
  mapping,
  onChange,
  busy,
  error,
  onAnother,
  onNext,
}: {
  file: Upload;
  checked: PreviewEmployeeImportResponse;
  mapping: Mapping;
  onChange: (m: Mapping) => void;
  busy: boolean;
  error: unknown;
  onAnother: () => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const options = [
    { value: String(ImportField.UNSPECIFIED), label: t("employeeImport.mapping.skip") },
    ...importFields.map((f) => ({
      value: String(f),
      label: requiredFields.includes(f) ? `${t(fieldKey(f))} *` : t(fieldKey(f)),
    })),
  ];
  const missing = missingRequired(mapping);
  return (
    <Stack gap="md" mt="lg">
      <FileSummary file={file} checked={checked} onAnother={onAnother} />
      <Text size="sm" c="dimmed">
        {t("employeeImport.mapping.intro")}
      </Text>
      <Paper withBorder radius="md">
        <Table verticalSpacing="xs" horizontalSpacing="md" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="45%">{t("employeeImport.mapping.column")}</Table.Th>
              <Table.Th>{t("employeeImport.mapping.field")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mapping.map((c) => {
              const header = c.header || t("employeeImport.mapping.untitled", { n: c.index + 1 });
              return (
                <Table.Tr key={c.index}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {header}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t("employeeImport.mapping.fieldLabel", { header })}
                      data={options}
                      value={String(c.field)}
                      allowDeselect={false}
                      searchable
                      size="sm"
                      maw={320}
                      onChange={(v) => onChange(assign(mapping, c.index, Number(v ?? 0) as ImportField))}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Paper>
      {missing.length > 0 && (
        <Alert color="yellow" variant="light" icon={<IconAlert />}>
          {t("employeeImport.mapping.missing", { fields: missing.map((f) => t(fieldKey(f))).join(", ") })}
        </Alert>
      )}
      {error != null && !busy && <ErrorAlert error={error} />}
      <Group justify="flex-end">
        <Button onClick={onNext} loading={busy} disabled={missing.length > 0}>
          {t("employeeImport.mapping.check")}
        </Button>
      </Group>
    </Stack>
  );
}

function orgNames(f: EmployeeFields, names: Record<string, string>): string {
  return [f.companyId, f.locationId, f.departmentId, f.orgUnitId, f.employeeTypeId]
    .filter((id) => id !== "")
    .map((id) => names[id] ?? "")
    .filter((n) => n !== "")
    .join(" · ");
}

function PreviewStep({
  file,
  checked,
  createMissing,
  busy,
  error,
  onCreateMissing,
  onBack,
  onAnother,
  onImport,
}: {
  file: Upload;
  checked: PreviewEmployeeImportResponse;
  createMissing: boolean;
  busy: boolean;
  error: unknown;
  onCreateMissing: (v: boolean) => void;
  onBack: () => void;
  onAnother: () => void;
  onImport: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const count = checked.problemCount;
  return (
    <Stack gap="lg" mt="lg">
      <FileSummary file={file} checked={checked} onAnother={onAnother} />
      {error != null && !busy && <ErrorAlert error={error} />}
      {count === 0 ? (
        <Paper withBorder radius="md" p="md" className="import-ok" role="status">
          <Text fw={700}>{t("employeeImport.preview.ok", { rows: checked.rows })}</Text>
        </Paper>
      ) : (
        <Stack gap="xs">
          <Alert color="red" variant="light" icon={<IconAlert />} title={t("employeeImport.preview.problems", { count })} role="alert">
            {t("employeeImport.preview.problemsIntro")}
            {checked.problems.length < count &&
              " " + t("employeeImport.preview.truncated", { shown: checked.problems.length, count })}
          </Alert>
          <Paper withBorder radius="md">
            <ScrollArea.Autosize mah={420} type="auto">
              <Table verticalSpacing="xs" horizontalSpacing="md" striped stickyHeader aria-label={t("employeeImport.preview.problemsTable")}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={80}>{t("employeeImport.preview.line")}</Table.Th>
                    <Table.Th w={200}>{t("employeeImport.preview.column")}</Table.Th>
                    <Table.Th>{t("employeeImport.preview.message")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {checked.problems.map((p, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{p.line > 0 ? p.line : "–"}</Table.Td>
                      <Table.Td>
                        {p.column >= 0
                          ? p.header || t("employeeImport.mapping.untitled", { n: p.column + 1 })
                          : p.line === 0
                            ? t("employeeImport.preview.wholeFile")
                            : "–"}
                      </Table.Td>
                      <Table.Td>{problemText(p, language)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Paper>
        </Stack>
      )}
      {checked.missing.length > 0 && (
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            <Title order={2} fz="h4">
              {t("employeeImport.preview.missingTitle")}
            </Title>
            <Text size="sm" c="dimmed">
              {t("employeeImport.preview.missingIntro")}
            </Text>
            <Group gap="xs">
              {checked.missing.map((m) => (
                <Badge key={`${m.field}:${m.name}`} variant="outline" size="lg" tt="none">
                  {t(fieldKey(m.field))}: {m.name} ({t("employeeImport.preview.missingRows", { count: m.rows })})
                </Badge>
              ))}
            </Group>
            <Switch
              label={t("employeeImport.preview.createMissing")}
              checked={createMissing}
              disabled={busy}
              onChange={(e) => onCreateMissing(e.currentTarget.checked)}
            />
          </Stack>
        </Paper>
      )}
      {checked.sample.length > 0 && (
        <Stack gap="xs">
          <Title order={2} fz="h4">
            {t("employeeImport.preview.sampleTitle")}
          </Title>
          <Paper withBorder radius="md">
            <ScrollArea type="auto">
              <Table verticalSpacing="xs" horizontalSpacing="md" aria-label={t("employeeImport.preview.sampleTable")}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("employeeImport.fields.PERSONNEL_NUMBER")}</Table.Th>
                    <Table.Th>{t("employeeImport.preview.name")}</Table.Th>
                    <Table.Th>{t("employeeImport.fields.ENTRY_DATE")}</Table.Th>
                    <Table.Th>{t("employeeImport.fields.JOB_TITLE")}</Table.Th>
                    <Table.Th>{t("employeeImport.preview.structure")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {checked.sample.map((f, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{f.personnelNumber}</Table.Td>
                      <Table.Td>{[f.title, f.firstName, f.lastName].filter(Boolean).join(" ")}</Table.Td>
                      <Table.Td>{formatDate(f.entryDate, language)}</Table.Td>
                      <Table.Td>{f.jobTitle}</Table.Td>
                      <Table.Td>{orgNames(f, checked.names)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          </Paper>
        </Stack>
      )}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack} disabled={busy || checked.columns.length === 0}>
          {t("employeeImport.preview.backToMapping")}
        </Button>
        <Button onClick={onImport} disabled={busy || count > 0} loading={busy}>
          {t("employeeImport.preview.import", { count: checked.rows })}
        </Button>
      </Group>
    </Stack>
  );
}

function CommitStep({
  progress,
  result,
  error,
  onBack,
  onAgain,
}: {
  progress?: CommitProgress;
  result?: ImportResult;
  error: unknown;
  onBack: () => void;
  onAgain: () => void;
}) {
  const { t } = useTranslation();
  if (result) {
    return (
      <Paper withBorder radius="md" p="xl" mt="lg">
        <Stack align="center" gap="sm">
          <Title order={2} fz="h3" role="status">
            {t("employeeImport.commit.done", { count: result.created })}
          </Title>
          {result.unitsCreated > 0 && (
            <Text c="dimmed">{t("employeeImport.commit.unitsCreated", { count: result.unitsCreated })}</Text>
          )}
          <Group mt="sm">
            <Button component={Link} to="/employees">
              {t("employeeImport.commit.toList")}
            </Button>
            <Button variant="default" onClick={onAgain}>
              {t("employeeImport.commit.again")}
            </Button>
          </Group>
        </Stack>
      </Paper>
    );
  }
  if (error != null) {
    return (
      <Stack gap="md" mt="lg">
        <ErrorAlert error={error} />
        <Text size="sm">{t("employeeImport.commit.failed")}</Text>
        <Group>
          <Button variant="default" onClick={onBack}>
            {t("employeeImport.commit.back")}
          </Button>
        </Group>
      </Stack>
    );
  }
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  return (
    <Paper withBorder radius="md" p="xl" mt="lg">
      <Stack gap="sm">
        <Group gap="xs">
          <Loader size="sm" />
          <Text fw={600}>{t("employeeImport.commit.running")}</Text>
        </Group>
        <Progress value={percent(done, total)} size="lg" animated aria-label={t("employeeImport.commit.progressLabel")} />
        <Center>
          <Text size="sm" c="dimmed">
            {t("employeeImport.commit.progress", { done, total })}
          </Text>
        </Center>
      </Stack>
    </Paper>
  );
}
