// Zeugnisformatierung (SPEC §3.2, area Dokumentlayout): each company's
// document layout — margins, typeface, logo, letterhead, footer, place,
// date format, signature block — with a live preview beside the form: a
// sample certificate the server prints with the unsaved values. The
// company is part of the address (/settings/layout/:companyId).
import {
  Alert,
  Badge,
  Button,
  Center,
  Divider,
  FileInput,
  Grid,
  Group,
  Image,
  Loader,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm, type UseFormReturnType } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { Code } from "@connectrpc/connect";
import { useQuery } from "@connectrpc/connect-query";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate, useParams } from "react-router";
import { Area } from "../../gen/zeugo/v1/access_pb.js";
import { CompanyOrder, OrganizationService } from "../../gen/zeugo/v1/organization_pb.js";
import { SortDirection } from "../../gen/zeugo/v1/paging_pb.js";
import {
  PreviewDocumentLayoutRequestSchema,
  SetDocumentLayoutLogoRequestSchema,
  UpdateDocumentLayoutRequestSchema,
  type DocumentLayout,
  type PreviewDocumentLayoutResponse,
} from "../../gen/zeugo/v1/layout_pb.js";
import {
  useDocumentLayout,
  usePreviewDocumentLayout,
  useRemoveDocumentLayoutLogo,
  useResetDocumentLayout,
  useSetDocumentLayoutLogo,
  useUpdateDocumentLayout,
} from "../../api/layout.js";
import { maxPageSize } from "../../api/paging.js";
import { hasArea } from "../../lib/access.js";
import { errorMessage, isCode } from "../../lib/errors.js";
import { notifySuccess } from "../../lib/notify.js";
import { usePrincipal } from "../../lib/session-context.js";
import { validateMessage, violationsFromError } from "../../lib/validation.js";
import { PageHeader } from "../../components/PageHeader.js";
import { FormAlerts } from "../../components/FormAlerts.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard.js";
import { fieldOrder, layoutErrors, linesOf, maxLines, settingsOf, valuesOf, type Values } from "./layout-form.js";

/** decimalSeparator: German writes 12,5 mm. */
const decimalSeparator = (language: string) => (language.startsWith("de") ? "," : ".");

/** previewDelayMs is how long typing pauses before the sample is printed again. */
export const previewDelayMs = 300;

/** maxLogoBytes is the largest logo file the server accepts (2 MiB). */
export const maxLogoBytes = 2 * 1024 * 1024;

const previewLanguages = ["de", "en"] as const;
type PreviewLanguage = (typeof previewLanguages)[number];

/** LayoutPage picks the company and edits its layout. */
export function LayoutPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  const canEdit = !principal.tenantReadOnly && hasArea(principal, Area.DOCUMENT_LAYOUT);
  const { companyId } = useParams();
  const navigate = useNavigate();
  const companies = useQuery(OrganizationService.method.listCompanies, {
    page: { pageSize: maxPageSize, pageToken: "" },
    orderBy: CompanyOrder.NAME,
    direction: SortDirection.ASCENDING,
  });
  const choices = (companies.data?.companies ?? []).map((c) => ({ value: c.id, label: c.fields?.name ?? "" }));
  const title = t("layout.title");
  const header = <PageHeader title={title} intro={t("layout.intro")} />;

  if (!companyId && companies.isPending) {
    return (
      <>
        {header}
        <Center py="xl">
          <Loader aria-label={t("app.loading")} />
        </Center>
      </>
    );
  }
  // Without a company in the address, the first one (by name) is shown.
  const first = choices[0];
  if (!companyId && first) return <Navigate to={`/settings/layout/${first.value}`} replace />;

  const denied = companies.isError && isCode(companies.error, Code.PermissionDenied);
  return (
    <>
      {header}
      {!canEdit && (
        <Text c="dimmed" size="sm" mb="md">
          {t("common.readOnlyHint")}
        </Text>
      )}
      {companies.isError && !denied && <ErrorAlert error={companies.error} onRetry={() => void companies.refetch()} />}
      {denied && !companyId && (
        <Alert color="gray" variant="light" mb="md">
          {t("layout.companiesDenied")}
        </Alert>
      )}
      {companies.isSuccess && choices.length === 0 && (
        <Alert color="gray" variant="light" mb="md">
          {t("layout.noCompanies")}
        </Alert>
      )}
      {choices.length > 0 && (
        <Select
          label={t("layout.company")}
          placeholder={t("layout.companyPlaceholder")}
          data={choices}
          value={companyId ?? null}
          onChange={(v) => v && v !== companyId && navigate(`/settings/layout/${v}`)}
          allowDeselect={false}
          searchable
          maw={420}
          mb="md"
        />
      )}
      {companyId && <LayoutEditor key={companyId} companyId={companyId} canEdit={canEdit} />}
    </>
  );
}

