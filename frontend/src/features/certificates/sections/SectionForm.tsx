// The frame every section form shares: its values from the certificate,
// one UpdateCertificateSection with the version the values were read at,
// field violations next to their fields, a version conflict as the alert
// that names who saved in between, and the editor told when the form has
// unsaved changes. An issued certificate shows the section read-only.
import { Alert, Button, Fieldset, Group, Stack, Text, Title } from "@mantine/core";
import { useForm, type UseFormReturnType } from "@mantine/form";
import { getHotkeyHandler } from "@mantine/hooks";
import { Code } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useUpdateCertificateSection } from "../../../api/certificates.js";
import { IconAlert, IconLock } from "../../../components/icons.js";
import {
  CertificateStatus,
  UpdateCertificateSectionRequestSchema,
  type Certificate,
  type CertificateContent,
} from "../../../gen/zeugo/v1/certificates_pb.js";
import { errorMessage, isCode } from "../../../lib/errors.js";
import { showFormErrors } from "../../../lib/form.js";
import { notifySuccess } from "../../../lib/notify.js";
import { toFormErrors, validateMessage, violationsFromError, type FieldViolation } from "../../../lib/validation.js";
import { inputSections, type SectionInit, type SectionKey } from "./mapping.js";

/** EditorContext is what the editor gives its section forms. */
export type EditorContextValue = {
  /** A form reports whether it has unsaved changes (tab marks, the leave guard). */
  reportDirty: (key: string, dirty: boolean) => void;
  /** Loads the certificate again (after a conflict); resolves with the fresh one. */
  reload: () => Promise<Certificate | undefined>;
  /**
   * Whether the section may be changed here. HR's editor leaves it out
   * (every section it shows is its to change); a handover recipient's page
   * allows only the sections granted for writing.
   */
  writable?: (key: SectionKey | "result") => boolean;
  /**
   * A handover recipient is editing: lookups of the tenant's records
   * (companies, employees) are not theirs to make, so forms show what the
   * certificate holds instead of choosing from them.
   */
  recipient?: boolean;
};

export const EditorContext = createContext<EditorContextValue>({
  reportDirty: () => undefined,
  reload: () => Promise.resolve(undefined),
});

/**
 * useDirtySections keeps which forms of an editor have unsaved changes: the
 * set for the tab marks, reportDirty for the forms (the EditorContext's),
 * and anyDirty for the leave guard, which reads a ref current at the moment
 * a navigation starts.
 */
export function useDirtySections() {
  const [dirty, setDirty] = useState<ReadonlySet<string>>(new Set());
  const dirtyRef = useRef<ReadonlySet<string>>(dirty);
  const reportDirty = useCallback((key: string, isDirty: boolean) => {
    setDirty((prev) => {
      if (prev.has(key) === isDirty) return prev;
      const next = new Set(prev);
      if (isDirty) next.add(key);
      else next.delete(key);
      dirtyRef.current = next;
      return next;
    });
  }, []);
  const anyDirty = useCallback(() => dirtyRef.current.size > 0, []);
  return { dirty, reportDirty, anyDirty };
}

/** useSectionWritable: the section may be changed in this editor (besides the certificate's own state). */
export function useSectionWritable(key: SectionKey | "result"): boolean {
  const { writable } = useContext(EditorContext);
  return writable ? writable(key) : true;
}

/** isReadOnly: an issued certificate is changed only through a correction. */
export function isReadOnly(c: Certificate): boolean {
  return c.status === CertificateStatus.ISSUED;
}

/** sectionInfo is the section's version and last save. */
export function sectionInfo(c: Certificate, key: SectionKey) {
  const section = inputSections.find((s) => s.key === key)?.section;
  return c.sections.find((s) => s.section === section);
}

/** Conflict is who saved the section in between, for the alert. */
type Conflict = { by: string; at: Date | undefined };

/** SectionFormOptions configures useSectionForm. */
export type SectionFormOptions<V extends Record<string, unknown>> = {
  certificate: Certificate;
  sectionKey: SectionKey;
  values: (content: CertificateContent) => V;
  proto: (values: V) => SectionInit;
  /** The form's fields in visual order, list rows included (focus goes to the first error). */
  fieldOrder: (values: V) => string[];
};

/** SectionFormState is what a section form renders with. */
export type SectionFormState<V extends Record<string, unknown>> = {
  form: UseFormReturnType<V>;
  readOnly: boolean;
  frame: FrameProps;
};

type FrameProps = {
  sectionKey: SectionKey;
  readOnly: boolean;
  /** Why: the certificate is issued, or the section was handed over for reading only. */
  readOnlyReason: "issued" | "grant";
  saving: boolean;
  dirty: boolean;
  conflict: Conflict | undefined;
  formError: string | undefined;
  onSubmit: () => void;
  onDiscard: () => void;
  onReload: () => void;
  onKeepMine: () => void;
};

/** useSectionForm binds one section of the certificate to a Mantine form. */
export function useSectionForm<V extends Record<string, unknown>>(opts: SectionFormOptions<V>): SectionFormState<V> {
  const { certificate, sectionKey } = opts;
  const { t } = useTranslation();
  const { reportDirty, reload } = useContext(EditorContext);
  const update = useUpdateCertificateSection();
  const writable = useSectionWritable(sectionKey);
  const readOnly = isReadOnly(certificate) || !writable;
  const info = sectionInfo(certificate, sectionKey);
  const version = info?.version ?? 0n;
  const initial = () => opts.values(certificate.content ?? ({} as CertificateContent));
  const form = useForm<V>({ mode: "controlled", initialValues: initial() });
  // The version the form's values were read at: a save sends it, so a save
  // over someone else's newer one is refused (Aborted), never silent.
  const [base, setBase] = useState(version);
  const [conflict, setConflict] = useState<Conflict>();
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const loadedKey = `${certificate.id}/${version}`;
  useEffect(() => {
    // A newer version from outside (another tab saved, a save of another
    // section that changed this one) replaces the values only while nothing
    // is being edited here; edits wait for their save, which then meets the
    // conflict.
    if (!form.isDirty()) {
      const v = initial();
      form.setValues(v);
      form.resetDirty(v);
      setBase(version);
    }
  }, [loadedKey]);

  const dirty = !readOnly && form.isDirty();
  useEffect(() => reportDirty(sectionKey, dirty), [dirty, sectionKey, reportDirty]);
  useEffect(() => () => reportDirty(sectionKey, false), [sectionKey, reportDirty]);

  const showViolations = (violations: FieldViolation[], fallback: string) => {
    const order = opts.fieldOrder(form.values);
    const errors = toFormErrors(violations, t, { prefix: `${sectionKey}.`, known: order });
    const shown = showFormErrors(form, errors, order as never);
    if (errors.other.length > 0 || !shown) setFormError(errors.other.join(" ") || fallback);
  };

  const save = async (values: V, baseVersion: bigint) => {
    setFormError(undefined);
    form.clearErrors();
    const init = { id: certificate.id, version: baseVersion, section: opts.proto(values) };
    const checked = validateMessage(UpdateCertificateSectionRequestSchema, init);
    if (checked.violations.length > 0) {
      showViolations(checked.violations, t("common.formHasErrors"));
      return;
    }
    setSaving(true);
    try {
      const saved = (await update.mutateAsync(init)).certificate;
      // What the server stored (trimmed, normalised) with its new version.
      if (saved) {
        const v = opts.values(saved.content ?? ({} as CertificateContent));
        form.setValues(v);
        form.resetDirty(v);
        setBase(sectionInfo(saved, sectionKey)?.version ?? baseVersion);
      }
      setConflict(undefined);
      notifySuccess(t, t("certificates.editor.saved", { section: t(`certificates.sections.${sectionKey}.title`) }));
    } catch (err) {
      if (isCode(err, Code.Aborted)) {
        const fresh = await reload();
        const now = fresh && sectionInfo(fresh, sectionKey);
        setConflict({ by: now?.updatedByName ?? "", at: now?.updateTime ? timestampDate(now.updateTime) : undefined });
        return;
      }
      const violations = violationsFromError(err, UpdateCertificateSectionRequestSchema);
      if (violations.length > 0) showViolations(violations, errorMessage(err, t));
      else setFormError(errorMessage(err, t));
    } finally {
      setSaving(false);
    }
  };

  const frame: FrameProps = {
    sectionKey,
    readOnly,
    readOnlyReason: isReadOnly(certificate) ? "issued" : "grant",
    saving,
    dirty,
    conflict,
    formError,
    onSubmit: () => {
      if (!readOnly) void save(form.getValues(), base);
    },
    onDiscard: () => {
      const v = initial();
      form.setValues(v);
      form.resetDirty(v);
      form.clearErrors();
      setFormError(undefined);
    },
    onReload: () => {
      // The newer version replaces the local edits: the person chose so.
      const v = initial();
      form.setValues(v);
      form.resetDirty(v);
      form.clearErrors();
      setBase(version);
      setConflict(undefined);
    },
    onKeepMine: () => {
      // The person has seen the other save and overwrites it on purpose.
      setBase(version);
      setConflict(undefined);
      void save(form.getValues(), version);
    },
  };
  return { form, readOnly, frame };
}