/** LayoutEditor loads the company's layout and shows the form once it is there. */
function LayoutEditor({ companyId, canEdit }: { companyId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const query = useDocumentLayout(companyId);
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("app.loading")} />
      </Center>
    );
  }
  if (query.isError || !query.data.layout) {
    return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  return <LayoutForm initial={query.data.layout} latest={query.data.layout} canEdit={canEdit} reload={() => query.refetch()} />;
}

type Alerts = { conflict: boolean; formError: string | undefined };

/** LayoutForm edits the settings, the logo and shows the preview. */
function LayoutForm({
  initial,
  latest,
  canEdit,
  reload,
}: {
  initial: DocumentLayout;
  latest: DocumentLayout;
  canEdit: boolean;
  reload: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const form = useForm<Values>({ mode: "controlled", initialValues: valuesOf(initial) });
  // The layout shown (logo, the company's lines) and the version the
  // form's values were read at: a save names it, so another person's
  // change in between is refused (Aborted) instead of overwritten.
  const [layout, setLayout] = useState(initial);
  const [version, setVersion] = useState(initial.version);
  const refill = useRef(false);
  const [alerts, setAlerts] = useState<Alerts>({ conflict: false, formError: undefined });
  const [saving, setSaving] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const companyId = initial.companyId;
  const update = useUpdateDocumentLayout();

  /** fill shows a layout the server returned; the form takes its settings. */
  const fill = useCallback(
    (l: DocumentLayout) => {
      const values = valuesOf(l);
      form.setValues(values);
      form.resetDirty(values);
      form.clearErrors();
      setLayout(l);
      setVersion(l.version);
    },
    [form],
  );

  // A newer version from the server (after a reload, or one's own logo
  // change) refills the form unless it holds unsaved changes.
  useEffect(() => {
    if (refill.current || (latest.version !== version && !form.isDirty())) {
      refill.current = false;
      fill(latest);
    } else {
      setLayout((shown) => (shown.version === latest.version ? latest : shown));
    }
    // Only a new answer from the server refills.
  }, [latest]);

  const showErrors = (errors: { fields: Record<string, ReactNode>; other: string[] }, focus: boolean) => {
    form.setErrors(errors.fields);
    if (focus) {
      const firstField = fieldOrder.find((name) => name in errors.fields);
      if (firstField && firstField !== "logo") form.getInputNode(firstField as never)?.focus();
    }
    if (errors.other.length > 0) setAlerts({ conflict: false, formError: errors.other.join(" ") });
  };

  const submit = form.onSubmit(async (values) => {
    setAlerts({ conflict: false, formError: undefined });
    const request = { companyId, version, settings: settingsOf(values) };
    const checked = validateMessage(UpdateDocumentLayoutRequestSchema, request);
    if (checked.violations.length > 0) {
      const errors = layoutErrors(checked.violations, t);
      showErrors(errors, true);
      if (Object.keys(errors.fields).length === 0 && errors.other.length === 0) setAlerts({ conflict: false, formError: t("common.formHasErrors") });
      return;
    }
    setSaving(true);
    try {
      const res = await update.mutateAsync(request);
      if (res.layout) fill(res.layout);
      notifySuccess(t, t("layout.saved"));
    } catch (err) {
      failed(err, UpdateDocumentLayoutRequestSchema);
    } finally {
      setSaving(false);
    }
  });

  /** failed shows why a write was refused: at the fields, as the conflict, or above the form. */
  const failed = (err: unknown, schema: typeof UpdateDocumentLayoutRequestSchema | typeof SetDocumentLayoutLogoRequestSchema) => {
    const violations = violationsFromError(err, schema);
    if (violations.length > 0) {
      const errors = layoutErrors(violations, t);
      showErrors({ fields: { ...form.errors, ...errors.fields }, other: errors.other }, true);
    } else if (isCode(err, Code.Aborted)) {
      setAlerts({ conflict: true, formError: undefined });
    } else {
      setAlerts({ conflict: false, formError: errorMessage(err, t) });
    }
  };

  const onReload = () => {
    setAlerts({ conflict: false, formError: undefined });
    refill.current = true;
    void reload();
  };

  const isDirty = useCallback(() => canEdit && form.isDirty(), [canEdit, form]);
  const label = t("layout.formLabel", { company: layout.companyName });

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }}>
          <form onSubmit={submit as (e?: FormEvent<HTMLFormElement>) => void} noValidate aria-label={label}>
            <Stack gap="lg">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Title order={2} fz="h5" c="zeugo.9">
                  {layout.companyName}
                </Title>
                <Badge variant="light" color={layout.customized ? "zeugo" : "gray"} style={{ flexShrink: 0 }}>
                  {layout.customized ? t("layout.own") : t("layout.standard")}
                </Badge>
              </Group>
              <FormAlerts conflict={alerts.conflict} formError={alerts.formError} onReload={onReload} />
              <PageSection form={form} canEdit={canEdit} />
              <LogoSection
                form={form}
                layout={layout}
                version={version}
                canEdit={canEdit}
                onSaved={(l) => {
                  setLayout(l);
                  setVersion(l.version);
                }}
                onFailed={(err) => failed(err, SetDocumentLayoutLogoRequestSchema)}
              />
              <LetterheadSection form={form} layout={layout} canEdit={canEdit} />
              <FooterSection form={form} layout={layout} canEdit={canEdit} />
              <DateSection form={form} layout={layout} canEdit={canEdit} />
              <SignatureSection form={form} canEdit={canEdit} />
              {canEdit && (
                <>
                  <Divider />
                  <Group>
                    <Button type="submit" loading={saving}>
                      {t("common.save")}
                    </Button>
                    {layout.customized && (
                      <Button variant="default" onClick={() => setConfirmReset(true)}>
                        {t("layout.reset")}
                      </Button>
                    )}
                  </Group>
                </>
              )}
            </Stack>
          </form>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Preview companyId={companyId} form={form} />
      </Grid.Col>
      <ResetModal
        companyId={companyId}
        version={version}
        opened={confirmReset}
        onDone={(l) => {
          setConfirmReset(false);
          if (l) fill(l);
        }}
        onConflict={() => setAlerts({ conflict: true, formError: undefined })}
      />
      <UnsavedChangesGuard dirty={isDirty} />
    </Grid>
  );
}