/**
 * SectionFrame renders a section form: heading and intro, the read-only
 * note of an issued certificate, the conflict and error alerts, the fields
 * (all disabled when read-only) and the save bar. Ctrl/Cmd+S saves.
 */
export function SectionFrame({ frame, intro, children }: { frame: FrameProps; intro?: ReactNode; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { sectionKey, readOnly, conflict } = frame;
  const title = t(`certificates.sections.${sectionKey}.title`);
  const time = conflict?.at
    ? new Intl.DateTimeFormat(i18n.language === "en" ? "en-GB" : "de-DE", { hour: "2-digit", minute: "2-digit" }).format(conflict.at)
    : "";
  return (
    <form
      noValidate
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        frame.onSubmit();
      }}
      onKeyDown={getHotkeyHandler([["mod+S", () => frame.onSubmit()]])}
    >
      <Stack gap="md">
        <div>
          <Title order={2} fz="h3">
            {title}
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            {intro ?? t(`certificates.sections.${sectionKey}.intro`)}
          </Text>
        </div>
        {readOnly && (
          <Alert color="gray" variant="light" icon={<IconLock size={16} />}>
            {t(frame.readOnlyReason === "grant" ? "certificates.editor.readOnlyGrant" : "certificates.editor.readOnly")}
          </Alert>
        )}
        {conflict && (
          <Alert color="orange" variant="light" icon={<IconAlert />} role="alert" title={t("certificates.editor.conflictTitle")}>
            <Stack gap="sm" align="flex-start">
              <Text size="sm">
                {conflict.by
                  ? t("certificates.editor.conflict", { name: conflict.by, time })
                  : t("certificates.editor.conflictUnknown")}
              </Text>
              <Group gap="sm">
                <Button size="xs" variant="default" onClick={frame.onReload}>
                  {t("certificates.editor.reload")}
                </Button>
                <Button size="xs" variant="subtle" color="orange" onClick={frame.onKeepMine}>
                  {t("certificates.editor.keepMine")}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        {frame.formError && (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {frame.formError}
          </Alert>
        )}
        <Fieldset variant="unstyled" disabled={readOnly} p={0} m={0}>
          {children}
        </Fieldset>
        {!readOnly && (
          <Group gap="sm" className="certificate-save-bar">
            <Button type="submit" loading={frame.saving}>
              {t("certificates.editor.save")}
            </Button>
            <Button variant="default" disabled={!frame.dirty || frame.saving} onClick={frame.onDiscard}>
              {t("certificates.editor.discard")}
            </Button>
            <Text size="xs" c="dimmed">
              {frame.dirty ? t("certificates.editor.unsaved") : t("certificates.editor.shortcut")}
            </Text>
          </Group>
        )}
      </Stack>
    </form>
  );
}