type SectionProps = { form: UseFormReturnType<Values>; canEdit: boolean };

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="sm" component="fieldset" style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Title order={3} fz="h6" c="zeugo.9" component="legend" p={0} mb="xs">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/** Choice is a SegmentedControl with a visible label, announced as a radio group. */
function Choice<V extends string>({
  label,
  value,
  data,
  onChange,
  canEdit,
  error,
  name,
}: {
  label: string;
  value: V;
  data: { value: V; label: string }[];
  onChange: (v: V) => void;
  canEdit: boolean;
  error?: ReactNode;
  name: string;
}) {
  const id = useId();
  return (
    <Stack gap={4}>
      <Text component="span" size="sm" fw={500} id={id}>
        {label}
      </Text>
      <SegmentedControl
        role="radiogroup"
        aria-labelledby={id}
        name={name}
        data={data}
        value={value}
        onChange={(v) => onChange(v as V)}
        readOnly={!canEdit}
        fullWidth
        styles={{ label: { whiteSpace: "normal" } }}
      />
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

function PageSection({ form, canEdit }: SectionProps) {
  const { t, i18n } = useTranslation();
  const mm = (name: "marginTopMm" | "marginBottomMm" | "marginLeftMm" | "marginRightMm") => (
    <NumberInput
      label={t(`layout.${name}`)}
      min={10}
      max={50}
      step={1}
      decimalScale={1}
      decimalSeparator={decimalSeparator(i18n.language)}
      clampBehavior="none"
      readOnly={!canEdit}
      {...form.getInputProps(name)}
    />
  );
  return (
    <Section title={t("layout.sections.page")}>
      <SimpleGrid cols={2} spacing="sm" maw={420}>
        {mm("marginTopMm")}
        {mm("marginBottomMm")}
        {mm("marginLeftMm")}
        {mm("marginRightMm")}
      </SimpleGrid>
      <Text size="xs" c="dimmed">
        {t("layout.marginHint")}
      </Text>
      <Choice
        label={t("layout.font")}
        name="font"
        value={form.values.font}
        data={[
          { value: "serif", label: t("layout.fonts.serif") },
          { value: "sans", label: t("layout.fonts.sans") },
        ]}
        onChange={(v) => form.setFieldValue("font", v)}
        canEdit={canEdit}
        error={form.errors.font}
      />
      <NumberInput
        label={t("layout.fontSizePt")}
        description={t("layout.fontSizeHint")}
        min={9}
        max={14}
        step={0.5}
        decimalScale={1}
        decimalSeparator={decimalSeparator(i18n.language)}
        clampBehavior="none"
        readOnly={!canEdit}
        maw={200}
        {...form.getInputProps("fontSizePt")}
      />
      <Switch
        label={t("layout.showHeadings")}
        disabled={!canEdit}
        {...form.getInputProps("showHeadings", { type: "checkbox" })}
      />
    </Section>
  );
}

function LogoSection({
  form,
  layout,
  version,
  canEdit,
  onSaved,
  onFailed,
}: SectionProps & {
  layout: DocumentLayout;
  version: bigint;
  onSaved: (l: DocumentLayout) => void;
  onFailed: (err: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const setLogo = useSetDocumentLayoutLogo();
  const removeLogo = useRemoveDocumentLayoutLogo();
  const [file, setFile] = useState<File | null>(null);
  // Images may come from data: URLs only (CSP img-src), not from blob:.
  const logoUrl = useMemo(() => (layout.logoPng.length > 0 ? `data:image/png;base64,${base64Encode(layout.logoPng)}` : undefined), [layout.logoPng]);

  const upload = async (chosen: File | null) => {
    setFile(chosen);
    form.setFieldError("logo", null);
    if (!chosen) return;
    if (chosen.size > maxLogoBytes) {
      form.setFieldError("logo", t("layout.logo.tooLarge"));
      return;
    }
    try {
      const image = new Uint8Array(await chosen.arrayBuffer());
      const res = await setLogo.mutateAsync({ companyId: layout.companyId, version, image });
      if (res.layout) onSaved(res.layout);
      setFile(null);
      notifySuccess(t, t("layout.logo.uploaded"));
    } catch (err) {
      onFailed(err);
    }
  };
  const remove = async () => {
    form.setFieldError("logo", null);
    try {
      const res = await removeLogo.mutateAsync({ companyId: layout.companyId, version });
      if (res.layout) onSaved(res.layout);
      notifySuccess(t, t("layout.logo.removed"));
    } catch (err) {
      onFailed(err);
    }
  };

  return (
    <Section title={t("layout.sections.logo")}>
      <Group align="center" gap="md">
        {logoUrl ? (
          <Image
            src={logoUrl}
            alt={t("layout.logo.current")}
            h={56}
            w="auto"
            maw={200}
            fit="contain"
            style={{ border: "1px solid var(--mantine-color-gray-3)", borderRadius: 4, padding: 4, background: "white" }}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {t("layout.logo.none")}
          </Text>
        )}
        {logoUrl && (
          <Text size="xs" c="dimmed">
            {t("layout.logo.size", { width: layout.logoWidthPx, height: layout.logoHeightPx })}
          </Text>
        )}
      </Group>
      {canEdit && (
        <Group align="flex-end" gap="sm">
          <FileInput
            label={t("layout.logo.file")}
            description={t("layout.logo.fileHint")}
            accept="image/png,image/jpeg"
            value={file}
            onChange={(f) => void upload(f)}
            error={form.errors.logo}
            disabled={setLogo.isPending}
            style={{ flex: "1 1 240px" }}
          />
          {logoUrl && (
            <Button variant="default" onClick={() => void remove()} loading={removeLogo.isPending}>
              {t("layout.logo.remove")}
            </Button>
          )}
        </Group>
      )}
      {setLogo.isPending && <Loader size="sm" aria-label={t("app.loading")} />}
      <NumberInput
        label={t("layout.logoWidthMm")}
        description={t("layout.logoWidthHint")}
        min={10}
        max={80}
        step={1}
        decimalScale={1}
        decimalSeparator={decimalSeparator(i18n.language)}
        clampBehavior="none"
        readOnly={!canEdit}
        maw={200}
        {...form.getInputProps("logoWidthMm")}
      />
    </Section>
  );
}

function LetterheadSection({ form, layout, canEdit }: SectionProps & { layout: DocumentLayout }) {
  const { t } = useTranslation();
  const custom = form.values.customLetterhead;
  const choose = (v: "company" | "custom") => {
    form.setFieldValue("customLetterhead", v === "custom");
    // The company's lines are where one's own start.
    if (v === "custom" && form.values.letterheadName.trim() === "" && form.values.letterheadLines.trim() === "") {
      form.setFieldValue("letterheadName", layout.companyName);
      form.setFieldValue("letterheadLines", layout.companyLetterheadLines.join("\n"));
    }
  };
  return (
    <Section title={t("layout.sections.letterhead")}>
      <SourceChoice part="letterhead" custom={custom} onChange={choose} canEdit={canEdit} />
      {custom ? (
        <>
          <TextInput
            label={t("layout.letterhead.name")}
            description={t("layout.letterhead.nameHint")}
            placeholder={layout.companyName}
            maxLength={200}
            readOnly={!canEdit}
            {...form.getInputProps("letterheadName")}
          />
          <Textarea
            label={t("layout.letterhead.lines")}
            description={t("layout.letterhead.linesHint")}
            placeholder={layout.companyLetterheadLines.join("\n")}
            autosize
            minRows={3}
            maxRows={maxLines + 1}
            readOnly={!canEdit}
            {...form.getInputProps("letterheadLines")}
          />
        </>
      ) : (
        <CompanyLines hint={t("layout.letterhead.companyHint")} lines={[layout.companyName, ...layout.companyLetterheadLines]} />
      )}
    </Section>
  );
}

/** SourceChoice picks between the company's data and the layout's own lines for the letterhead or the footer. */
function SourceChoice({
  part,
  custom,
  onChange,
  canEdit,
}: {
  part: "letterhead" | "footer";
  custom: boolean;
  onChange: (v: "company" | "custom") => void;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Choice
      label={t(`layout.${part}.source`)}
      name={part}
      value={custom ? "custom" : "company"}
      data={[
        { value: "company", label: t(`layout.${part}.company`) },
        { value: "custom", label: t(`layout.${part}.custom`) },
      ]}
      onChange={onChange}
      canEdit={canEdit}
    />
  );
}

function FooterSection({ form, layout, canEdit }: SectionProps & { layout: DocumentLayout }) {
  const { t } = useTranslation();
  const custom = form.values.customFooter;
  const choose = (v: "company" | "custom") => {
    form.setFieldValue("customFooter", v === "custom");
    if (v === "custom" && form.values.footerLines.trim() === "") form.setFieldValue("footerLines", layout.companyFooterLines.join("\n"));
  };
  return (
    <Section title={t("layout.sections.footer")}>
      <SourceChoice part="footer" custom={custom} onChange={choose} canEdit={canEdit} />
      {custom ? (
        <Textarea
          label={t("layout.footer.lines")}
          description={t("layout.footer.linesHint")}
          placeholder={layout.companyFooterLines.join("\n")}
          autosize
          minRows={2}
          maxRows={maxLines + 1}
          readOnly={!canEdit}
          {...form.getInputProps("footerLines")}
        />
      ) : layout.companyFooterLines.length > 0 ? (
        <CompanyLines hint={t("layout.footer.companyHint")} lines={layout.companyFooterLines} />
      ) : (
        <Text size="sm" c="dimmed">
          {t("layout.footer.companyNone")}
        </Text>
      )}
      {/* The footer's room is the bottom margin: its error shows here too. */}
      {custom && form.errors.marginBottomMm && linesOf(form.values.footerLines).length > 0 && (
        <Text size="xs" c="red">
          {form.errors.marginBottomMm}
        </Text>
      )}
    </Section>
  );
}

function CompanyLines({ hint, lines }: { hint: string; lines: string[] }) {
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed">
        {hint}
      </Text>
      <Paper withBorder radius="sm" p="sm" bg="gray.0">
        {lines
          .filter((l) => l !== "")
          .map((l, i) => (
            <Text size="sm" key={i}>
              {l}
            </Text>
          ))}
      </Paper>
    </Stack>
  );
}

function DateSection({ form, layout, canEdit }: SectionProps & { layout: DocumentLayout }) {
  const { t } = useTranslation();
  return (
    <Section title={t("layout.sections.dateLine")}>
      <TextInput
        label={t("layout.place")}
        description={layout.companyPlace !== "" ? t("layout.placeHint", { place: layout.companyPlace }) : t("layout.placeHintNone")}
        placeholder={layout.companyPlace}
        maxLength={100}
        readOnly={!canEdit}
        maw={420}
        {...form.getInputProps("place")}
      />
      <Choice
        label={t("layout.dateFormat")}
        name="dateFormat"
        value={form.values.dateFormat}
        data={[
          { value: "long", label: t("layout.dateFormats.long") },
          { value: "numeric", label: t("layout.dateFormats.numeric") },
        ]}
        onChange={(v) => form.setFieldValue("dateFormat", v)}
        canEdit={canEdit}
        error={form.errors.dateFormat}
      />
    </Section>
  );
}

function SignatureSection({ form, canEdit }: SectionProps) {
  const { t, i18n } = useTranslation();
  return (
    <Section title={t("layout.sections.signature")}>
      <NumberInput
        label={t("layout.signatureSpaceMm")}
        description={t("layout.signatureSpaceHint")}
        min={10}
        max={50}
        step={1}
        decimalScale={1}
        decimalSeparator={decimalSeparator(i18n.language)}
        clampBehavior="none"
        readOnly={!canEdit}
        maw={200}
        {...form.getInputProps("signatureSpaceMm")}
      />
      <Choice
        label={t("layout.signatureArrangement")}
        name="signatureArrangement"
        value={form.values.signatureArrangement}
        data={[
          { value: "sideBySide", label: t("layout.arrangements.sideBySide") },
          { value: "stacked", label: t("layout.arrangements.stacked") },
        ]}
        onChange={(v) => form.setFieldValue("signatureArrangement", v)}
        canEdit={canEdit}
        error={form.errors.signatureArrangement}
      />
      <Switch
        label={t("layout.signatureFunctions")}
        disabled={!canEdit}
        {...form.getInputProps("signatureFunctions", { type: "checkbox" })}
      />
    </Section>
  );
}

/**
 * useBlobUrl makes a same-origin blob URL of bytes (the CSP allows frames
 * from blob: only) and revokes it when the bytes change or the component
 * goes.
 */
function useBlobUrl(bytes: Uint8Array | undefined, type: string): string | undefined {
  const [url, setUrl] = useState<string | undefined>();
  useEffect(() => {
    if (!bytes) {
      setUrl(undefined);
      return;
    }
    const u = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [bytes, type]);
  return url;
}

/**
 * Preview prints a sample certificate with the form's values (debounced).
 * Values the proto's rules refuse are not sent; their errors, and those the
 * server finds, are shown at the fields while the last good sample stays.
 */
function Preview({ companyId, form }: { companyId: string; form: UseFormReturnType<Values> }) {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<PreviewLanguage>("de");
  const [signatories, setSignatories] = useState("1");
  const [debounced] = useDebouncedValue(form.values, previewDelayMs);
  const request = useMemo(
    () => ({ companyId, settings: settingsOf(debounced), language, signatories: Number(signatories) }),
    [companyId, debounced, language, signatories],
  );
  const client = useMemo(() => validateMessage(PreviewDocumentLayoutRequestSchema, request).violations, [request]);
  const preview = usePreviewDocumentLayout(client.length === 0 ? request : undefined);
  const server = preview.isError ? violationsFromError(preview.error, PreviewDocumentLayoutRequestSchema) : [];
  const live = layoutErrors(client.length > 0 ? client : server, t);
  const failedOther = preview.isError && server.length === 0 ? errorMessage(preview.error, t) : undefined;

  // The last good sample stays while a new one is printed or the values are invalid.
  const [shown, setShown] = useState<PreviewDocumentLayoutResponse | undefined>();
  useEffect(() => {
    if (preview.data && !preview.isPlaceholderData) setShown(preview.data);
  }, [preview.data, preview.isPlaceholderData]);
  const url = useBlobUrl(shown?.pdf, "application/pdf");

  // The sample's problems are shown at their fields (keeping a logo error,
  // which comes from an upload, not from the values).
  const liveKey = JSON.stringify(live.fields);
  useEffect(() => {
    const logo = form.errors.logo;
    form.setErrors({ ...(logo ? { logo } : {}), ...live.fields });
  }, [liveKey, debounced]);

  const invalid = Object.keys(live.fields).length > 0 || live.other.length > 0;
  const updating = preview.isFetching;

  return (
    <Paper
      withBorder
      radius="lg"
      p={{ base: "md", sm: "xl" }}
      aria-label={t("layout.preview.title")}
      component="section"
      style={{ position: "sticky", top: "var(--mantine-spacing-md)" }}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="center">
          <Title order={2} fz="h5" c="zeugo.9">
            {t("layout.preview.title")}
          </Title>
          {shown && (
            <Text size="sm" c="dimmed" data-testid="layout-preview-pages">
              {t("layout.preview.pages", { count: shown.pages })}
            </Text>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {t("layout.preview.hint")}
        </Text>
        <Group gap="md" align="flex-end">
          <Stack gap={4}>
            <Text component="span" size="sm" fw={500} id={`${companyId}-preview-language`}>
              {t("layout.preview.language")}
            </Text>
            <SegmentedControl
              role="radiogroup"
              aria-labelledby={`${companyId}-preview-language`}
              name="previewLanguage"
              data={previewLanguages.map((l) => ({ value: l, label: t(`layout.preview.languages.${l}`) }))}
              value={language}
              onChange={(v) => setLanguage(v as PreviewLanguage)}
            />
          </Stack>
          <Stack gap={4}>
            <Text component="span" size="sm" fw={500} id={`${companyId}-preview-signatories`}>
              {t("layout.preview.signatories")}
            </Text>
            <SegmentedControl
              role="radiogroup"
              aria-labelledby={`${companyId}-preview-signatories`}
              name="previewSignatories"
              data={["1", "2"].map((n) => ({ value: n, label: t("layout.preview.signatoriesCount", { count: Number(n) }) }))}
              value={signatories}
              onChange={setSignatories}
            />
          </Stack>
        </Group>
        {invalid && (
          <Alert color="orange" variant="light" role="status">
            {[t("layout.preview.stale"), ...live.other].join(" ")}
          </Alert>
        )}
        {failedOther && (
          <Alert color="red" variant="light" role="alert">
            {failedOther}
          </Alert>
        )}
        <Text size="xs" c="dimmed" aria-live="polite" style={{ minHeight: "1.2em" }}>
          {updating && !invalid ? t("layout.preview.updating") : ""}
        </Text>
        {url ? (
          <iframe
            src={url}
            title={t("layout.preview.frame")}
            data-testid="layout-preview"
            style={{
              width: "100%",
              height: "75vh",
              minHeight: 420,
              border: "1px solid var(--mantine-color-gray-3)",
              borderRadius: 6,
              opacity: updating || invalid ? 0.6 : 1,
              transition: "opacity 150ms",
            }}
          />
        ) : (
          !failedOther && (
            <Center py="xl">
              <Loader aria-label={t("layout.preview.loading")} />
            </Center>
          )
        )}
        <Text size="xs" c="dimmed">
          {t("layout.preview.fallback")}
        </Text>
      </Stack>
    </Paper>
  );
}

/** ResetModal asks before returning the company to the default layout. */
function ResetModal({
  companyId,
  version,
  opened,
  onDone,
  onConflict,
}: {
  companyId: string;
  version: bigint;
  opened: boolean;
  onDone: (layout?: DocumentLayout) => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const reset = useResetDocumentLayout();
  const [error, setError] = useState<string | undefined>();
  const close = () => {
    if (reset.isPending) return;
    setError(undefined);
    onDone();
  };
  const confirm = async () => {
    setError(undefined);
    try {
      const res = await reset.mutateAsync({ companyId, version });
      notifySuccess(t, t("layout.resetDone"));
      onDone(res.layout);
    } catch (err) {
      if (isCode(err, Code.Aborted)) {
        onDone();
        onConflict();
      } else {
        setError(errorMessage(err, t));
      }
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={t("layout.resetTitle")} centered closeButtonProps={{ "aria-label": t("common.close") }}>
      <Stack gap="md">
        <Text size="sm">{t("layout.resetText")}</Text>
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} data-autofocus>
            {t("common.cancel")}
          </Button>
          <Button color="red" onClick={() => void confirm()} loading={reset.isPending}>
            {t("layout.resetConfirm")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
